"""The document model shared by the segmenter, the annotation file and the reviewer UI."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SEGMENT_KINDS = (
    "sender",
    "date",
    "recipient",
    "salutation",
    "title",
    "paragraph",
    "heading",
    "finding",
    "closing",
    "signature",
    "copy",
    "noise",
)

FINDING_STATUSES = ("auto", "confirmed", "corrected", "added")


@dataclass(slots=True)
class Segment:
    """A typed span of the letter; segments are ordered and never overlap."""

    kind: str
    start: int
    end: int
    category: str | None = None
    section: str | None = None
    number: int | None = None


@dataclass(slots=True)
class Finding:
    """One finding: what the machine proposed and what the reviewer decided."""

    id: str
    category: str
    section: str
    text: str
    start: int
    end: int
    confidence: float = 1.0
    auto_category: str | None = None
    status: str = "auto"
    note: str = ""
    context_before: str = ""
    context_after: str = ""
    anchor: str = ""
    themes: tuple[str, ...] = ()
    responsible: str = ""  # area SEND reports: the body responsible for the action
    # The letter's own words at start..end when the reviewer rewrote `text`: what the
    # finding is anchored to when the letter changes, so the rewrite survives.
    letter_text: str = ""
    # Set on the second half of a split: the id it was cut from (not a machine finding).
    split_from: str = ""
    # Keys of the review file this program does not know, kept as they were on save.
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.auto_category is None:
            self.auto_category = self.category

    @property
    def reviewed(self) -> bool:
        return self.status != "auto"


@dataclass(slots=True)
class Document:
    """A segmented letter: its text, metadata, segments and findings."""

    text: str
    scheme: str
    metadata: dict[str, Any] = field(default_factory=dict)
    segments: list[Segment] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def finding_id(text: str, taken: set[str]) -> str:
    """A stable id from the finding's words, so re-segmenting gives the same ids.

    Findings with the same words get `-2`, `-3`... in order. Those suffixes are taken in
    order, so the first free one is found by galloping and halving instead of one by one:
    a letter with thousands of repeated lines stays linear.
    """
    import hashlib

    base = "f" + hashlib.sha1(" ".join(text.lower().split()).encode()).hexdigest()[:8]
    if base not in taken:
        taken.add(base)
        return base
    low, high = 1, 2  # base-low is taken (low 1 stands for the bare base)
    while f"{base}-{high}" in taken:
        low, high = high, high * 2
    while high - low > 1:  # base-low taken, base-high free
        mid = (low + high) // 2
        if f"{base}-{mid}" in taken:
            low = mid
        else:
            high = mid
    fid = f"{base}-{high}"
    taken.add(fid)
    return fid
