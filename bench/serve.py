"""Time from `reviewer serve` to the first finding visible in a browser (headless chromium).

    python bench/serve.py [LETTER] [--runs N]

Each run starts the server, opens the page in a fresh browser and stops the clock when the
first finding's words arrive in the terminal stream the browser draws. The floor, measured
in the same run, is the browser opening a blank page: what no server can save.
Needs Debian's chromium, Playwright and textual-serve (`pip install '.[test]'`).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reviewer.segment.families import segment_text  # noqa: E402
from reviewer.sources.read import read_letter  # noqa: E402

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[@-_]")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def one_run(letter: Path, browser_path: str, sync_api) -> tuple[float, float, float]:
    """(listening, first finding visible, blank-page floor) in seconds."""
    shown = " ".join(segment_text(read_letter(letter).text).findings[0].text.split()[:3])
    port = free_port()
    with tempfile.TemporaryDirectory() as home:
        work = Path(home) / letter.name
        shutil.copyfile(letter, work)
        env = {**os.environ, "XDG_CONFIG_HOME": home}
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "reviewer", "serve", str(work), "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            while True:
                with socket.socket() as s:
                    if s.connect_ex(("127.0.0.1", port)) == 0:
                        break
                time.sleep(0.02)
            listening = time.perf_counter() - t0
            with sync_api.sync_playwright() as pw:
                f0 = time.perf_counter()
                browser = pw.chromium.launch(executable_path=browser_path, args=FLAGS)
                blank = browser.new_page()
                blank.goto("about:blank")
                floor = time.perf_counter() - f0
                page = browser.new_page()
                received: list[bytes] = []
                page.on(
                    "websocket",
                    lambda ws: ws.on(
                        "framereceived",
                        lambda fr: received.append(fr if isinstance(fr, bytes) else fr.encode()),
                    ),
                )
                page.goto(f"http://127.0.0.1:{port}/")
                while shown not in ANSI.sub("", b"".join(received).decode("utf-8", "replace")):
                    page.wait_for_timeout(10)
                visible = listening + (time.perf_counter() - f0)
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    return listening, visible, floor


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "letter", nargs="?", default=str(ROOT / "sample_letters" / "hartlepool_2011-03_ucra.txt")
    )
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    browser_path = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        from playwright import sync_api
    except ImportError:
        sync_api = None
    if browser_path is None or sync_api is None:
        print("needs chromium and playwright: nothing measured", file=sys.stderr)
        return 2
    runs = [one_run(Path(args.letter), browser_path, sync_api) for _ in range(args.runs)]
    head = f"{'measure':<44} {'median s':>9} {'max s':>7}"
    print(head)
    print("-" * len(head))
    names = (
        "serve: listening",
        "serve: first finding visible in the browser",
        "floor: browser opens a blank page",
    )
    for i, name in enumerate(names):
        values = [r[i] for r in runs]
        print(f"{name:<44} {statistics.median(values):>9.2f} {max(values):>7.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
