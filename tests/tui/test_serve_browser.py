"""`reviewer serve` in a real browser: headless chromium driven by Playwright.

Open the page, see the first finding, press 3 and ctrl+s, and find the decision in the
review file; every request stays on 127.0.0.1. A page of another origin cannot open the
WebSocket, the address without the token gets nothing, and killing the server ends its
reviewers with their journals kept. Skipped only where chromium (Debian's package) is not
installed.
"""

from __future__ import annotations

import http.server
import os
import re
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from reviewer.review import annotation
from reviewer.review.session import ReviewSession
from reviewer.review.store import lock_path, oplog_path, process_alive
from reviewer.segment.families import segment_text
from reviewer.sources.read import read_letter
from reviewer.tui.serve import exposure_warning, open_command
from tests.browser import BROWSER, FLAGS
from tests.conftest import SAMPLES

ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[@-_]")


def test_serving_beyond_this_machine_warns_and_localhost_does_not():
    assert exposure_warning("127.0.0.1", 8000) == ""
    warning = exposure_warning("0.0.0.0", 8080)
    assert "0.0.0.0:8080" in warning and "token" in warning


def test_each_tab_runs_this_pythons_reviewer_on_absolute_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a letter.txt").write_text("x")
    command = open_command(["a letter.txt"], ["--keymap", "vim"])
    assert command.startswith(sys.executable.replace(" ", "\\ ")) or sys.executable in command
    assert f"'{tmp_path / 'a letter.txt'}'" in command and command.endswith("--keymap vim")
    assert command.startswith("exec ")  # the reviewer is the server's own child


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def printed_address(proc: subprocess.Popen, timeout: float = 120) -> str:
    """The address `reviewer serve` prints on start (the one with the token)."""
    assert proc.stdout is not None
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if not sel.select(timeout=0.5):
                continue
            line = proc.stdout.readline()
            if not line:
                break
            found = re.search(r"http://\S+", line)
            if found:
                return found.group(0)
    raise AssertionError(f"reviewer serve printed no address: {proc.stderr.read()[-800:]!r}")


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
    """A browser page on the server, with the terminal stream it was sent, as text, every
    request the page made and its console messages."""

    def __init__(self, browser, url: str) -> None:
        self.received: list[bytes] = []
        self.requests: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.console: list[str] = []  # what the page wrote on the console, from the start
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: self.console.append(message.text))
        self.page.on("websocket", lambda ws: ws.on("framereceived", self._frame))
        self.response = self.page.goto(url)

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


@dataclass
class Served:
    letter: Path
    port: int
    url: str  # the page's address, with the token
    browser: Any
    server: subprocess.Popen


@pytest.fixture
def served(tmp_path, request):
    """`reviewer serve` on a copy of the sample letter (with the options the test gives as
    its parameter, if any), and a browser."""
    sync_api = pytest.importorskip("playwright.sync_api")
    pytest.importorskip("textual_serve")
    if BROWSER is None:
        pytest.skip("no chromium installed")
    letter = tmp_path / "hartlepool.txt"
    shutil.copyfile(SAMPLES / "hartlepool_2011-03_ucra.txt", letter)
    port = free_port()
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "reviewer", "serve", str(letter), "--port", str(port)]
        + list(getattr(request, "param", ())),
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = printed_address(proc)
        wait_for_port(port, proc)
        with sync_api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=BROWSER, args=FLAGS)
            yield Served(letter, port, url, browser, proc)
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
    letter, port, browser = served.letter, served.port, served.browser
    fid, words = first_words(letter)
    tab = Tab(browser, served.url)
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
    # nothing left the machine: every request (page, assets, font, socket) went to the server
    hosts = [urlsplit(u).netloc for u in tab.requests if not u.startswith(("data:", "blob:"))]
    assert tab.requests and hosts == [f"127.0.0.1:{port}"] * len(hosts), tab.requests
    assert any("/static/fonts/" in u for u in tab.requests)  # the font came from the server


