"""Decoding a text letter's bytes, and telling text from binary data."""

from __future__ import annotations


def utf16_encoding(data: bytes) -> str | None:
    """The UTF-16 variant of ``data`` (as Windows "Unicode" text is saved), if it is UTF-16.

    With a byte-order mark that is certain; without one, text in a Latin script has a NUL in
    every other byte, which no letter in an 8-bit encoding has.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) and not data.startswith(b"\xff\xfe\x00\x00"):
        return "utf-16"
    head = data[:4096]
    pairs = len(head) // 2
    if pairs < 8:
        return None
    even_nul = head[0::2].count(0)
    odd_nul = head[1::2].count(0)
    if odd_nul > 0.9 * pairs and even_nul < 0.05 * pairs:
        return "utf-16-le"
    if even_nul > 0.9 * pairs and odd_nul < 0.05 * pairs:
        return "utf-16-be"
    return None


def decode(data: bytes) -> tuple[str, str]:
    """UTF-8 (a byte-order mark is dropped), UTF-16, else Windows-1252; line ends are kept."""
    utf16 = utf16_encoding(data)
    if utf16 is not None:
        try:
            return data.decode(utf16), utf16  # "utf-16" drops the byte-order mark
        except UnicodeDecodeError:
            pass
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
    UTF-16 text is text.
    """
    if utf16_encoding(data) is not None:
        return False
    head = data[:8192]
    if head.startswith(_MAGIC):
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return head.count(0) > max(4, len(head) // 100) or controls > max(8, len(head) // 20)


_KINDS = (
    (b"\x89PNG", "a PNG image"),
    (b"PK\x03\x04", "a ZIP archive (a Word or Excel file?)"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"{\\rtf", "an RTF document"),
)


def what_it_is(data: bytes) -> str:
    """A few words on what a file that should be a PDF really holds."""
    for magic, kind in _KINDS:
        if data.startswith(magic):
            return kind
    if not data.strip():
        return "an empty file"
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<!--")) or b"<html" in head:
        return "an HTML page (a web page saved under a .pdf name)"
    if head.startswith(b"<?xml") or head.startswith(b"<"):
        return "an XML or HTML document"
    if not looks_binary(data):
        return "plain text"
    return "binary data of an unknown kind"
