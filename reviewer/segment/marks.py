"""The `marks` item mode: lists set in running prose, as the 2009-2012 letters write them.

The engine hands it one section's lines (a heading's, or the text before the first
heading). Every line with a list mark is an item, or several: a bullet or item number,
several `▪` on one line, HTML list tags, a markdown table row (its last text cell). A
bullet's wrapped lines carry on over line ends and page breaks; when the document hangs
them under the bullet's words, a line at the margin straight after them is not one of
them. A section with no list has its paragraphs as findings (unless the scheme's
`segment.not_findings` says a paragraph is none). With `segment.list_intros`, a sentence
that leads into a list and names one category ("The service meets the requirements of
statutory guidance in the following areas:") heads the items after it.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from reviewer.model import Segment
from reviewer.segment.items import PAGE, Entry, Item, says_section_empty
from reviewer.segment.lines import (
    BULLET,
    HTML_TAG,
    INLINE_BULLET,
    TABLE_ROW,
    TERMINAL,
    Line,
    closes_wrapped_term,
    join_parts,
    wrap_width,
)
from reviewer.segment.reading import Reading
from reviewer.segment.spec import any_of


def is_list_line(ln: Line) -> bool:
    """A line with a list mark: a bullet or number, an inline `▪`, an HTML list tag, or a
    markdown table row of two or more cells."""
    return _is_list_text(ln.text)


@functools.lru_cache(maxsize=4096)
def _is_list_text(t: str) -> bool:
    if TABLE_ROW.match(t):
        return len([c for c in t.strip().strip("|").split("|") if c.strip()]) >= 2
    return bool(BULLET.match(t) or INLINE_BULLET.search(t) or ("<" in t and HTML_TAG.search(t)))


@dataclass(slots=True)
class _Heading:
    text: str = ""
    category: str | None = None
    score: float = 0.0
    items: int = 0


class MarkedLists:
    """Reads the sections of one document in `marks` mode (the document's wrap width and
    whether it hangs its bullets are read once)."""

    def __init__(
        self,
        reading: Reading,
        intros: tuple[re.Pattern[str], ...],
        not_findings: tuple[re.Pattern[str], ...],
    ) -> None:
        self.reading = reading
        self.text = reading.text
        self.scheme = reading.scheme
        self.lines = reading.lines
        self.segments = reading.segments
        self.intros = any_of(intros)
        self.not_findings = any_of(not_findings)
        self.width = wrap_width(self.lines)
        self._starts = [ln.start for ln in self.lines]
        self._hanging: bool | None = None  # read when first needed

    def items(
        self, entries: list[Entry], category: str | None, heading: str, score: float
    ) -> list[Item]:
        """The items of one section; paragraphs that are no findings become segments."""
        out: list[Item] = []
        section = _Heading(heading, category, score)
        item: Item | None = None
        para: list[Line] = []

        def flush_item() -> None:
            nonlocal item
            if item is not None:
                self._keep(item, out)
                item = None

        def flush_para(next_is_list: bool) -> None:
            nonlocal para, section
            if not para:
                return
            s = para[0].start + _lead(para[0].text)
            e = para[-1].start + len(para[-1].text.rstrip())
            body = " ".join(" ".join(ln.text for ln in para).split())
            intro = self._intro(body, next_is_list)
            if intro is not None:
                section = intro
                self.segments.append(Segment("heading", s, e, intro.category, intro.text))
            elif section.category and not section.items and not self._not_finding(body):
                # A section whose findings are written as paragraphs, not as a list.
                new = _item(section)
                new.pieces = [
                    (ln.start + _lead(ln.text), ln.start + len(ln.text.rstrip())) for ln in para
                ]
                new.prose = True
                self._keep(new, out)
            else:
                self.segments.append(Segment("paragraph", s, e))
            para = []

        for entry in entries:
            ln = entry.line
            gap = entry.blanks
            page_gap = entry.gap == PAGE or gap >= 3
            list_like = is_list_line(ln) and not (
                item is not None
                and gap == 0
                and closes_wrapped_term(ln.text, self.text[item.pieces[0][0] : item.pieces[-1][1]])
            )
            if list_like:
                flush_item()
                flush_para(True)
                for s, e in self._list_items(ln):
                    flush_item()
                    section.items += 1
                    item = _item(section)
                    item.pieces.append((s, e))
            elif item is not None and self._continues(item, ln, gap, page_gap):
                s = ln.start + _lead(ln.text)
                item.pieces.append((s, ln.start + len(ln.text.rstrip())))
                if gap:
                    item.across_page = True
            else:
                flush_item()
                if para and gap:
                    flush_para(False)
                para.append(ln)
        flush_item()
        flush_para(False)
        return out

    def _not_finding(self, body: str) -> bool:
        return self.not_findings.search(body)

    def _list_items(self, ln: Line) -> list[tuple[int, int]]:
        """Spans of the item texts on one list line: bullets, HTML lists, or table rows."""
        t = ln.text
        if TABLE_ROW.match(t):
            cells = []
            pos = t.index("|") + 1
            for cell in t[pos:].split("|"):
                if cell.strip():
                    cells.append((pos + _lead(cell), pos + len(cell.rstrip())))
                pos += len(cell) + 1
            text_cells = [c for c in cells if len(t[c[0] : c[1]]) > 2]
            return [(ln.start + s, ln.start + e) for s, e in text_cells[-1:]]
        masked = HTML_TAG.sub(lambda m: " " * len(m.group(0)), t)
        spans = []
        m = BULLET.match(masked)
        cut_points = [m.end()] if m else []
        markers = [mm.start() for mm in INLINE_BULLET.finditer(masked)]
        if m:
            markers = [x for x in markers if x >= m.end()]
        bounds = cut_points + [x + 1 for x in markers]
        if not m and markers:
            before = masked[: markers[0]]
            if before.strip():
                bounds = [0] + bounds
        elif not m and not markers:
            bounds = [0]
        ends = [x for x in markers] + [len(masked)]
        for b in bounds:
            e = next((x for x in ends if x >= b and x != b - 1), len(masked))
            piece = masked[b:e]
            if piece.strip():
                s = b + _lead(piece)
                spans.append((ln.start + s, ln.start + b + len(piece.rstrip())))
        return spans

    def _continues(self, item: Item, ln: Line, gap: int, page_gap: bool) -> bool:
        """Whether a plain text line carries on the item above it (a wrap or a page break)."""
        st = ln.stripped
        end = item.pieces[-1][1]
        if gap == 0 and not page_gap and _lead(ln.text) == 0 and st[:1].isupper() and self._hangs():
            # A bullet's wrapped lines hang under its words: a line that opens at the margin
            # as a heading or sentence does, straight after the bullet or one of its lines,
            # is not one (after a page break they may not hang; "2) and" closing a wrapped
            # term carries on).
            last = self._line_at(end)
            if last is not None and (BULLET.match(last.text) or _lead(last.text) >= 2):
                return False
        prev = self.text[item.pieces[0][0] : end].rstrip()
        ends_sentence = prev.endswith(tuple(TERMINAL)) or prev.endswith((".)", '."', ".”"))
        starts_lower = st[:1].islower() or st[:1].isdigit()
        if gap == 0 and not page_gap:
            if self.width:
                last = self._line_at(end)
                full = len(last.text.rstrip()) >= 0.75 * self.width if last else False
                return full or starts_lower or not ends_sentence
            return starts_lower or not ends_sentence
        if starts_lower and not ends_sentence:
            return True
        return page_gap and not ends_sentence and not st.endswith(":")

    def _hangs(self) -> bool:
        if self._hanging is None:
            self._hanging = _hangs_bullets(self.lines)
        return self._hanging

    def _line_at(self, offset: int) -> Line | None:
        """The line that holds a document offset."""
        i = bisect.bisect_right(self._starts, offset) - 1
        return self.lines[i] if i >= 0 else None

    def _intro(self, body: str, next_is_list: bool) -> _Heading | None:
        """A sentence that introduces a list ("...in the following areas:") is a heading:
        of the one category it names, or of none when it names none or several."""
        if not self.intros:
            return None
        if not next_is_list and not self.intros.search(body):
            return None
        if len(body) > 400:
            return None
        found = self.scheme.mentions(body)
        if not next_is_list and len(found) != 1:
            # A colon-ended sentence with no list after it only counts with a strong cue.
            return None
        if len(found) == 1:
            ((cat, score),) = found.items()
            return _Heading(body, cat, score)
        return _Heading(body, None, 0.0)

    def _keep(self, item: Item, out: list[Item]) -> None:
        """An item with words: a finding when it has a category, else a paragraph."""
        parts = [self.text[s:e].strip().strip("|").strip() for s, e in item.pieces]
        text = join_parts(parts, self.text)
        if not any(ch.isalnum() for ch in text) or says_section_empty(text):
            return  # stray punctuation, or a note that the section is empty
        if item.category is None:
            self.segments.append(Segment("paragraph", item.pieces[0][0], item.pieces[-1][1]))
            return
        item.text = text
        out.append(item)


def _item(section: _Heading) -> Item:
    return Item(category=section.category, section=section.text, score=section.score)


def _hangs_bullets(lines: list[Line]) -> bool:
    """Whether the document hangs a bullet's wrapped lines under its words: most lines
    straight after a bullet are indented."""
    hung: list[int] = []
    margin = 0
    for above, ln in zip(lines, lines[1:], strict=False):
        if above.blank or ln.blank or ln.page_break_before or not BULLET.match(above.text):
            continue
        if BULLET.match(ln.text) or TABLE_ROW.match(above.text):
            continue
        if _lead(ln.text) >= 2:
            hung.append(_lead(ln.text))
        else:
            margin += 1
    return len(hung) > margin


def _lead(s: str) -> int:
    return len(s) - len(s.lstrip())
