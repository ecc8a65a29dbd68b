"""Lines of a letter with their offsets, and the small recognisers the segmenter uses.

Extracted letters break lines with LF, CRLF, CR or a form feed (a PDF page break);
offsets always index the decoded text, so each line keeps its own start and end.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import compress
from operator import attrgetter

_BREAK = re.compile(r"(\r\n|\r|\n|\f)")  # a line break, kept by `split`

# A bullet glyph or list number at the start of a line, then the item's text.
BULLET = re.compile(
    r"^(\s*)(?:[-•*▪●◦‣∙·–—■□➢✓✔►▶◆❖→»o\uf0b7\uf0a7\uf06e\uf0d8\uf0fc◼]|\d{1,2}[.)]|\(\d{1,2}\)|[a-z]\)|\([a-z]\)"
    r"|[ivx]{1,4}\))(?=\s)\s+(?=\S)"
)
_NUMBER_CLOSE = re.compile(r"^\s*\d{1,2}\)\s")


def closes_wrapped_term(line: str, before: str) -> bool:
    """Whether a line opening "2)" ends a bracketed term that the line break cut
    ("(MAPPA-" then "2) meetings"): the line before leaves its last bracket open. Such
    a line carries on the text above; it is no numbered item."""
    return bool(_NUMBER_CLOSE.match(line)) and before.rfind("(") > before.rfind(")")


def opens_item(line: str, before: str = "") -> re.Match[str] | None:
    """The list mark opening `line` (see BULLET), unless the line only closes a term
    the line before opened (:func:`closes_wrapped_term`)."""
    if closes_wrapped_term(line, before):
        return None
    return BULLET.match(line)


INLINE_BULLET = re.compile(r"[▪•◼\uf0b7\uf0a7\uf06e]")
HTML_TAG = re.compile(r"</?(?:ul|ol|li|p|br|div|span)\b[^>]*>", re.IGNORECASE)
TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
TABLE_RULE = re.compile(r"^\s*\|?(?:\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*\|?\s*$")
PAGE_MARK = re.compile(
    r"^\s*(?:-\s*)?(?:page\s+)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?(?:\s*-)?\s*$", re.IGNORECASE
)
LOGO_LINES = {
    "investor in people",
    "investors in people",
    "ofsted",
    "raising standards improving lives",
    "raising standards, improving lives",
    "office for standards in education",
}
TERMINAL = ".!?"


@dataclass(slots=True)
class Line:
    start: int
    end: int
    text: str
    stripped: str  # text.strip(), made once: the stages ask for it about five times a line
    page_break_before: bool = False

    @property
    def blank(self) -> bool:
        return not self.stripped


def split_lines(text: str) -> list[Line]:
    """The text's lines, each with its offsets, its stripped text and whether a form feed
    (a page break) ends the line before it; nothing after the last break is no line."""
    if "\r" in text:
        return _split_any_breaks(text)
    # Every break is one character, "\n" or "\f" (extracted PDF text, most letters): the
    # bodies are the text split at them by `str.split`, far faster than the regex split
    # (which tries every character), and the form feeds are found by themselves.
    bodies = text.replace("\f", "\n").split("\n") if "\f" in text else text.split("\n")
    if not bodies[-1]:
        bodies.pop()  # nothing after the last break (or no text at all)
    n = len(bodies)
    starts = [0] * n
    pos = 0
    for i, body in enumerate(bodies):
        starts[i] = pos
        pos += len(body) + 1
    form_feed = [False] * n
    k = text.find("\f")
    while k >= 0:
        after = bisect.bisect_right(starts, k)  # the line the form feed ends the one before
        if after < n:
            form_feed[after] = True
        k = text.find("\f", k + 1)
    ends = list(map(int.__add__, starts, map(len, bodies)))
    return list(map(Line, starts, ends, bodies, map(str.strip, bodies), form_feed))


def _split_any_breaks(text: str) -> list[Line]:
    """`split_lines` of text that breaks lines with CRLF or CR too."""
    # The text cut at its breaks: bodies at even places, each break after its body (one
    # split of the whole text, no match object a line).
    parts = _BREAK.split(text)
    lines: list[Line] = []
    form_feed = False
    pos = 0
    last = len(parts) - 1
    for k in range(0, last + 1, 2):
        body = parts[k]
        if k == last and not body:  # nothing after the last break (or no text at all)
            break
        end = pos + len(body)
        lines.append(Line(pos, end, body, body.strip(), form_feed))
        if k < last:
            brk = parts[k + 1]
            form_feed = brk == "\f"
            pos = end + len(brk)
    return lines


_TAGS_ONLY = re.compile(r"(?:</?(?:ul|ol|li|p|div)[^>]*>\s*)+", re.IGNORECASE)


# What a page mark, table rule or run of tags opens with (after spaces), digits aside.
_MARK_OPENERS = frozenset("-pP|:<")


def is_noise_line(stripped: str) -> bool:
    """A page number or mark, a logo's words, a table rule or HTML list tags alone."""
    first = stripped[:1]
    if len(stripped) > 45 and first.isalpha() and first not in "pP":
        return False  # longer than any logo, and no page mark, table rule or tag
    low = stripped.lower().strip(" .")
    if first not in _MARK_OPENERS and not first.isdecimal() and not first.isspace():
        return low in LOGO_LINES  # no page mark, table rule or tag opens so
    return (
        bool(PAGE_MARK.match(stripped))
        or low in LOGO_LINES
        or bool(TABLE_RULE.match(stripped))
        or bool(_TAGS_ONLY.fullmatch(stripped))
    )


