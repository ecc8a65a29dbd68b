"""Where a finding's edges can move to: the word and sentence boundaries of a letter.

Pure text logic, no UI: the session asks for the next or previous edge from an offset and
checks the result against the other findings. Offsets index the letter's own text.

A word is a run of non-space characters (its punctuation comes with it), except a lone
list marker ("▪", "•", "-"). A sentence ends at . ! ? (with any closing quotes or brackets)
before a space, unless the word is an abbreviation ("e.g.", "Mr.", "No. 3"), an initial
("J. Smith") or a decimal ("2.5" never has a space after its point); a blank line or the
start of a list item ends one too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reviewer.segment.lines import BULLET, INLINE_BULLET

# How far around an offset the sentence boundaries are looked for at first; the window
# doubles until one is found, so a 5 MB letter is not scanned for every key press.
WINDOW = 4000

_WORD = re.compile(r"\S+")
_SENTENCE_END = re.compile(r"(\S*?)([.!?])([\"'”’)\]]*)(?=\s|$)")
_BLANK_LINE = re.compile(r"\n[ \t\r\f]*\n")
_LINE_START = re.compile(r"^|\n")

# Abbreviations that never end a sentence (lower case, with their point).
_NEVER_END = frozenset(
    {"e.g.", "i.e.", "eg.", "ie.", "mr.", "mrs.", "ms.", "dr.", "no.", "nos.", "st.", "cf."}
    | {"vs.", "viz.", "cllr.", "prof.", "rev.", "fig.", "para.", "paras.", "ref."}
)
# Abbreviations that end a sentence only when a capital follows ("... and so on etc. The").
_MAYBE_END = frozenset({"etc.", "a.m.", "p.m.", "approx.", "inc.", "ltd.", "co.", "dept."})
_OPENERS = "\"'“‘([{"


@dataclass(frozen=True, slots=True)
class Gap:
    """The space between two sentences: `end` is where the first one ends (after its
    punctuation), `start` where the next one begins (past any list marker)."""

    end: int
    start: int


def _is_marker(word: str) -> bool:
    """A lone list marker ("▪", "-"), as the segmenter knows them; "1." is a word."""
    return not any(c.isalnum() for c in word) and BULLET.match(word + " x") is not None


def _words(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """The words (start, end) of text[lo:hi], list markers left out."""
    return [(m.start(), m.end()) for m in _WORD.finditer(text, lo, hi) if not _is_marker(m[0])]


def _word_spans_around(text: str, offset: int, forward: bool) -> list[tuple[int, int]]:
    """Words on one side of an offset, nearest last (backward) or first (forward), at least
    two of them unless the text runs out."""
    size = 200
    while True:
        if forward:
            hi = min(len(text), offset + size)
            # a word cut by the window's edge would look shorter than it is
            while hi < len(text) and not text[hi].isspace():
                hi += 1
            words = _words(text, offset, hi)
            if len(words) >= 2 or hi >= len(text):
                return words
        else:
            lo = max(0, offset - size)
            while lo > 0 and not text[lo - 1].isspace():
                lo -= 1
            words = _words(text, lo, offset)
            if len(words) >= 2 or lo <= 0:
                return words
        size *= 2


def next_word_end(text: str, offset: int) -> int | None:
    """The end of the first word that ends after `offset` (the end takes in one more word)."""
    for _, end in _word_spans_around(text, offset, forward=True):
        if end > offset:
            return end
    return None


def previous_word_end(text: str, offset: int) -> int | None:
    """The end of the word before the last one that ends by `offset` (the end drops a word)."""
    words = [w for w in _word_spans_around(text, offset, forward=False) if w[1] <= offset]
    return words[-2][1] if len(words) >= 2 else None


def next_word_start(text: str, offset: int) -> int | None:
    """The start of the first word that starts after `offset` (the start drops a word)."""
    for start, _ in _word_spans_around(text, offset, forward=True):
        if start > offset:
            return start
    return None


def previous_word_start(text: str, offset: int) -> int | None:
    """The start of the last word that starts before `offset` (the start takes in a word)."""
    words = [w for w in _word_spans_around(text, offset, forward=False) if w[0] < offset]
    return words[-1][0] if words else None


# -- sentences -------------------------------------------------------------------------------


def _ends_sentence(m: re.Match[str], text: str) -> bool:
    word = (m[1] + m[2]).lstrip(_OPENERS).lower()
    if m[2] != ".":
        return True
    if word in _NEVER_END:
        return False
    if re.fullmatch(r"[a-z]\.", word) and m[1][-1:].isupper():
        return False  # an initial: "J. Smith"
    rest = text[m.end() : m.end() + 40].lstrip()
    capital_next = bool(rest) and (rest[0].isupper() or rest[0] in _OPENERS)
    if word in _MAYBE_END or "." in word[:-1]:
        return capital_next or not rest  # "a.m." or "U.K." mid-sentence
    return True


def _skip_space(text: str, i: int, hi: int) -> int:
    while i < hi and text[i].isspace():
        i += 1
    return i


def _trim_back(text: str, i: int, lo: int) -> int:
    while i > lo and text[i - 1].isspace():
        i -= 1
    return i


def _item_gaps(text: str, lo: int, hi: int) -> list[Gap]:
    """Gaps before list items: a bullet or number starting a line, or a bullet between
    spaces inside one (as PDF extraction leaves a list)."""
    gaps = []
    for m in INLINE_BULLET.finditer(text, lo, hi):
        p = m.start()
        if (p == 0 or text[p - 1].isspace()) and text[m.end() : m.end() + 1].isspace():
            gaps.append(Gap(_trim_back(text, p, lo), _skip_space(text, m.end(), hi)))
    for m in _LINE_START.finditer(text, lo, hi):
        p = m.end()
        line_end = text.find("\n", p, hi)
        item = BULLET.match(text[p : hi if line_end < 0 else line_end])
        if item is not None:
            gaps.append(Gap(_trim_back(text, p, lo), p + item.end()))
    return gaps


def sentence_gaps(text: str, lo: int, hi: int) -> list[Gap]:
    """The gaps between sentences that lie in text[lo:hi], in order, touching ones merged."""
    raw: list[Gap] = []
    for m in _SENTENCE_END.finditer(text, lo, hi):
        if _ends_sentence(m, text):
            after = m.end()
            raw.append(Gap(after, _skip_space(text, after, hi)))
    for m in _BLANK_LINE.finditer(text, lo, hi):
        raw.append(Gap(_trim_back(text, m.start(), lo), _skip_space(text, m.end(), hi)))
    raw.extend(_item_gaps(text, lo, hi))
    raw.sort(key=lambda g: (g.end, g.start))
    gaps: list[Gap] = []
    for g in raw:
        if gaps and g.end <= gaps[-1].start:
            last = gaps[-1]
            gaps[-1] = Gap(min(last.end, g.end), max(last.start, g.start))
        else:
            gaps.append(g)
    return gaps


def _gaps_near(text: str, offset: int, forward: bool, found) -> int | None:
    """Search windows growing away from `offset` until `found(gaps)` gives an answer."""
    size = WINDOW
    while True:
        lo = max(0, offset - (0 if forward else size))
        hi = min(len(text), offset + (size if forward else 0) + 1)
        # a window edge must not cut a sentence end or a list marker in two
        lo, hi = max(0, lo - 50), min(len(text), hi + 50)
        answer = found(sentence_gaps(text, lo, hi))
        if answer is not None or (hi == len(text) if forward else lo == 0):
            return answer
        size *= 2


def next_sentence_end(text: str, offset: int) -> int | None:
    """Where the sentence ends that goes on past `offset`, or the next one if one ends
    right there (the end takes in a sentence); the letter's last words end one too."""

    def found(gaps: list[Gap]) -> int | None:
        return next((g.end for g in gaps if g.end > offset), None)

    end = _gaps_near(text, offset, True, found)
    if end is None:
        last = _trim_back(text, len(text), 0)
        end = last if last > offset else None
    return end


