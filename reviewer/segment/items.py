"""How the lines of one findings section become items: bullets, or paragraphs.

The engine hands a reader the section's lines, each with the gap before it (none, a blank
line, or a page break with its running header and page number). Offsets stay offsets
into the document's text; a bullet glyph or item number is left outside the item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reviewer.segment.lines import BULLET, Line, join_parts, opens_item

TERMINAL = re.compile(r"[.!?][’'\"”)\]]*\d{0,2}\s*$")
NO_GAP, BLANK, PAGE = 0, 1, 2


@dataclass(slots=True)
class Entry:
    """One content line of a section and what separates it from the line before."""

    line: Line
    gap: int
    blanks: int = 0  # blank lines between it and the line before

    @property
    def text(self) -> str:
        return self.line.text.strip()


@dataclass(slots=True)
class Item:
    """An item's text pieces; an item mode that reads headings inside a section (`marks`)
    gives its own category, section and score, its words, and whether it is a paragraph
    standing where a list was expected (`prose`)."""

    pieces: list[tuple[int, int]] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    across_page: bool = False
    category: str | None = None
    section: str | None = None
    score: float = 0.0
    prose: bool = False
    text: str | None = None

    def add(self, line: Line, cut: int = -1, gap: int = NO_GAP) -> None:
        """Add a line's words; `cut` is where they start (after a bullet), else its indent."""
        text = line.text
        start = line.start + (cut if cut >= 0 else len(text) - len(text.lstrip()))
        end = line.start + len(text.rstrip())
        if end > start:
            self.pieces.append((start, end))
            self.across_page = self.across_page or (gap == PAGE and len(self.pieces) > 1)


# A note that a list is empty ("There are no areas for priority action.", "26. The
# inspection did not find any areas for priority and immediate action."): no finding.
_SECTION_EMPTY = re.compile(
    r"^(?:The\s+inspection\s+did\s+not\s+(?:find|identify)\s+any|There\s+(?:are|were)\s+no|"
    r"No)\s+(?:further\s+)?(?:areas?|priority|recommendations?|actions?|immediate)\b"
    r"[^.]{0,90}\.?$",
    re.IGNORECASE,
)


def says_section_empty(text: str) -> bool:
    """Whether an item only says that its section has nothing in it."""
    return bool(_SECTION_EMPTY.match(text.strip()))


def is_terminal(text: str) -> bool:
    return bool(TERMINAL.search(text.rstrip()))


def heading_shaped(text: str) -> bool:
    """A short line that could be a (sub)heading: capitalised, no closing punctuation."""
    t = text.strip()
    return (
        0 < len(t) <= 80
        and t[:1].isupper()
        and not t.endswith((".", ",", ";"))
        and not BULLET.match(t + " ")
    )


def _bullet(entry: Entry, before: Entry | None = None) -> int:
    """Where the words of a bulleted line start, or -1 (also for a "2)" that closes a
    term the line `before` opened)."""
    m = opens_item(entry.line.text, before.line.text if before else "")
    return m.end() if m else -1


def _last_text(item: Item, text: str) -> str:
    s, e = item.pieces[-1]
    return text[s:e]


def bullet_items(entries: list[Entry], text: str) -> list[Item]:
    """The bullets of a list; lead-in prose, sub-headings and closing prose are left out.

    A bullet goes on over lines with no gap, over a blank line when it has not ended and
    the next line runs on in lower case, and over a page break when it has not ended (or
    when a paragraph sits between two of its bullets: a page break cut it after a full
    stop).
    """
    items: list[Item] = []
    cur: Item | None = None
    for n, entry in enumerate(entries):
        cut = _bullet(entry, entries[n - 1] if n else None)
        if cut >= 0:
            cur = Item()
            cur.add(entry.line, cut)
            items.append(cur)
            continue
        if cur is None:
            continue
        if _subheading(entries, n):
            cur = None
            continue
        ended = is_terminal(_last_text(cur, text))
        runs_on = entry.text[:1].islower() or entry.text[:1] == "("
        goes_on = (
            entry.gap == NO_GAP
            or (entry.gap == BLANK and not ended and runs_on)
            or (entry.gap == PAGE and (not ended or runs_on or _between_bullets(entries, n)))
        )
        if goes_on:
            cur.add(entry.line, gap=entry.gap)
        else:
            cur = None
    return items


def _subheading(entries: list[Entry], n: int) -> bool:
    """A short capitalised line followed by a bullet heads a group of the list."""
    if not heading_shaped(entries[n].text) or n + 1 >= len(entries):
        return False
    if entries[n].gap == NO_GAP and not is_terminal(entries[n - 1].text if n else "."):
        return False
    return _bullet(entries[n + 1]) >= 0


def _between_bullets(entries: list[Entry], n: int) -> bool:
    for later in entries[n + 1 :]:
        if later.gap == BLANK and _bullet(later) < 0:
            return False
        if _bullet(later) >= 0:
            return later.gap != PAGE
    return False


