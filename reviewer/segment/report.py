"""Segmenter for Ofsted's inspection reports of local authority children's services.

Findings are the items under "What needs to improve" (ILACS, 2018 on) or the numbered
recommendations under "What does the local authority need to improve?" (SIF, 2014-2018).
The numbered paragraphs under each judgement heading become paragraph segments that a
reviewer can promote to findings. Running headers, page numbers and footnotes are noise,
and every offset indexes the extracted text.
"""

from __future__ import annotations

import re

from reviewer.model import Document, Finding, Segment
from reviewer.segment import metadata as meta
from reviewer.segment.layout import BULLET, is_noise_line, join_parts, split_lines
from reviewer.segment.scheme import Scheme

GRADES = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires improvement to be good": "Requires improvement to be good",
    "requires improvement": "Requires improvement to be good",
    "inadequate": "Inadequate",
}
_GRADE = re.compile(
    r"\b(Outstanding|Good|Requires\s+improvement(?:\s+to\s+be\s+good)?|Inadequate)\b"
)
_IMPROVE = re.compile(
    r"^\s*What\s+(?:needs\s+to\s+improve|does\s+the\s+local\s+authority\s+need\s+to\s+improve)"
    r"\s*\??\s*\d{0,2}\s*$",
    re.IGNORECASE,
)
_JUDGEMENT_HEADING = re.compile(
    r"^\s*(?:The\s+(?:experiences\s+and\s+progress\s+of|impact\s+of\s+leaders)|"
    r"Overall\s+effectiveness|Children\s+who\s+need\s+help\s+and\s+protection|"
    r"Children\s+looked\s+after|Leadership,\s+management|Summary\s+for\s+children|"
    r"Information\s+about\s+this|The\s+local\s+authority\b|Executive\s+summary)",
    re.IGNORECASE,
)
_NUMBERED = re.compile(r"^\s*(\d{1,3})\.\s+(?=\S)")
_FOOTNOTE = re.compile(r"^\s*\d{1,2}\s+[A-Z]")
_PAGE_TAIL = re.compile(r"\s+\d{1,3}\s*$")
_SUBHEADS = re.compile(
    r"^\s*(?:Priority\s+and\s+immediate\s+action|Areas\s+for\s+improvement)\s*$", re.I
)


def _fold(s: str) -> str:
    return " ".join(s.replace("’", "'").split())


