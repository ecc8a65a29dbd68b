"""The history page in a real headless browser (Debian's chromium): it renders, chart and all.

Skipped only where no chromium is installed.
"""

from __future__ import annotations

import subprocess

import pytest

from reviewer.corpus import history
from tests.browser import BROWSER, FLAGS
from tests.corpus.test_history import birmingham_history

pytestmark = pytest.mark.skipif(BROWSER is None, reason="no chromium installed")


def run_browser(tmp_path, *args: str) -> subprocess.CompletedProcess[str]:
    assert BROWSER is not None
    profile = tmp_path / "profile"
    return subprocess.run(
        [BROWSER, "--headless", *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )


def test_the_history_page_renders_its_timeline_in_a_browser(tmp_path):
    page = tmp_path / "history.html"
    page.write_text(history.to_html(history.build(birmingham_history(), "Birmingham")), "utf-8")
    dom = run_browser(tmp_path, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-500:]
    assert dom.stdout.count("<circle") == 3 and "Birmingham" in dom.stdout
    shot = tmp_path / "history.png"
    done = run_browser(tmp_path, f"--screenshot={shot}", "--window-size=1200,900", page.as_uri())
    assert done.returncode == 0, done.stderr[-500:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 10_000