def paragraph_items(
    entries: list[Entry], text: str, opens: re.Pattern[str] | None = None
) -> list[Item]:
    """Each paragraph of a section is an item, also when no blank line parts them.

    Without blank lines, a paragraph ends at a line that finishes a sentence and falls
    short of the section's width, or when the next line opens as an earlier item opened
    ("Leaders should ...") or as the scheme says items open (`opens`). A bulleted list
    after a line ending in a colon stays inside the paragraph that leads into it.
    """
    width = max((len(e.line.text.rstrip()) for e in entries), default=0)
    items: list[Item] = []
    openers: set[tuple[str, ...]] = set()
    cur: Item | None = None
    in_list = False
    last_len = 0
    for n, entry in enumerate(entries):
        cut = _bullet(entry, entries[n - 1] if n else None)
        prev = _last_text(cur, text) if cur else ""
        ended = is_terminal(prev)
        # The paragraph ended here if the next line's first word would have fitted on it.
        first = entry.text[max(cut, 0) :].split()[:1]
        short = last_len + 1 + len(first[0] if first else "") < width - 1
        last_len = len(entry.line.text.rstrip())
        if cur is not None and cut >= 0 and (in_list or prev.rstrip().endswith(":")):
            in_list = True
            cur.add(entry.line, cut, entry.gap)
            continue
        if cur is None or cut >= 0 or _parts(entry, ended, short, openers, opens):
            cur = Item()
            items.append(cur)
            in_list = False
            words = tuple(entry.text[max(cut, 0) :].split()[:2])
            openers.add(words)
        cur.add(entry.line, cut, entry.gap)
    return items


def _parts(
    entry: Entry, ended: bool, short: bool, openers: set, opens: re.Pattern[str] | None
) -> bool:
    """Whether `entry` starts a new paragraph after a line that `ended` a sentence."""
    if entry.gap == BLANK:
        return ended or not entry.text[:1].islower()
    if not ended or not entry.text[:1].isupper():
        return False
    opener = tuple(entry.text.split()[:2]) in openers or bool(opens and opens.search(entry.text))
    return opener or (short and entry.gap != PAGE)


_NUMBERED = re.compile(r"^\s*(\d{1,3})\.\s+(?=\S)")
_CONTENTS_LINE = re.compile(r"\S\s+\d{1,3}\s*$")
# A list's lead-in ("...the local authority should take the following action.").
_FOLLOWING = re.compile(r"\bthe following (?:actions?|recommendations?)\s*[.:]?$", re.I)
# The most lines a list written as one paragraph runs to (more is prose, not a finding).
_PARAGRAPH_LINES = 8


def is_lead_in(text: str) -> bool:
    """Whether an item only introduces the list after it (ends in a colon, or "...should
    take the following action.")."""
    return text.endswith(":") or bool(_FOLLOWING.search(text))


def numbered_items(
    entries: list[Entry],
    text: str,
    *,
    before: Line | None = None,
    after: Line | None = None,
    sections: re.Pattern[str] | None = None,
    titles: list[Line] | None = None,
) -> list[Item]:
    """The bullets or numbered items of a list that runs until its prose starts again.

    A bullet inside a numbered item is part of it (unless the item leads into a list:
    "...the following actions:"); numbered paragraphs after bullets end the list, as does
    a capitalised line after a bullet that ended a sentence, or a line opening one of the
    document's `sections` after an item that ended one. A short title that the next item
    follows ("Care leavers", "Within three months:") heads a group. When no item follows
    the heading, its opening paragraph (at most eight lines, ending a sentence) is the
    list's one item; a contents page's lines (ending in a page number) are none.
    `before` is the heading line, `after` the line after the section; the group titles
    met are added to `titles`.
    """
    items: list[Item] = []
    current: Item | None = None
    bullets = numbered = False
    opening: Item | None = Item()
    for n, entry in enumerate(entries):
        ln = entry.line
        st = ln.stripped
        above = entries[n - 1].line if n else before
        bm = opens_item(ln.text, above.text if above else "")
        nm = _NUMBERED.match(ln.text)
        mark = bm or nm
        if mark:
            opening = None
            glyph = not nm
            if current is not None and bullets and nm:
                return items  # numbered paragraphs after the bullets
            if current is not None and numbered and glyph:
                lead = text[current.pieces[0][0] : current.pieces[-1][1]]
                if not _FOLLOWING.search(join_parts([lead])):
                    current.add(ln, mark.end(), entry.gap)
                    continue
            if current is None:
                numbered = not glyph
            bullets = bullets or glyph
            current = Item()
            current.add(ln, mark.end(), entry.gap)
            items.append(current)
            continue
        nxt = entries[n + 1].line if n + 1 < len(entries) else after
        if _group_title(st, current, nxt, text):
            if titles is not None:
                titles.append(ln)
            current = opening = None
            continue
        if current is None:
            if opening is not None and _CONTENTS_LINE.search(st):
                opening = None
            elif opening is not None:
                opening.add(ln, gap=entry.gap)
            continue
        prev = _last_text(current, text).rstrip()
        if bullets and prev.endswith((".", "!", "?")) and st[:1].isupper():
            return items
        if sections is not None and sections.match(st) and prev.endswith((".", "!", "?", ")")):
            return items
        current.add(ln, gap=entry.gap)
    if (
        opening is not None
        and opening.pieces
        and len(opening.pieces) <= _PARAGRAPH_LINES
        and _last_text(opening, text).rstrip().endswith((".", "!", "?"))
    ):
        items.append(opening)
    return items


def _group_title(st: str, current: Item | None, nxt: Line | None, text: str) -> bool:
    """A short title inside a list that the next item follows: neither an item nor part
    of one."""
    if not st[:1].isupper() or len(st.split()) > 8 or st.rstrip().endswith((".", ",", ";")):
        return False
    if nxt is None or not (BULLET.match(nxt.text) or _NUMBERED.match(nxt.text)):
        return False
    if current is None or st.endswith(":"):
        return True
    prev = _last_text(current, text).rstrip()
    return prev.endswith((".", "!", "?", ":", ")"))
