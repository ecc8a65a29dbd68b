"""Text from PDF letters and reports: PDFium first (fast), pypdf where PDFium refuses a file.

PDFium (through pypdfium2, the bindings to the engine Chromium uses) extracts a document
about 14 times faster than pypdf and, on the real corpus, gives the same findings,
categories and metadata (`bench/extract.py`). Pages are joined with a form feed, which the
segmenter reads as a page break; the extractor and its version go with the text, so a
review can say which program made the text its offsets index.
"""

from __future__ import annotations

import ctypes
import functools
import io
import logging
import re
from pathlib import Path

from reviewer.sources.bounded import Exceeded, run_bounded
from reviewer.sources.letter import MAX_BYTES, InputError, Letter, sha256_of

# Far beyond any inspection report (the longest in the corpus holds about 150,000).
MAX_TEXT = 10_000_000
# A paragraph number glued to its text at a line's start, with the line break before it:
# a pattern that opens with a line break is found by looking for line breaks alone, where
# one that opens with `^` is tried at every character of the page (four times slower).
_NUMBER_GLUED = re.compile(r"(\n[ \t]*\d{1,3}\.)(?=[^\W\d_])")


def space_glued_numbers(page: str) -> str:
    """A paragraph number set apart from its text by position, not by a space, at a line's
    start ("10.Children") written "10. Children", as the page shows it: the same as
    ``re.sub(r"(?m)^([ \\t]*\\d{1,3}\\.)(?=[^\\W\\d_])", r"\\1 ", page)``, searched after a
    line break put before the page (and taken off again)."""
    return _NUMBER_GLUED.sub(r"\1 ", "\n" + page)[1:]


class Refused(Exception):
    """PDFium could not read the file; pypdf is asked instead."""


@functools.cache
def _version(package: str) -> str:
    """The extractor as a review file records it: "pypdfium2 5.15.2"."""
    return f"{package} {_stated_version(package) or _installed_version(package)}".strip()


def _stated_version(package: str) -> str:
    """The version the package itself states (cheap: it is loaded already), or ""."""
    try:
        if package == "pypdfium2":
            from pypdfium2.version import PYPDFIUM_INFO

            return str(PYPDFIUM_INFO.version)
        if package == "pypdf":
            import pypdf

            return str(pypdf.__version__)
    except (ImportError, AttributeError):
        pass
    return ""


def _installed_version(package: str) -> str:
    """The installed distribution's version, or "" (importlib.metadata is slow to load: a
    tenth of the start of a batch, so only when the package does not say)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return ""


@functools.cache
def load_pdfium() -> None:
    """Import PDFium and learn its version, if it is installed (once)."""
    try:
        import pypdfium2  # noqa: F401
    except ImportError:
        return
    _version("pypdfium2")


def pdfium_pages(data: bytes, name: str) -> list[str]:
    """Each page's text by PDFium; Refused where it cannot read the file."""
    try:
        import pypdfium2 as pdfium
    except ImportError:
        raise Refused("pypdfium2 is not installed") from None
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        if "password" in str(err).lower():
            raise InputError(
                f"{name}: the PDF is encrypted; remove the password and try again"
            ) from None
        raise Refused(str(err)) from None
    try:
        pages = []
        for i in range(len(doc)):
            page = doc[i]
            textpage = page.get_textpage()
            text = page_text(page, textpage).replace("\r\n", "\n").replace("\r", "\n")
            # PDFium joins a word hyphenated at a line end and marks the join with U+0002;
            # the line break and hyphen are put back, as the page shows them.
            text = text.replace("\x02", "-\n")
            pages.append(space_glued_numbers(text))
            textpage.close()
            page.close()
        return pages
    except pdfium.PdfiumError as err:
        raise Refused(str(err)) from None
    finally:
        doc.close()


