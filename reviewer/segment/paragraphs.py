"""The paragraphs stage: prose that is not a finding, as segments a reviewer can promote.

Two ways, as the scheme's `segment.paragraphs` says: `blocks` (every run of text lines
outside the findings and headings) or `numbered` (a document of numbered paragraphs: each
numbered paragraph, joined across page breaks, filed under the section heading above it,
and the unnumbered text between them).
"""

from __future__ import annotations

import bisect
import re

from reviewer.model import Segment
from reviewer.segment.lines import Line
from reviewer.segment.reading import Reading
from reviewer.segment.spec import any_of, opening_letters

_NUMBERED = re.compile(r"^\s*(\d{1,3})\.\s+(?=\S)")


def prose_blocks(reading: Reading) -> None:
    """Paragraphs outside the findings: segments a reviewer can promote to a finding."""
    lines, noise = reading.lines, reading.noise
    spans = sorted((s.start, s.end) for s in reading.segments)
    block: list[int] = []

    def flush() -> None:
        if block:
            a, b = lines[block[0]], lines[block[-1]]
            start = a.start + len(a.text) - len(a.text.lstrip())
            reading.segments.append(Segment("paragraph", start, b.start + len(b.text.rstrip())))
            block.clear()

    k = 0
    for i, ln in enumerate(lines):
        if i in noise or ln.blank or ln.page_break_before:
            flush()
            if i in noise or ln.blank:
                continue
        while k < len(spans) and spans[k][1] <= ln.start:
            k += 1
        if k < len(spans) and spans[k][0] < ln.start + len(ln.text) and ln.start < spans[k][1]:
            flush()
            continue
        block.append(i)
    flush()


def _overlapped(lines: list[Line], spans: list[tuple[int, int]]) -> bytearray:
    """1 for each line whose text (its trailing spaces aside) one of the spans overlaps,
    else 0: the lines from the first whose text ends after a span's start to the last that
    starts before its end (the lines' text ends rise as their starts do)."""
    marks = bytearray(len(lines))
    if not spans:
        return marks
    starts = [ln.start for ln in lines]
    ends = [ln.end for ln in lines]  # at or after the end of each line's text
    for a, b in spans:
        lo = bisect.bisect_right(ends, a)
        if lo < len(lines):
            ln = lines[lo]
            if ln.start + len(ln.text.rstrip()) <= a:
                lo += 1  # the span starts in the line's trailing spaces, or after its text
        hi = bisect.bisect_left(starts, b)
        if lo < hi:
            marks[lo:hi] = b"\x01" * (hi - lo)
    return marks


def numbered_paragraphs(
    reading: Reading, sections: tuple[re.Pattern[str], ...], wrapped: tuple[re.Pattern[str], ...]
) -> None:
    """Numbered paragraphs (joined across page breaks) and the unnumbered text, each under
    the section heading above it; a heading that opens as one of `wrapped` may run over
    three lines, until a colon or a grade."""
    from reviewer.segment.grades import GRADE  # loaded with the first report, not for letters

    lines, noise = reading.lines, reading.noise
    found_before = _overlapped(lines, [(seg.start, seg.end) for seg in reading.segments])
    headings: list[tuple[int, int]] = []  # the section headings met on the way
    heading_reach = -1  # where the furthest of them ends
    section = ""

    opens_section = any_of(sections).match
    openings = opening_letters(sections, after_spaces=True)
    if openings is not None:  # in either case: a line's first character is not lowered
        openings = openings | {c.upper() for c in openings}

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
            reading.segments.append(Segment("paragraph", start, end, None, section or None, number))
        current, number = [], None

    for i, ln in enumerate(lines):
        if i in noise:
            continue
        if not ln.stripped:
            if number is None:
                flush()
            continue
        # A line that a segment found before (or a heading met) overlaps.
        if found_before[i] or (
            heading_reach > ln.start
            and any(a < ln.start + len(ln.text.rstrip()) and ln.start < b for a, b in headings)
        ):
            flush()
            continue
        # A numbered paragraph's first line opens with its number (most lines do not).
        first = ln.stripped[0]
        nm = _NUMBERED.match(ln.text) if first.isdecimal() else None
        if nm:
            flush()
            current, number = [i], int(nm.group(1))
        elif (
            (openings is None or first in openings or not first.isascii())
            and opens_section(ln.text)
        ) or (heading_lines and not current):
            flush()
            heading_lines.append(i)
            first = lines[heading_lines[0]].text
            multi_line = any(p.match(first) for p in wrapped)
            done = ":" in ln.stripped or GRADE.search(ln.text) or len(heading_lines) >= 3
            if done or not multi_line:
                section = " ".join(lines[k].stripped for k in heading_lines).strip()
                a, b = lines[heading_lines[0]], lines[heading_lines[-1]]
                reading.segments.append(
                    Segment(
                        "heading",
                        a.start + len(a.text) - len(a.text.lstrip()),
                        b.start + len(b.text.rstrip()),
                        None,
                        section,
                    )
                )
                headings.append((a.start, b.end))
                heading_reach = max(heading_reach, b.end)
                heading_lines = []
        elif current:
            current.append(i)
        else:
            current, number = [i], None
    flush()
