"""Make untrusted text inert for the terminal without moving any offset."""

from __future__ import annotations

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


def sanitize(text: str) -> str:
    """Replace control characters one for one, so every offset stays valid.

    C0 controls (except tab, newline and carriage return) become their visible
    U+2400 pictures; DEL, C1 controls and bidi overrides become U+FFFD.
    """
    return text.translate(_TABLE)


def sanitize_line(text: str) -> str:
    """Like `sanitize`, and also make line breaks visible, for one-line displays."""
    return sanitize(text).replace("\r", " ").replace("\n", " ").replace("\t", " ")
