"""Read a letter from disk, text or PDF, or say in one line why it cannot be read."""

from __future__ import annotations

from pathlib import Path

from reviewer.sources.letter import MAX_BYTES, InputError, Letter, sha256_of
from reviewer.sources.text import decode, looks_binary, what_it_is


def read_letter(path: str | Path) -> Letter:
    """Read and decode a letter, or raise InputError with a one-line reason."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file; check the path")
    if p.is_dir():
        raise InputError(f"{p}: is a folder, not a letter; give a .txt or .pdf file")
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


def is_pdf(data: bytes) -> bool:
    """Whether bytes are a PDF's: `%PDF-` in the first 1 KB (the format allows a little junk
    before it)."""
    return b"%PDF-" in data[:1024]


def letter_from_bytes(path: Path, data: bytes) -> Letter:
    if is_pdf(data):
        from reviewer.sources.pdf import read_pdf  # PDF reading is loaded for PDFs only

        return read_pdf(path, data)
    if path.suffix.lower() == ".pdf":
        raise InputError(
            f"{path}: not a PDF but {what_it_is(data)}; download the PDF itself, or rename "
            "the file if it is a text letter"
        )
    if not data.strip():
        raise InputError(f"{path}: the file is empty; give a letter with text in it")
    if looks_binary(data):
        raise InputError(
            f"{path}: looks like binary data, not a text letter or a PDF; give a .txt or .pdf file"
        )
    text, encoding = decode(data)
    return Letter(path=path, text=text, encoding=encoding, sha256=sha256_of(data))
