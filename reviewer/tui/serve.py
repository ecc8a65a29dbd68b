"""`reviewer serve`: the same reviewer in a browser, for desks where a terminal is not an option.

textual-serve (an optional extra) starts one `reviewer open` process per browser tab, so
each tab is a reviewer of its own: the second tab on a letter finds the first one's lock
and opens read-only, and a closed tab ends its process without a clean quit, which keeps
the crash journal for the next open. Each tab's reviewer also ends when the server does,
however it ends (even killed): it watches the server (`SERVER_PID_ENV`).

Nothing is served without the random token in the URL printed at the start, and only to
pages of the server's own (see `reviewer.tui.serve_app`); the server binds to this machine
unless told otherwise, and every asset comes from the installed packages.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from reviewer.errors import ReviewerError

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
# Set for each tab's reviewer: the process id of the server it must not outlive.
SERVER_PID_ENV = "REVIEWER_SERVE_PID"


class ServeError(ReviewerError):
    """The browser reviewer cannot start; the message says what to do."""


def open_command(letters: Sequence[str], options: Sequence[str] = ()) -> str:
    """The shell command each browser tab runs: this Python's reviewer on absolute paths.
    `exec` makes the reviewer the server's own child (no shell between), so it can tell
    when the server has gone."""
    paths = [str(Path(p).resolve()) for p in letters]
    import shlex

    return "exec " + shlex.join([sys.executable, "-m", "reviewer", "open", *paths, *options])


def exposure_warning(host: str, port: int) -> str:
    """What a person must know before serving beyond this machine (empty for localhost)."""
    if host in LOCAL_HOSTS:
        return ""
    return (
        f"warning: serving on {host}:{port}: anyone who can reach this port and has the "
        "address with its token can read and edit these letters"
    )


def origin_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def page_url(host: str, port: int, token: str) -> str:
    """The address to open in the browser: the only one that serves anything."""
    return f"{origin_url(host, port)}/{token}/"


def serve(letters: Sequence[str], host: str, port: int, options: Sequence[str] = ()) -> None:
    try:
        from aiohttp import web
        from textual_serve.server import Server

        from reviewer.tui.serve_app import build_app
    except ImportError:
        raise ServeError(
            "reviewer serve needs the web extra; install it with: pip install 'reviewer[web]'"
        ) from None
    for p in letters:
        if not Path(p).exists():
            raise ServeError(f"{p}: no such file or folder; check the path")
    warning = exposure_warning(host, port)
    if warning:
        print(warning, file=sys.stderr)
    import secrets

    token = secrets.token_urlsafe(24)
    url = page_url(host, port, token)
    server = Server(
        open_command(letters, options),
        host=host,
        port=port,
        title="reviewer",
        public_url=origin_url(host, port),
    )
    os.environ[SERVER_PID_ENV] = str(os.getpid())  # each tab's reviewer inherits it
    app = build_app(server, token, port, local=host in LOCAL_HOSTS)
    print(f"reviewer serve: open {url} in a browser (press Ctrl+C to stop)", flush=True)
    try:
        web.run_app(app, host=host, port=port, print=None, access_log=None)
    except OSError as err:
        reason = err.strerror or str(err)
        raise ServeError(f"cannot listen on {host}:{port}: {reason}; try another --port") from None