def wrap_width(lines: list[Line]) -> int:
    """The width a hard-wrapped letter was wrapped at, or 0 when lines are paragraphs."""
    lengths = sorted(len(ln.text.rstrip()) for ln in lines if ln.stripped)
    if len(lengths) < 8:
        return 0
    p90 = lengths[int(len(lengths) * 0.9)]
    longest = lengths[-1]
    if p90 <= 100 and longest <= 120:
        return p90
    return 0


# A hyphen (or soft hyphen) at a line's end, and the word the next line opens with.
_LINE_END_HYPHEN = re.compile(r"[-\u00ad][ \t]*(?:\r\n|\r|\n|\f)\s*([^\W\d_][\w'’]*)")
_HEAD = re.compile(r"(?<![\w'’])[^\W\d_][\w'’]*$")


def line_end_breaks(text: str) -> list[tuple[int, int, str, str]]:
    """Each word, hyphen at a line end and word after it: (start, end, head, tail)."""
    found = []
    for m in _LINE_END_HYPHEN.finditer(text):
        head = _HEAD.search(text, max(0, m.start() - 60), m.start())
        if head:
            found.append((head.start(), m.end(), head.group(0), m.group(1)))
    return found


_WORD = re.compile(r"[^\W\d_][\w'’]*")
# After these a hyphen at a line end is a suspended one: "16- and 17-year-olds".
_LAST_WORD_HYPHEN = re.compile(r"([^\W\d_][\w'’]*)-$")
_SUSPENDED_BEFORE = {"and", "or", "to", "nor"}


class WordBreaks:
    """What a document's own words say about the hyphens at its line ends.

    Ofsted sets its documents without breaking words at line ends, so such a hyphen is
    nearly always a real one ("honour-" + "based", "under-" + "developed"). It is a word
    break only on the document's evidence: the document breaks words, shown by two
    different breaks whose pieces are no words of their own while the whole word stands
    elsewhere ("chil-" + "dren" with "children", "ser-" + "vices" with "services"; one
    such break, "hot-" + "spots" beside "hotspots", is the author's spelling). In such a
    document, a break whose second piece is no word of the document is one ("lead-" +
    "ers"). A compound the document writes with its hyphen inside a
    line, and a break before a word of the document (a plural counts: "agency" where it
    writes "agencies"), keep the hyphen.
    """

    def __init__(self, text: str) -> None:
        breaks = line_end_breaks(text)
        # The document with its breaks taken out: what it writes whole.
        pieces, pos = [], 0
        for start, end, _, _ in breaks:
            pieces.append(text[pos:start])
            pos = end
        pieces.append(text[pos:])
        self.whole = " ".join(pieces).lower()
        # A break is proven only where its whole word is text of the document (as every
        # word of it is) and is no compound: with fewer than two such, none is looked up
        # among the document's words, which are then never gathered (the slow part).
        maybe = {
            f"{h}{t}".lower()
            for _, _, h, t in breaks
            if f"{h}{t}".lower() in self.whole and not self._compound(h, t)
        }
        proven = (
            {f"{h}{t}".lower() for _, _, h, t in breaks if self._proven(h, t)}
            if len(maybe) >= 2
            else set()
        )
        self.breaks_words = len(proven) >= 2

    @cached_property
    def words(self) -> set[str]:
        """The document's words (its breaks taken out, in lower case): those of each
        different run of non-spaces (no word holds a space), so a word said a hundred
        times is read once. Gathered at the first look-up."""
        return set(_WORD.findall(" ".join(set(self.whole.split()))))

    def _compound(self, head: str, tail: str) -> bool:
        """Whether the document writes "head-tail" with its hyphen inside a line."""
        return f"{head}-{tail}".lower() in self.whole

    def _proven(self, head: str, tail: str) -> bool:
        """A break the document proves: the whole word is elsewhere and neither piece is
        a word of its own ("chil-" + "dren", with "children" elsewhere)."""
        return (
            not self._compound(head, tail)
            and not self._is_word(head)
            and not self._is_word(tail)
            and f"{head}{tail}".lower() in self.words
        )

    def _is_word(self, word: str) -> bool:
        """Whether the document uses `word` on its own, singular or plural ("agency" when
        it writes "agencies")."""
        w = word.lower()
        stem = w[:-1] if w.endswith("y") else w
        return any(f in self.words for f in (w, f"{w}s", f"{w}es", f"{stem}ies", w[:-1]))

    def is_word_break(self, head: str, tail: str) -> bool:
        """Whether "head-" at a line end and "tail" after it are one word broken in two."""
        # A document that does not break words breaks none: its words are not asked.
        return self.breaks_words and not self._compound(head, tail) and not self._is_word(tail)


