"""Which family a document belongs to, and the segmenter that reads that family."""

from __future__ import annotations

import bisect

from reviewer.model import Document
from reviewer.segment.authorities import match
from reviewer.segment.engine import Engine, segment_engine
from reviewer.segment.layout import clean_span, is_noise_line, running_lines, split_lines
from reviewer.segment.letters import segment_letter
from reviewer.segment.report import ReportSegmenter, no_findings_reason, segment_report
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
    doc = segment_text(text, found)
    return doc, findings_note(doc, found)


def findings_note(doc: Document, scheme: Scheme) -> str:
    """Why a document of a known family has no findings, so that an outstanding report
    does not look like a failure to read it (empty when it has findings)."""
    if doc.findings:
        return ""
    if scheme.layout == "report":
        return no_findings_reason(doc)
    return "has none of its family's lists of findings, so no findings; add any by hand"


def segment_text(text: str, scheme: Scheme | None = None) -> Document:
    scheme = scheme or load_scheme()
    if scheme.layout == "report":
        doc = segment_report(text, scheme)
    elif scheme.layout == "engine":
        doc = segment_engine(text, scheme)
    else:
        doc = segment_letter(text, scheme)
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

    The lines the segmenter leaves out of items as page furniture (running headers and
    footers, page numbers, the scheme's furniture lines, a report's footnotes) are left out
    whole, also when the span holds only part of one; the rest is joined by
    :func:`reviewer.segment.layout.clean_span`. What a reviewer's add, split or boundary move
    gives a finding is then what the segmenter would have given it.
    """

    def __init__(self, text: str, scheme: Scheme) -> None:
        self.text = text
        lines = split_lines(text)
        if scheme.layout == "report":
            noise = ReportSegmenter(text, scheme).noise
        elif scheme.layout == "engine":
            noise = Engine(text, scheme).noise
        else:
            running = running_lines(lines)
            noise = {
                i
                for i, ln in enumerate(lines)
                if ln.stripped and (is_noise_line(ln.stripped) or ln.stripped in running)
            }
        self._furniture = [(lines[i].start, lines[i].end) for i in sorted(noise)]
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
