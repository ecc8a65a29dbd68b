"""Find review findings again after the letter they point into has been edited.

A finding remembers its cleaned text, its offsets in the old letter and a little raw context.
When the letter changes, offsets go stale, line breaks move and PDF hyphenation comes and goes,
so matching is done on a *folded* copy of the letter: whitespace runs (and table bars) become
one space, line-end and in-word hyphens disappear, bullet marks are dropped and typographic
quotes become plain.  Every folded character remembers its raw offset, so a match maps straight
back to the letter.  Layout the cleaner removed from a finding (page headers, list numbers, HTML
tags) may sit between its words in the letter; such gaps still count as an exact match when they
start on a new line or are only tags and list marks.

Statuses, from most to least certain:

``unchanged``  the finding is at its old offsets with the same words;
``moved``      the same words were found exactly somewhere else;
``changed``    only a fuzzy match was found; ``new_text`` holds the words now there;
``orphan``     nothing similar enough is left; the placement's offsets are ``-1`` (a review
               file keeps such a finding with ``anchor = "orphan"`` at offsets 0..0, see
               :mod:`reviewer.review.reanchor`).
"""

from __future__ import annotations

import bisect
import heapq
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Final, Literal

__all__ = [
    "CHANGED",
    "MOVED",
    "ORPHAN",
    "UNCHANGED",
    "Anchor",
    "Placement",
    "Status",
    "clean_text",
    "normalise",
    "reanchor",
]

Status = Literal["unchanged", "moved", "changed", "orphan"]
UNCHANGED: Final = "unchanged"
MOVED: Final = "moved"
CHANGED: Final = "changed"
ORPHAN: Final = "orphan"


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a finding was: cleaned text, offsets into the old letter, raw context around it."""

    text: str
    start: int
    end: int
    context_before: str = ""
    context_after: str = ""


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a finding is now; see the module docstring for what each status means."""

    status: Status
    start: int
    end: int
    score: float
    new_text: str | None = None


_ORPHAN = Placement(ORPHAN, -1, -1, 0.0, None)

_TOKEN = re.compile(r"[^\s|]+")
_WORD = re.compile(r"\w{3,}")
_WORD_CHAR = re.compile(r"\w")
_HYPHENS = "-\u2010\u2011"
_SOFT_HYPHEN = "\u00ad"
# A token made only of list marks or dashes carries no words.
_BULLET = re.compile(
    r"[\u2022\u2023\u2043\u2219\u25aa\u25ab\u25a0\u25a1\u25cf\u25e6\u25fc\u00b7*\-\u2013\u2014"
    r"\uf0b7\uf0a7\uf06e\u27a2\u2713]+"
)
_QUOTES = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "\u201c": '"', "\u201d": '"'}
)
_HYPHENISH = re.compile("[" + re.escape(_SOFT_HYPHEN + _HYPHENS) + "]")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_LIST_MARK = re.compile(r"\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]|o")
# Whole lines: the gap both starts and ends with a line break.
_WHOLE_LINES = re.compile(r"[^\S\r\n\f]*[\r\n\f].*[\r\n\f]\s*", re.DOTALL)
_MASK = "\x00"
_CONTEXT_CHARS = 20  # folded context characters that must agree for "unchanged"
_MAX_OCCURRENCES = 1000
_MAX_GAP = 160  # folded characters of layout allowed between two words of a finding
_VOTERS = 8  # rarest words of a finding that vote on where it went
_VOTE_BUDGET = 1500  # word positions they may cast votes from
_COMMON = 300  # a word this frequent only votes when rarer ones are missing
_SEED_REGIONS = 3


@dataclass(slots=True)
class _Folded:
    text: str
    raw: list[int]  # raw offset of each character of text


def _fold(raw: str) -> _Folded:
    """Fold ``raw`` for matching, keeping each folded character's raw offset."""
    out: list[str] = []
    pos: list[int] = []
    gap = -1  # raw offset of the separator after the last kept token
    hyphen_pending = False  # the last kept token ends in a hyphen that may be a line break
    for m in _TOKEN.finditer(raw):
        tok, start = m.group(), m.start()
        if _BULLET.fullmatch(tok):
            continue
        offsets: Sequence[int]
        if _HYPHENISH.search(tok):
            piece, offsets = _unhyphenate(tok, start)
            if not piece:
                continue
        else:
            piece, offsets = tok, range(start, start + len(tok))
        if hyphen_pending and piece[0].isalpha():
            out[-1] = out[-1][:-1]
            pos.pop()
        elif out:
            out.append(" ")
            pos.append(gap)
        out.append(piece)
        pos.extend(offsets)
        hyphen_pending = _broken(piece)
        gap = m.end()
    return _Folded("".join(out).translate(_QUOTES), pos)