class ReportSegmenter:
    def __init__(self, text: str, scheme: Scheme) -> None:
        self.text = text
        self.scheme = scheme
        self.lines = split_lines(text)
        self.noise = self._noise_lines()
        self.segments: list[Segment] = []
        self.findings: list[Finding] = []
        self.metadata: dict = {}

    def _noise_lines(self) -> set[int]:
        """Running headers (with or without their page number), page numbers and footnotes."""
        counts: dict[str, int] = {}
        for ln in self.lines:
            key = _PAGE_TAIL.sub("", ln.stripped)
            if key:
                counts[key] = counts.get(key, 0) + 1
        noise = set()
        for i, ln in enumerate(self.lines):
            st = ln.stripped
            if not st:
                continue
            key = _PAGE_TAIL.sub("", st)
            repeated = counts.get(key, 0) >= 3 and len(key.split()) >= 3 and len(st) < 120
            if is_noise_line(st) or (repeated and not BULLET.match(ln.text)):
                noise.add(i)
        # A footnote: a block starting "1 The..." just before a running header or page end.
        for i, ln in enumerate(self.lines):
            if i in noise or not _FOOTNOTE.match(ln.text) or _NUMBERED.match(ln.text):
                continue
            if i > 0 and not self.lines[i - 1].blank:
                continue
            j = i
            while j < len(self.lines) and not self.lines[j].blank and j not in noise:
                j += 1
            while j < len(self.lines) and self.lines[j].blank:
                j += 1
            if j >= len(self.lines) or j in noise or self.lines[j].page_break_before:
                noise.update(range(i, j))
        return noise

    def run(self) -> Document:
        self._metadata()
        self._findings_and_paragraphs()
        for i in sorted(self.noise):
            ln = self.lines[i]
            if ln.stripped:
                s = ln.start + len(ln.text) - len(ln.text.lstrip())
                self.segments.append(Segment("noise", s, ln.start + len(ln.text.rstrip())))
        self.segments.sort(key=lambda s: (s.start, s.end))
        segs, pos = [], 0
        for seg in self.segments:
            if seg.start >= pos:
                segs.append(seg)
                pos = seg.end
        return Document(self.text, self.scheme.id, self.metadata, segs, self.findings)

    # -- metadata ------------------------------------------------------------------------

    def _metadata(self) -> None:
        lines = self.lines
        first = [i for i, ln in enumerate(lines[:80]) if ln.stripped and i not in self.noise]
        dates_at = next(
            (i for i in first if re.match(r"\s*Inspection\s+dates?\s*:", lines[i].text, re.I)), None
        )
        head = [i for i in first if dates_at is None or i < dates_at]
        head_text = _fold(" ".join(lines[i].stripped for i in head))
        m = re.search(r"Inspection of (.+?)(?: local authority)? children's services", head_text)
        if m and "social care" not in m.group(1):
            authority = m.group(1)
        elif head_text.startswith("Inspection of ") and "children's social care" not in head_text:
            authority = head_text.removeprefix("Inspection of ")
        else:
            authority = lines[head[0]].stripped if head else ""
            authority = re.split(r"\s{2,}| Inspection of", authority)[0]
        if authority:
            self.metadata["authority"] = authority.strip()
        if dates_at is not None:
            value = lines[dates_at].text.split(":", 1)[1]
            dates = meta.parse_date_list(value.replace("–", " to "))
            if dates:
                self.metadata["inspection_dates"] = [min(dates), max(dates)]
            self._segment_line(dates_at, "date")
        for i in first:
            lm = re.match(r"\s*Lead\s+inspector\s*:\s*(.+?)\s*$", lines[i].text, re.I)
            if not lm:
                continue
            value = " ".join(lm.group(1).split())
            if "," in value:
                name, role = (x.strip() for x in value.split(",", 1))
            else:
                name = value
                nxt = next((j for j in first if j > i), None)
                role = lines[nxt].stripped if nxt is not None else ""
                if role and not re.search(r"Inspector|HMI", role):
                    role = ""
                if role:
                    self._segment_line(nxt, "signature")
            self.metadata["inspector_name"] = name
            if role:
                self.metadata["inspector_role"] = role
            self._segment_line(i, "signature")
            break
        self._judgements(first)

    def _segment_line(self, i: int, kind: str) -> None:
        ln = self.lines[i]
        s = ln.start + len(ln.text) - len(ln.text.lstrip())
        self.segments.append(Segment(kind, s, ln.start + len(ln.text.rstrip())))

    def _judgements(self, first: list[int]) -> None:
        lines = self.lines
        start = next(
            (i for i in first if re.match(r"\s*Judgement\s+Grade\s*$", lines[i].text, re.I)), None
        )
        if start is None:
            self._judgement_lines(first)
            return
        block, end = [], start + 1
        while end < len(lines) and end < start + 30:
            ln = lines[end]
            if end not in self.noise and ln.stripped:
                block.append(ln.stripped)
                if ln.stripped.lower().startswith("overall effectiveness"):
                    if not _GRADE.search(ln.stripped) and end + 1 < len(lines):
                        block.append(lines[end + 1].stripped)
                    break
            end += 1
        text = " ".join(block)
        judgements: dict[str, str] = {}
        pos = 0
        for gm in _GRADE.finditer(text):
            label = text[pos : gm.start()].lower()
            pos = gm.end()
            tail = re.match(r"\s+to\s+be\s+good\b", text[pos:], re.I)
            grade = GRADES[" ".join(gm.group(1).lower().split())]
            if tail:
                pos += tail.end()
            key = _judgement_key(label)
            if key and key not in judgements:
                judgements[key] = grade
        if judgements:
            self.metadata["judgements"] = judgements
        if end > start:
            s = lines[start].start
            self.segments.append(
                Segment(
                    "heading",
                    s + len(lines[start].text) - len(lines[start].text.lstrip()),
                    lines[min(end, len(lines) - 1)].end,
                    section="Judgements",
                )
            )

    def _judgement_lines(self, first: list[int]) -> None:
        """The 2014-2018 layout: one judgement per line ("1. Children who need help ... Good"),
        and the overall grade in a sentence ("Children's services in X require improvement...")."""
        judgements: dict[str, str] = {}
        for i in first:
            text = self.lines[i].stripped
            om = re.match(
                r"Children['’]s\s+services\s+in\s+.+?\s+(?:are|is|require)\s+"
                r"(outstanding|good|improvement\s+to\s+be\s+good|inadequate)\b",
                text,
                re.I,
            )
            if om:
                grade = om.group(1).lower()
                grade = (
                    "requires improvement to be good" if grade.startswith("improvement") else grade
                )
                judgements.setdefault("overall_effectiveness", GRADES[" ".join(grade.split())])
                continue
            gm = _GRADE.search(text)
            if not gm or gm.start() == 0:
                continue
            key = _judgement_key(text[: gm.start()].lower())
            if key and key not in judgements:
                judgements[key] = GRADES[" ".join(gm.group(1).lower().split())]
        if judgements:
            self.metadata["judgements"] = judgements

    # -- findings and paragraphs ---------------------------------------------------------

    def _findings_and_paragraphs(self) -> None:
        lines = self.lines
        category = self.scheme.categories[0].id
        improve = next((i for i, ln in enumerate(lines) if _IMPROVE.match(ln.text)), None)
        taken: set[str] = set()
        section = ""
        i = 0 if improve is None else improve
        if improve is not None:
            heading = lines[improve].stripped
            self._segment_line(improve, "heading")
            i = improve + 1
            items: list[list[tuple[int, int]]] = []
            numbered = None
            while i < len(lines):
                ln = lines[i]
                if i in self.noise or ln.blank:
                    i += 1
                    continue
                if _SUBHEADS.match(ln.text):
                    self._segment_line(i, "heading")
                    i += 1
                    continue
                bm = BULLET.match(ln.text)
                nm = _NUMBERED.match(ln.text)
                if numbered is None and (bm or nm):
                    numbered = bool(nm) and not (bm and not nm)
                if bm or nm:
                    cut = (bm or nm).end()
                    items.append([(ln.start + cut, ln.start + len(ln.text.rstrip()))])
                elif items and not self._ends_items(i, items[-1]):
                    items[-1].append(
                        (
                            ln.start + len(ln.text) - len(ln.text.lstrip()),
                            ln.start + len(ln.text.rstrip()),
                        )
                    )
                else:
                    break
                i += 1
            for pieces in items:
                text = join_parts([self.text[s:e] for s, e in pieces], self.text)
                if not text:
                    continue
                from reviewer.model import finding_id

                self.findings.append(
                    Finding(
                        id=finding_id(text, taken),
                        category=category,
                        section=heading,
                        text=text,
                        start=pieces[0][0],
                        end=pieces[-1][1],
                        confidence=0.95,
                    )
                )
                self.segments.append(
                    Segment("finding", pieces[0][0], pieces[-1][1], category, heading)
                )
        if improve is not None:
            self._paragraphs(0, improve, "")
        self._paragraphs(i if improve is not None else 0, len(lines), section)

    def _ends_items(self, i: int, last: list[tuple[int, int]]) -> bool:
        ln = self.lines[i]
        if _JUDGEMENT_HEADING.match(ln.text):
            return True
        prev = self.text[last[-1][0] : last[-1][1]].rstrip()
        return prev.endswith((".", "!", "?")) and ln.stripped[:1].isupper()

    def _paragraphs(self, i: int, stop: int, section: str) -> None:
        """Paragraphs a reviewer may promote to findings: the numbered ones under each
        judgement heading (joined across page breaks) and the unnumbered summary text."""
        lines = self.lines
        covered = [(seg.start, seg.end) for seg in self.segments]
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
            if any(a <= ln.start + len(ln.text) - len(ln.text.lstrip()) < b for a, b in covered):
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
                done = ":" in ln.stripped or _GRADE.search(ln.text) or len(heading_lines) >= 3
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
                    covered.append((a.start, b.end))
                    heading_lines = []
            elif current:
                current.append(i)
            else:
                current, number = [i], None
            i += 1
        flush()


def _judgement_key(label: str) -> str | None:
    label = " ".join(label.split())
    if "overall" in label:
        return "overall_effectiveness"
    if "leader" in label:
        return "leaders"
    if "help and protection" in label:
        return "help_and_protection"
    if "in care and care leavers" in label or "looked after" in label:
        return (
            "children_in_care_and_care_leavers"
            if "leavers" in label or "looked" not in label
            else "children_looked_after"
        )
    if "care leavers" in label:
        return "care_leavers"
    if "in care" in label:
        return "children_in_care"
    if "adoption" in label:
        return "adoption_performance"
    return None


def segment_report(text: str, scheme: Scheme) -> Document:
    return ReportSegmenter(text, scheme).run()
