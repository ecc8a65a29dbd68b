"""Readers of Ofsted's inspection reports of local authority children's services.

The engine runs them when a scheme says `segment.lists = "report"` (the lists, the
report's own metadata and its numbered paragraphs) and `segment.grades = "report"` (the
grades of its judgements, which any family's scheme may name).

Three layouts share the scheme `ofsted_ilacs`: the ILACS reports (2018 on), whose findings
are the items under "What needs to improve"; the single inspection framework (SIF, 2013/14
to 2018), whose local authority part lists "Priority and immediate action", "Areas for
improvement" or "Recommendations" and whose review of the Local Safeguarding Children Board
(LSCB) lists the board's own; and the 2013 inspections of looked after children and
safeguarding services ("Areas for improvement"). The numbered paragraphs under each
judgement heading become paragraph segments that a reviewer can promote to findings.
Every offset indexes the extracted text.
"""

from __future__ import annotations

import bisect
import itertools
import re

from reviewer.model import Document, Segment
from reviewer.segment import grades
from reviewer.segment import metadata as meta
from reviewer.segment.dates import parse_dates
from reviewer.segment.items import says_section_empty
from reviewer.segment.layout import BULLET, Line, join_parts, opens_item, split_lines
from reviewer.segment.reading import Reading
from reviewer.segment.scheme import Scheme, SchemeError

_NUMBERED = re.compile(r"^\s*(\d{1,3})\.\s+(?=\S)")
_CONTENTS_LINE = re.compile(r"\S\s+\d{1,3}\s*$")
_LEAD = re.compile(
    r"^\s*(?:Lead|Reporting)\s+inspectors?\s*:?\s+(?P<value>\S.*?)\s*$", re.IGNORECASE
)
_ROLE = re.compile(
    r"(?:,\s*|\s+)(?P<role>HMI|Her\s+Majesty['’]s\s+Inspector|His\s+Majesty['’]s\s+Inspector|"
    r"Ofsted\s+Inspector|Senior\s+HMI)\s*$",
    re.IGNORECASE,
)
_DATES = re.compile(r"^\s*Inspection\s+dates?\s*:?\s*(?P<value>.*)$", re.IGNORECASE)
_JUDGEMENT_HEADING = re.compile(
    r"^\s*(?:The\s+(?:experiences\s+and\s+progress\s+of|impact\s+of\s+leaders)|"
    r"Overall\s+effectiveness|Children\s+who\s+need\s+help\s+and\s+protection|"
    r"Children\s+looked\s+after|Leadership,\s+management|Summary\s+for\s+children|"
    r"Information\s+about\s+this|The\s+local\s+authority\b|Executive\s+summary)",
    re.IGNORECASE,
)


def report_rules(
    scheme: Scheme,
) -> tuple[list[re.Pattern[str]], list[re.Pattern[str]], list[re.Pattern[str]], dict[str, str]]:
    """The scheme's `[report]` table: headings that close a list, headings that open the
    LSCB review, titles of a review of the LSCB published alone, and each list heading
    with its category. A scheme without the table
    takes its categories' cue phrases as the list headings.

    Raises SchemeError naming the key when the table is malformed.
    """
    table = scheme.raw.get("report", {})
    where = f"{scheme.source or scheme.id}: report"
    if not isinstance(table, dict):
        raise SchemeError(f"{where} must be a table")
    patterns: list[list[re.Pattern[str]]] = []
    for key in ("list_ends", "lscb_starts", "lscb_alone"):
        values = table.get(key, [])
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise SchemeError(f"{where}.{key} must be a list of regular expressions")
        try:
            patterns.append([re.compile(v, re.IGNORECASE) for v in values])
        except re.error as err:
            raise SchemeError(f"{where}.{key}: not a regular expression ({err})") from None
    lists = table.get("lists")
    if lists is None:
        lists = {cue: c.id for c in scheme.categories for cue in c.cues}
    if not isinstance(lists, dict):
        raise SchemeError(f"{where}.lists must be a table of heading = category id")
    for heading, cat in lists.items():
        if not isinstance(cat, str) or cat not in scheme.by_id:
            raise SchemeError(f"{where}.lists: '{heading}' names no category of the scheme")
    headings = {_heading_key(h): c for h, c in lists.items()}
    return patterns[0], patterns[1], patterns[2], headings


