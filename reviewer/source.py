"""Read a letter from disk: checks, decoding, and the hash a review is tied to."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 20 * 1024 * 1024


class InputError(Exception):
    """Bad input; its message is one line saying what is wrong and what to do."""


@dataclass(frozen=True, slots=True)
class Letter:
    path: Path
    text: str
    encoding: str
    sha256: str


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


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_letter(path: str | Path) -> Letter:
    """Read and decode a letter, or raise InputError with a one-line reason."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file; check the path")
    if p.is_dir():
        raise InputError(f"{p}: is a folder, not a letter; give a .txt file")
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                f"{p}: {size / 1e6:.1f} MB is over the 20 MB limit for a letter; split the file"
            )
        data = p.read_bytes()
    except PermissionError:
        raise InputError(f"{p}: permission denied; check the file's permissions") from None
    except OSError as err:
        raise InputError(f"{p}: cannot read ({err.strerror or err}); check the file") from None
    return letter_from_bytes(p, data)


def letter_from_bytes(path: Path, data: bytes) -> Letter:
    if data.startswith(b"%PDF-") or path.suffix.lower() == ".pdf":
        from .pdf import read_pdf

        return read_pdf(path, data)
    if not data.strip():
        raise InputError(f"{path}: the file is empty; give a letter with text in it")
    if looks_binary(data):
        raise InputError(f"{path}: looks like binary data, not a text letter; give a .txt file")
    text, encoding = decode(data)
    return Letter(path=path, text=text, encoding=encoding, sha256=sha256_of(data))
