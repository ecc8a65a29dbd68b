"""Make untrusted text inert and displayable for the terminal without moving any offset."""

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
