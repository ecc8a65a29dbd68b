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
from reviewer.review.session import ReviewSession
from reviewer.segment.families import segment_text
from reviewer.sources.read import read_letter
from reviewer.tui.serve import exposure_warning, open_command
from tests.browser import BROWSER, FLAGS
from tests.conftest import SAMPLES

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


def wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 120) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise AssertionError(f"reviewer serve exited: {proc.stderr.read()[-800:]!r}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError("reviewer serve did not listen")


class Tab:
    """A browser page on the server, with the terminal stream it was sent, as text."""

    def __init__(self, browser, port: int) -> None:
        self.received: list[bytes] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.page.on("websocket", lambda ws: ws.on("framereceived", self._frame))
        self.page.goto(f"http://127.0.0.1:{port}/")

    def _frame(self, frame: bytes | str) -> None:
        self.received.append(frame if isinstance(frame, bytes) else frame.encode())

    def screen(self) -> str:
        return ANSI.sub("", b"".join(self.received).decode("utf-8", "replace"))

    def wait_for(self, words: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while words not in self.screen() and time.monotonic() < deadline:
            self.page.wait_for_timeout(200)
        assert words in self.screen(), f"{words!r} never reached the browser"
        self.page.wait_for_timeout(300)

    def press(self, *keys: str) -> None:
        self.page.locator(".textual-terminal").click()
        for key in keys:
            self.page.keyboard.press(key)
            self.page.wait_for_timeout(300)


@pytest.fixture
def served(tmp_path):
    """`reviewer serve` on a copy of the sample letter: (letter, port, browser)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    pytest.importorskip("textual_serve")
    if BROWSER is None:
        pytest.skip("no chromium installed")
    letter = tmp_path / "hartlepool.txt"
    shutil.copyfile(SAMPLES / "hartlepool_2011-03_ucra.txt", letter)
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
    try:
        wait_for_port(port, proc)
        with sync_api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=BROWSER, args=FLAGS)
            yield letter, port, browser
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def journal_of(letter: Path) -> list[Path]:
    """The crash journal's files of the letter's review."""
    name = annotation.review_path_for(letter).name + "."
    found = [p for p in letter.parent.iterdir() if p.name.startswith(name)]
    return [p for p in found if not p.name.endswith((".lock", ".bak"))]


def first_words(letter: Path) -> tuple[str, str]:
    first = segment_text(read_letter(letter).text).findings[0]
    return first.id, " ".join(first.text.split()[:3])


def test_a_browser_reviews_the_first_finding_and_saves(served, tmp_path):
    letter, port, browser = served
    fid, words = first_words(letter)
    tab = Tab(browser, port)
    tab.wait_for(words)
    tab.press("3", "Control+s")
    review_path = annotation.review_path_for(letter)
    deadline = time.monotonic() + 60
    while not review_path.exists() and time.monotonic() < deadline:
        tab.page.wait_for_timeout(200)
    shot = Path(os.environ.get("REVIEWER_SCREENSHOT_DIR", tmp_path)) / "serve.png"
    tab.page.screenshot(path=str(shot))
    review = annotation.load(review_path)
    assert review.findings[0].id == fid
    assert review.findings[0].category == "development"
    assert review.findings[0].status != "auto"


def test_a_second_tab_is_read_only_and_a_closed_tab_keeps_its_journal(served):
    letter, port, browser = served
    _, words = first_words(letter)
    first = Tab(browser, port)
    first.wait_for(words)
    first.press("3")
    second = Tab(browser, port)
    second.wait_for("READ-ONLY")
    second.page.close()
    deadline = time.monotonic() + 60  # the change reaches the journal as it is made
    while not journal_of(letter) and time.monotonic() < deadline:
        first.page.wait_for_timeout(200)
    assert journal_of(letter), "the change never reached the journal"
    first.page.close()
    review_path = annotation.review_path_for(letter)
    deadline = time.monotonic() + 60
    journal = []
    while not journal and time.monotonic() < deadline:
        journal = journal_of(letter)
        time.sleep(0.2)
    assert journal, "closing the tab lost the unsaved change"
    assert not review_path.exists()  # nothing was saved behind the person's back
    session = ReviewSession.open(letter)
    try:
        assert session.restore_journal()
        assert session.findings[0].category == "development"
    finally:
        session.close(clean=False)
