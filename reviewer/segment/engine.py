"""The segmenting engine: a document family's scheme file says how to read it.

Every family goes through the same stages, in this order:

1. page furniture: one detector (`furniture.py`) with the scheme's own furniture lines;
2. the envelope, when the scheme names a reader for it (`segment.envelope = "letter"`:
   sender, date, recipient, salutation, title, signature, copy list, `envelope.py`);
3. the lists of findings (`read_lists`, one reader for every family): regions
   (`segment.regions`: a part whose lists take one category), headings (heading-shaped
   lines or any line, `heading_lines`; cues or the exact `segment.headings`; sentences
   that lead into a list, `list_intros`), list ends (`stop`, `ends`, `skip`), items
   (`segment.items`: bullets, paragraphs, numbered items, the area SEND table, marks in
   prose; `items.py`, `table_items.py`, `marks.py`) and filters (an item that says its
   section is empty; `not_findings`; with `drop_lead_ins`, a list's lead-in);
4. paragraphs (`segment.paragraphs`, `paragraphs.py`): prose blocks, numbered
   paragraphs under their section headings, or none besides those the items read;
5. metadata: the scheme's `[[metadata]]` fields;
6. judgements, when the scheme names a grade reader (`segment.grades = "report"`).

Findings leave through one door (`Engine.emit`), with one confidence formula.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from reviewer.dates import DAYS, parse_dates
from reviewer.model import Document, Finding, Segment, finding_id
from reviewer.segment import metadata as meta
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
    is_lead_in,
    numbered_items,
    paragraph_items,
    says_section_empty,
)
from reviewer.segment.lines import BULLET, TABLE_ROW, Line, join_parts, split_lines
from reviewer.segment.marks import MarkedLists, is_list_line
from reviewer.segment.paragraphs import numbered_paragraphs, prose_blocks
from reviewer.segment.scheme import Scheme, SchemeError, normalise_heading
from reviewer.segment.spec import MetaField, SegmentSpec, any_of, heading_key, opening_letters
from reviewer.segment.table_items import table_items

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


@dataclass(slots=True)
class _Section:
    """A list of findings being read: its heading's line, category and match score, and
    its lines."""

    at: int  # its heading's line (-1: the text before any heading)
    category: str | None  # None: text outside the lists
    score: float
    last: int  # the index of its last line
    heading: str = ""
    entries: list[Entry] = field(default_factory=list)


class _Regions:
    """The scheme's regions in a document, found lazily: `category(i, ...)` looks for a
    region's `starts` heading only up to line i, so a document whose lists end early is
    not read to its end for a heading that would come after them. The answers are those
    of finding every region's first `starts` heading first."""

    def __init__(self, engine: Engine) -> None:
        self.lines, self.noise = engine.lines, engine.noise
        # Per region, in the scheme's order: [category, starts, its line or -1, next line
        # to look at, the first letters its starts can open with (None: any)]; a region
        # whose start is known has nothing more to look at.
        self._regions: list[list] = []
        if not engine.spec.regions:
            return
        title_lines: list[str] = []
        for i, ln in enumerate(self.lines):
            if len(title_lines) == 8:
                break
            if ln.stripped and i not in self.noise:
                title_lines.append(ln.stripped)
        title = " ".join(title_lines)
        title = " ".join(title.replace("’", "'").split()).lower()
        for region in engine.spec.regions:
            if any(p.search(title) for p in region.alone):
                self._regions.append([region.category, None, 0, len(self.lines), None])
            else:
                starts = any_of(region.starts)
                firsts = opening_letters(region.starts, after_spaces=False)
                self._regions.append([region.category, starts, -1, 20, firsts])

    def category(self, i: int, category: str) -> str:
        """The category of a list opening at line i: the last region begun by then, else
        the heading's own."""
        for region in self._regions:
            if region[2] < 0 and region[3] <= i:
                self._look(region, i)
            if 0 <= region[2] <= i:
                category = region[0]
        return category

    def _look(self, region: list, upto: int) -> None:
        lines, noise, starts, firsts = self.lines, self.noise, region[1], region[4]
        # Each line is asked once here: the key is made without the cache of keys, which
        # keeps the lines that are asked again (headings). A line opening with an ASCII
        # character that no start opens with (in lower case, as the key has it) is no start,
        # and its key is not made (most lines).
        key = heading_key.__wrapped__
        for k in range(region[3], min(upto + 1, len(lines))):
            st = lines[k].stripped
            if (
                st
                and (firsts is None or st[0].lower() in firsts or not st[0].isascii())
                and k not in noise
                and starts.fullmatch(key(st))
                and not _CONTENTS_LINE.search(st)
            ):
                region[2], region[3] = k, len(lines)
                return
        region[3] = max(region[3], upto + 1)


