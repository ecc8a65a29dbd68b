"""Which family a document belongs to, and its reading by the engine with that family's scheme;
the register's keys added to what a document names, and a span of a document cleaned as
the engine cleans an item (`SpanCleaner`)."""

from __future__ import annotations

import bisect

from reviewer.model import Document
from reviewer.segment.authorities import match
from reviewer.segment.engine import Engine, segment_document
from reviewer.segment.lines import clean_span
from reviewer.segment.no_findings import no_findings_reason
from reviewer.segment.scheme import Scheme, bundled, detect_scheme, load_scheme


def no_scheme_note() -> str:
    """The note for a document that fits no family, naming the families there are (read
    when it is needed: a segmenter given its scheme never reads the other families')."""
    names = ", ".join(s.document for s in bundled())
    return f"fits no known document family ({names}); it has no findings: add them by hand"


def segment_auto(text: str, scheme: Scheme | None = None) -> tuple[Document, str]:
    """Segment with the given scheme, or with the one the document itself fits.

    Returns the document and a note for the user (empty when all is well). A document that
    fits no scheme gets no findings, under the default scheme so a person can add them.
    """
    if scheme is not None:
        return segment_text(text, scheme), ""
    found = detect_scheme(text)
    if found is None:
        return Document(text=text, scheme=load_scheme().id), no_scheme_note()
    doc = segment_text(text, found)
    return doc, findings_note(doc, found)


def findings_note(doc: Document, scheme: Scheme) -> str:
    """Why a document of a known family has no findings, so that an outstanding report
    does not look like a failure to read it (empty when it has findings)."""
    if doc.findings:
        return ""
    if scheme.segment.headings is not None:
        return no_findings_reason(doc, scheme)
    return "has none of its family's lists of findings, so no findings; add any by hand"


def segment_text(text: str, scheme: Scheme | None = None) -> Document:
    scheme = scheme or load_scheme()
    doc = segment_document(text, scheme)
    add_register_keys(doc.metadata)
    return doc


def add_register_keys(metadata: dict) -> None:
    """The council's canonical name, codes and region, from the names the document gives."""
    names = [metadata.get(k) for k in ("authority", "inspection_title")]
    found = match(n for n in names if isinstance(n, str) and n)
    if found is not None:
        metadata.update(found.authority.letter_keys())


class SpanCleaner:
    """A span of a document made a finding's text as its family's segmenter makes an item's.

    The lines the engine leaves out of items as page furniture (running headers and
    footers, page numbers, the scheme's furniture lines, footnotes) are left out
    whole, also when the span holds only part of one; the rest is joined by
    :func:`reviewer.segment.lines.clean_span`. What a reviewer's add, split or boundary move
    gives a finding is then what the segmenter would have given it.
    """

    def __init__(self, text: str, scheme: Scheme) -> None:
        self.text = text
        engine = Engine(text, scheme)  # the engine's one furniture detector, on its lines
        lines = engine.lines
        self._furniture = [(lines[i].start, lines[i].end) for i in sorted(engine.noise)]
        self._starts = [a for a, _ in self._furniture]

    def __call__(self, start: int, end: int) -> str:
        """The finding text of ``text[start:end]``."""
        parts, pos = [], start
        k = max(0, bisect.bisect_right(self._starts, start) - 1)
        while k < len(self._furniture) and self._furniture[k][0] < end:
            a, b = self._furniture[k]
            if b > pos:
                parts.append(self.text[pos : max(pos, a)])
                pos = max(pos, b)
            k += 1
        parts.append(self.text[pos:end] if pos < end else "")
        return clean_span("\n".join(parts), self.text)
