"""Debian's chromium for the browser tests: where it is, and the flags a closed network needs."""

from __future__ import annotations

import shutil

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
# Without the background-networking flags chromium keeps trying hosts this machine cannot
# reach; Playwright adds --headless itself, the command line needs it given.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