def page_text(page, textpage) -> str:
    """The text of a page within its bounding box, as ``textpage.get_text_bounded()`` gives
    it, asked of PDFium once instead of twice.

    ``get_text_bounded`` asks PDFium how long the text is, then asks again for the text, and
    each time PDFium goes over every character of the page (a twentieth of a document's
    extraction). The text within the box is never longer than the page's characters
    (``FPDFText_CountChars``), so a buffer of that size, and one for the closing NUL, is
    filled at once; should it ever be too short, the text is asked for the usual way.
    """
    import pypdfium2.raw as pdfium_c

    size = pdfium_c.FPDFText_CountChars(textpage) + 1
    if size <= 0:  # PDFium could not count them
        return str(textpage.get_text_bounded())
    left, bottom, right, top = page.get_bbox()
    buffer = (ctypes.c_ushort * size)()
    n = pdfium_c.FPDFText_GetBoundedText(textpage, left, top, right, bottom, buffer, size)
    if n > 0 and buffer[n - 1] == 0:
        n -= 1  # the closing NUL: the text is whole
    elif n >= size:
        return str(textpage.get_text_bounded())  # perhaps cut short: asked again whole
    return ctypes.string_at(buffer, 2 * n).decode("utf-16-le", errors="ignore")


def pypdf_pages(data: bytes, name: str) -> list[str]:
    """Each page's text by pypdf (pure Python); InputError for unusable PDFs."""
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
        return [(page.extract_text() or "").replace("\r\n", "\n") for page in reader.pages]
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as err:
        raise InputError(
            f"{name}: not a readable PDF ({type(err).__name__}); check the file"
        ) from None
    except Exception as err:  # noqa: BLE001 - a malformed PDF can fail anywhere inside pypdf
        raise InputError(f"{name}: the PDF could not be read ({type(err).__name__})") from None


def extract(data: bytes, name: str = "document") -> tuple[str, str]:
    """All pages' text, pages separated by form feeds, and the extractor that made it.

    In a child process bounded in memory and time (`bounded`): a PDF bomb is refused in
    one line, and the process reading it goes on.
    """
    load_pdfium()  # here, once: not in every child, which would import it again each time
    try:
        return run_bounded(extract_here, data, name)
    except Exceeded as err:
        raise refusal(name, err) from None


def refusal(name: str, err: Exceeded) -> InputError:
    """The one-line error for a PDF whose reading went over a bound."""
    if err.what == "memory":
        return InputError(
            f"{name}: reading the PDF needed more than {err.limit} of memory (a "
            "decompression bomb?); not read. Check where the file came from"
        )
    return InputError(
        f"{name}: reading the PDF took longer than {err.limit} (a decompression "
        "bomb?); not read. Check where the file came from"
    )


def extract_here(data: bytes, name: str = "document") -> tuple[str, str]:
    """As `extract`, in this process, unbounded."""
    try:
        pages, extractor = pdfium_pages(data, name), _version("pypdfium2")
    except Refused:
        pages, extractor = pypdf_pages(data, name), _version("pypdf")
    text = "\f".join(pages)
    if len(text) > MAX_TEXT:
        raise InputError(
            f"{name}: the PDF holds {len(text) / 1e6:.0f} million characters of text, more "
            f"than any letter or report ({MAX_TEXT / 1e6:.0f} million at most); not read"
        )
    if not text.strip():
        raise InputError(
            f"{name}: the PDF has no text layer (scanned images?); run OCR on it first"
        )
    return text, extractor


def extract_text(data: bytes, name: str = "document") -> str:
    """All pages' text, pages separated by form feeds; InputError for unusable PDFs."""
    return extract(data, name)[0]


def read_pdf(path: Path, data: bytes) -> Letter:
    if len(data) > MAX_BYTES:
        raise InputError(f"{path}: over the 20 MB limit for a document; split the file")
    text, extractor = extract(data, str(path))
    return Letter(path, text, "pdf", sha256_of(data), extractor)
