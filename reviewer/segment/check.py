"""Invariants a document must keep, shared by the tests, `validate` and the reviewer."""

from __future__ import annotations

import re

from reviewer.model import Document

_NOT_WORD = re.compile(r"[\W_]+")


def squeeze(text: str) -> str:
    """Letters and digits only, lower case: what a finding's words are, whatever the layout."""
    return _NOT_WORD.sub("", text).lower()


def slice_holds(piece: str, text: str) -> bool:
    """Whether a slice of the letter holds a finding's text.

    Bullets, line wraps, hyphenated breaks and table pipes are layout, so the comparison is
    on letters and digits; a page break inside a finding may leave a running header in the
    slice, so the text need only appear in order, as long as the slice is not much longer.
    """
    if piece == text:
        return True  # as below, without the work (most findings of a long review)
    a, b = squeeze(piece), squeeze(text)
    if not b:
        return not a.strip()
    if b in a:
        return True
    if len(a) > 2 * len(b) + 200:  # room for a running header or two, not for another finding
        return False
    it = iter(a)
    return all(ch in it for ch in b)


def document_problems(doc: Document) -> list[str]:
    """Broken invariants: order, overlap, bounds, and slices that do not hold their text."""
    problems = []
    n = len(doc.text)
    prev_end = 0
    for i, f in enumerate(doc.findings):
        if not 0 <= f.start <= f.end <= n:
            problems.append(f"finding {i} ({f.id}) offsets {f.start}-{f.end} outside 0-{n}")
            continue
        if f.start < prev_end:
            problems.append(f"finding {i} ({f.id}) overlaps the one before")
        prev_end = f.end
        if not slice_holds(doc.text[f.start : f.end], f.text):
            problems.append(f"finding {i} ({f.id}) slice does not hold its text")
    return problems
