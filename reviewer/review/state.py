"""What a review session holds: the letter, its review and scheme, the files it is kept in,
the lock and crash journal, what happened on open; and the snapshot undo keeps of a review.

:class:`SessionState` is the base of :class:`reviewer.review.session.ReviewSession`; the
modules that do one job for the session (opening, corrections, saving) work on this state,
so none of them needs the session class itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from reviewer.model import Finding
from reviewer.review import annotation
from reviewer.review.annotation import Review
from reviewer.review.changes import Changed
from reviewer.review.journal import CrashJournal
from reviewer.review.store import Journal, Lock, OpLog
from reviewer.sanitize import sanitize
from reviewer.segment.scheme import Scheme
from reviewer.sources.letter import Letter

if TYPE_CHECKING:
    from reviewer.segment.families import SpanCleaner


# The letter as its pane shows it, and the offsets of the spaces that take no cell there.
Display = tuple[str, list[int]]


def display_of(text: str) -> Display:
    """A letter as its pane shows it: its paragraphs flowed (each soft line break a space)
    and sanitised, one character for one, so offsets into it are offsets into the letter;
    with the offsets of the spaces drawn with no width (`reviewer.segment.reflow`)."""
    from reviewer.segment.reflow import reflow

    shown, quiet = reflow(text)
    return sanitize(shown), quiet


@dataclass(slots=True)
class OpenReport:
    """What happened on open, for the UI to tell the reviewer."""

    resumed: bool = False
    letter_changed: bool = False
    reextracted: bool = False  # a PDF's text extracted anew (its saved text gone or different)
    moved: int = 0
    changed: int = 0
    orphans: int = 0
    journal_available: bool = False
    read_only_reason: str = ""
    broken_review: str = ""
    note: str = ""
    # The family was decided from the letter on open (its note says all there is to say),
    # so the header need not test the letter again.
    family_decided: bool = False


class State(NamedTuple):
    """A review's content at one moment, as undo and redo keep it."""

    findings: tuple[Finding, ...]
    letter: tuple[tuple[str, Any], ...]
    status: str
    note: str = ""


class Delta(NamedTuple):
    """A step of undo or redo that replaced findings in place: the findings it gives back
    (by index) and the head as it was. Kept instead of a :class:`State` when nothing was
    inserted or deleted, so a step at 178,000 findings holds one finding, not all of them."""

    rows: dict[int, Finding]
    letter: tuple[tuple[str, Any], ...]
    status: str
    note: str = ""


@dataclass(slots=True)
class Step:
    """The undo step a running change opened: what it must give back so far."""

    label: str
    findings: list[Finding]  # the list the change started with
    count: int
    head: tuple[tuple[tuple[str, Any], ...], str, str]  # letter, status, note
    before: dict[int, Finding]  # each finding it replaced, as it was first
    whole: tuple[Finding, ...] | None = None  # every finding as it was, once it reshaped


class SessionState:
    """The state of one letter's review; :class:`ReviewSession` adds what is done with it."""

    def __init__(
        self,
        letter: Letter,
        review: Review,
        scheme: Scheme,
        review_path: Path,
        read_only: bool = False,
        display: Display | None = None,
    ) -> None:
        self.letter = letter
        self.text = letter.text
        # Paragraphs flow in the pane; offsets into it are offsets into the letter. The
        # spaces of `quiet_breaks` take no cell (a wrapped line's own space or hyphen shows).
        # `display` is `display_of(letter.text)` made already (by a head start's child).
        self.display_text, self.quiet_breaks = display or display_of(letter.text)
        self.review = review
        self.scheme = scheme
        self.review_path = review_path
        self.read_only = read_only
        self.dirty = False
        self._undo: list[tuple[str, State | Delta]] = []
        self._redo: list[tuple[str, State | Delta]] = []
        self._step: Step | None = None  # the undo step the running change opened
        self._starts: list[int] | None = None
        self._segments: list[Any] | None = None
        self._cleaner: SpanCleaner | None = None
        self._named: dict[str, frozenset[str]] = {}  # see _categories_named
        self._reviewed: int | None = None  # see reviewed_count
        self._toml_cache: dict = {}
        # The machine's words and span of each finding nobody has corrected yet.
        self._machine_spans = {
            f.id: (f.text, f.start, f.end)
            for f in review.findings
            if f.status in ("auto", "confirmed")
        }
        self._saved_state: State | None = self._state() if review_path.exists() else None
        self.lock: Lock | None = None
        self.crash = CrashJournal(review_path)
        self._applying = False  # a change is running (see apply)
        self._touched: set[int] = set()  # the findings the running change replaced
        # What the last change altered (see Changed); None before the first.
        self.last_change: Changed | None = None
        self.report = OpenReport()

    @property
    def journal(self) -> Journal:
        """The snapshot of unsaved work the UI's timer writes (``.autosave``)."""
        return self.crash.snapshot

    @property
    def oplog(self) -> OpLog:
        """The crash journal: every change since that snapshot, as it is made (once its full
        record, if being written on its thread, is written)."""
        self.crash.settle()
        return self.crash.oplog

    def _state(self) -> State:
        return State(
            tuple(self.review.findings),
            tuple(self.review.letter.items()),
            self.review.status,
            self.review.note,
        )

    def mark_saved(self) -> None:
        """What is open is what the file holds now: nothing unsaved, and undo back to here
        leaves nothing unsaved either."""
        self.crash.snapshots.problem = ""
        self.dirty = False
        self._saved_state = self._state()

    def serialise(self, position: str = "") -> str:
        if position:
            self.review.position = position
        return annotation.dumps(self.review, self._toml_cache)

    def _clean(self, start: int, end: int) -> str:
        """The finding text of a span of the letter, cleaned as the segmenter cleans an item
        (its page furniture left out)."""
        if self._cleaner is None:
            from reviewer.segment.families import SpanCleaner

            self._cleaner = SpanCleaner(self.text, self.scheme)
        return self._cleaner(start, end)