def previous_sentence_end(text: str, offset: int) -> int | None:
    """The end of the sentence before the one that ends at (or runs to) `offset`."""

    def found(gaps: list[Gap]) -> int | None:
        return next((g.end for g in reversed(gaps) if g.end < offset), None)

    return _gaps_near(text, offset, False, found)


def next_sentence_start(text: str, offset: int) -> int | None:
    """The start of the first sentence that starts after `offset` (the start drops one)."""

    def found(gaps: list[Gap]) -> int | None:
        return next((g.start for g in gaps if g.start > offset), None)

    return _gaps_near(text, offset, True, found)


def previous_sentence_start(text: str, offset: int) -> int | None:
    """The start of the sentence before `offset` (the start takes in a sentence); the
    letter's first words start one too."""

    def found(gaps: list[Gap]) -> int | None:
        return next((g.start for g in reversed(gaps) if g.start < offset), None)

    start = _gaps_near(text, offset, False, found)
    if start is None:
        first = _skip_space(text, 0, len(text))
        start = first if first < offset else None
    return start


# -- a finding's edge ------------------------------------------------------------------------


def moved_edge(text: str, start: int, end: int, edge: str, unit: str, step: int) -> int | None:
    """The new offset of a span's `edge` ("start" or "end") moved one `unit` ("word" or
    "sentence") forward (`step` 1) or back (-1); None when it cannot move (the span would
    be empty or the letter ends). Neighbouring findings are the caller's to check."""
    if edge not in ("start", "end") or unit not in ("word", "sentence") or step not in (1, -1):
        raise ValueError(f"cannot move the {edge} by {step} {unit}")
    moves = {
        ("end", "word", 1): next_word_end,
        ("end", "word", -1): previous_word_end,
        ("start", "word", 1): next_word_start,
        ("start", "word", -1): previous_word_start,
        ("end", "sentence", 1): next_sentence_end,
        ("end", "sentence", -1): previous_sentence_end,
        ("start", "sentence", 1): next_sentence_start,
        ("start", "sentence", -1): previous_sentence_start,
    }
    new = moves[(edge, unit, step)](text, end if edge == "end" else start)
    if new is None:
        return None
    a, b = (start, new) if edge == "end" else (new, end)
    if not text[a:b].strip():
        return None
    return new