@lru_cache(maxsize=8)
def word_breaks(text: str) -> WordBreaks:
    """The document's evidence on its line-end hyphens (kept for a few documents)."""
    return WordBreaks(text)


# A list mark that opens a sub-item inside an item ("This includes:" then "− ensuring
# ..."): the minus sign, a box-drawing line, a bullet glyph or a private-use glyph (a
# symbol font's dash or bullet). It goes as the item's own mark does.
SUB_MARK = re.compile(r"^\s*(?:[−─•▪●◦‣∙·■□➢►▶◆❖→◼]|[\ue000-\uf8ff])\s+(?=\S)")
# A dash opens a sub-item only in a list (after a lead-in ending in a colon, or after
# another sub-item); elsewhere a line may start with a dash that the line break moved.
SUB_DASH = re.compile(r"^\s*[-–—]\s+(?=\S)")


def join_parts(parts: list[str], text: str = "") -> str:
    """Join the wrapped lines of one item: single spaces, sub-item marks removed.

    A hyphen at a line end is kept ("multi-/agency" is "multi-agency", "post-/16" is
    "post-16"), and so is the space after a suspended one ("16-/and 17-year-olds"); it
    is dropped only where the document shows a word break (see :class:`WordBreaks`; a
    soft hyphen U+00AD is always one). A line of the item after its first that opens
    with a list mark (:data:`SUB_MARK`, or a dash after a colon or another sub-item)
    loses the mark.
    """
    out = ""
    in_list = False
    for part in parts:
        if out:
            mark = SUB_MARK.match(part) or ((in_list or out.endswith(":")) and SUB_DASH.match(part))
            if mark:
                part = part[mark.end() :]
                in_list = True
        part = " ".join(part.split())
        if not part:
            continue
        if not out:
            out = part
            continue
        if out.endswith("\u00ad"):
            out = out[:-1] + part
            continue
        m = _LAST_WORD_HYPHEN.search(out[-60:]) if out.endswith("-") else None
        tail_m = _WORD.match(part)
        if m and tail_m and tail_m.group(0).lower() not in _SUSPENDED_BEFORE:
            breaks = word_breaks(text) if text else None
            if breaks and breaks.is_word_break(m.group(1), tail_m.group(0)):
                out = out[:-1] + part
            else:
                out = out + part
        elif m and part[:1].isdigit():
            out = out + part
        else:
            out = f"{out} {part}"
    return out


def clean_span(raw: str, text: str = "") -> str:
    """The finding text a reviewer means when they select raw letter text: layout removed
    (the page furniture of the whole letter is left out before, by `SpanCleaner`)."""
    parts = []
    for line in re.split(r"\r\n|\r|\n|\f", HTML_TAG.sub(" ", raw)):
        st = line.strip()
        if not st or is_noise_line(st):
            continue
        m = BULLET.match(line)
        if m:
            line = line[m.end() :]
        line = INLINE_BULLET.sub(" ", line).replace("|", " ")
        parts.append(line)
    return join_parts(parts, text)


