"""The segmenting engine: a document family's scheme file says how to read it.

Every family goes through the same stages, in this order:

1. page furniture: one detector (`furniture.py`) with the scheme's own furniture lines;
2. the envelope, when the scheme names a reader for it (`segment.envelope = "letter"`:
   sender, date, recipient, salutation, title, signature, copy list; `envelope.py`);
3. regions, headings and items: the lists of findings, read by the list reader the
   scheme names (`segment.lists`): `headings` (this module: a heading that names a
   category opens a list, a `segment.stop` heading closes it, items are bullets,
   paragraphs or the area SEND "Responsible body" table), `letter` (lists in a letter's
   prose, `letters.py`) or `report` (an inspection report's lists, its review of the
   LSCB and its numbered paragraphs, `report.py`);
4. metadata: the scheme's `[[metadata]]` fields;
5. judgements, when the scheme names a grade reader (`segment.grades = "report"`).

Findings leave through one door (`Engine.emit`), with one confidence formula.
"""

from __future__ import annotations

import datetime as dt
import re

from reviewer.model import Document, Finding, Segment, finding_id
from reviewer.segment import metadata as meta
from reviewer.segment.dates import DAYS, parse_dates
from reviewer.segment.envelope import ORDER as LETTER_ORDER
from reviewer.segment.envelope import read_letter_envelope
from reviewer.segment.furniture import furniture
from reviewer.segment.items import (
    BLANK,
    NO_GAP,
    PAGE,
    Entry,
    Item,
    bullet_items,
    heading_shaped,
    paragraph_items,
    says_section_empty,
)
from reviewer.segment.layout import BULLET, join_parts, split_lines
from reviewer.segment.letters import read_letter_lists
from reviewer.segment.report import read_report_grades, read_report_lists
from reviewer.segment.scheme import Scheme, SchemeError, normalise_heading
from reviewer.segment.send_area import table_items
from reviewer.segment.spec import MetaField, SegmentSpec

_HONORIFIC = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Professor|Prof|Sir|Dame|Councillor|Cllr)\.?"
_PERSON = re.compile(
    rf"^(?:{_HONORIFIC}\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){{1,3}}"
    r"(?:\s+(?:CBE|OBE|MBE|QPM|KPM|DL))*\s*,"
)
# A name line with no comma after it ("Simon Freeman Accountable Officer at ...") still
# starts an entry when the entry before ended with a body's name.
_AFTER_BODY = re.compile(
    r"\b(?:Council|Board|Police|Constabulary|Service|Services|CCG|ICB|Trust|Partnership)\|"
    r"(?:[A-Z][\w'’-]+\s+){2}"
)
_INLINE_PERSON = re.compile(rf"\s+(?={_HONORIFIC}\s+[A-Z][\w'’-]+\s+[A-Z][\w'’-]+,)")