def _unhyphenate(tok: str, start: int) -> tuple[str, list[int]]:
    """Drop soft hyphens and hyphens between letters, so all spellings of a word agree."""
    chars: list[str] = []
    offsets: list[int] = []
    last = len(tok) - 1
    for k, ch in enumerate(tok):
        if ch == _SOFT_HYPHEN:
            continue
        if ch in _HYPHENS and 0 < k < last and tok[k - 1].isalpha() and tok[k + 1].isalpha():
            continue
        chars.append(ch)
        offsets.append(start + k)
    return "".join(chars), offsets


def _broken(word: str) -> bool:
    return len(word) > 1 and word[-1] in _HYPHENS and word[-2].isalpha()


def normalise(text: str) -> str:
    """The folded form used for matching: one space per whitespace run, no hyphenation."""
    return _fold(text).text


def clean_text(raw: str, hyphenated: frozenset[str] = frozenset()) -> str:
    """Readable one-line text of a letter slice: bullets dropped, line-end hyphens joined.

    A word broken as ``multi-`` / ``agency`` keeps its hyphen when ``multi-agency`` is in
    ``hyphenated`` (lower case), i.e. when the letter spells it that way elsewhere.
    """
    words: list[str] = []
    for tok in raw.replace(_SOFT_HYPHEN, "").split():
        if _BULLET.fullmatch(tok):
            continue
        if words and _broken(words[-1]) and tok[0].isalpha():
            head = words.pop()
            compound = re.findall(r"\w+", head)[-1] + "-" + re.findall(r"\w+", tok)[0]
            tok = (head if compound.lower() in hyphenated else head[:-1]) + tok
        words.append(tok)
    return " ".join(words)


def _common_prefix(a: str, b: str) -> int:
    return len(os.path.commonprefix([a, b]))


def _common_suffix(a: str, b: str) -> int:
    return len(os.path.commonprefix([a[::-1], b[::-1]]))


def _contexts_agree(anchor: Anchor, new_text: str) -> bool:
    """Whether the text around the old offsets still reads like the stored context."""
    start, end = anchor.start, anchor.end
    before = new_text[max(0, start - len(anchor.context_before)) : start]
    after = new_text[end : end + len(anchor.context_after)]
    old_b, new_b = normalise(anchor.context_before), normalise(before)
    old_a, new_a = normalise(anchor.context_after), normalise(after)
    if bool(old_b) != bool(new_b) or bool(old_a) != bool(new_a):
        return False
    kb = min(_CONTEXT_CHARS, len(old_b), len(new_b))
    ka = min(_CONTEXT_CHARS, len(old_a), len(new_a))
    return old_b[len(old_b) - kb :] == new_b[len(new_b) - kb :] and old_a[:ka] == new_a[:ka]


class _Spans:
    """Folded spans already given to findings, to keep placements from overlapping."""

    def __init__(self, anchors: Sequence[Anchor]) -> None:
        self._anchors = anchors
        self._items: list[tuple[int, int, int]] = []
        self._longest = 0

    def add(self, i: int, start: int, end: int) -> None:
        bisect.insort(self._items, (start, end, i))
        self._longest = max(self._longest, end - start)

    def blocking(self, i: int, start: int, end: int) -> list[tuple[int, int, int]]:
        """Taken spans meeting [start, end) whose findings did not overlap finding ``i`` before."""
        a = self._anchors[i]
        lo = bisect.bisect_left(self._items, (start - self._longest, -1, -1))
        hi = bisect.bisect_left(self._items, (end, -1, -1))
        found = []
        for s, e, j in self._items[lo:hi]:
            b = self._anchors[j]
            if s < end and start < e and not (a.start < b.end and b.start < a.end):
                found.append((s, e, j))
        return found