_TRAILING_NUMBER = re.compile(r"(?:^|\s)(\d{1,3})\s*$")


def page_breaks(lines: Sequence[Line]) -> list[int]:
    """The indexes of the lines a page break (a form feed) comes before, in order."""
    return list(compress(range(len(lines)), map(attrgetter("page_break_before"), lines)))


def pages(lines: list[Line], breaks: list[int] | None = None) -> list[range]:
    """The line ranges of the document's pages (a form feed starts a new page); `breaks`
    is `page_breaks(lines)`, where the caller has it."""
    if breaks is None:
        breaks = page_breaks(lines)
    starts = [0] + [i for i in breaks if i]
    return [range(a, b) for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]


def page_furniture(lines: list[Line], top: int = 4, breaks: list[int] | None = None) -> set[int]:
    """Running headers and page numbers told by where they stand, not by repetition.

    A page's furniture is the lines from its top down to its page number: the number
    stands alone or ends a header line ("3 to 7 November 2025 2") among the first `top`
    lines with text, and counts pages in step with the document's other pages (the same
    offset from the page's position, so a report numbered from its second page is read
    right; at least two pages must agree). A bare page number at a page's foot is
    furniture too, and on a page of a few lines whose last line is its number, only that
    line is. Lines elsewhere are
    content however often they repeat: grade lines, headings, table cells.
    """
    spans = pages(lines, breaks)
    # Each page's lines with text, as far as they are asked for: its first `top` (for the
    # number) and last two (for the number at its foot and `_edge_repeats`).
    with_text = [_ends_with_text(lines, span, max(top, 2), 2) for span in spans]
    found: list[tuple[int, int, int]] = []  # (page, line, offset of its number)
    for k, texts in enumerate(with_text):
        for i in texts[:top]:
            st = lines[i].stripped
            m = _TRAILING_NUMBER.search(st)
            if m and len(st) <= 110 and not BULLET.match(lines[i].text):
                found.append((k, i, int(m.group(1)) - (k + 1)))
                break
    offsets = Counter(off for _, _, off in found)
    if not offsets or offsets.most_common(1)[0][1] < 2:
        return _edge_repeats(lines, with_text)  # one page's number proves nothing
    usual = offsets.most_common(1)[0][0]
    furniture: set[int] = set()
    numbered: set[int] = set()
    for k, i, off in found:
        if off == usual:
            last = with_text[k][-1]
            furniture.update([i] if i == last else (j for j in spans[k] if j <= i))
            numbered.add(k)
    furniture |= _edge_repeats(lines, with_text)
    for k, texts in enumerate(with_text):
        if k in numbered:
            continue
        if texts:
            m = PAGE_MARK.match(lines[texts[-1]].stripped)
            digits = _DIGITS.findall(lines[texts[-1]].stripped)
            if m and digits and int(digits[0]) - (k + 1) == usual:
                furniture.add(texts[-1])
    return furniture


_DIGITS = re.compile(r"\d+")


def _ends_with_text(lines: list[Line], span: range, head: int, tail: int) -> list[int]:
    """The first `head` and last `tail` lines with text in `span`, in order (all of them
    when there are no more than that)."""
    first: list[int] = []
    k = span.start
    while k < span.stop and len(first) < head:
        if lines[k].stripped:
            first.append(k)
        k += 1
    last: list[int] = []
    j = span.stop - 1
    while j >= k and len(last) < tail:
        if lines[j].stripped:
            last.append(j)
        j -= 1
    return first + last[::-1]


def _edge_repeats(lines: list[Line], with_text: list[list[int]], edge: int = 2) -> set[int]:
    """Lines that open or close at least three pages (and a third of them) with the same
    words, numbers aside: a running header or footer of a document without page numbers.
    Only a page's first and last `edge` lines with text are looked at (`with_text`: each
    page's first and last lines with text, `_ends_with_text`)."""
    if len(with_text) < 3:
        return set()
    slots: dict[str, list[int]] = {}
    for texts in with_text:
        seen: set[str] = set()
        for i in [*texts[:edge], *texts[-edge:]]:
            key = _DIGITS.sub("#", lines[i].stripped)
            if BULLET.match(lines[i].text) or len(key) > 110 or key in seen:
                continue
            seen.add(key)
            slots.setdefault(key, []).append(i)
    need = max(3, len(with_text) // 3)
    return {i for found in slots.values() if len(found) >= need for i in found}
