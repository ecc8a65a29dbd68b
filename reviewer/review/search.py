"""Every hit of a search in a letter and in its findings' notes, in letter order.

Pure: no Textual import. Matching uses the `regex` module rather than `re` for two things a
typed pattern needs: a time limit, so a pattern that backtracks without end becomes an error
instead of a frozen reviewer, and matching that lets other threads (the UI) run meanwhile.
"""

from __future__ import annotations

import bisect
import functools
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from reviewer.errors import ReviewerError
from reviewer.model import Finding
from reviewer.sanitize import sanitize_line

if TYPE_CHECKING:
    from types import ModuleType

LIMIT = 1000  # hits listed at most
TIMEOUT = 2.0  # seconds one search may take
BEFORE = 40  # characters of context before a match in its snippet
WIDTH = 100  # characters of a snippet at most (before the ellipses)


@functools.cache
def _rx() -> ModuleType:
    """The `regex` module, imported at the first search: the reviewer's first screen does
    without it, and its import is a good part of a start-up."""
    import regex

    return regex


@functools.cache
def _spaces():
    return _rx().compile(r"\s+")


class SearchError(ReviewerError):
    """A search that cannot run: a bad regex, or one that takes too long."""


@dataclass(frozen=True, slots=True)
class Query:
    """What is searched for, with the two toggles that change how it matches."""

    text: str
    case_sensitive: bool = False
    regex: bool = False


@dataclass(frozen=True, slots=True)
class Hit:
    """One match. `start`/`end` are offsets in the display text: the match itself, or for a
    note the span of the finding whose note matched. `mark` is the match inside `snippet`."""

    start: int
    end: int
    finding: int | None  # index in the findings; None for letter text outside every finding
    where: Literal["letter", "note"]
    snippet: str
    mark: tuple[int, int]

    @property
    def key(self) -> tuple[int, int]:
        """Where the hit is in the order of hits: a note comes before its finding's text."""
        return (self.start, 0 if self.where == "note" else 1)


def compile_query(query: str, *, case_sensitive: bool = False, regex_mode: bool = False):
    """The pattern for a query: its literal text, or the regex it is; SearchError if bad."""
    rx = _rx()
    flags = rx.V0 | (0 if case_sensitive else rx.IGNORECASE)
    try:
        return rx.compile(query if regex_mode else rx.escape(query), flags)
    except (rx.error, ValueError, OverflowError, RecursionError) as err:
        raise SearchError(f"Not a valid regex: {_flat(str(err))}") from None


def find_hits(
    text: str,
    findings: Sequence[Finding],
    query: str,
    *,
    case_sensitive: bool = False,
    regex: bool = False,
    limit: int | None = LIMIT,
    timeout: float = TIMEOUT,
) -> list[Hit]:
    """The first `limit` hits (None: all) of `query` in letter order: matches in `text` (the
    display text), and a finding's note once if it matches, placed at its finding. Orphan
    findings (not in the letter) are left out; so are empty matches, which have nothing to
    show. SearchError for a bad regex or one that runs past `timeout` seconds."""
    if not query or (limit is not None and limit <= 0):
        return []
    pattern = compile_query(query, case_sensitive=case_sensitive, regex_mode=regex)
    deadline = time.monotonic() + timeout
    placed = sorted((f.start, f.end, i) for i, f in enumerate(findings) if f.anchor != "orphan")
    starts = [p[0] for p in placed]

    def holder(offset: int) -> int | None:
        k = bisect.bisect_right(starts, offset) - 1
        if k >= 0 and offset < max(placed[k][1], placed[k][0] + 1):
            return placed[k][2]
        return None

    hits: list[Hit] = []
    for m in _matches(pattern, text, deadline, query):
        snippet, mark = _snippet(text, m.start(), m.end())
        hits.append(Hit(m.start(), m.end(), holder(m.start()), "letter", snippet, mark))
        if limit is not None and len(hits) >= limit:
            break  # the later letter matches all come after these
    for start, end, i in placed:
        note = findings[i].note
        if not note:
            continue
        m = next(_matches(pattern, note, deadline, query), None)
        if m is not None:
            snippet, mark = _snippet(note, m.start(), m.end())
            hits.append(Hit(start, end, i, "note", snippet, mark))
    hits.sort(key=lambda h: h.key)
    return hits[:limit]


def _matches(pattern, text: str, deadline: float, query: str):
    """The non-empty matches of `pattern` in `text`, within the search's time."""
    left = deadline - time.monotonic()
    try:
        if left <= 0:
            raise TimeoutError
        for m in pattern.finditer(text, concurrent=True, timeout=left):
            if m.end() > m.start():
                yield m
    except TimeoutError:
        raise SearchError("The search took too long; make the regex simpler") from None


def _flat(text: str) -> str:
    """One line: control characters made visible, every run of white space one space."""
    return _spaces().sub(" ", sanitize_line(text))


def _snippet(text: str, start: int, end: int) -> tuple[str, tuple[int, int]]:
    """A one-line excerpt around text[start:end] and where that match lies in it."""
    a = max(0, start - BEFORE)
    if a > 0:  # begin at a word, not inside one
        space = text.find(" ", a, start)
        a = space + 1 if space != -1 else a
    before = _flat(text[a:start]).lstrip()
    match = _flat(text[start:end])[:WIDTH]
    room = max(0, WIDTH - len(before) - len(match))
    b = min(len(text), end + room)
    after = _flat(text[end:b]).rstrip()
    lead = "…" if a > 0 else ""
    tail = "…" if b < len(text) else ""
    head = lead + before
    return head + match + after + tail, (len(head), len(head) + len(match))


__all__ = ["LIMIT", "TIMEOUT", "Hit", "Query", "SearchError", "compile_query", "find_hits"]