def _one_of(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str] | None:
    """One pattern that matches where any of them matches (None for none)."""
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), re.IGNORECASE)


_CONTENTS_LINE = re.compile(r"\S\s+\d{1,3}\s*$")


class Engine:
    """Segments one document with one scheme: the stages above, readers as it names them."""

    def __init__(self, text: str, scheme: Scheme) -> None:
        if scheme.segment is None:
            raise SchemeError(f"{scheme.source}: the scheme has no [segment] table")
        self.text = text
        self.scheme = scheme
        self.spec: SegmentSpec = scheme.segment
        self.lines = split_lines(text)
        # The scheme's lists of patterns, each tried as one.
        self._stop = any_of(self.spec.stop)
        self._skips = any_of(self.spec.skip)
        self._list_ends = any_of(self.spec.ends)
        self.noise = furniture(self.lines, self.spec.furniture, self._is_heading)
        self.segments: list[Segment] = []
        self.findings: list[Finding] = []
        self.metadata: dict = {}
        self._taken: set[str] = set()
        self._marks: MarkedLists | None = None
        self._content_lines: list[str] | None = None
        self._flat: str | None = None

    def run(self) -> Document:
        body = range(len(self.lines))
        if self.spec.envelope:
            body = ENVELOPES[self.spec.envelope](self)
        self.read_lists(body)
        if self.spec.paragraphs == "numbered":
            numbered_paragraphs(self, self.spec.sections, self.spec.wrapped)
        elif self.spec.paragraphs == "blocks":
            prose_blocks(self)
        self._read_metadata()
        if self.spec.envelope in ENVELOPE_ORDER:
            # A letter's keys in a letter's order, the scheme's own after them.
            order = {k: n for n, k in enumerate(LETTER_ORDER)}
            keys = sorted(self.metadata, key=lambda k: order.get(k, len(order)))
            self.metadata = {k: self.metadata[k] for k in keys}
        if self.spec.grades:
            GRADES[self.spec.grades](self)
        return self._document()

    def _is_heading(self, line: str) -> bool:
        """A line the list reader would take for a heading (never page furniture)."""
        if self.spec.heading_lines == "shaped":
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
        closes it, None for any other line: a heading-shaped line that is one of the
        scheme's exact `headings`, or else names a category by its cues."""
        if not heading_shaped(line):
            return None
        if self._stop and self._stop.search(normalise_heading(line)):
            return None, 100.0
        if self.spec.headings is not None:
            cat = self.spec.headings.get(heading_key(line))
            return (cat, 100.0) if cat else None
        cat, score = self.scheme.match_heading(line)
        return (cat, score) if cat else None

    def _ends(self, line: str) -> bool:
        """A line after which the list is over (`segment.ends`, the whole line)."""
        if not self.spec.ends:
            return False
        return self._list_ends.fullmatch(heading_key(line))

    def _heading_line(self, i: int, after_text: bool) -> tuple[str | None, float, str] | None:
        """(category, score, heading) for a line that opens a list, (None, 100, heading)
        for one that closes it, None for any other line.

        `segment.heading_lines = "shaped"`: a heading-shaped line (see `_heading`).
        `"any"`: any line or table row that names a category by its cues, unless it ends
        a sentence or, starting in lower case straight after a text line (`after_text`),
        carries that text on (one ending in a colon still heads a list).
        """
        ln = self.lines[i]
        st = ln.stripped
        if self.spec.heading_lines == "shaped":
            if len(st) > 80 or not st[:1].isupper():
                return None  # not heading-shaped (`heading_shaped`'s first tests, most lines)
            head = self._heading(st)
            return None if head is None else (head[0], head[1], st)
        if is_list_line(ln) and not TABLE_ROW.match(ln.text):
            return None
        words = st.strip("|").strip()
        if self._stop and self._stop.search(normalise_heading(words)):
            return None, 100.0, words
        cat, score = self.scheme.match_heading(words)
        if cat is None or st.endswith("."):
            return None
        if after_text and st[:1].islower() and not st.endswith(":"):
            return None
        return cat, score, st.strip("| ").strip()

    def _closes(self, i: int) -> bool:
        """Whether line i would end the list read before it: a heading (of a list or of
        what closes one) or an `ends` line."""
        st = self.lines[i].stripped
        if not st:
            return False
        if self.spec.heading_lines == "shaped" and (len(st) > 80 or not st[:1].isupper()):
            return self._ends(st)
        return self._heading_line(i, False) is not None or self._ends(st)

    def read_lists(self, body: range) -> None:
        """The lists stage: regions, headings, items, filters.

        A section opens at a heading that names a category (inside a region, the region's
        category) and runs to the next heading, a `stop` heading, an `ends` line or a
        `skip` line; its lines become items as the category's item mode says. With
        `segment.list_intros`, the text outside those sections is read too (a sentence
        there may lead into a list).
        """
        region_at = self._regions()
        outside = bool(self.spec.list_intros)
        sections: list[_Section] = []
        current: _Section | None = None
        if outside:
            current = _Section(-1, None, 0.0, -1)
            sections.append(current)
        gap, blanks = NO_GAP, 0
        after_text = False
        lines, noise = self.lines, self.noise
        shaped = self.spec.heading_lines == "shaped"
        skips = self._skips if self._skips else None  # `segment.skip`: found anywhere in a line
        for i in body:
            ln = lines[i]
            if i in noise:
                gap = PAGE
                if current is not None and current.category is not None and self._closes(i):
                    # A heading or an end line closes the list also when it is page
                    # furniture (a running header): the last item does not run on past it.
                    current = _Section(i, None, 0.0, i) if outside else None
                    if current is not None:
                        sections.append(current)
                continue
            if ln.page_break_before:
                gap = PAGE
            st = ln.stripped
            if not st:
                gap = max(gap, BLANK)
                blanks += 1
                continue
            if shaped and (len(st) > 80 or not st[:1].isupper()):
                head = None  # not heading-shaped (`_heading_line`'s first test, most lines)
            else:
                head = self._heading_line(i, after_text and gap == NO_GAP)
            after_text = True
            if head is not None:
                current = None
                after_text = False
                self._mark_heading(i, head[0], head[2])
                if head[0] is not None:
                    category = region_at.category(i, head[0])
                    current = _Section(i, category, head[1], i, head[2])
                    sections.append(current)
            elif (skips is not None and skips.search(st)) or (
                current is not None and self._ends(st)
            ):
                current = None
            elif current is not None:
                current.entries.append(Entry(ln, gap, blanks))
                current.last = i
            if current is None and outside:
                current = _Section(i, None, 0.0, i)
                sections.append(current)
            gap, blanks = NO_GAP, 0
        for section in sections:
            for item in self._items(section):
                words = item.text
                if words is None:
                    words = join_parts([self.text[s:e] for s, e in item.pieces], self.text)
                if self.spec.drop_lead_ins and is_lead_in(words):
                    continue
                found = item.category or section.category
                assert found is not None  # an item mode keeps only items with a category
                self.emit(
                    item.pieces,
                    found,
                    section.heading if item.section is None else item.section,
                    section.score if item.category is None else item.score,
                    text=words,
                    across=item.across_page,
                    prose=item.prose,
                    responsible=" ".join(" ".join(item.responsible).split()),
                )

    def _mark_heading(self, i: int, category: str | None, heading: str) -> None:
        """A heading's segment: the line, or with headings on any line, the heading's own
        words with the category they name."""
        if self.spec.heading_lines == "shaped":
            self._mark(i, "heading")
            return
        ln = self.lines[i]
        start = ln.start + ln.text.index(heading)
        self.segments.append(Segment("heading", start, start + len(heading), category, heading))

    def _regions(self) -> _Regions:
        """Where each of the scheme's regions begins (the line), with its category: the
        first line when the document's title says it is the region alone, else its first
        `starts` heading after the contents page (looked for only as far as asked)."""
        return _Regions(self)

    def _items(self, section: _Section) -> list[Item]:
        category, entries = section.category, section.entries
        mode = self.spec.mode(category or "default")
        if mode == "marks":
            if self._marks is None:
                self._marks = MarkedLists(self, self.spec.list_intros, self.spec.not_findings)
            return self._marks.items(entries, category, section.heading, section.score)
        if category is None:
            return []
        if mode == "auto":
            bulleted = any(BULLET.match(e.line.text) for e in entries)
            mode = "bullets" if bulleted else "paragraphs"
        if mode == "bullets":
            return bullet_items(entries, self.text)
        if mode == "numbered":
            after = next(
                (
                    ln
                    for i, ln in enumerate(self.lines[section.last + 1 :], section.last + 1)
                    if ln.stripped and i not in self.noise
                ),
                None,
            )
            titles: list[Line] = []
            items = numbered_items(
                entries,
                self.text,
                before=self.lines[section.at],
                after=after,
                sections=_one_of(self.spec.sections),
                titles=titles,
            )
            for ln in titles:
                start = ln.start + len(ln.text) - len(ln.text.lstrip())
                end = ln.start + len(ln.text.rstrip())
                self.segments.append(
                    Segment("heading", start, end, None, self.lines[section.at].stripped)
                )
            for item in items:
                item.across_page = "\f" in self.text[item.pieces[0][0] : item.pieces[-1][1]]
            return items
        if mode == "responsible_table":
            assert self.spec.table_header and self.spec.body_complete
            return table_items(entries, self.text, self.spec.table_header, self.spec.body_complete)
        return paragraph_items(entries, self.text, self.spec.item_start)

    def _mark(self, i: int, kind: str) -> None:
        ln = self.lines[i]
        start = ln.start + len(ln.text) - len(ln.text.lstrip())
        self.segments.append(Segment(kind, start, ln.start + len(ln.text.rstrip())))

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

    def _content(self) -> list[str]:
        """The text of each line that is not page furniture (blank lines kept)."""
        if self._content_lines is None:
            noise = self.noise
            self._content_lines = [ln.stripped for i, ln in enumerate(self.lines) if i not in noise]
        return self._content_lines

    def flat(self) -> str:
        """The words of the lines that are not page furniture, one space between."""
        if self._flat is None:
            self._flat = _words(filter(None, self._content()))
        return self._flat

    def _read_metadata(self) -> None:
        content = self._content()
        lines = [c for c in content if c]
        joined = "\n".join(lines)
        flat = self.flat()
        for spec in self.spec.metadata:
            if spec.key in self.metadata:
                continue
            value = self._find(spec, content, lines, joined, flat)
            if value not in (None, "", []):
                self.metadata[spec.key] = value

    def _find(self, spec: MetaField, content, lines, joined, flat):
        assert spec.pattern is not None
        if spec.kind == "flag":  # found or not: the flattened text tells as well as the lines
            return True if _search_flat(spec.pattern, flat) else None
        if spec.find == "regex":
            if spec.within or spec.until is not None:
                joined, flat = self._head(spec, lines)
            m = _search_lines(spec.pattern, joined) or _search_flat(spec.pattern, flat)
            return self._value(spec, m.group("v")) if m else None
        if spec.find == "dates":
            m = _search_flat(spec.pattern, flat)
            return self._dates(spec, flat, m.end()) if m else None
        found = _line_search(spec.pattern)
        at = next((k for k, ln in enumerate(content) if ln and found(ln)), None)
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
        until = _line_search(spec.until) if spec.until is not None else None
        for ln in content[at + 1 :]:
            if until is not None and until(ln):
                break
            if not ln:
                if block and spec.find == "paragraph_after":
                    break
                continue
            block.append(ln)
        if spec.find == "paragraph_after":
            return self._value(spec, join_parts(block, self.text))
        return [p for p in (self._value(spec, e) for e in _people(block)) if p]

    @staticmethod
    def _head(spec: MetaField, lines: list[str]) -> tuple[str, str]:
        """The text a `regex` field with `within` or `until` searches: the first `within`
        lines with text, up to the first that matches `until`."""
        head = lines[: spec.within] if spec.within else lines
        if spec.until is not None:
            until = _line_search(spec.until)
            stop = next((k for k, ln in enumerate(head) if until(ln)), len(head))
            head = head[:stop]
        joined = "\n".join(head)
        return joined, " ".join(joined.split())

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
        if spec.kind == "range":
            return [min(dates), max(dates)] if dates else None
        return dates or None


