"""Text from PDF letters and reports, with pypdf (pure Python, so it installs anywhere).

Pages are joined with a form feed, which the segmenter reads as a page break.
"""

from __future__ import annotations

import logging
from pathlib import Path

from reviewer.sources.letter import MAX_BYTES, InputError, Letter, sha256_of


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
                ok = bool(reader.decrypt(""))
            except Exception:  # noqa: BLE001 - any failure to decrypt means the same to the user
                ok = False
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


def read_pdf(path: Path, data: bytes) -> Letter:
    if len(data) > MAX_BYTES:
        raise InputError(f"{path}: over the 20 MB limit for a document; split the file")
    text = extract_text(data, str(path))
    return Letter(path=path, text=text, encoding="pdf", sha256=sha256_of(data))
