"""Which family a document belongs to, and the segmenter that reads that family."""

from __future__ import annotations

from reviewer.model import Document
from reviewer.segment.engine import segment_engine
from reviewer.segment.letters import segment_letter
from reviewer.segment.report import segment_report
from reviewer.segment.scheme import Scheme, detect_scheme, load_scheme

NO_SCHEME = (
    "fits no known document family (letter, report, focused visit, JTAI letter, area SEND "
    "report); it has no findings: add them by hand"
)


def segment_auto(text: str, scheme: Scheme | None = None) -> tuple[Document, str]:
    """Segment with the given scheme, or with the one the document itself fits.

    Returns the document and a note for the user (empty when all is well). A document that
    fits no scheme gets no findings, under the default scheme so a person can add them.
    """
    if scheme is not None:
        return segment_text(text, scheme), ""
    found = detect_scheme(text)
    if found is None:
        return Document(text=text, scheme=load_scheme().id), NO_SCHEME
    return segment_text(text, found), ""


def segment_text(text: str, scheme: Scheme | None = None) -> Document:
    scheme = scheme or load_scheme()
    if scheme.layout == "report":
        return segment_report(text, scheme)
    if scheme.layout == "engine":
        return segment_engine(text, scheme)
    return segment_letter(text, scheme)