def test_the_policy_lets_the_page_work_and_stops_a_script_put_into_it(served):
    """The page under its Content-Security-Policy: the reviewer works with no violation
    reported, and a script written into the page (as an injection would) does not run."""
    _, words = first_words(served.letter)
    tab = Tab(served.browser, served.url)
    console = tab.console
    tab.wait_for(words)
    tab.press("3")
    tab.wait_for("1/14 reviewed")
    assert tab.response is not None
    assert "script-src 'self'" in tab.response.headers["content-security-policy"]
    assert not [m for m in console if "Content Security Policy" in m], console
    assert "-closed" not in (tab.page.get_attribute("body", "class") or "")
    tab.page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.appendChild(script);
            const img = document.createElement("img");
            img.setAttribute("onerror", "window.injected = true");
            img.src = "data:,not-an-image";
            document.body.appendChild(img);
        }"""
    )
    # The browser reports each refusal on the console: wait for both, then look.
    deadline = time.monotonic() + 20
    while len([m for m in console if "Content Security Policy" in m]) < 2:
        assert time.monotonic() < deadline, console
        tab.page.wait_for_timeout(100)
    assert tab.page.evaluate("() => window.injected === undefined")


@pytest.mark.parametrize("served", [("--host", "localhost")], indirect=True)
def test_the_page_follows_the_name_the_browser_used(served):
    """Served under one name and opened under another (as a desk reaches `--host 0.0.0.0`
    by its address), the page's WebSocket goes back to the name the browser used."""
    address = served.url.replace("//localhost:", "//127.0.0.1:")
    assert address != served.url
    _, words = first_words(served.letter)
    tab = Tab(served.browser, address)
    tab.wait_for(words)
    hosts = {urlsplit(u).netloc for u in tab.requests if not u.startswith(("data:", "blob:"))}
    assert hosts == {f"127.0.0.1:{served.port}"}, tab.requests


def test_a_second_tab_is_read_only_and_a_closed_tab_keeps_its_journal(served):
    letter, browser = served.letter, served.browser
    _, words = first_words(letter)
    first = Tab(browser, served.url)
    first.wait_for(words)
    first.press("3")
    second = Tab(browser, served.url)
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


def test_the_address_without_the_token_gets_nothing(served):
    origin = f"http://127.0.0.1:{served.port}"
    token = urlsplit(served.url).path.strip("/")
    tab = Tab(served.browser, f"{origin}/")
    assert tab.response is not None and tab.response.status == 404
    tab.page.wait_for_timeout(1000)
    assert not tab.received  # no terminal: no socket was opened
    for path in ("/ws", "/static/js/textual.js", f"/{token[:-1]}/", f"/{token}x/"):
        response = tab.page.request.get(origin + path, timeout=10_000)
        assert response.status == 404, path
    assert not lock_path(annotation.review_path_for(served.letter)).exists()  # no reviewer ran


class ForeignSite:
    """A web page of another origin on this machine (another port), as any site the person
    visits could serve, that tries to open the reviewer's WebSocket: token and all."""

    def __init__(self, socket_url: str) -> None:
        page = (
            "<!DOCTYPE html><title>waiting</title><script>"
            f"const ws = new WebSocket({socket_url!r});"
            "ws.onopen = () => { document.title = 'opened'; };"
            "ws.onerror = () => { document.title = 'refused'; };"
            "</script>"
        ).encode()

        class Page(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.HTTPServer(("127.0.0.1", 0), Page)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def test_a_page_from_another_origin_cannot_open_the_websocket(served):
    page_address = served.url if served.url.endswith("/") else served.url + "/"
    socket_url = page_address.replace("http://", "ws://") + "ws?width=80&height=24"
    site = ForeignSite(socket_url)
    try:
        page = served.browser.new_page()
        page.goto(site.url)
        page.wait_for_function("document.title !== 'waiting'", timeout=20000)
        assert page.title() == "refused"
    finally:
        site.close()
    assert not lock_path(annotation.review_path_for(served.letter)).exists()  # no reviewer ran


def descendants(pid: int) -> list[int]:
    """The processes started by `pid`, and by them, from /proc."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        children = [p for p, pp in parents.items() if pp == parent]
        found += children
        todo += children
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_killing_the_server_ends_its_reviewers_and_keeps_their_journals(served):
    letter = served.letter
    review_path = annotation.review_path_for(letter)
    _, words = first_words(letter)
    tab = Tab(served.browser, served.url)
    tab.wait_for(words)
    tab.press("3")
    deadline = time.monotonic() + 60
    while not oplog_path(review_path).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    tab_processes = descendants(served.server.pid)
    assert tab_processes
    served.server.send_signal(signal.SIGKILL)
    served.server.wait(timeout=20)
    deadline = time.monotonic() + 60  # however slow the machine
    while any(map(process_alive, tab_processes)) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in tab_processes if process_alive(pid)]
    assert not left, "the tab's reviewer outlived its server"
    session = ReviewSession.open(letter)
    try:
        assert not session.read_only  # its lock went with it
        assert session.report.journal_available
        assert session.restore_journal()
        assert session.findings[0].category == "development"
    finally:
        session.close(clean=False)
