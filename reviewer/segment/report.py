"""The envelope of Ofsted's inspection reports of local authority children's services.

The engine runs it when a scheme says `segment.envelope = "report"`: the report's
authority (from its title), its inspection dates and its lead (or reporting) inspector.
`no_findings_reason` tells why a report has no findings.

Three layouts share the scheme `ofsted_ilacs` (ILACS 2018 on, the single inspection
framework 2013-2018, the 2013 inspections of looked after children and safeguarding
services); their lists, regions and numbered paragraphs are read by the engine's stages
as the scheme's `[segment]` table says. Every offset indexes the extracted text.
"""

from __future__ import annotations

import re

from reviewer.model import Document, Segment
from reviewer.segment import metadata as meta
from reviewer.segment.dates import parse_dates
from reviewer.segment.layout import split_lines
from reviewer.segment.reading import Reading
from reviewer.segment.scheme import Scheme, load_scheme
from reviewer.segment.spec import heading_key

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


def _fold(s: str) -> str:
    return " ".join(s.replace("’", "'").split())


class ReportReader:
    """Reads a report's envelope: authority, inspection dates, lead inspector."""

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

    def read_envelope(self) -> None:
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


def no_findings_reason(doc: Document, scheme: Scheme | None = None) -> str:
    """Why a report has no findings, for the reviewer to show (empty when it has some).

    An outstanding report has no list of what to improve: that is the report's own
    answer, not a failure to read it. The list headings are its scheme's
    `segment.headings` (a line opening with one, not a contents-page line); without
    `scheme`, the bundled scheme the document names.
    """
    if doc.findings:
        return ""
    spec = (scheme or load_scheme(doc.scheme)).segment
    names = list(spec.headings or {}) if spec is not None else []
    heads = [
        ln.stripped
        for ln in split_lines(doc.text)
        if ln.stripped
        and not _CONTENTS_LINE.search(ln.stripped)
        and any(heading_key(ln.stripped).startswith(name) for name in names)
    ]
    if not heads:
        first = names[0][:1].upper() + names[0][1:] if names else "a list of findings"
        return f"has no '{first}' list (an outstanding report?), so no findings; add any by hand"
    return f"has a list under '{heads[0]}' with no items that could be read: add them by hand"


def read_report_envelope(engine: Reading) -> range:
    """The envelope reader a scheme names with `segment.envelope = "report"`: the report's
    authority, inspection dates and lead inspector; the body is the whole report."""
    ReportReader(engine).read_envelope()
    return range(len(engine.lines))
