"""Make untrusted text inert and displayable for the terminal without moving any offset;
and every command's output to a terminal, in one place (`terminal_output_sanitized`)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

_TABLE: dict[int, str] = {}
for _code in range(0x20):
    if _code not in (0x09, 0x0A, 0x0D):
        _TABLE[_code] = chr(0x2400 + _code)
_TABLE[0x7F] = "\ufffd"
for _code in range(0x80, 0xA0):
    _TABLE[_code] = "\ufffd"
_TABLE[0x2028] = " "
_TABLE[0x2029] = " "
# Bidi overrides can make a line display in a different order than it is stored.
for _code in (0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069):
    _TABLE[_code] = "\ufffd"
# Bullets a PDF gives in the private-use area (Word's Symbol and Wingdings bullet fonts): no
# font of a terminal or browser has them, so they would show as boxes.
_TABLE.update(
    {
        0xF0B7: "•",  # Symbol bullet
        0xF02D: "–",  # Symbol minus, used as a dash bullet
        0xF0A7: "▪",  # Wingdings small square
        0xF06E: "■",  # Wingdings square
        0xF06C: "●",  # Wingdings circle
        0xF076: "❖",  # Wingdings diamond
        0xF0D8: "➢",  # Wingdings arrowhead
        0xF0FC: "✓",  # Wingdings tick
    }
)


def sanitize(text: str) -> str:
    """Replace control characters one for one, so every offset stays valid.

    C0 controls (except tab, newline and carriage return) become their visible
    U+2400 pictures; DEL, C1 controls and bidi overrides become U+FFFD; private-use
    bullet glyphs become the bullets they stand for.
    """
    return text.translate(_TABLE)


def sanitize_line(text: str) -> str:
    """Like `sanitize`, and also make line breaks visible, for one-line displays."""
    return sanitize(text).replace("\r", " ").replace("\n", " ").replace("\t", " ")


class TerminalStream:
    """A text stream to a terminal that writes everything sanitized: a letter's escape
    sequences (a new window title, a cleared screen, a hidden line) show as visible
    characters instead of acting on the terminal. All else is the wrapped stream's."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(sanitize(text))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


@contextlib.contextmanager
def terminal_output_sanitized() -> Iterator[None]:
    """Within, whatever goes to standard output or error that is a terminal is sanitized;
    output to a file or a pipe is left as it is (it is data, and offsets index it)."""
    saved = sys.stdout, sys.stderr
    try:
        for name in ("stdout", "stderr"):
            stream = getattr(sys, name)
            if _is_terminal(stream) and not isinstance(stream, TerminalStream):
                setattr(sys, name, TerminalStream(stream))
        yield
    finally:
        sys.stdout, sys.stderr = saved


def _is_terminal(stream: TextIO | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (ValueError, OSError):  # a closed stream
        return False
