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

import re

from reviewer.model import Document, Segment
from reviewer.segment import metadata as meta
from reviewer.segment.dates import parse_dates
from reviewer.segment.layout import split_lines
from reviewer.segment.reading import Reading

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


def read_report_metadata(engine: Reading) -> None:
    ReportReader(engine)._metadata()
