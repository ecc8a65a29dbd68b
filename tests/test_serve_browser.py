"""`reviewer serve` in a real browser: headless chromium driven by Playwright.

Open the page, see the first finding, press 3 and ctrl+s, and find the decision in the
review file. Skipped only where chromium (Debian's package) is not installed.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reviewer.review import annotation
from reviewer.segment.families import segment_text
from reviewer.sources.read import read_letter
from reviewer.tui.serve import exposure_warning, open_command
from tests.conftest import SAMPLES

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[@-_]")


def test_serving_beyond_this_machine_warns_and_localhost_does_not():
    assert exposure_warning("127.0.0.1", 8000) == ""
    warning = exposure_warning("0.0.0.0", 8080)
    assert "0.0.0.0:8080" in warning and "no login" in warning


def test_each_tab_runs_this_pythons_reviewer_on_absolute_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a letter.txt").write_text("x")
    command = open_command(["a letter.txt"], ["--keymap", "vim"])
    assert command.startswith(sys.executable.replace(" ", "\\ ")) or sys.executable in command
    assert f"'{tmp_path / 'a letter.txt'}'" in command and command.endswith("--keymap vim")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 30) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise AssertionError(f"reviewer serve exited: {proc.stderr.read()[-800:]!r}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError("reviewer serve did not listen")


@pytest.mark.skipif(BROWSER is None, reason="no chromium installed")
def test_a_browser_reviews_the_first_finding_and_saves(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    pytest.importorskip("textual_serve")
    letter = tmp_path / "hartlepool.txt"
    shutil.copyfile(SAMPLES / "hartlepool_2011-03_ucra.txt", letter)
    first = segment_text(read_letter(letter).text).findings[0]
    port = free_port()
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "reviewer", "serve", str(letter), "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    received: list[bytes] = []
    try:
        wait_for_port(port, proc)
        with sync_api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=BROWSER, args=FLAGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.on(
                "websocket",
                lambda ws: ws.on(
                    "framereceived",
                    lambda frame: received.append(
                        frame if isinstance(frame, bytes) else frame.encode()
                    ),
                ),
            )
            page.goto(f"http://127.0.0.1:{port}/")
            shown = " ".join(first.text.split()[:3])

            def screen() -> str:
                return ANSI.sub("", b"".join(received).decode("utf-8", "replace"))

            deadline = time.monotonic() + 60
            while shown not in screen() and time.monotonic() < deadline:
                page.wait_for_timeout(200)
            assert shown in screen(), "the first finding never reached the browser"
            page.wait_for_timeout(500)
            page.locator(".textual-terminal").click()
            page.keyboard.press("3")
            page.wait_for_timeout(300)
            page.keyboard.press("Control+s")
            review_path = annotation.review_path_for(letter)
            deadline = time.monotonic() + 20
            while not review_path.exists() and time.monotonic() < deadline:
                page.wait_for_timeout(200)
            shot = Path(os.environ.get("REVIEWER_SCREENSHOT_DIR", tmp_path)) / "serve.png"
            page.screenshot(path=str(shot))
            browser.close()
        review = annotation.load(review_path)
        assert review.findings[0].id == first.id
        assert review.findings[0].category == "development"
        assert review.findings[0].status != "auto"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