def _fold(s: str) -> str:
    return " ".join(s.replace("’", "'").split())


def _heading_key(text: str) -> str:
    """A heading as compared: lower case, apostrophes folded, a glued footnote mark and
    trailing punctuation dropped ("What needs to improve?1" is "what needs to improve")."""
    low = _fold(text).lower()
    low = re.sub(r"(?<=[?:a-z])\d{1,2}$", "", low)
    return low.rstrip(" ?:.")


class ReportReader:
    def __init__(self, engine: Reading) -> None:
        self.engine = engine
        self.text = engine.text
        self.scheme = engine.scheme
        self.lines = engine.lines
        self.noise = engine.noise
        self.segments = engine.segments
        self.metadata = engine.metadata
        rules = report_rules(engine.scheme)
        self.list_ends, self.lscb_starts, self.lscb_alone, self.heading_categories = rules

    def read(self) -> None:
        """The report's metadata, its lists of findings and its numbered paragraphs."""
        self._metadata()
        self._findings()
        self._paragraphs(0, len(self.lines), "")

    def read_grades(self) -> None:
        """The grades of the report's judgements, into `judgements`."""
        self._judgements(self._content(120)[:60])

    def _content(self, stop: int | None = None) -> list[int]:
        """Indexes of the lines with text that are not page furniture."""
        end = len(self.lines) if stop is None else min(stop, len(self.lines))
        return [i for i in range(end) if self.lines[i].stripped and i not in self.noise]

    def _segment_line(self, i: int, kind: str, section: str | None = None) -> None:
        ln = self.lines[i]
        s = ln.start + len(ln.text) - len(ln.text.lstrip())
        self.segments.append(Segment(kind, s, ln.start + len(ln.text.rstrip()), None, section))

    # -- metadata ------------------------------------------------------------------------

    def _metadata(self) -> None:
        lines = self.lines
        first = self._content(120)[:60]
        dates_at = next((i for i in first if _DATES.match(lines[i].text)), None)
        self._authority([i for i in first if dates_at is None or i < dates_at])
        if dates_at is not None:
            self._dates(dates_at, first)
        self._inspector()

    def _authority(self, head: list[int]) -> None:
        text = _fold(" ".join(self.lines[i].stripped for i in head))
        text = re.sub(r"(?<=[a-z])\d$", "", text)  # a footnote mark ("board1")
        ilacs = re.search(r"Inspection of (.+?)(?: local authority)? children's services", text)
        old = re.match(
            r"Inspection of (?:safeguarding and )?looked after children(?:'s)? services (.+)", text
        )
        named_first = re.split(r"\s(?:Re-)?[Ii]nspection of ", text, maxsplit=1)
        if len(named_first) == 2 and not text.startswith("Inspection of "):
            authority = named_first[0]
        elif ilacs and "social care" not in ilacs.group(1):
            authority = ilacs.group(1)
        elif old:
            authority = old.group(1)
        elif text.startswith("Inspection of ") and "children's social care" not in text:
            authority = text.removeprefix("Inspection of ")
        else:
            authority = self.lines[head[0]].stripped if head else ""
            authority = re.split(r"\s{2,}| Inspection of", authority)[0]
        authority = authority.replace("'", "’") if "’" in self.text[:3000] else authority
        name = meta.as_name(authority)
        if name:
            self.metadata["authority"] = name

    def _dates(self, at: int, first: list[int]) -> None:
        """ "Inspection dates: 3 to 14 December 2018", also when the range wraps a line."""
        value = _DATES.match(self.lines[at].text).group("value")  # type: ignore[union-attr]
        last = at
        later = [i for i in first if i > at]
        if later and not re.search(r"\d{4}\s*$", value):
            value = f"{value} {self.lines[later[0]].stripped}"
            last = later[0]
        dates = parse_dates(value.replace("–", " to "))
        if dates:
            self.metadata["inspection_dates"] = [min(dates), max(dates)]
        for i in range(at, last + 1):
            if self.lines[i].stripped:
                self._segment_line(i, "date")

    def _inspector(self) -> None:
        """The lead (or, in 2013, reporting) inspector, wherever the report names them."""
        for i in self._content():
            m = _LEAD.match(self.lines[i].text)
            if not m:
                continue
            value = " ".join(m.group("value").split())
            role = ""
            if re.match(r"\s*\w+\s+inspectors", self.lines[i].text, re.IGNORECASE):
                names = [
                    _ROLE.sub("", f" {part}").strip(" ,")
                    for part in re.split(r",\s*(?=[A-Z])(?!HMI\b)|\s+and\s+", value)
                ]
                value = " and ".join(n for n in names if n and not _ROLE.fullmatch(f" {n}"))
            rm = _ROLE.search(value)
            if rm:
                role = rm.group("role")
                value = value[: rm.start()].strip(" ,")
            elif "," in value:
                value, role = (x.strip() for x in value.split(",", 1))
            else:
                nxt = next((j for j in self._content(i + 3) if j > i), None)
                if nxt is not None and re.fullmatch(
                    r"(?:Her|His)\s+Majesty['’]s\s+Inspector|HMI", self.lines[nxt].stripped
                ):
                    role = self.lines[nxt].stripped
                    self._segment_line(nxt, "signature")
            if not value:
                continue
            self.metadata["inspector_name"] = value
            if role:
                self.metadata["inspector_role"] = role
            self._segment_line(i, "signature")
            return

    def _judgements(self, first: list[int]) -> None:
        content = self._content()
        start = grades.table_start(self.lines, first)
        if start is not None:
            judgements, end = grades.ilacs_table(self.lines, content, start)
            ln = self.lines[start]
            self.segments.append(
                Segment(
                    "heading",
                    ln.start + len(ln.text) - len(ln.text.lstrip()),
                    self.lines[end].start + len(self.lines[end].text.rstrip()),
                    section="Judgements",
                )
            )
        else:
            judgements = grades.sif_rows(self.lines, first, content)
            if not judgements.get("overall_effectiveness") or "leaders" not in judgements:
                for reader in (grades.record_of_main_findings, grades.section_grades):
                    for key, grade in reader(self.lines, content).items():
                        judgements.setdefault(key, grade)
        if judgements:
            self.metadata["judgements"] = judgements

    # -- findings ------------------------------------------------------------------------

    def list_heading(self, i: int) -> str | None:
        """The category of the items a line heads, or None when it heads no list.

        A contents-page line ("What does the local authority need to improve? 4") is no
        heading: it ends in a page number after a space.
        """
        st = self.lines[i].stripped
        if not st[:1].isupper() or len(st) > 70 or i in self.noise or st.endswith("."):
            return None
        if _CONTENTS_LINE.search(st):
            return None
        return self.heading_categories.get(_heading_key(st))

    def _ends_list(self, st: str) -> bool:
        key = _heading_key(st)
        return any(p.fullmatch(key) for p in self.list_ends)

    def _lscb_start(self) -> int:
        """Where the review of the LSCB begins (after the contents page), or the end; the
        start when the whole document is a review of the LSCB published on its own."""
        head = (ln.stripped for i, ln in enumerate(self.lines) if i not in self.noise)
        title = _fold(" ".join(itertools.islice((st for st in head if st), 8))).lower()
        if any(p.search(title) for p in self.lscb_alone):
            return 0
        starts = _one_of(self.lscb_starts)
        for i in self._content():
            st = self.lines[i].stripped
            if _CONTENTS_LINE.search(st) or i < 20:
                continue
            if starts is not None and starts.fullmatch(_heading_key(st)):
                return i
        return len(self.lines)

    def _findings(self) -> None:
        lines = self.lines
        lscb_at = self._lscb_start()
        lscb = "lscb_improvement" if "lscb_improvement" in self.scheme.by_id else None
        content = self._content()
        category: str | None = None
        section = ""
        items: list[tuple[str, str, list[tuple[int, int]]]] = []
        current: list[tuple[int, int]] | None = None
        bullets = numbered = False
        # The lines between a list heading and its first item: a lead-in, or, when no item
        # follows before the list ends, the one finding of a list written as a paragraph.
        opening: list[tuple[int, int]] | None = None

        def close_opening() -> None:
            nonlocal opening
            if (
                opening
                and category is not None
                and len(opening) <= _PARAGRAPH_LINES
                and self.text[opening[-1][0] : opening[-1][1]].rstrip().endswith((".", "!", "?"))
            ):
                items.append((category, section, opening))
            opening = None

        for n, i in enumerate(content):
            ln = lines[i]
            st = ln.stripped
            head = self.list_heading(i)
            if head is not None:
                close_opening()
                opening = []
                category = lscb if lscb and i >= lscb_at else head
                section = st
                self._segment_line(i, "heading")
                current, bullets, numbered = None, False, False
                continue
            if category is None:
                continue
            if self._ends_list(st):
                close_opening()
                category, current = None, None
                continue
            before = lines[content[n - 1]].text if n else ""
            bm = opens_item(ln.text, before)
            nm = _NUMBERED.match(ln.text)
            mark = bm or nm
            nxt = lines[content[n + 1]] if n + 1 < len(content) else None
            if mark:
                opening = None
                piece = (ln.start + mark.end(), ln.start + len(ln.text.rstrip()))
                glyph = not nm
                if current is not None and bullets and nm:
                    category, current = None, None  # numbered paragraphs after the bullets
                    continue
                if current is not None and numbered and glyph:
                    lead = self.text[current[0][0] : current[-1][1]]
                    if not _FOLLOWING.search(join_parts([lead])):
                        current.append(piece)  # a bullet inside a numbered item is part of it
                        continue
                if current is None:
                    numbered = not glyph
                bullets = bullets or glyph
                current = [piece]
                items.append((category, section, current))
                continue
            if self._is_subheading(st, current, nxt):
                self._segment_line(i, "heading", section)
                current = opening = None
                continue
            if current is None:
                if opening is not None and _CONTENTS_LINE.search(st):
                    opening = None  # a contents page, not a list
                elif opening is not None:
                    s = ln.start + len(ln.text) - len(ln.text.lstrip())
                    opening.append((s, ln.start + len(ln.text.rstrip())))
                continue
            prev = self.text[current[-1][0] : current[-1][1]].rstrip()
            if bullets and prev.endswith((".", "!", "?")) and st[:1].isupper():
                category, current = None, None
                continue
            if _JUDGEMENT_HEADING.match(st) and prev.endswith((".", "!", "?", ")")):
                category, current = None, None
                continue
            s = ln.start + len(ln.text) - len(ln.text.lstrip())
            current.append((s, ln.start + len(ln.text.rstrip())))
        close_opening()
        for cat, sec, pieces in items:
            text = join_parts([self.text[s:e] for s, e in pieces], self.text)
            if not text or _is_lead_in(text) or says_section_empty(text):
                continue
            across = "\f" in self.text[pieces[0][0] : pieces[-1][1]]
            self.engine.emit(pieces, cat, sec, 100.0, text=text, across=across)

    def _is_subheading(
        self, st: str, current: list[tuple[int, int]] | None, nxt: Line | None
    ) -> bool:
        """A short title inside a list ("Care leavers", "Within three months:") that the
        next item follows: neither an item nor part of one."""
        if not st[:1].isupper() or len(st.split()) > 8 or st.rstrip().endswith((".", ",", ";")):
            return False
        if nxt is None or not (BULLET.match(nxt.text) or _NUMBERED.match(nxt.text)):
            return False
        if current is None or st.endswith(":"):
            return True
        prev = self.text[current[-1][0] : current[-1][1]].rstrip()
        return prev.endswith((".", "!", "?", ":", ")"))

    # -- paragraphs ----------------------------------------------------------------------

    def _paragraphs(self, i: int, stop: int, section: str) -> None:
        """Paragraphs a reviewer may promote to findings: the numbered ones under each
        judgement heading (joined across page breaks) and the unnumbered summary text."""
        lines = self.lines
        spans = sorted((seg.start, seg.end) for seg in self.segments)
        starts = [a for a, _ in spans]
        reach = list(itertools.accumulate((b for _, b in spans), max))
        headings: list[tuple[int, int]] = []  # the judgement headings met on the way

        def covered(start: int, end: int) -> bool:
            """Whether a segment found before (or a heading met) overlaps [start, end)."""
            k = bisect.bisect_left(starts, end)
            return (k > 0 and reach[k - 1] > start) or any(
                a < end and start < b for a, b in headings
            )

        current: list[int] = []
        number: int | None = None
        heading_lines: list[int] = []

        def flush() -> None:
            nonlocal current, number
            if current:
                a, b = lines[current[0]], lines[current[-1]]
                m = _NUMBERED.match(a.text)
                start = a.start + (m.end() if m else len(a.text) - len(a.text.lstrip()))
                end = b.start + len(b.text.rstrip())
                self.segments.append(
                    Segment("paragraph", start, end, None, section or None, number)
                )
            current, number = [], None

        while i < stop:
            ln = lines[i]
            if i in self.noise:
                i += 1
                continue
            if ln.blank:
                if number is None:
                    flush()
                i += 1
                continue
            if covered(ln.start, ln.start + len(ln.text.rstrip())):
                flush()
                i += 1
                continue
            nm = _NUMBERED.match(ln.text)
            if nm:
                flush()
                current, number = [i], int(nm.group(1))
            elif _JUDGEMENT_HEADING.match(ln.text) or (heading_lines and not current):
                flush()
                heading_lines.append(i)
                first = lines[heading_lines[0]].text
                multi_line = re.match(r"\s*The\s+(?:experiences|impact)", first) is not None
                done = ":" in ln.stripped or grades.GRADE.search(ln.text) or len(heading_lines) >= 3
                if done or not multi_line:
                    section = " ".join(lines[k].stripped for k in heading_lines).strip()
                    a, b = lines[heading_lines[0]], lines[heading_lines[-1]]
                    self.segments.append(
                        Segment(
                            "heading",
                            a.start + len(a.text) - len(a.text.lstrip()),
                            b.start + len(b.text.rstrip()),
                            None,
                            section,
                        )
                    )
                    headings.append((a.start, b.end))
                    heading_lines = []
            elif current:
                current.append(i)
            else:
                current, number = [i], None
            i += 1
        flush()


