"""Reading a report's grades (judgements) from the layouts Ofsted has printed them in.

- ILACS (2018 on): a "Judgement Grade" table, each label on one or more lines and its
  grade after it, on the label's last line or on lines of its own; a grade may wrap
  ("Requires improvement" / "to be good", "Requires improvement to" / "be good") and a
  grade cell set beside a label's middle line comes out between the label's lines.
- SIF (2013/14-2018): numbered rows ("2.1 Adoption performance Good"), the overall grade
  in a sentence and the board's grade in another.
- The 2013 inspections of looked after children / safeguarding services: "Grade 4
  (Inadequate)" under a section heading, and the "Record of main findings" table
  ("Overall effectiveness Inadequate Grade 4", or the grade words alone). Their scale has
  "Adequate", kept as written.

Every reader takes the document's lines and the indexes of its content lines (page
furniture left out) and returns judgement key -> grade.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from reviewer.model import Segment
from reviewer.segment.lines import Line

if TYPE_CHECKING:
    from reviewer.segment.reading import Reading

GRADES = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires improvement to be good": "Requires improvement to be good",
    "requires improvement": "Requires improvement to be good",
    "improvement to be good": "Requires improvement to be good",
    "improvement": "Requires improvement to be good",
    "require improvement to be good": "Requires improvement to be good",
    "require improvement": "Requires improvement to be good",
    "inadequate": "Inadequate",
    "adequate": "Adequate",  # the 2013 scale, kept as written
}
GRADE_WORDS = r"Outstanding|Good|Requires?\s+improvement(?:\s+to\s+be\s+good)?|Inadequate|Adequate"
GRADE = re.compile(rf"\b({GRADE_WORDS})\b", re.IGNORECASE)
_GRADE_TAIL = re.compile(rf"(?:^|\s|:)({GRADE_WORDS})\s*[.:]?\s*(?:\(?Grade\s+\d\)?)?\s*$", re.I)
_GRADE_LINE = re.compile(rf"^\s*(?:Grade\s+\d\s*)?\(?({GRADE_WORDS})\)?\.?\s*$", re.IGNORECASE)
_OVERALL = re.compile(
    r"(?:Children['’]s\s+services\s+in\s+.{1,90}?|The\s+overall\s+judgement\s+is"
    r"(?:\s+that\s+children['’]s\s+services)?)\s+"
    r"(?:are\s+|is\s+|requires?\s+)?(?:requires?\s+)?"
    r"(outstanding|good|improvement(?:\s+to\s+be\s+good)?|inadequate)\b",
    re.IGNORECASE,
)
_LSCB_GRADE = re.compile(
    r"(?:effectiveness\s+of\s+the\s+[\w\s]{0,40}?(?:Safeguarding\s+Children\s+Board|LSCB)"
    r"(?:\s*\(\w+\))?|The\s+(?:Local\s+)?Safeguarding\s+Children\s+Board(?:\s*\(\w+\))?"
    r"(?:\s+in\s+[A-Z][\w\s]{0,40}?)?|The\s+LSCB)\s+(?:is|requires)\s+(?:requires\s+)?"
    r"(outstanding|good|improvement(?:\s+to\s+be\s+good)?|inadequate)\b",
    re.IGNORECASE,
)
TO_BE_GOOD = re.compile(r"^\s*(?:to\s+)?be\s+good\s*\.?\s*$", re.IGNORECASE)
_NUMBERED = re.compile(r"^\s*(\d{1,3})\.\s+(?=\S)")
_ROW_START = re.compile(r"^\s*\d(?:\.\d)?\.?\s+(?=[A-Z])")
_TABLE_HEAD = re.compile(r"\s*Judgements?\s+Grades?\s*$", re.IGNORECASE)

# In a table: a grade that fills a cell, or its first line when it wraps.
_CELL = re.compile(
    r"(?:^|(?<=\s))(Outstanding|Good|Inadequate|Adequate|"
    r"Requires?\s+improvement(?:\s+to(?:\s+be(?:\s+good)?)?)?)\s*$",
    re.IGNORECASE,
)
# Where a row's label begins in the ILACS table.
_LABEL_START = re.compile(
    r"\b(?:The\s+impact\s+of\s+leaders|The\s+experiences\s+and\s+progress|"
    r"Overall\s+effectiveness)\b",
    re.IGNORECASE,
)
# The 2013 reports' judgement headings and the key each gives.
_HEADING_2013 = (
    (re.compile(r"^\s*Overall\s+effectiveness\b", re.IGNORECASE), "overall_effectiveness"),
    (re.compile(r"^\s*Leadership\s+and\s+management\b", re.IGNORECASE), "leaders"),
)
_GRADE_2013 = re.compile(
    rf"^\s*(?:Grade\s+\d\s*\(\s*({GRADE_WORDS})\s*\)|({GRADE_WORDS})\s*\(?\s*Grade\s+\d\s*\)?)"
    r"\s*\.?\s*$",
    re.IGNORECASE,
)
_RECORD_HEAD = re.compile(r"^\s*Record\s+of\s+main\s+findings\s*$", re.IGNORECASE)
_RECORD_ROW = re.compile(
    rf"^\s*(Overall\s+effectiveness|Leadership\s+and\s+management)\b(.*?)\s*(?:\b({GRADE_WORDS})"
    r"(?:\s*\(?\s*Grade\s+\d\s*\)?)?)?\s*$",
    re.IGNORECASE,
)


def grade_value(words: str) -> str:
    """The grade as references write it ("requires improvement" is "Requires improvement
    to be good"; "Adequate" stays as written)."""
    return GRADES[" ".join(words.lower().split())]


def judgement_key(label: str) -> str | None:
    """The key of a judgement's label, or None for a label that is no judgement."""
    label = " ".join(label.replace("’", "'").split()).lower()
    if "overall" in label:
        return "overall_effectiveness"
    if "leader" in label:
        return "leaders"
    if "help and protection" in label:
        return "help_and_protection"
    if "adoption" in label:
        return "adoption_performance"
    if "in care and care leavers" in label:
        return "children_in_care_and_care_leavers"
    if "looked after" in label:
        return "children_looked_after"
    if "care leavers" in label:
        return "care_leavers"
    if "in care" in label:
        return "children_in_care"
    return None


def table_start(lines: list[Line], first: list[int]) -> int | None:
    """The "Judgement Grade" line heading an ILACS grade table (or its "Grade" line when
    the two words stand on lines of their own), or None."""
    for n, i in enumerate(first):
        if _TABLE_HEAD.match(lines[i].text):
            return i
        nxt = first[n + 1] if n + 1 < len(first) else None
        if (
            nxt is not None
            and re.fullmatch(r"Judgements?", lines[i].stripped, re.IGNORECASE)
            and re.fullmatch(r"Grades?", lines[nxt].stripped, re.IGNORECASE)
        ):
            return nxt
    return None


def ilacs_table(lines: list[Line], content: list[int], start: int) -> tuple[dict[str, str], int]:
    """The grades of the table under `start` and the index of its last line.

    The table's words are read as two streams: label words and grade cells, each in the
    order the document gives them. Labels are told apart where a known label begins, and
    the n-th label takes the n-th grade, so a grade printed between its label's lines, or
    wrapped over two lines, is read as the row's. A table whose labels and grades do not
    pair up is read row by row instead.
    """
    labels: list[str] = []
    grades: list[str] = []
    end = start
    after = [i for i in content if i > start][:40]
    for n, i in enumerate(after):
        st = lines[i].stripped
        if TO_BE_GOOD.match(st) and grades:
            end = i  # the wrapped end of "Requires improvement (to)" / "(to) be good"
            continue
        cell = _CELL.search(st)
        if cell and len(st) <= 90:
            label = st[: cell.start()].strip()
            if label:
                labels.append(label)
            grades.append(grade_value(_whole_grade(cell.group(1))))
            end = i
        elif len(st) <= 75 and not st.endswith("."):
            labels.append(st)
        else:
            break
        rows = _split_labels(labels)
        overall_done = any(judgement_key(r) == "overall_effectiveness" for r in rows)
        if overall_done and len(rows) == len(grades):
            # The table goes on only with a grade's wrapped end or another row's label.
            nxt = lines[after[n + 1]].stripped if n + 1 < len(after) else ""
            if TO_BE_GOOD.match(nxt):
                end = after[n + 1]
                break
            if not _LABEL_START.match(nxt):
                break
    rows = _split_labels(labels)
    judgements: dict[str, str] = {}
    if rows and len(rows) == len(grades):
        for label, grade in zip(rows, grades, strict=True):
            key = judgement_key(label)
            if key and key not in judgements:
                judgements[key] = grade
        return judgements, end
    return _table_by_rows(lines, after), end


def _whole_grade(cell: str) -> str:
    """A cell's grade words; a wrapped "Requires improvement to (be)" is the whole grade."""
    words = " ".join(cell.split())
    if re.match(r"requires?\s+improvement", words, re.IGNORECASE):
        return "requires improvement to be good"
    return words


def _split_labels(parts: list[str]) -> list[str]:
    """The table's label words cut into rows where a known label begins."""
    text = " ".join(parts)
    starts = [m.start() for m in _LABEL_START.finditer(text)]
    if not starts:
        return [text] if text else []
    if starts[0] != 0:
        starts[0] = 0
    return [text[a:b].strip() for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]


def _table_by_rows(lines: list[Line], after: list[int]) -> dict[str, str]:
    """Each label (on one or more lines), then its grade, one row after another."""
    judgements: dict[str, str] = {}
    label: list[str] = []
    for i in after:
        st = lines[i].stripped
        if TO_BE_GOOD.match(st) and not label:
            continue
        whole = _GRADE_LINE.match(st)
        tail = _GRADE_TAIL.search(st)
        if whole:
            grade = whole.group(1)
        elif tail and len(st) <= 90:
            label.append(st[: tail.start()])
            grade = tail.group(1)
        elif len(st) <= 75 and len(label) < 3:
            label.append(st)
            continue
        else:
            break
        key = judgement_key(" ".join(label))
        if key and key not in judgements:
            judgements[key] = grade_value(grade)
        label = []
    return judgements


def sif_rows(
    lines: list[Line], first: list[int], content: list[int], flat: Callable[[], str]
) -> dict[str, str]:
    """The SIF layout: one numbered judgement a row ("2.1 Adoption performance Good"),
    labels that wrap, the overall grade in a sentence ("Children's services in X
    require improvement to be good"), and the board's grade ("The LSCB is good").
    `flat` gives the words of the content lines, one space between."""
    judgements: dict[str, str] = {}
    head = " ".join(lines[i].stripped for i in first)
    om = _OVERALL.search(head)
    if om:
        judgements["overall_effectiveness"] = grade_value(om.group(1))
    row: list[str] = []
    for n, i in enumerate(first):
        st = lines[i].stripped
        if _ROW_START.match(st):
            row = [st]
        elif row and len(row) < 5 and not _NUMBERED.match(st):
            row.append(st)
        else:
            row = []
            continue
        tail = _GRADE_TAIL.search(" ".join(row))
        if not tail:
            continue
        if n + 1 < len(first) and TO_BE_GOOD.match(lines[first[n + 1]].stripped):
            tail = _GRADE_TAIL.search(" ".join([*row, "to be good"]))
            assert tail is not None
        label = " ".join(row)[: tail.start()].lower()
        key = judgement_key(re.sub(r"^\s*\d(?:\.\d)?\.?\s+", "", label))
        if key and key not in judgements:
            judgements[key] = grade_value(tail.group(1))
        row = []
    # The board's grade counts only where the board is named near the top: that is asked
    # first, of the text's first 3,000 characters, before the whole text is searched.
    parts: list[str] = []
    size = -1
    for i in content:
        if size >= 3000:
            break
        part = " ".join(lines[i].stripped.replace("’", "'").split())
        parts.append(part)
        size += len(part) + 1
    if "safeguarding children board" not in " ".join(parts)[:3000].lower():
        return judgements
    # Each line's words, one space between (lines and words alike), as the metadata
    # stage has them already; an apostrophe is folded (no space is one).
    whole = flat().replace("’", "'")
    lm = _lscb_grade(whole)
    if lm:
        judgements.setdefault("lscb", grade_value(lm.group(1)))
    return judgements


# `_LSCB_GRADE` opens with one of these words and names the board within 61 characters of
# its start (in text with one space between words): "effectiveness of the" and up to 40
# characters, or "The (Local) ".
_LSCB_OPENS = ("effectiveness", "the")
_LSCB_NAMES = ("safeguarding children board", "lscb")
_LSCB_REACH = 61
# Characters that match an ASCII letter ignoring case but that `str.lower` does not fold
# to it (dotted and dotless i, long s, the Kelvin sign): with one of them the text is
# searched whole.
_UNFOLDED = re.compile("[\u0130\u0131\u017f\u212a]")


def _lscb_grade(whole: str) -> re.Match[str] | None:
    """`_LSCB_GRADE.search(whole)`, in text with one space between its words, without
    running the pattern along the whole text: it is tried only where a match can start,
    at "effectiveness" or "the" at most `_LSCB_REACH` characters before a name of the
    board, found by plain string search (the same first match: those are the only places
    one can start)."""
    low = whole.lower()
    if len(low) != len(whole) or _UNFOLDED.search(whole):
        return _LSCB_GRADE.search(whole)
    names = sorted(k for name in _LSCB_NAMES for k in _occurrences(low, name, 0, len(low)))
    tried = 0  # candidates before this were tried already
    for k in names:
        lo = max(tried, k - _LSCB_REACH)
        starts = sorted(s for word in _LSCB_OPENS for s in _occurrences(low, word, lo, k + 1))
        for start in starts:
            m = _LSCB_GRADE.match(whole, start)
            if m:
                return m
        tried = k + 1
    return None


def _occurrences(text: str, word: str, lo: int, hi: int) -> list[int]:
    """Where `word` starts in `text`, from `lo` to before `hi`."""
    found = []
    at = text.find(word, lo, hi + len(word) - 1)
    while at >= 0:
        found.append(at)
        at = text.find(word, at + 1, hi + len(word) - 1)
    return found


def record_of_main_findings(lines: list[Line], content: list[int]) -> dict[str, str]:
    """The 2013 reports' table at the end: "Overall effectiveness Inadequate Grade 4", or
    the grade words alone, on the label's line or on the line after a wrapped label.
    Where a report records two services (safeguarding, then looked after children), the
    first row of each judgement is taken."""
    judgements: dict[str, str] = {}
    heads = [n for n, i in enumerate(content) if _RECORD_HEAD.match(lines[i].text)]
    if not heads:
        return judgements
    rows = content[heads[-1] + 1 :][:40]
    for n, i in enumerate(rows):
        m = _RECORD_ROW.match(" ".join(lines[i].stripped.split()))
        if not m:
            continue
        key = "leaders" if m.group(1).lower().startswith("leader") else "overall_effectiveness"
        grade = m.group(3)
        if grade is None and not m.group(2) and n + 1 < len(rows):
            below = _GRADE_LINE.match(lines[rows[n + 1]].stripped)
            grade = below.group(1) if below else None
        if grade:
            judgements.setdefault(key, grade_value(grade))
    return judgements


def section_grades(lines: list[Line], content: list[int]) -> dict[str, str]:
    """The 2013 reports' grade under a judgement's heading: "Overall effectiveness of
    services for looked after children" then "Grade 4 (Inadequate)" (the heading may
    wrap over two lines)."""
    judgements: dict[str, str] = {}
    for n, i in enumerate(content):
        st = lines[i].stripped
        if len(st) > 80 or st.endswith("."):
            continue
        for pattern, key in _HEADING_2013:
            if not pattern.match(st):
                continue
            for j in content[n + 1 : n + 3]:
                m = _GRADE_2013.match(lines[j].stripped)
                if m:
                    judgements.setdefault(key, grade_value(m.group(1) or m.group(2)))
                    break
    return judgements


def read_grade_table(reading: Reading) -> None:
    """The grade reader a scheme names with `segment.grades = "report"`: the grades of a
    report's judgements, from its first page's table, its numbered rows, its record of
    main findings or its section grades, into the metadata's `judgements`."""
    lines, noise = reading.lines, reading.noise
    content = [i for i in range(len(lines)) if lines[i].stripped and i not in noise]
    first = [i for i in content if i < 120][:60]
    start = table_start(lines, first)
    if start is not None:
        judgements, end = ilacs_table(lines, content, start)
        ln = lines[start]
        reading.segments.append(
            Segment(
                "heading",
                ln.start + len(ln.text) - len(ln.text.lstrip()),
                lines[end].start + len(lines[end].text.rstrip()),
                section="Judgements",
            )
        )
    else:
        judgements = sif_rows(lines, first, content, reading.flat)
        if not judgements.get("overall_effectiveness") or "leaders" not in judgements:
            for reader in (record_of_main_findings, section_grades):
                for key, grade in reader(lines, content).items():
                    judgements.setdefault(key, grade)
    if judgements:
        reading.metadata["judgements"] = judgements