@functools.lru_cache(maxsize=256)
def _anchored(pattern: re.Pattern[str]) -> bool:
    """Whether every match of the pattern starts where a line starts (`^` or `\\A` first)."""
    try:
        import re._parser as parser  # the pattern's parse tree (Python 3.11 and later)

        data = parser.parse(pattern.pattern, pattern.flags).data
    except Exception:  # another Python's parser: search the whole text, as always right
        return False
    return bool(data) and str(data[0][0]) == "AT" and str(data[0][1]) in _LINE_STARTS


_LINE_STARTS = ("AT_BEGINNING", "AT_BEGINNING_STRING")


def _search_flat(pattern: re.Pattern[str], flat: str) -> re.Match[str] | None:
    """`pattern.search(flat)` of text flattened to one line (no line breaks): a pattern
    anchored at a line's start can match only at the text's start, so it is tried there
    alone instead of at every character."""
    return pattern.match(flat) if _anchored(pattern) else pattern.search(flat)


def _line_search(pattern: re.Pattern[str]) -> Callable[[str], re.Match[str] | None]:
    """`pattern.search` for one line of text (no "\\n" in it): `pattern.match` for a
    pattern anchored at a line's start, which can match only at the line's start."""
    return pattern.match if _anchored(pattern) else pattern.search


