"""The letter segmenter: letter text in, a document model with metadata, segments and findings out.

Pure Python with no UI import. It works line by line on the decoded text, so every offset
it reports indexes that text exactly.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from reviewer.model import Document, Finding, Segment, finding_id
from reviewer.segment import metadata as meta
from reviewer.segment.dates import is_date_line, parse_date_line
from reviewer.segment.layout import (
    BULLET,
    HTML_TAG,
    INLINE_BULLET,
    TABLE_ROW,
    TERMINAL,
    Line,
    is_noise_line,
    join_parts,
    running_lines,
    split_lines,
    wrap_width,
)
from reviewer.segment.scheme import Scheme

_SALUTATION = re.compile(r"^\s*Dear\s+\S", re.IGNORECASE)
_CLOSING = re.compile(r"^\s*Yours\s+(?:sincerely|faithfully|truly)\b[,.]?", re.IGNORECASE)
_COPY = re.compile(r"^\s*(?:copy(?:\s+to)?|cc)\s*:\s*", re.IGNORECASE)
_TITLE_END = re.compile(r"(?:children['’]s\s+services|services\s+for\s+children)\s*$", re.I)
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


class _Segmenter:
    def __init__(self, text: str, scheme: Scheme) -> None:
        self.text = text
        self.scheme = scheme
        self.lines = split_lines(text)
        self.segments: list[Segment] = []
        self.findings: list[Finding] = []
        self.metadata: dict = {}
        self.width = wrap_width(self.lines)
        self._starts = [ln.start for ln in self.lines]
        self._ids: set[str] = set()
        self.running = running_lines(self.lines)
        self.hanging = _hangs_bullets(self.lines)

    # -- regions ---------------------------------------------------------------------------

    def run(self) -> Document:
        lines = self.lines
        n = len(lines)
        limit = max(1, int(n * 0.7)) if n > 10 else n
        sal = next((i for i in range(min(n, limit)) if _SALUTATION.match(lines[i].text)), None)
        close = next(
            (i for i in range(n - 1, -1, -1) if _CLOSING.match(lines[i].text)),
            None,
        )
        if close is not None and sal is not None and close < sal:
            close = None
        body_from = 0
        title = ""
        if sal is not None:
            self._header(lines[:sal])
            self._add(lines[sal], "salutation")
            title_lines = self._title_lines(sal + 1, close if close is not None else n)
            if title_lines:
                tl = [lines[i] for i in title_lines]
                joined = " ".join(ln.stripped for ln in tl)
                if len(joined) <= 300 and not joined.lower().startswith("this letter"):
                    title = " ".join(joined.split())
                    self.segments.append(
                        Segment("title", tl[0].start + _lead(tl[0].text), tl[-1].end)
                    )
                    body_from = title_lines[-1] + 1
                else:
                    body_from = sal + 1
            else:
                body_from = sal + 1
        body_to = close if close is not None else n
        self._body(body_from, body_to)
        if close is not None:
            self._closing(close)
        self._metadata(sal, title, body_from, body_to, close)
        self._fill_noise()
        return Document(
            text=self.text,
            scheme=self.scheme.id,
            metadata=self.metadata,
            segments=self.segments,
            findings=self.findings,
        )

    def _title_lines(self, i: int, stop: int) -> list[int]:
        """The title's lines: the first paragraph, cut after "...children's services" when the
        extraction ran the title into the text that follows it."""
        lines = self._first_paragraph(i, stop)
        for k, idx in enumerate(lines):
            if _TITLE_END.search(self.lines[idx].text) and k + 1 < len(lines):
                return lines[: k + 1]
        return lines

    def _first_paragraph(self, i: int, stop: int) -> list[int]:
        while i < stop and (self.lines[i].blank or self._is_noise(self.lines[i])):
            i += 1
        out = []
        while i < stop and not self.lines[i].blank:
            out.append(i)
            i += 1
        return out

    def _add(self, line: Line, kind: str, **kw) -> Segment:
        s = line.start + _lead(line.text)
        e = line.start + len(line.text.rstrip())
        seg = Segment(kind, s, e, **kw)
        self.segments.append(seg)
        return seg

    def _is_noise(self, line: Line) -> bool:
        st = line.stripped
        return bool(st) and (is_noise_line(st) or st in self.running)

    def _header(self, lines: list[Line]) -> None:
        date_at = next((i for i, ln in enumerate(lines) if is_date_line(ln.text)), None)
        recipient: list[Line] = []
        for i, ln in enumerate(lines):
            if ln.blank:
                continue
            if self._is_noise(ln):
                self._add(ln, "noise")
            elif i == date_at:
                self._add(ln, "date")
                self.metadata["letter_date"] = parse_date_line(ln.text)
            elif date_at is not None and i > date_at:
                self._add(ln, "recipient")
                recipient.append(ln)
            else:
                self._add(ln, "sender")
        self._recipient = "\n".join(ln.text for ln in recipient)

    def _closing(self, close: int) -> None:
        lines = self.lines
        ln = lines[close]
        m = _CLOSING.match(ln.text)
        assert m is not None  # the caller found the closing line with this pattern
        self.segments.append(Segment("closing", ln.start + _lead(ln.text), ln.start + m.end()))
        sig: list[str] = []
        copy: list[str] = []
        rest = ln.text[m.end() :]
        if rest.strip():
            lead = len(rest) - len(rest.lstrip())
            self.segments.append(
                Segment("signature", ln.start + m.end() + lead, ln.start + len(ln.text.rstrip()))
            )
            sig.append(rest)
        in_copy = False
        for ln in lines[close + 1 :]:
            if ln.blank:
                continue
            if self._is_noise(ln):
                self._add(ln, "noise")
                continue
            cm = _COPY.match(ln.text)
            if cm:
                in_copy = True
                self.segments.append(
                    Segment("copy", ln.start + _lead(ln.text), ln.start + len(ln.text.rstrip()))
                )
                copy.append(ln.text[cm.end() :])
            elif in_copy:
                self._add(ln, "copy")
                copy.append(ln.text)
            else:
                self._add(ln, "signature")
                sig.append(ln.text)
        self.metadata.update(meta.parse_signature("\n".join(sig)))
        copies = meta.parse_copy_list("\n".join(copy))
        if copies:
            self.metadata["copy_to"] = copies

    def _metadata(self, sal, title, body_from, body_to, close) -> None:
        md = self.metadata
        if sal is not None:
            salutation = self.lines[sal].text
            md.update(meta.parse_recipient(getattr(self, "_recipient", ""), salutation, title))
        if title:
            md["inspection_title"] = title
        if "authority" not in md and title:
            named = meta.authority_from_title(title)
            if named:
                md["authority"] = named
        body = (
            self.text[self.lines[body_from].start : self.lines[body_to - 1].end]
            if body_to > body_from
            else ""
        )
        dates = meta.inspection_dates(body)
        if dates:
            md["inspection_dates"] = dates
        prev = meta.previous_inspection(body)
        if prev:
            md["previous_inspection"] = prev
        basis = meta.legal_basis(body)
        if basis:
            md["legal_basis"] = basis
        if meta.states_no_priority_actions(body):
            md["no_priority_actions"] = True
        order = [
            "authority", "letter_date", "inspection_dates", "inspection_title", "recipient_name",
            "recipient_role", "inspector_name", "inspector_role", "copy_to",
            "previous_inspection", "legal_basis", "no_priority_actions",
        ]  # fmt: skip
        self.metadata = {k: md[k] for k in order if md.get(k) not in (None, "", [])}

    # -- body ------------------------------------------------------------------------------

    def _body(self, start: int, stop: int) -> None:
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
            if self._is_noise(ln):
                self._add(ln, "noise")
                page_gap = True
                continue
            st = ln.stripped
            list_like = self._is_list_line(ln)
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
        if self.hanging and gap == 0 and not page_gap and _lead(ln.text) == 0:
            # A bullet's wrapped lines hang under its words: a line at the margin straight
            # after the bullet or one of them is not one (after a page break they may not hang).
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
        if item.category is None:
            self.segments.append(Segment("paragraph", item.start, item.end))
            return
        shape = 0.7 if item.prose else 0.8 if item.joined_across_gap else 0.97
        conf = round(min(1.0, item.heading_score / 100.0) * shape, 3)
        fid = finding_id(text, self._ids)
        self.findings.append(
            Finding(
                id=fid,
                category=item.category,
                section=item.section,
                text=text,
                start=item.start,
                end=item.end,
                confidence=conf,
            )
        )
        self.segments.append(Segment("finding", item.start, item.end, item.category, item.section))

    def _fill_noise(self) -> None:
        """Sort segments; non-blank text between them becomes noise, so they cover the letter."""
        segs = sorted(self.segments, key=lambda s: (s.start, s.end))
        out: list[Segment] = []
        pos = 0
        for seg in segs:
            if seg.start < pos:
                seg.start = pos
                if seg.end <= seg.start:
                    continue
            self._gap_noise(pos, seg.start, out)
            out.append(seg)
            pos = seg.end
        self._gap_noise(pos, len(self.text), out)
        self.segments = out

    def _gap_noise(self, a: int, b: int, out: list[Segment]) -> None:
        chunk = self.text[a:b]
        if chunk.strip():
            s = a + _lead(chunk)
            e = a + len(chunk.rstrip())
            out.append(Segment("noise", s, e))


def _hangs_bullets(lines: list[Line]) -> bool:
    """Whether the letter hangs a bullet's wrapped lines under its words: most lines
    straight after a bullet are indented."""
    hung: list[int] = []
    margin = 0
    for above, ln in zip(lines, lines[1:], strict=False):
        if above.blank or ln.blank or ln.page_break_before or BULLET.match(ln.text):
            continue
        if not BULLET.match(above.text) or TABLE_ROW.match(above.text):
            continue
        if _lead(ln.text) >= 2:
            hung.append(_lead(ln.text))
        else:
            margin += 1
    return len(hung) > margin


def _lead(s: str) -> int:
    return len(s) - len(s.lstrip())


def segment_letter(text: str, scheme: Scheme) -> Document:
    return _Segmenter(text, scheme).run()