class Engine:
    """Segments one document with one scheme: the stages above, readers as it names them."""

    def __init__(self, text: str, scheme: Scheme) -> None:
        if scheme.segment is None:
            raise SchemeError(f"{scheme.source}: the scheme has no [segment] table")
        self.text = text
        self.scheme = scheme
        self.spec: SegmentSpec = scheme.segment
        self.lines = split_lines(text)
        self.noise = furniture(self.lines, self.spec.furniture, self._is_heading)
        self.segments: list[Segment] = []
        self.findings: list[Finding] = []
        self.metadata: dict = {}
        self._taken: set[str] = set()

    def run(self) -> Document:
        body = range(len(self.lines))
        if self.spec.envelope:
            body = ENVELOPES[self.spec.envelope](self)
        LISTS[self.spec.lists](self, body)
        self._read_metadata()
        if self.spec.envelope:
            # A letter's keys in a letter's order, the scheme's own after them.
            order = {k: n for n, k in enumerate(LETTER_ORDER)}
            keys = sorted(self.metadata, key=lambda k: order.get(k, len(order)))
            self.metadata = {k: self.metadata[k] for k in keys}
        if self.spec.grades:
            GRADES[self.spec.grades](self)
        return self._document()

    def _is_heading(self, line: str) -> bool:
        """A line the list reader would take for a heading (never page furniture)."""
        if self.spec.lists == "headings":
            return self._heading(line) is not None
        return self.scheme.match_heading(line)[0] is not None

    def emit(
        self,
        pieces: list[tuple[int, int]],
        category: str,
        section: str,
        score: float,
        *,
        text: str | None = None,
        across: bool = False,
        prose: bool = False,
        responsible: str = "",
    ) -> None:
        """A finding of `category` made of the text pieces, under the heading `section`.

        Confidence: 0.95 under a heading that matched a cue exactly (0.85 under a looser
        match), 0.1 less for an item joined across a page break or gap, and 0.2 less for a
        paragraph standing where a list was expected.
        """
        words = join_parts([self.text[s:e] for s, e in pieces], self.text) if text is None else text
        if not words or says_section_empty(words):
            return  # the filter every reader's items pass: "There are no areas for ..."
        start, end = pieces[0][0], pieces[-1][1]
        confidence = (0.95 if score >= 99 else 0.85) - 0.1 * across - 0.2 * prose
        self.findings.append(
            Finding(
                id=finding_id(words, self._taken),
                category=category,
                section=section,
                text=words,
                start=start,
                end=end,
                confidence=round(confidence, 2),
                responsible=responsible,
            )
        )
        self.segments.append(Segment("finding", start, end, category, section))

    # -- headings and sections ----------------------------------------------------------

    def _heading(self, line: str) -> tuple[str | None, float] | None:
        """(category, score) for a heading that opens a list, (None, 100) for one that
        closes it, None for any other line."""
        if not heading_shaped(line):
            return None
        words = normalise_heading(line)
        if any(p.search(words) for p in self.spec.stop):
            return None, 100.0
        cat, score = self.scheme.match_heading(line)
        return (cat, score) if cat else None

    def read_headed_lists(self, body: range) -> None:
        """The `headings` list reader: sections opened by a heading that names a category."""
        sections: list[tuple[int, str, float, list[Entry]]] = []
        current: list[Entry] | None = None
        gap = NO_GAP
        for i in body:
            ln = self.lines[i]
            if ln.page_break_before or i in self.noise:
                gap = PAGE
            if i in self.noise:
                continue
            if ln.blank:
                gap = max(gap, BLANK)
                continue
            head = self._heading(ln.stripped)
            if head is not None:
                current = None
                self._mark(i, "heading")
                if head[0] is not None:
                    current = []
                    sections.append((i, head[0], head[1], current))
            elif any(p.search(ln.stripped) for p in self.spec.skip):
                current = None
            elif current is not None:
                current.append(Entry(ln, gap))
            gap = NO_GAP
        for at, category, score, entries in sections:
            for item in self._items(category, entries):
                self.emit(
                    item.pieces,
                    category,
                    self.lines[at].stripped,
                    score,
                    across=item.across_page,
                    responsible=" ".join(" ".join(item.responsible).split()),
                )
        self._prose()

    def _items(self, category: str, entries: list[Entry]) -> list[Item]:
        mode = self.spec.mode(category)
        if mode == "auto":
            bulleted = any(BULLET.match(e.line.text) for e in entries)
            mode = "bullets" if bulleted else "paragraphs"
        if mode == "bullets":
            return bullet_items(entries, self.text)
        if mode == "responsible_table":
            assert self.spec.table_header and self.spec.body_complete
            return table_items(entries, self.text, self.spec.table_header, self.spec.body_complete)
        return paragraph_items(entries, self.text, self.spec.item_start)

    def _mark(self, i: int, kind: str) -> None:
        ln = self.lines[i]
        start = ln.start + len(ln.text) - len(ln.text.lstrip())
        self.segments.append(Segment(kind, start, ln.start + len(ln.text.rstrip())))

    def _prose(self) -> None:
        """Paragraphs outside the findings: segments a reviewer can promote to a finding."""
        spans = sorted((s.start, s.end) for s in self.segments)
        block: list[int] = []

        def flush() -> None:
            if block:
                a, b = self.lines[block[0]], self.lines[block[-1]]
                start = a.start + len(a.text) - len(a.text.lstrip())
                self.segments.append(Segment("paragraph", start, b.start + len(b.text.rstrip())))
                block.clear()

        k = 0
        for i, ln in enumerate(self.lines):
            if i in self.noise or ln.blank or ln.page_break_before:
                flush()
                if i in self.noise or ln.blank:
                    continue
            while k < len(spans) and spans[k][1] <= ln.start:
                k += 1
            if k < len(spans) and spans[k][0] < ln.start + len(ln.text) and ln.start < spans[k][1]:
                flush()
                continue
            block.append(i)
        flush()

    def _document(self) -> Document:
        for i in sorted(self.noise):
            self._mark(i, "noise")
        self.segments.sort(key=lambda s: (s.start, s.end))
        segments, pos = [], 0
        for seg in self.segments:
            if seg.start >= pos and seg.end > seg.start:
                segments.append(seg)
                pos = seg.end
        self.findings.sort(key=lambda f: f.start)
        return Document(self.text, self.scheme.id, self.metadata, segments, self.findings)

    # -- metadata ------------------------------------------------------------------------

    def _read_metadata(self) -> None:
        content = [ln.stripped for i, ln in enumerate(self.lines) if i not in self.noise]
        lines = [c for c in content if c]
        joined = "\n".join(lines)
        flat = " ".join(joined.split())
        for spec in self.spec.metadata:
            if spec.key in self.metadata:
                continue
            value = self._find(spec, content, lines, joined, flat)
            if value not in (None, "", []):
                self.metadata[spec.key] = value

    def _find(self, spec: MetaField, content, lines, joined, flat):
        assert spec.pattern is not None
        if spec.kind == "flag":  # found or not: the flattened text tells as well as the lines
            return True if spec.pattern.search(flat) else None
        if spec.find == "regex":
            m = spec.pattern.search(joined) or spec.pattern.search(flat)
            return self._value(spec, m.group("v")) if m else None
        if spec.find == "dates":
            m = spec.pattern.search(flat)
            return self._dates(spec, flat, m.end()) if m else None
        at = next((k for k, ln in enumerate(content) if ln and spec.pattern.search(ln)), None)
        if at is None:
            return None
        after = [ln for ln in content[at + 1 :] if ln]
        if spec.find == "line_after":
            if spec.comma == "after" and spec.nth >= 2 and len(after) >= spec.nth - 1:
                name_line = after[spec.nth - 2]
                if ", " in name_line:
                    return self._value(spec, name_line.split(", ", 1)[1])
            if len(after) < spec.nth:
                return None
            value = after[spec.nth - 1]
            if spec.comma == "before":
                value = value.split(", ", 1)[0]
            return self._value(spec, value)
        block: list[str] = []
        for ln in content[at + 1 :]:
            if spec.until is not None and spec.until.search(ln):
                break
            if not ln:
                if block and spec.find == "paragraph_after":
                    break
                continue
            block.append(ln)
        if spec.find == "paragraph_after":
            return self._value(spec, join_parts(block, self.text))
        return [p for p in (self._value(spec, e) for e in _people(block)) if p]

    def _value(self, spec: MetaField, value: str):
        value = " ".join(value.split())
        for pattern in spec.clean:
            value = pattern.sub("", value).strip()
        if spec.require is not None and not spec.require.search(value):
            return None
        if spec.kind == "date":
            dates = parse_dates(value, None)
            return dates[0] if dates else None
        if spec.kind == "name":
            return meta.as_name(value)
        return value.strip(" ,")

    def _dates(self, spec: MetaField, flat: str, pos: int) -> list[dt.date] | dt.date | None:
        m = DAYS.match(flat, pos)
        if not m:
            return None
        known = self.metadata.get(spec.year_from) if spec.year_from else None
        year = known.year if isinstance(known, dt.date) else None
        dates = parse_dates(m.group(0), year)
        if spec.kind == "date":
            return dates[0] if dates else None
        return dates or None


def _people(lines: list[str]) -> list[str]:
    """One entry per addressee: "Name, Role, Body" lines, wrapped or run together."""
    out: list[str] = []
    for line in lines:
        for part in _INLINE_PERSON.split(line):
            part = part.strip()
            if not part:
                continue
            if out and not _PERSON.match(part) and not _AFTER_BODY.search(out[-1] + "|" + part):
                out[-1] = f"{out[-1]} {part}"
            else:
                out.append(part)
    return out


def segment_document(text: str, scheme: Scheme) -> Document:
    """The document the scheme's stages read from the text."""
    return Engine(text, scheme).run()


# The readers a scheme names, by stage (spec.py lists the same names to check scheme files).
ENVELOPES = {"letter": read_letter_envelope}
LISTS = {
    "headings": Engine.read_headed_lists,
    "letter": read_letter_lists,
    "report": read_report_lists,
}
GRADES = {"report": read_report_grades}
