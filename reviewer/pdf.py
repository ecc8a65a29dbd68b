"""Text from PDF letters and reports, with pypdf (pure Python, so it installs anywhere).

Pages are joined with a form feed, which the segmenter reads as a page break. The text is
what offsets index, so it is saved beside the review and reused while it matches its hash.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from .source import MAX_BYTES, InputError, Letter, sha256_of

if TYPE_CHECKING:
    from .annotation import Review

TEXT_SUFFIX = ".extracted.txt"


def extract_text(data: bytes, name: str = "document") -> str:
    """All pages' text, pages separated by form feeds; InputError for unusable PDFs."""
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:  # noqa: BLE001 - any failure to decrypt means the same to the user
                ok = 0
            if not ok:
                raise InputError(f"{name}: the PDF is encrypted; remove the password and try again")
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as err:
        raise InputError(
            f"{name}: not a readable PDF ({type(err).__name__}); check the file"
        ) from None
    except Exception as err:  # noqa: BLE001 - a malformed PDF can fail anywhere inside pypdf
        raise InputError(f"{name}: the PDF could not be read ({type(err).__name__})") from None
    text = "\f".join(p.replace("\r\n", "\n") for p in pages)
    if not text.strip():
        raise InputError(
            f"{name}: the PDF has no text layer (scanned images?); run OCR on it first"
        )
    return text


def text_path_for(review_path: Path) -> Path:
    """`x.review.toml` -> `x.extracted.txt`: the text the review's offsets index."""
    name = review_path.name
    stem = name[: -len(".review.toml")] if name.endswith(".review.toml") else review_path.stem
    return review_path.with_name(stem + TEXT_SUFFIX)


def read_pdf(path: Path, data: bytes) -> Letter:
    if len(data) > MAX_BYTES:
        raise InputError(f"{path}: over the 20 MB limit for a document; split the file")
    text = extract_text(data, str(path))
    return Letter(path=path, text=text, encoding="pdf", sha256=sha256_of(data))


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def saved_text(letter: Letter, review_path: Path, review: Review | None) -> Letter:
    """A PDF's text as saved beside its review, when it is still the text of this PDF.

    Offsets index the saved text; re-extracting with another pypdf version could move them.
    """
    if review is None or not review.text_path or review.sha256 != letter.sha256:
        return letter
    path = review_path.parent / review.text_path
    try:
        text = path.read_bytes().decode("utf-8")  # bytes: keep every line ending as saved
    except (OSError, UnicodeDecodeError):
        return letter
    if text_sha256(text) != review.text_sha256:
        return letter
    return Letter(letter.path, text, letter.encoding, letter.sha256)