# The most lines a list written as one paragraph runs to (more is prose, not a finding).
_PARAGRAPH_LINES = 8
_FOLLOWING = re.compile(r"\bthe following (?:actions?|recommendations?)\s*[.:]?$", re.I)


def _one_of(patterns: list[re.Pattern[str]]) -> re.Pattern[str] | None:
    """One pattern that matches what any of them matches (None for none)."""
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), re.IGNORECASE)


def _is_lead_in(text: str) -> bool:
    """ "...the local authority should take the following action." introduces a list."""
    return text.endswith(":") or bool(_FOLLOWING.search(text))


def no_findings_reason(doc: Document) -> str:
    """Why a report has no findings, for the reviewer to show (empty when it has some).

    An outstanding report has no list of what to improve: that is the report's own
    answer, not a failure to read it.
    """
    if doc.findings:
        return ""
    heads = [
        ln.stripped
        for ln in split_lines(doc.text)
        if re.match(
            r"\s*(?:What\s+(?:needs|does\s+the\s+(?:local\s+authority|LSCB)\s+need)\s+to\s+"
            r"improve|Recommendations|Areas\s+for\s+improvement|Priority\s+and\s+immediate)",
            ln.text,
            re.IGNORECASE,
        )
        and not _CONTENTS_LINE.search(ln.stripped)
    ]
    if not heads:
        return (
            "has no 'What needs to improve' list (an outstanding report?), so no findings; "
            "add any by hand"
        )
    return f"has a list under '{heads[0]}' with no items that could be read: add them by hand"


def read_report_lists(engine: Reading, body: range) -> None:
    ReportReader(engine).read()


def read_report_grades(engine: Reading) -> None:
    ReportReader(engine).read_grades()