def _search_lines(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """`pattern.search(text)` of lines joined with "\\n": a pattern anchored at a line's
    start (multiline `^`) is tried at the text's start and then after each line break
    alone, instead of at every character (a sixth of the time on a report of 500 lines);
    one anchored at the text's start (`\\A`, or `^` without multiline) at the start alone."""
    if not _anchored(pattern):
        return pattern.search(text)
    if not pattern.flags & re.MULTILINE or _at_text_start(pattern):
        return pattern.match(text)
    m = pattern.match(text)
    if m is not None:
        return m
    start = 0  # where to look for the next line break
    after_break = _after_line_break(pattern)
    if after_break is not None:
        # Its first match opens with the line break before the first line this pattern
        # matches at: what follows `^` is the same, and its lookbehinds see the same text.
        found = after_break.search(text)
        if found is None:
            return None
        start = found.start()
    match, find = pattern.match, text.find
    while (brk := find("\n", start)) >= 0:
        # At a line's start `^` matches and lookbehinds see the text before it, as in a
        # search of the whole text.
        m = match(text, brk + 1)
        if m is not None:
            return m
        start = brk + 1
    return None


@functools.lru_cache(maxsize=256)
def _after_line_break(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """The pattern with its opening `^` made a line break, which the regex engine finds by
    looking for line breaks alone; None where Python's regex parser cannot make it."""
    try:
        import re._compiler as compiler
        import re._parser as parser

        tree = parser.parse(pattern.pattern, pattern.flags)
        tree.data[0] = (parser.LITERAL, ord("\n"))
        return compiler.compile(tree, pattern.flags)
    except Exception:  # noqa: BLE001 - another Python's internals: the plain way is right
        return None


@functools.lru_cache(maxsize=256)
def _at_text_start(pattern: re.Pattern[str]) -> bool:
    """Whether the pattern opens with `\\A` (matches only where the text starts)."""
    import re._parser as parser

    return str(parser.parse(pattern.pattern, pattern.flags).data[0][1]) == "AT_BEGINNING_STRING"


# The characters other than the space that `str.split()` splits at (`str.isspace`).
_OTHER_SPACES = tuple(
    "\x09\x0a\x0b\x0c\x0d\x1c\x1d\x1e\x1f\x85\xa0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)


def _words(lines: Iterable[str]) -> str:
    """``" ".join("\\n".join(lines).split())`` for lines with nothing to strip at either end:
    the lines joined with a space, split again only when a line holds a run of spaces or
    another space character (few do)."""
    joined = " ".join(lines)
    if "  " in joined or any(c in joined for c in _OTHER_SPACES):
        return " ".join(joined.split())
    return joined


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
ENVELOPE_ORDER = {"letter"}


def _read_grade_table(engine: Engine) -> None:
    # The grades' patterns are compiled when a report is first read, not for every letter.
    from reviewer.segment.grades import read_grade_table

    read_grade_table(engine)


GRADES = {"report": _read_grade_table}
