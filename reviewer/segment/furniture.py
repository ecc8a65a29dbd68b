"""Page furniture: the lines of a document that belong to the page, not to what it says.

One detector for every family: page numbers and the running header above them (told by
where they stand on the page, `layout.page_furniture`), lines that open or close most
pages with the same words, a line repeated three times over a text without page breaks,
logos and table rules, footnotes at a page's foot, and the lines a scheme names (an
address block). A heading is never furniture, however often it repeats.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence

from reviewer.dates import is_date_line
from reviewer.segment.lines import (
    BULLET,
    LOGO_LINES,
    Line,
    is_noise_line,
    page_breaks,
    page_furniture,
)
from reviewer.segment.spec import any_of

_PAGE_TAIL = re.compile(r"\s+\d{1,3}\s*$")
_GLYPH_ONLY = re.compile(r"[^\w\s]{1,3}")
_NUMBERED = re.compile(r"^\s*(\d{1,3})\.\s+(?=\S)")
_FOOTNOTE = re.compile(r"^\s*\d{1,2}\s+[A-Z]")
_FOOTNOTE_LINES = 8
# The letters the logo lines open with, in either case (a line's first letter is not
# lowered to be asked; a letter outside ASCII is asked of `is_noise_line` whatever it is).
_LOGO_OPENERS = frozenset(c for line in LOGO_LINES for c in (line[0], line[0].upper()))


def furniture(
    lines: Sequence[Line],
    patterns: Sequence[re.Pattern[str]] = (),
    is_heading: Callable[[str], bool] = lambda line: False,
) -> set[int]:
    """The indexes of the lines that are page furniture."""
    stripped = [ln.stripped for ln in lines]
    breaks = page_breaks(lines)
    paged = bool(breaks)
    noise = page_furniture(list(lines), breaks=breaks) if paged else set()  # one page: none
    noise |= _running(lines, stripped, is_heading, breaks)
    named = any_of(tuple(patterns))
    search = named.search if named else None
    for i, st in enumerate(stripped):
        if not st:
            continue
        first = st[0]
        # A line of prose (`is_noise_line`'s first test, most lines), or a shorter line that
        # opens with a letter no page mark, logo (`LOGO_LINES`), table rule or glyph opens
        # with, is none of those: only the scheme's own furniture lines are asked of it.
        if (
            first.isalpha()
            and first not in "pP"
            and (len(st) > 45 or (first not in _LOGO_OPENERS and first.isascii()))
        ):
            if search is not None and search(st):
                noise.add(i)
        elif (
            is_noise_line(st)
            or (len(st) <= 3 and _GLYPH_ONLY.fullmatch(st))
            or (search is not None and search(st))
        ):
            noise.add(i)
    if paged:  # a footnote stands at a page's foot
        noise |= _footnotes(lines, noise)
    return noise


def _running(
    lines: Sequence[Line], stripped: list[str], is_heading: Callable[[str], bool], breaks: list[int]
) -> set[int]:
    """Running headers and footers: a line found at the same place at the top or foot of
    half the pages or more, at least two (in text without page breaks: one repeated three
    times), compared without its page number. `breaks`: the lines page breaks open."""
    paged = bool(breaks)
    if paged:
        # Only the pages' first and last lines are counted (a line found at no edge is no
        # running line, however often it repeats elsewhere), and only their keys made.
        edges: Counter[tuple[str, int]] = Counter()
        pages = 0
        for page in _pages_with_text(lines, stripped, breaks):
            pages += 1
            ends = list(enumerate(page[:3])) + [(-1 - k, j) for k, j in enumerate(page[::-1][:3])]
            for pos, j in ends:
                edges[(_running_key(stripped[j]), pos)] += 1
        at_edges: dict[str, int] = {}
        for (key, _), n in edges.items():
            at_edges[key] = max(at_edges.get(key, 0), n)
        need = max(2, pages // 2)
        repeated = {key for key, n in at_edges.items() if n >= need}
    else:
        counts = Counter(filter(None, map(_running_key, stripped)))  # empty: a blank line
        repeated = {key for key, n in counts.items() if n >= 3}
    if not repeated:
        return set()  # no line repeats often enough to run over the pages
    found = set()
    for i, key in enumerate(map(_running_key, stripped)):
        if key not in repeated:
            continue  # most lines: said once
        st = stripped[i]
        if (
            len(st) < 120
            and not key.endswith((".", ":"))
            and len(key.split()) >= (2 if paged else 3)
            and not BULLET.match(lines[i].text)
            and not is_heading(st)
        ):
            found.add(i)
    return found


def _running_key(line: str) -> str:
    """A stripped line as running lines are compared: without a page number at its end."""
    return _PAGE_TAIL.sub("", line) if line[-1:].isdigit() else line


def _pages_with_text(
    lines: Sequence[Line], stripped: list[str], breaks: list[int]
) -> list[list[int]]:
    """Each page's first three and last three lines with text (fewer on a short page; all
    of them on a page of up to six): a page break before any text on its page starts no
    new page, and the text after the last break is a page even when it has none.
    `breaks`: the lines page breaks open."""
    out: list[list[int]] = []
    lo = 0
    for hi in [*(i for i in breaks if i), len(lines)]:
        head: list[int] = []
        k = lo
        while k < hi and len(head) < 3:
            if stripped[k]:
                head.append(k)
            k += 1
        if not head and hi < len(lines):
            continue  # no text on the page yet: the break starts no new page
        tail: list[int] = []
        j = hi - 1
        while j >= k and len(tail) < 3:
            if stripped[j]:
                tail.append(j)
            j -= 1
        out.append(head + tail[::-1])
        lo = hi
    return out


def _footnotes(lines: Sequence[Line], noise: set[int]) -> set[int]:
    """A footnote: a short block opening "1 The..." that runs to the foot of its page under
    some of the page's text (a date such as "16 May 2024" opens none)."""
    found: set[int] = set()
    for i, ln in enumerate(lines):
        if not ln.stripped[:1].isdecimal():
            continue  # a footnote opens with its number (most lines do not)
        if i in noise or not _FOOTNOTE.match(ln.text) or _NUMBERED.match(ln.text):
            continue
        if is_date_line(ln.text):
            continue
        if i > 0 and not lines[i - 1].blank and i - 1 not in noise:
            continue
        if _opens_page(lines, i, noise):
            continue  # a footnote stands under the page's text, not in its place
        j = i
        while j < len(lines) and not lines[j].blank and j not in noise:
            j += 1
            if j < len(lines) and lines[j].page_break_before:
                break
        while j < len(lines) and lines[j].blank and not lines[j].page_break_before:
            j += 1
        block = [k for k in range(i, j) if not lines[k].blank]
        if len(block) <= _FOOTNOTE_LINES and (
            j >= len(lines) or j in noise or lines[j].page_break_before
        ):
            found.update(range(i, j))
    return found


def _opens_page(lines: Sequence[Line], i: int, noise: set[int]) -> bool:
    """Whether line i is the first line of its page with text that is not furniture."""
    k = i
    while k > 0 and not lines[k].page_break_before:
        k -= 1
        if lines[k].stripped and k not in noise:
            return False
    return True
