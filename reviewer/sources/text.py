"""Decoding a text letter's bytes, and telling text from binary data."""

from __future__ import annotations


def decode(data: bytes) -> tuple[str, str]:
    """UTF-8 (a byte-order mark is dropped), else Windows-1252; line ends are kept as they are."""
    try:
        if data.startswith(b"\xef\xbb\xbf"):
            return data[3:].decode("utf-8"), "utf-8-sig"
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # Five bytes are undefined in Windows-1252; keep one character for each byte.
        return data.decode("cp1252", errors="replace"), "cp1252"


_MAGIC = (b"\x89PNG", b"PK\x03\x04", b"\xff\xd8\xff", b"GIF8", b"\x7fELF", b"\xd0\xcf\x11\xe0")


def looks_binary(data: bytes) -> bool:
    """Known binary signatures, or many NUL/control bytes in the first 8 KB.

    A stray NUL or escape sequence in a letter is not enough: such text is shown inert.
    """
    head = data[:8192]
    if head.startswith(_MAGIC):
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return head.count(0) > max(4, len(head) // 100) or controls > max(8, len(head) // 20)