class _Matcher:
    def __init__(
        self,
        anchors: Sequence[Anchor],
        new_text: str,
        min_score: float,
        clean: Callable[[str], str] | None,
    ) -> None:
        self.anchors = anchors
        self.raw = new_text
        self.doc = _fold(new_text)
        self.min_score = min_score
        self.clean = clean
        self.needles = [normalise(a.text) for a in anchors]
        self.results: list[Placement | None] = [None] * len(anchors)
        self.taken = _Spans(anchors)
        self._known: list[tuple[int, int]] = []  # (old start, new start) of settled findings
        self._contexts: dict[int, tuple[str, str]] = {}
        self._words: dict[str, list[int]] | None = None
        self._hyphenated: frozenset[str] | None = None

    # --- coordinates and results -------------------------------------------------------------

    def to_folded(self, raw_offset: int) -> int:
        return bisect.bisect_left(self.doc.raw, raw_offset)

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        return self.doc.raw[start], self.doc.raw[end - 1] + 1

    def place(self, i: int, fstart: int, fend: int, score: float = 100.0) -> None:
        """Settle finding ``i`` on folded [fstart, fend); a score below 100 means changed."""
        a = self.anchors[i]
        start, end = self.to_raw(fstart, fend)
        if score < 100.0:
            result = Placement(CHANGED, start, end, score, self.cleaned(start, end))
        elif (start, end) == (a.start, a.end):
            result = Placement(UNCHANGED, start, end, 100.0, None)
        else:
            result = Placement(MOVED, start, end, 100.0, None)
        self.results[i] = result
        self.taken.add(i, fstart, fend)

    def cleaned(self, start: int, end: int) -> str:
        if self.clean is not None:
            return self.clean(self.raw[start:end])
        if self._hyphenated is None:
            found = re.findall(r"\w+[-\u2010\u2011]\w+", self.raw)
            self._hyphenated = frozenset(re.sub("[\u2010\u2011]", "-", w).lower() for w in found)
        return clean_text(self.raw[start:end], self._hyphenated)

    def remember_settled(self) -> None:
        self._known = sorted(
            (a.start, r.start) for a, r in zip(self.anchors, self.results, strict=True) if r
        )

    def expected(self, i: int) -> int:
        """Folded offset where finding ``i`` should be if it shifted like its neighbours."""
        old = self.anchors[i].start
        k = bisect.bisect_right(self._known, (old, float("inf")))
        if self._known:
            was, now = self._known[k - 1] if k else self._known[0]
            old += now - was
        return self.to_folded(min(max(old, 0), len(self.raw)))

    # --- exact matching, layout gaps allowed -------------------------------------------------

    def gapped_end(self, needle: str, at: int) -> int | None:
        """End of ``needle`` matched from folded ``at``, skipping layout between its words."""
        text, i, j, n = self.doc.text, at, 0, len(needle)
        while True:
            run = _common_prefix(text[i : i + n - j], needle[j:])
            i, j = i + run, j + run
            if j == n:
                return i
            back = j - (needle.rfind(" ", 0, j) + 1)
            i, j = i - back, j - back
            if j == 0:
                return None
            stop = needle.find(" ", j + 24)
            chunk = needle[j : stop if stop > 0 else n]
            limit = i + _MAX_GAP + len(chunk)
            q = text.find(chunk, i + 1, limit)
            while q > 0 and text[q - 1] != " ":
                q = text.find(chunk, q + 1, limit)
            if q < 0 or not self.layout_gap(i, q):
                return None
            i = q

    def layout_gap(self, start: int, end: int) -> bool:
        """Whether folded [start, end) is layout: whole lines, or only tags and list marks."""
        gap = self.raw[self.doc.raw[start - 1] : self.doc.raw[end]]
        if _WHOLE_LINES.fullmatch(gap):
            return True
        return all(_LIST_MARK.fullmatch(t) for t in _HTML_TAG.sub(" ", gap).split())

    def occurrences(self, needle: str) -> list[tuple[int, int]]:
        found = [(at, at + len(needle)) for at in self.starts_of(needle, _MAX_OCCURRENCES)]
        if found or len(needle) < 24:
            return found
        stop = needle.find(" ", 24)
        head = needle[: stop if stop > 0 else len(needle)]
        for at in self.starts_of(head):
            if len(found) >= _MAX_OCCURRENCES:
                break
            end = self.gapped_end(needle, at)
            if end is not None:
                found.append((at, end))
        return found

    def starts_of(self, part: str, most: int | None = None) -> list[int]:
        """Where ``part`` occurs in the folded letter (overlaps included), in order; the
        first ``most`` of them.

        A word of ``part`` with a word character neither before nor after it is that
        same whole word wherever ``part`` occurs, so only the places of the rarest such
        word (from the letter's word index) are checked, instead of a search of the
        whole letter for each finding (findings times letter size, at 19 MB minutes)."""
        text = self.doc.text
        index = self.words()
        best: list[int] | None = None
        offset = 0
        for m in _WORD.finditer(part):
            start, end = m.span()
            if start == 0 or end == len(part) or _WORD_CHAR.match(part, end):
                continue  # may be part of a longer word in the letter
            positions = index.get(m.group(), [])
            if best is None or len(positions) < len(best):
                best, offset = positions, start
        starts: list[int] = []
        if best is None:
            at = text.find(part)
            while at >= 0 and (most is None or len(starts) < most):
                starts.append(at)
                at = text.find(part, at + 1)
            return starts
        for p in best:
            if p >= offset and text.startswith(part, p - offset):
                starts.append(p - offset)
                if most is not None and len(starts) >= most:
                    break
        return starts

    def contexts(self, i: int) -> tuple[str, str]:
        """Finding ``i``'s stored context before and after it, folded."""
        if i not in self._contexts:
            a = self.anchors[i]
            self._contexts[i] = (normalise(a.context_before), normalise(a.context_after))
        return self._contexts[i]

    def context_score(self, i: int, start: int, end: int) -> int:
        """How many folded characters of stored context match around [start, end)."""
        before, after = self.contexts(i)
        text = self.doc.text
        left = text[max(0, start - len(before) - 1) : start].rstrip(" ")
        right = text[end : end + len(after) + 1].lstrip(" ")
        return _common_suffix(before, left) + _common_prefix(after, right)

    def pair(
        self, i: int, start: int, end: int, near: int
    ) -> tuple[tuple[int, bool, int], int, int, int]:
        """Finding ``i`` at [start, end) with its rank: best context first, then whole
        words, then nearest to where it is expected (``near``)."""
        key = (
            -self.context_score(i, start, end),
            not self.on_word_edges(start, end),
            abs(start - near),
        )
        return key, i, start, end

    def first_pair(
        self, i: int, found: list[tuple[int, int]], near: int
    ) -> tuple[tuple[int, bool, int], int, int, int]:
        """The best-ranked of finding ``i``'s candidates ``found`` (in order of start).

        Candidates are ranked outward from ``near``; the first with the whole stored
        context and on word edges is the best of all (no other can rank higher), so the
        rest are ranked only when none is."""
        before, after = self.contexts(i)
        full = -(len(before) + len(after))
        left = bisect.bisect_left(found, (near, -1)) - 1
        right = left + 1
        best = None
        while left >= 0 or right < len(found):
            # the nearer side next; at equal distance the left, whose start is smaller
            if right >= len(found) or (
                left >= 0 and near - found[left][0] <= found[right][0] - near
            ):
                start, end = found[left]
                left -= 1
            else:
                start, end = found[right]
                right += 1
            pair = self.pair(i, start, end, near)
            if best is None or pair < best:
                best = pair
            if pair[0][0] == full and not pair[0][1]:
                return best
        assert best is not None
        return best

    def on_word_edges(self, start: int, end: int) -> bool:
        text = self.doc.text
        return (start == 0 or text[start - 1] == " ") and (end == len(text) or text[end] == " ")

    # --- 1. still where it was ---------------------------------------------------------------

    def unchanged(self) -> None:
        for i, a in enumerate(self.anchors):
            needle = self.needles[i]
            if not needle or not 0 <= a.start < a.end <= len(self.raw):
                continue
            if not _contexts_agree(a, self.raw):
                continue
            fstart, fend = self.to_folded(a.start), self.to_folded(a.end)
            same = self.doc.text[fstart:fend] == needle
            if same or self.gapped_end(needle, fstart) == fend:
                self.results[i] = Placement(UNCHANGED, a.start, a.end, 100.0, None)
                self.taken.add(i, fstart, fend)

    # --- 2. the same words elsewhere ---------------------------------------------------------

    def exact(self) -> None:
        pending = [i for i, r in enumerate(self.results) if r is None and self.needles[i]]
        cache: dict[str, list[tuple[int, int]]] = {}
        for i in pending:
            if self.needles[i] not in cache:
                cache[self.needles[i]] = self.occurrences(self.needles[i])
        same_text = Counter(self.needles[i] for i in pending)

        # Words found once and wanted by one finding: settled, and a guide for the others.
        rest = []
        for i in pending:
            found = cache[self.needles[i]]
            alone = len(found) == 1 and same_text[self.needles[i]] == 1
            if alone and not self.taken.blocking(i, *found[0]):
                self.place(i, *found[0])
            elif found:
                rest.append(i)
        self.remember_settled()

        # Several candidates: best context first, then whole words, then nearest expected.
        # The (key, finding, start, end) pairs are taken in their sorted order, merged from
        # each finding's own ordered candidates: a finding's first is found by looking
        # outward from where it is expected, and its others are ranked only if that one is
        # taken. So words repeated all through a letter cost each finding its nearest
        # copies, not every copy (findings times copies grew with the square of the size).
        near = {i: self.expected(i) for i in rest}
        heap = [self.first_pair(i, cache[self.needles[i]], near[i]) for i in rest]
        heapq.heapify(heap)
        later: dict[int, Iterator[tuple[tuple[int, bool, int], int, int, int]]] = {}
        fallback: dict[int, tuple[int, int]] = {}
        while heap:
            pair = heapq.heappop(heap)
            _key, i, start, end = pair
            if self.results[i] is not None:
                continue
            if self.taken.blocking(i, start, end):
                fallback.setdefault(i, (start, end))
                if i not in later:
                    ranked = sorted(self.pair(i, s, e, near[i]) for s, e in cache[self.needles[i]])
                    later[i] = iter(ranked[ranked.index(pair) + 1 :])
                following = next(later[i], None)
                if following is not None:
                    heapq.heappush(heap, following)
            else:
                self.place(i, start, end)
        for i, (start, end) in fallback.items():
            needle = self.needles[i]
            if self.results[i] is not None:
                continue
            # Words that survive only inside another finding's match belong to that finding:
            # this one's own copy was deleted.  Any other overlap is unavoidable.
            if not any(
                needle in self.needles[j] or self.needles[j] in needle
                for _s, _e, j in self.taken.blocking(i, start, end)
            ):
                self.place(i, start, end)
        self.remember_settled()

    # --- 3. similar words near or anywhere ---------------------------------------------------

    def words(self) -> dict[str, list[int]]:
        if self._words is None:
            index: dict[str, list[int]] = {}
            for m in _WORD.finditer(self.doc.text):
                index.setdefault(m.group(), []).append(m.start())
            self._words = index
        return self._words

    def seeds(self, needle: str) -> list[int] | None:
        """Folded offsets where ``needle`` probably starts, voted for by its rarer words.

        ``None`` when the needle has no word to vote with.
        """
        index = self.words()
        terms = sorted(
            ((index[m.group()], m.start()) for m in _WORD.finditer(needle) if m.group() in index),
            key=lambda t: len(t[0]),
        )
        width = max(32, len(needle) // 4)
        votes: dict[int, int] = {}
        spent = voters = 0
        for positions, offset in terms[:_VOTERS]:
            common = len(positions) > _COMMON or spent + len(positions) > _VOTE_BUDGET
            if common and voters >= 2:
                break
            spent += len(positions)
            voters += 1
            for p in positions:
                bucket = (p - offset) // width
                votes[bucket] = votes.get(bucket, 0) + 1
        if not voters:
            return None
        get = votes.get
        smooth = Counter({b: get(b - 1, 0) + n + get(b + 1, 0) for b, n in votes.items()})
        chosen: list[int] = []
        for bucket, count in smooth.most_common():
            if count < 0.4 * voters or len(chosen) == _SEED_REGIONS:
                break
            if all(abs(bucket - c) > 1 for c in chosen):
                chosen.append(bucket)
        return [b * width for b in chosen]

    def masked(self, i: int, lo: int, hi: int) -> str:
        """Folded text [lo, hi) with the spans finding ``i`` must avoid blanked out."""
        text, parts, at = self.doc.text, [], lo
        for s, e, _j in self.taken.blocking(i, lo, hi):
            s, e = max(s, at), min(e, hi)
            if e > s:
                parts += [text[at:s], _MASK * (e - s)]
                at = e
        parts.append(text[at:hi])
        return "".join(parts)

    def align(self, i: int, lo: int, hi: int) -> tuple[float, int, int] | None:
        """Best (score, start, end) for finding ``i`` inside folded [lo, hi), on word edges."""
        needle = self.needles[i]
        lo, hi = max(0, lo), min(len(self.doc.text), hi)
        region = self.masked(i, lo, hi)
        if len(region) <= len(needle):
            s0, e0 = 0, len(region)
        else:
            from rapidfuzz import fuzz  # loaded when a finding is first looked for fuzzily

            found = fuzz.partial_ratio_alignment(
                needle, region, score_cutoff=max(0.0, self.min_score - 15)
            )
            if found is None or found.score == 0:
                return None
            s0, e0 = found.dest_start, found.dest_end
        score, s, e = _refine(needle, region, s0, e0)
        if score < self.min_score or e <= s:
            return None
        return score, lo + s, lo + e

    def fuzzy(self) -> None:
        for i, result in enumerate(self.results):
            needle = self.needles[i]
            if result is not None or not needle:
                continue
            size, near = len(needle), self.expected(i)
            slack = max(200, size)
            best = self.align(i, near - slack, near + size + slack)
            if best is None or best[0] < 100:
                starts = self.seeds(needle)
                if starts is None:
                    regions = [(0, len(self.doc.text))]
                else:
                    pad = max(64, size // 2)
                    regions = [(d - pad, d + size + pad) for d in starts]
                for lo, hi in regions:
                    got = self.align(i, lo, hi)
                    if got and (
                        best is None
                        or (got[0], -abs(got[1] - near)) > (best[0], -abs(best[1] - near))
                    ):
                        best = got
            if best is not None:
                score, s, e = best
                exact = self.doc.text[s:e] == needle
                self.place(i, s, e, 100.0 if exact else min(round(score, 1), 99.9))


def _edges(text: str, lo: int, hi: int, starts: bool) -> list[int]:
    """Word starts (or ends) of ``text`` within [lo, hi]; spaces and masks separate words."""
    lo, hi = max(0, lo), min(len(text), hi)
    found = []
    for k in range(lo, hi + 1):
        inside = k < len(text) and text[k] not in " \x00"
        before = k > 0 and text[k - 1] not in " \x00"
        if (inside and not before) if starts else (before and not inside):
            found.append(k)
    return found


def _refine(needle: str, text: str, s0: int, e0: int) -> tuple[float, int, int]:
    """Move a rough match [s0, e0) to the word edges that make it most like ``needle``."""
    reach = max(8, len(needle) // 3)
    starts = _edges(text, s0 - reach, s0 + reach, True) or [s0]
    ends = _edges(text, e0 - reach, e0 + reach, False) or [e0]
    s = min(starts, key=lambda k: abs(k - s0))
    e = min(ends, key=lambda k: abs(k - e0))

    from rapidfuzz import fuzz

    def score(a: int, b: int) -> float:
        return fuzz.ratio(needle, text[a:b]) if b > a else -1.0

    for _ in range(2):
        e = max(ends, key=lambda k: (score(s, k), -abs(k - e0)))
        s = max(starts, key=lambda k: (score(k, e), -abs(k - s0)))
    return score(s, e), s, e


def reanchor(
    old_anchors: Sequence[Anchor],
    new_text: str,
    *,
    min_score: float = 80.0,
    clean: Callable[[str], str] | None = None,
) -> list[Placement]:
    """Place every finding in ``new_text``: one :class:`Placement` per anchor, in order.

    Unchanged and exact matches are settled before fuzzy ones, and later placements avoid
    spans already given to findings that did not overlap in the old letter.  ``clean`` turns
    a raw slice into finding text for ``Placement.new_text`` (default :func:`clean_text`).
    """
    matcher = _Matcher(old_anchors, new_text, min_score, clean)
    matcher.unchanged()
    matcher.exact()
    matcher.fuzzy()
    return [r if r is not None else _ORPHAN for r in matcher.results]
