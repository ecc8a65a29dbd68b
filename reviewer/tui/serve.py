"""`reviewer serve`: the same reviewer in a browser, for desks where a terminal is not an option.

textual-serve (an optional extra) starts one `reviewer open` process per browser tab, so
each tab is a reviewer of its own: the second tab on a letter finds the first one's lock
and opens read-only, and a closed tab ends its process without a clean quit, which keeps
the crash journal for the next open. There is no login: whoever reaches the port can read
and edit the letters, so the server binds to this machine unless told otherwise.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

from reviewer.errors import ReviewerError

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


class ServeError(ReviewerError):
    """The browser reviewer cannot start; the message says what to do."""


def open_command(letters: Sequence[str], options: Sequence[str] = ()) -> str:
    """The shell command each browser tab runs: this Python's reviewer on absolute paths."""
    paths = [str(Path(p).resolve()) for p in letters]
    return shlex.join([sys.executable, "-m", "reviewer", "open", *paths, *options])


def exposure_warning(host: str, port: int) -> str:
    """What a person must know before serving beyond this machine (empty for localhost)."""
    if host in LOCAL_HOSTS:
        return ""
    return (
        f"warning: serving on {host}:{port}: anyone who can reach this port can read and edit "
        "these letters; there is no login"
    )


def serve(letters: Sequence[str], host: str, port: int, options: Sequence[str] = ()) -> None:
    try:
        from textual_serve.server import Server
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
    server = Server(open_command(letters, options), host=host, port=port, title="reviewer")
    server.serve()
