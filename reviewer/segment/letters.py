"""The list reader of letters whose lists sit in prose (the 2009-2012 letters).

A reader the engine runs over a letter's body when a scheme says
`segment.lists = "letter"`. A heading is a line that names a category ("Strengths",
"AREAS FOR DEVELOPMENT:", a table row's cell) or a sentence that leads into a list and
names one ("The service meets the requirements of statutory guidance in the following
areas:"). Items are bullets, numbered items, several `▪` items on one line, HTML list
fragments and markdown table rows; a section with no list has its paragraphs as findings.
A bullet's wrapped lines carry on over line ends and page breaks; when the letter hangs
them under the bullet's words, a line at the margin is not one of them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from reviewer.model import Segment
from reviewer.segment.items import says_section_empty
from reviewer.segment.layout import (
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

_NOT_A_FINDING = re.compile(
    r"^\s*(?:none|n/a|nil|not applicable)[\s.]*$|^\s*(?:there (?:are|were) )?no areas? for\b|"
    r":\s*$|identified above|will be (?:specifically )?considered|future inspection|"
    r"I would like to thank|I am grateful|please contact|Yours\s",
    re.IGNORECASE,
)
_LIST_INTRO_END = re.compile(r"(?::|\bin particular|\bfollowing areas|\bas follows)\s*$", re.I)


@dataclass(slots=True)
class _Item:
    """A list item being collected: its pieces of text and where each lies in the letter."""

    pieces: list[tuple[int, int]] = field(default_factory=list)
    category: str | None = None
    section: str = ""
    heading_score: float = 100.0
    joined_across_gap: bool = False
    prose: bool = False

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]


@dataclass(slots=True)
class _Section:
    heading: str = ""
    category: str | None = None
    score: float = 0.0
    items: int = 0


class LetterLists:
    def __init__(self, engine: Reading) -> None:
        self.engine = engine
        self.text = engine.text
        self.scheme = engine.scheme
        self.lines = engine.lines
        self.segments = engine.segments
        self.width = wrap_width(self.lines)
        self._starts = [ln.start for ln in self.lines]
        self._hanging: bool | None = None  # read when first needed

    # -- body ------------------------------------------------------------------------------

    def read(self, body: range) -> None:
        """Headings, items and paragraphs of the body's lines."""
        start, stop = body.start, body.stop
        lines = self.lines
        section = _Section()
        item: _Item | None = None
        para: list[Line] = []
        gap = 0  # blank lines since the last text line
        page_gap = False  # a page break (form feed, footer, run of blanks) since the last text

        def flush_item() -> None:
            nonlocal item
            if item is not None:
                self._emit(item)
                item = None

        def flush_para(next_is_list: bool) -> None:
            nonlocal para, section
            if not para:
                return
            s = para[0].start + _lead(para[0].text)
            e = para[-1].start + len(para[-1].text.rstrip())
            body = " ".join(" ".join(ln.text for ln in para).split())
            heading = self._paragraph_heading(body, next_is_list)
            if heading is not None:
                section = heading
                self.segments.append(Segment("heading", s, e, heading.category, heading.heading))
            elif section.category and not section.items and not _NOT_A_FINDING.search(body):
                # A section whose findings are written as paragraphs, not as a list.
                pieces = [
                    (ln.start + _lead(ln.text), ln.start + len(ln.text.rstrip())) for ln in para
                ]
                self._emit(
                    _Item(pieces, section.category, section.heading, section.score, prose=True)
                )
            else:
                self.segments.append(Segment("paragraph", s, e))
            para = []

        for idx in range(start, stop):
            ln = lines[idx]
            if ln.page_break_before:
                page_gap = True
            if ln.blank:
                gap += 1
                if gap >= 3:
                    page_gap = True
                continue
            if idx in self.engine.noise:
                page_gap = True
                continue
            st = ln.stripped
            list_like = self._is_list_line(ln) and not (
                item is not None
                and gap == 0
                and closes_wrapped_term(ln.text, self.text[item.start : item.end])
            )
            heading_cat, score = (None, 0.0)
            if not list_like or TABLE_ROW.match(ln.text):
                heading_cat, score = self.scheme.match_heading(st.strip("|").strip())
            if heading_cat is not None and (
                st.endswith(".") or (para and gap == 0 and not page_gap and st[:1].islower())
            ):
                heading_cat = None  # the last words of a sentence ("... priority action.")
            if heading_cat is not None and not (
                item
                and gap == 0
                and not page_gap
                and not st.endswith(":")
                and self._continues(item, ln, gap, page_gap)
                and st[:1].islower()
            ):
                flush_item()
                flush_para(False)
                section = _Section(st.strip("| ").strip(), heading_cat, score)
                hs = ln.start + ln.text.index(section.heading)
                self.segments.append(
                    Segment("heading", hs, hs + len(section.heading), heading_cat, section.heading)
                )
            elif list_like:
                flush_item()
                flush_para(True)
                for s, e in self._list_items(ln):
                    flush_item()
                    section.items += 1
                    item = _Item([(s, e)], section.category, section.heading, section.score)
            elif item is not None and self._continues(item, ln, gap, page_gap):
                s = ln.start + _lead(ln.text)
                item.pieces.append((s, ln.start + len(ln.text.rstrip())))
                if gap:
                    item.joined_across_gap = True
            else:
                flush_item()
                if para and gap:
                    flush_para(False)
                para.append(ln)
            gap = 0
            page_gap = False
        flush_item()
        flush_para(False)

    def _is_list_line(self, ln: Line) -> bool:
        t = ln.text
        if TABLE_ROW.match(t):
            return len([c for c in t.strip().strip("|").split("|") if c.strip()]) >= 2
        return bool(BULLET.match(t) or INLINE_BULLET.search(t) or HTML_TAG.search(t))

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

    def _continues(self, item: _Item, ln: Line, gap: int, page_gap: bool) -> bool:
        """Whether a plain text line carries on the item above it (a wrap or a page break)."""
        st = ln.stripped
        if gap == 0 and not page_gap and _lead(ln.text) == 0 and st[:1].isupper() and self._hangs():
            # A bullet's wrapped lines hang under its words: a line that opens at the margin
            # as a heading or sentence does, straight after the bullet or one of its lines,
            # is not one (after a page break they may not hang; "2) and" closing a wrapped
            # term carries on).
            last = self.lines_by_end(item.end)
            if last is not None and (BULLET.match(last.text) or _lead(last.text) >= 2):
                return False
        prev = self.text[item.start : item.end].rstrip()
        ends_sentence = prev.endswith(tuple(TERMINAL)) or prev.endswith((".)", '."', ".”"))
        starts_lower = st[:1].islower() or st[:1].isdigit()
        if gap == 0 and not page_gap:
            if self.width:
                last = self.lines_by_end(item.end)
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

    def lines_by_end(self, offset: int) -> Line | None:
        """The line that holds a letter offset."""
        i = bisect.bisect_right(self._starts, offset) - 1
        return self.lines[i] if i >= 0 else None

    def _paragraph_heading(self, body: str, next_is_list: bool) -> _Section | None:
        """A sentence that introduces a list ("...in the following areas:") is a heading."""
        if not next_is_list and not _LIST_INTRO_END.search(body):
            return None
        if len(body) > 400:
            return None
        found = self.scheme.mentions(body)
        if not next_is_list and len(found) != 1:
            # A colon-ended sentence with no list after it only counts with a strong cue.
            return None
        if len(found) == 1:
            ((cat, score),) = found.items()
            return _Section(body, cat, score)
        return _Section(body, None, 0.0)

    def _emit(self, item: _Item) -> None:
        parts = [self.text[s:e] for s, e in item.pieces]
        parts = [p.strip().strip("|").strip() for p in parts]
        text = join_parts(parts, self.text)
        if not any(ch.isalnum() for ch in text):
            return  # stray punctuation, not a finding
        if says_section_empty(text):
            return
        if item.category is None:
            self.segments.append(Segment("paragraph", item.start, item.end))
            return
        self.engine.emit(
            item.pieces,
            item.category,
            item.section,
            item.heading_score,
            text=text,
            across=item.joined_across_gap,
            prose=item.prose,
        )


def _hangs_bullets(lines: list[Line]) -> bool:
    """Whether the letter hangs a bullet's wrapped lines under its words: most lines
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


def read_letter_lists(engine: Reading, body: range) -> None:
    LetterLists(engine).read(body)
