"""A review in progress: the letter, its findings, every correction, undo and redo, save.

No UI import; the reviewer app is a layer over this class, and the tests and benchmarks
drive it directly. The crash journal's encoding is in :mod:`reviewer.review.journal`, the
files and lock in :mod:`reviewer.review.store`.

Every change goes through one path, :meth:`ReviewSession.apply`: it runs the change, and
whatever the change altered is in the crash journal before apply returns. Only inside it
can a change take an undo step (``_checkpoint``) or replace a finding (``_replace``);
anywhere else those raise RuntimeError, so a change cannot be made that a crash would lose.

Adding a change: write it as a method of :class:`ReviewSession` marked ``@change``. The
method checks its arguments (SessionError with a one-line reason), then calls
``self._checkpoint("label for undo")`` once before it alters anything, then alters the review
(``self._replace(i, field=value)`` for a finding, or assigns ``self.review.<field>`` and sets
``self.dirty``). Calling ``session.method(...)`` and ``session.apply("method", ...)`` are then
the same; the method is in :data:`CHANGES`, and tests/test_no_lost_work.py runs every
registered change through a crash (give it an example there, or that test fails).
"""

from __future__ import annotations

import bisect
import contextlib
import dataclasses
import functools
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from reviewer.errors import ReviewerError
from reviewer.model import Finding, finding_id
from reviewer.review import annotation
from reviewer.review.anchor import context_of
from reviewer.review.annotation import AnnotationError, Review
from reviewer.review.boundaries import moved_edge
from reviewer.review.details import COUNCIL_KEYS, written_council_keys
from reviewer.review.extracted import reextracted, saved_text
from reviewer.review.journal import CrashJournal
from reviewer.review.store import Journal, Lock, LockUnreadable, OpLog, StoreError, atomic_write
from reviewer.sanitize import sanitize
from reviewer.segment.families import SpanCleaner, segment_auto, segment_text
from reviewer.segment.layout import clean_span
from reviewer.segment.reflow import reflowed
from reviewer.segment.scheme import Scheme, load_scheme
from reviewer.sources.letter import Letter
from reviewer.sources.read import read_letter

_SENTENCE_END = re.compile(r"[.!?][\"”’)]?\s+(?=[A-Z“\"‘(])")

_C = TypeVar("_C", bound=Callable[..., Any])

CHANGES: dict[str, Callable[..., Any]] = {}
"""Every change a session can make, by name (the method's own): what :meth:`ReviewSession.apply`
runs. Filled by :func:`change`; the tests run over all of it."""


def change(method: _C) -> _C:
    """Register a method of :class:`ReviewSession` as a change, and make calling it go through
    :meth:`ReviewSession.apply` (undo checkpoint allowed, journaled before it returns)."""
    name = method.__name__
    CHANGES[name] = method

    @functools.wraps(method)
    def through_apply(self: ReviewSession, *args: Any, **kwargs: Any) -> Any:
        return self.apply(name, *args, **kwargs)

    return through_apply  # type: ignore[return-value]


class SessionError(ReviewerError):
    """A correction that cannot be made; the message says why in one line."""


@dataclass(frozen=True, slots=True)
class _State:
    findings: tuple[Finding, ...]
    letter: tuple[tuple[str, Any], ...]
    status: str
    note: str = ""


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


class ReviewSession:
    """The state of one letter's review, with unlimited undo and redo.

    Every change goes through :meth:`apply`: see the module's docstring.
    """

    def __init__(
        self,
        letter: Letter,
        review: Review,
        scheme: Scheme,
        review_path: Path,
        read_only: bool = False,
    ) -> None:
        self.letter = letter
        self.text = letter.text
        # Paragraphs flow in the pane; offsets into it are offsets into the letter.
        self.display_text = sanitize(reflowed(letter.text))
        self.review = review
        self.scheme = scheme
        self.review_path = review_path
        self.read_only = read_only
        self.dirty = False
        self._undo: list[tuple[str, _State]] = []
        self._redo: list[tuple[str, _State]] = []
        self._starts: list[int] | None = None
        self._segments: list[Any] | None = None
        self._cleaner: SpanCleaner | None = None
        self._named: dict[str, frozenset[str]] = {}  # see _categories_named
        self._toml_cache: dict = {}
        # The machine's words and span of each finding nobody has corrected yet.
        self._machine_spans = {
            f.id: (f.text, f.start, f.end)
            for f in review.findings
            if f.status in ("auto", "confirmed")
        }
        self._saved_state: _State | None = self._state() if review_path.exists() else None
        self.lock: Lock | None = None
        self.crash = CrashJournal(review_path)
        self._snapshot_problem = ""
        self._applying = False  # a change is running (see apply)
        self.report = OpenReport()

    @property
    def journal(self) -> Journal:
        """The snapshot of unsaved work the UI's timer writes (``.autosave``)."""
        return self.crash.snapshot

    @property
    def oplog(self) -> OpLog:
        """The crash journal: every change since that snapshot, as it is made."""
        return self.crash.oplog

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        letter_path: str | Path,
        review_path: str | Path | None = None,
        scheme: Scheme | str | None = None,
        read_only: bool = False,
    ) -> ReviewSession:
        """Open a letter: resume its saved review (re-anchored if the letter changed) or segment it.

        Raises InputError for a bad letter and AnnotationError for a review file that cannot
        be trusted; neither touches any file.
        """
        letter = read_letter(letter_path)
        rpath = Path(review_path) if review_path else annotation.review_path_for(letter.path)
        report = OpenReport()
        review = None
        if rpath.exists():
            review = annotation.load(rpath)
            if scheme is None:
                scheme = review.scheme
        if letter.encoding == "pdf":
            letter = saved_text(letter, rpath, review)
        note = ""
        doc = None
        if scheme is None and review is None:
            doc, note = segment_auto(letter.text)
            scheme = load_scheme(doc.scheme)
        elif not isinstance(scheme, Scheme):
            scheme = load_scheme(scheme)
        report.note = note
        if review is not None:
            # The same rules as `reviewer validate`: categories of the scheme, offsets inside.
            wrong = annotation.check_categories(review, set(scheme.by_id), str(rpath))
            report.resumed = True
            if review.sha256 != letter.sha256 or reextracted(letter, review):
                report.letter_changed = True
                report.reextracted = review.sha256 == letter.sha256
                _reanchor(review, letter, report)
                review.extractor = letter.extractor
            else:
                wrong += annotation.check_offsets(review, len(letter.text), str(rpath))
            if wrong:
                raise AnnotationError(wrong[0])
        else:
            doc = doc or segment_text(letter.text, scheme)
            review = annotation.from_document(
                doc,
                annotation.source_path_for(letter.path, rpath.parent),
                letter.sha256,
                letter.encoding,
            )
            review.status = "in_progress"
            review.extractor = letter.extractor
        session = cls(letter, review, scheme, rpath, read_only)
        session.report = report
        if report.letter_changed:
            session.dirty = True  # the findings' new places are not saved yet
        elif report.resumed and session._record_own_wordings():
            session.dirty = True  # the letter's own words are not saved with them yet
        if doc is not None:
            session._segments = doc.segments  # no second segmentation for `promote`
        if not read_only:
            lock = Lock(rpath)
            reason = ""
            try:
                got = lock.acquire()
                session.lock = lock
            except LockUnreadable as err:
                got, reason = False, str(err)
            except StoreError:
                got = True  # an unwritable folder is reported on save, where save-as is offered
            if not got:
                session.read_only = True
                report.read_only_reason = reason or _held_message(rpath, lock)
                session.lock = None
        report.journal_available = not session.read_only and session._recovery() is not None
        if not session.read_only:
            # Format every finding now, so the first change (which writes the crash
            # journal's full record) costs a keystroke no more than the later ones.
            annotation.dumps_parts(session.review, session._toml_cache)
        return session

    def take_over_lock(self) -> None:
        """Take the lock of a read-only session from a reviewer the person says is gone.

        For a lock that looks held but is stale (another machine's reviewer that crashed):
        the session becomes writable, and that reviewer's unsaved work, if its crash journal
        is here, is offered (``report.journal_available``). Raises StoreError when the lock
        cannot be written (the folder is read-only: use save-as).
        """
        if not self.read_only:
            return
        lock = Lock(self.review_path)
        lock.take_over()
        self.lock = lock
        self.read_only = False
        self.report.read_only_reason = ""
        self.report.journal_available = self._recovery() is not None

    @property
    def lock_owner(self) -> str:
        """Who holds the lock of a review opened read-only ("pid 41 on host-b"), else ""."""
        lock = Lock(self.review_path)
        try:
            return lock.owner() if self.read_only and lock.held_elsewhere() else ""
        except StoreError:
            return ""  # a lock that cannot be read: read_only_reason names it

    @property
    def journal_problem(self) -> str:
        """Why unsaved work is not being kept for crash recovery right now ("" when it is).

        One line naming the file and the cause (disk full, read-only folder); while it is
        set a crash loses every unsaved change, so the header should show it.
        """
        if self.read_only:
            return ""
        return self.oplog.problem or self._snapshot_problem

    @classmethod
    def start_fresh_beside(
        cls, letter_path: str | Path, broken: Path, scheme=None
    ) -> ReviewSession:
        """A new review when the saved one is broken; it saves beside it, never over it.

        Run again, it resumes the newest such review rather than starting once more.
        """
        taken = fresh_reviews_beside(broken)
        if taken:
            candidate = taken[-1]
        else:
            candidate = broken.with_name(broken.name.removesuffix(".toml") + ".new1.toml")
        session = cls.open(letter_path, candidate, scheme)
        session.report.broken_review = str(broken)
        return session

    def _replayed(self) -> Review | None:
        """The unsaved work of a session that ended without saving, if any."""
        return self.crash.replayed(set(self.scheme.by_id))

    def _recovery(self) -> Review | None:
        """Unsaved work left by a crash that differs from what is open, if there is any."""
        try:
            saved = self._replayed()
        except (AnnotationError, StoreError):
            return self.review if self.crash.exists() else None
        if saved is None:
            return None
        same = (
            saved.sha256 == self.review.sha256
            and saved.status == self.review.status
            and saved.note == self.review.note
            and saved.letter == self.review.letter
            and [annotation.finding_toml(f) for f in saved.findings]
            == [annotation.finding_toml(f) for f in self.review.findings]
        )
        return None if same else saved  # a crash after the save wrote the file: nothing lost

    @change
    def restore_journal(self) -> bool:
        """Take back the unsaved work of a session that ended without saving."""
        saved = self._replayed()
        if saved is None:
            return False
        if saved.sha256 != self.letter.sha256:
            # The letter changed after the crash: find the unsaved findings in it again.
            self.report.letter_changed = True
            _reanchor(saved, self.letter, self.report)
        self._checkpoint("restore unsaved work")
        self.review.findings = saved.findings
        self.review.letter = saved.letter
        self.review.status = saved.status
        self.review.position = saved.position
        self.review.note = saved.note
        self._starts = None
        self.dirty = True
        return True

    def set_unsaved_work_aside(self) -> Path | None:
        """Keep a crashed session's unsaved work out of the way, for a person who chose to
        start from the saved review: written whole, as a review file, beside the review as
        ``<review>.autosave.<time it was last written>``; the crash journal then starts
        afresh and nothing asks about that work again. Journal files too damaged to read
        are moved aside as they are. Returns the file the work went to (None when there was
        none); raises StoreError when it cannot be kept, leaving the journal where it was."""
        found = [p for p in (self.journal.path, self.oplog.path) if p.is_file()]
        if not found:
            return None
        try:
            when = max(p.stat().st_mtime for p in found)
            stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(when))
            suffix, n = stamp, 1
            while any(p.with_name(f"{p.name}.{suffix}").exists() for p in found):
                n += 1
                suffix = f"{stamp}-{n}"
            try:
                saved = self._replayed()
            except (AnnotationError, StoreError):
                saved = None
            aside = self.journal.path.with_name(f"{self.journal.path.name}.{suffix}")
            if saved is not None:
                atomic_write(aside, annotation.dumps(saved), backup=False)
                self.journal.discard()
                self.oplog.discard()
                return aside
            self.oplog.close()
            for p in found:
                os.replace(p, p.with_name(f"{p.name}.{suffix}"))
            return found[0].with_name(f"{found[0].name}.{suffix}")
        except OSError as exc:
            raise StoreError(f"cannot keep the unsaved work aside: {exc}") from exc

    def close(self, clean: bool = True) -> None:
        """Leave the review: a clean close drops the crash journal and the lock."""
        self.oplog.close()
        if clean and not self.read_only:
            with contextlib.suppress(StoreError):
                self.journal.discard()
            with contextlib.suppress(StoreError):
                self.oplog.discard()
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    # -- reading ---------------------------------------------------------------------------

    @property
    def findings(self) -> list[Finding]:
        return self.review.findings

    @property
    def reviewed_count(self) -> int:
        return sum(1 for f in self.review.findings if f.status != "auto")

    def index_of(self, fid: str) -> int | None:
        for i, f in enumerate(self.review.findings):
            if f.id == fid:
                return i
        return None

    def finding_at(self, offset: int) -> int | None:
        """The finding whose span holds a letter offset (bisect over starts)."""
        starts = self._placed_starts()
        k = bisect.bisect_right(starts, offset) - 1
        if k >= 0:
            f = self.review.findings[k]
            if f.start <= offset < max(f.end, f.start + 1):
                return k
        return None

    def _placed_starts(self) -> list[int]:
        """Starts of the findings that have a place in the letter; orphans are kept last."""
        if self._starts is None:
            self._starts = [f.start for f in self.review.findings if f.anchor != "orphan"]
        return self._starts

    def next_unreviewed(self, after: int) -> int | None:
        fs = self.review.findings
        for j in list(range(after + 1, len(fs))) + list(range(0, after + 1)):
            if fs[j].status == "auto":
                return j
        return None

    # -- history ---------------------------------------------------------------------------

    def _state(self) -> _State:
        return _State(
            tuple(self.review.findings),
            tuple(self.review.letter.items()),
            self.review.status,
            self.review.note,
        )

    def apply(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """Make the change registered as ``name`` (see :data:`CHANGES`) with these arguments,
        and return what it returns: the one path every change takes.

        Only here may a change take an undo checkpoint or alter the review; what it altered
        is appended to the crash journal before this returns, also when it raises after
        altering something. A change made of other changes (``promote`` adds a finding) runs
        them inside the one apply: one journal entry.
        """
        command = CHANGES.get(name)
        if command is None:
            raise SessionError(f"unknown change '{name}'")
        if self._applying:
            return command(self, *args, **kwargs)
        before = self._state()
        self._applying = True
        try:
            return command(self, *args, **kwargs)
        finally:
            self._applying = False
            if self._state() != before:
                self._log_change()

    def _must_apply(self, what: str) -> None:
        """Refuse a change made outside :meth:`apply`: it would never reach the crash journal."""
        if not self._applying:
            raise RuntimeError(
                f"{what} outside ReviewSession.apply: register the method with @change"
            )

    def _checkpoint(self, label: str) -> None:
        self._must_apply(f"an undo step ({label})")
        if self.read_only:
            raise SessionError("this review is read-only; nothing can be changed")
        self._undo.append((label, self._state()))
        self._redo.clear()

    def _restore(self, state: _State) -> None:
        self._must_apply("undo or redo")
        self.review.findings = list(state.findings)
        self.review.letter = dict(state.letter)
        self.review.status = state.status
        self.review.note = state.note
        self._starts = None
        # Undoing back to what is on disk leaves nothing unsaved.
        self.dirty = state != self._saved_state

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    @property
    def undo_label(self) -> str | None:
        """What the next undo would take back ("end back a sentence"), if anything."""
        return self._undo[-1][0] if self._undo else None

    @change
    def undo(self) -> str | None:
        if not self._undo:
            return None
        label, state = self._undo.pop()
        self._redo.append((label, self._state()))
        self._restore(state)
        return label

    @change
    def redo(self) -> str | None:
        if not self._redo:
            return None
        label, state = self._redo.pop()
        self._undo.append((label, self._state()))
        self._restore(state)
        return label

    def _replace(self, i: int, **changes) -> Finding:
        self._must_apply("a finding changed")
        if self.review.findings[i].anchor in ("moved", "changed"):
            changes.setdefault("anchor", "")  # the reviewer has now looked at it
        f = dataclasses.replace(self.review.findings[i], **changes)
        self.review.findings[i] = f
        self.dirty = True
        return f

    def _finding(self, i: int) -> Finding:
        if not 0 <= i < len(self.review.findings):
            raise SessionError("no finding is selected")
        return self.review.findings[i]

    # -- corrections -----------------------------------------------------------------------

    @change
    def set_category(self, i: int, category: str) -> None:
        """A finding's category; its section follows when the section named the old one."""
        f = self._finding(i)
        if category not in self.scheme.by_id:
            raise SessionError(f"unknown category '{category}'")
        self._checkpoint(f"category {self.scheme.label_of(category)}")
        self._replace(
            i,
            category=category,
            status=self._status_for(f, category=category),
            section=self._section_for(i, category),
        )

    def _section_for(self, i: int, category: str) -> str:
        """The section of finding i once it is of `category`: its own when that names no
        category or names this one; else the heading another finding of the category sits
        under, else the category's label."""
        section = self.review.findings[i].section
        if not section:
            return section
        named = self._categories_named(section)
        if not named or category in named:
            return section
        others = [
            (abs(j - i), g.section)
            for j, g in enumerate(self.review.findings)
            if j != i
            and g.category == category
            and g.section
            and category in self._categories_named(g.section)
        ]
        return min(others)[1] if others else self.scheme.label_of(category)

    def _categories_named(self, heading: str) -> frozenset[str]:
        """The categories a section heading names (remembered: a letter has few headings,
        and a category key asks about every finding's)."""
        named = self._named.get(heading)
        if named is None:
            found, _ = self.scheme.match_heading(heading)
            named = frozenset(self.scheme.mentions(heading)) | ({found} if found else set())
            self._named[heading] = named
        return named

    @change
    def set_responsible(self, i: int, responsible: str) -> None:
        """Who must act on a finding (area SEND: the responsible body); "" removes it."""
        f = self._finding(i)
        if "responsible" not in self.scheme.details.finding_fields:
            raise SessionError(f"{self.scheme.label} findings have no responsible body to correct")
        responsible = " ".join(responsible.split())
        if responsible == f.responsible:
            return
        self._checkpoint("responsible body")
        status = "added" if f.status == "added" else "corrected"  # a person's correction
        self._replace(i, responsible=responsible, status=status)

    @change
    def confirm(self, i: int) -> int | None:
        """Accept the finding as it stands; returns the next finding still to review."""
        f = self._finding(i)
        if f.status == "auto":
            self._checkpoint("confirm")
            self._replace(i, status="confirmed")
        return self.next_unreviewed(i)

    @change
    def edit_text(self, i: int, text: str) -> None:
        f = self._finding(i)
        text = " ".join(text.split())
        if not text:
            raise SessionError("a finding needs some text; delete it instead")
        if text == f.text:
            return
        self._checkpoint("edit text")
        own = self._clean(f.start, f.end) if f.anchor != "orphan" else ""
        letter_text = f.letter_text or (own if own != text else "")
        if own == text:
            letter_text = ""
        self._replace(i, text=text, status=self._status_for(f, text=text), letter_text=letter_text)

    @change
    def set_note(self, i: int, note: str) -> None:
        f = self._finding(i)
        note = note.strip()
        if note == f.note:
            return
        self._checkpoint("note")
        self._replace(i, note=note)

    @change
    def toggle_theme(self, i: int, theme: str) -> None:
        """Add the theme to the finding, or take it away if it is there."""
        f = self._finding(i)
        self._checkpoint("theme")
        themes = tuple(t for t in f.themes if t != theme)
        if len(themes) == len(f.themes):
            themes = f.themes + (theme,)
        self._replace(i, themes=themes)

    @change
    def delete(self, i: int) -> None:
        self._finding(i)
        self._checkpoint("delete")
        del self.review.findings[i]
        self._starts = None
        self.dirty = True

    def heading_between(self, i: int) -> str:
        """The heading that separates finding ``i`` from the next one, or "" if none does."""
        a, b = self._finding(i), self._finding(i + 1)
        lo, hi = min(a.end, b.end), max(a.start, b.start)
        for seg in self.segments:
            if seg.kind == "heading" and lo <= seg.start < hi:
                return " ".join(self.text[seg.start : seg.end].split())
        if a.section != b.section:
            return b.section or "another heading"
        return ""

    @change
    def merge_next(self, i: int, across_heading: bool = False) -> None:
        """Merge a finding with the next one; the merged text is their two texts, never the
        letter between them. Findings under different headings are merged only when asked
        (``across_heading``), since one of the two categories is lost."""
        a = self._finding(i)
        if i + 1 >= len(self.review.findings):
            raise SessionError("there is no next finding to merge with")
        b = self.review.findings[i + 1]
        if "orphan" in (a.anchor, b.anchor):
            raise SessionError(
                "a finding not found in the letter cannot be merged; edit or delete it"
            )
        heading = "" if across_heading else self.heading_between(i)
        if heading:
            raise SessionError(
                f"the next finding is under another heading ({heading[:60]}); merging "
                "would lose one of the two categories, so it needs confirming"
            )
        self._checkpoint("merge")
        merged: dict[str, Any] = {
            "text": f"{a.text} {b.text}",
            "start": min(a.start, b.start),
            "end": max(a.end, b.end),
        }
        if a.letter_text or b.letter_text:
            merged["letter_text"] = f"{a.letter_text or a.text} {b.letter_text or b.text}"
        self._replace(
            i,
            **merged,
            status=self._status_for(a, **merged),
            note="; ".join(n for n in (a.note, b.note) if n),
            themes=a.themes + tuple(t for t in b.themes if t not in a.themes),
            context_after=b.context_after,
        )
        del self.review.findings[i + 1]
        self._starts = None

    def split_point(self, i: int) -> int | None:
        """The letter offset of the sentence boundary nearest the middle of a finding."""
        f = self._finding(i)
        raw = self.text[f.start : f.end]
        cuts = [m.end() for m in _SENTENCE_END.finditer(raw)]
        if not cuts:
            return None
        mid = len(raw) / 2
        return f.start + min(cuts, key=lambda c: abs(c - mid))

    @change
    def split(self, i: int, at: int | None = None) -> None:
        """Split a finding in two at a letter offset, or at its middle sentence boundary."""
        f = self._finding(i)
        if at is None:
            at = self.split_point(i)
            if at is None:
                raise SessionError(
                    "this finding is one sentence; put the letter cursor where to split"
                )
        first_raw, second_raw = self.text[f.start : at], self.text[at : f.end]
        first, second = self._clean(f.start, at), self._clean(at, f.end)
        if not (f.start < at < f.end) or not first or not second:
            raise SessionError("the split point must lie inside the finding's text")
        first_end = f.start + len(first_raw.rstrip())
        second_start = at + len(second_raw) - len(second_raw.lstrip())
        self._checkpoint("split")
        status = "added" if f.status == "added" else "corrected"
        taken = {x.id for x in self.review.findings}
        new = dataclasses.replace(
            f,
            id=finding_id(second, taken),
            text=second,
            start=second_start,
            status=status,
            note="",
            context_before=context_of(self.text, second_start, second_start)[0],
            letter_text="",
            split_from=f.split_from or f.id,
        )
        self._replace(
            i,
            text=first,
            end=first_end,
            status=status,
            context_after=context_of(self.text, first_end, first_end)[1],
            letter_text="",
        )
        self.review.findings.insert(i + 1, new)
        self._starts = None

    @change
    def add(self, start: int, end: int, category: str | None = None) -> int:
        """A new finding from a span of the letter; returns its index."""
        start, end = sorted((start, end))
        text = self._clean(start, end)
        if not text:
            raise SessionError("select some letter text first (shift+arrows in the letter)")
        start, end = self._trimmed(start, end)
        if self.overlapping(start, end):
            raise SessionError("the selection overlaps a finding; split or delete that one first")
        category = category or self.scheme.categories[0].id
        if category not in self.scheme.by_id:
            raise SessionError(f"unknown category '{category}'")
        self._checkpoint("add")
        taken = {x.id for x in self.review.findings}
        section = ""
        pos = bisect.bisect_left(self._placed_starts(), start)
        if pos > 0:
            section = self.review.findings[pos - 1].section
        before, after = context_of(self.text, start, end)
        new = Finding(
            id=finding_id(text, taken),
            category=category,
            auto_category="",
            section=section,
            text=text,
            start=start,
            end=end,
            confidence=1.0,
            status="added",
            context_before=before,
            context_after=after,
        )
        self.review.findings.insert(pos, new)
        self._starts = None
        self.dirty = True
        return pos

    @change
    def rebound(self, start: int, end: int) -> int:
        """Give the finding that a letter selection overlaps exactly the selected span.

        This is how a boundary is moved without deleting the finding: its category, note
        and themes stay; its text becomes the selected words. Returns the finding's index.
        """
        start, end = sorted((start, end))
        if not self._clean(start, end):
            raise SessionError("select the finding's new extent in the letter first")
        start, end = self._trimmed(start, end)
        hits = self.overlapping(start, end)
        if not hits:
            raise SessionError("the selection touches no finding; press a to add it as one")
        if len(hits) > 1:
            raise SessionError("the selection overlaps several findings; merge them first")
        i = hits[0]
        self._set_span(i, start, end, "boundaries")
        return i

    def _set_span(self, i: int, start: int, end: int, label: str) -> bool:
        """Give finding `i` the letter's words at start..end as one undo step; False (and no
        step) when that is its span already. Back on the machine's own span, the machine's
        words and status come back with it (see `_status_for`)."""
        f = self.review.findings[i]
        if (f.start, f.end) == (start, end):
            return False
        text = self._clean(start, end)
        if not text:
            raise SessionError("a finding needs some text; delete it instead")
        self._checkpoint(label)
        before, after = context_of(self.text, start, end)
        self._replace(
            i,
            start=start,
            end=end,
            text=text,
            status=self._status_for(f, start=start, end=end, text=text),
            context_before=before,
            context_after=after,
            letter_text="",
        )
        self._starts = None
        return True

    def _placed(self, i: int) -> Finding:
        f = self._finding(i)
        if f.anchor == "orphan":
            raise SessionError("this finding was not found in the letter; edit or delete it")
        return f

    def overlapping(self, start: int, end: int) -> list[int]:
        """The findings with a place in the letter that start..end overlaps."""
        return [
            k
            for k, f in enumerate(self.review.findings)
            if f.anchor != "orphan" and f.start < end and start < f.end
        ]

    def _trimmed(self, start: int, end: int) -> tuple[int, int]:
        """start..end without the whitespace at either side."""
        raw = self.text[start:end]
        start += len(raw) - len(raw.lstrip())
        return start, start + len(raw.strip())

    def _neighbour_in(self, i: int, start: int, end: int) -> int | None:
        """Another finding with a place in the letter that start..end runs into, if any."""
        return next((k for k in self.overlapping(start, end) if k != i), None)

    @change
    def move_edge(self, i: int, edge: str, unit: str, step: int) -> int:
        """Move finding `i`'s start or end one word or sentence forward (1) or back (-1).

        One undo step; its category, note and themes stay. Raises SessionError when the edge
        cannot move (the finding would be empty, the letter ends) or would run into another
        finding. Returns the new offset of the moved edge.
        """
        f = self._placed(i)
        new = moved_edge(self.text, f.start, f.end, edge, unit, step)
        way = "on" if step > 0 else "back"
        if new is None:
            if (edge == "end") == (step > 0):
                where = "the letter ends" if edge == "end" else "the letter starts"
                raise SessionError(f"the finding's {edge} cannot move {way}: {where} there")
            raise SessionError(
                f"the finding's {edge} cannot move {way} a {unit}: the finding would be empty"
            )
        start, end = (f.start, new) if edge == "end" else (new, f.end)
        k = self._neighbour_in(i, start, end)
        if k is not None:
            raise SessionError(
                f"moving the {edge} {way} a {unit} runs into finding {k + 1}; merge the two instead"
            )
        self._set_span(i, start, end, f"{edge} {way} a {unit}")
        return new

    def snap_span(self, i: int) -> tuple[int, int] | None:
        """The paragraphs or list items the finding touches, as one span; None if none."""
        f = self._placed(i)
        parts = [
            seg
            for seg in self.segments
            if seg.kind in ("paragraph", "finding") and seg.start < f.end and f.start < seg.end
        ]
        if not parts:
            return None
        return self._trimmed(min(p.start for p in parts), max(p.end for p in parts))

    @change
    def snap(self, i: int) -> int:
        """Give finding `i` the whole paragraph or list item under it (the union of those it
        touches) as one undo step; returns its index. SessionError when there is none, when
        it covers that already, or when another finding is in it."""
        span = self.snap_span(i)
        if span is None:
            raise SessionError("no paragraph or list item lies under this finding")
        f = self.review.findings[i]
        if span == (f.start, f.end):
            raise SessionError("the finding already covers its whole paragraph")
        k = self._neighbour_in(i, *span)
        if k is not None:
            raise SessionError(
                f"the paragraph holds finding {k + 1} as well; merge the two instead"
            )
        self._set_span(i, *span, "snap to the paragraph")
        return i

    @change
    def set_metadata(self, values: dict[str, Any]) -> None:
        """Replace letter metadata; keys given as None or "" are removed.

        A new written authority given without the council's keys takes the council the
        register finds for it (or none): its codes are never left on another council.
        """
        written = values.get("authority")
        if (
            isinstance(written, str)
            and written != self.review.letter.get("authority")
            and not any(k in values for k in COUNCIL_KEYS)
        ):
            values = {**values, **written_council_keys(written)}
        merged = dict(self.review.letter)
        for k, v in values.items():
            if v in (None, "", []):
                merged.pop(k, None)
            else:
                merged[k] = v
        if merged == self.review.letter:
            return
        self._checkpoint("metadata")
        self.review.letter = merged
        self.dirty = True

    @change
    def set_review_note(self, note: str) -> None:
        """The reviewer's note on the whole letter (`[review].note`); "" removes it."""
        note = note.strip()
        if note == self.review.note:
            return
        self._checkpoint("letter note")
        self.review.note = note
        self.dirty = True

    @change
    def set_review_status(self, status: str) -> None:
        if status not in annotation.REVIEW_STATUSES:
            raise SessionError(f"unknown review status '{status}'")
        if status == self.review.status:
            return
        self._checkpoint(f"mark {status}")
        self.review.status = status
        self.dirty = True

    # -- saving ----------------------------------------------------------------------------

    def serialise(self, position: str = "") -> str:
        if position:
            self.review.position = position
        return annotation.dumps(self.review, self._toml_cache)

    def save(self, path: str | Path | None = None, position: str = "") -> Path:
        """Write the review atomically (the old file kept as .bak); StoreError if it cannot.

        Saving to another path (save-as) moves the lock and the journal there; it is also
        how a read-only review is kept: the copy becomes this session's writable review.
        """
        target = Path(path) if path else self.review_path
        moving = target.resolve() != self.review_path.resolve()
        if self.read_only and not moving:
            raise SessionError(
                "this review is read-only (open elsewhere); use save-as to keep a copy"
            )
        new_lock = None
        if moving:
            new_lock = Lock(target)
            try:
                got = new_lock.acquire()
            except LockUnreadable as err:
                raise SessionError(f"{err}; choose another name") from None
            except StoreError:
                got, new_lock = True, None
            if not got:
                assert new_lock is not None
                raise SessionError(
                    f"{target.name} is open in another reviewer ({new_lock.owner()}); "
                    "choose another name"
                )
        source_path, updated = self.review.source_path, self.review.updated
        self.review.updated = annotation.now()
        if moving:
            self.review.source_path = annotation.source_path_for(self.letter.path, target.parent)
        try:
            if self.letter.encoding == "pdf":
                self._save_pdf_text(target)
            text = self.serialise(position)
            atomic_write(target, text)
        except StoreError:
            self.review.source_path, self.review.updated = source_path, updated
            if new_lock is not None:
                new_lock.release()
            raise
        # The file is written: nothing below may fail the save (a read-only old folder that
        # keeps its lock file or journal is not a reason to stay on the old path).
        old_journals: list[Journal | OpLog] = [self.oplog]
        if not self.read_only:
            old_journals.append(self.journal)
        if moving:
            if self.lock is not None:
                with contextlib.suppress(StoreError):
                    self.lock.release()
            self.lock = new_lock
            self.review_path = target
            self.crash = CrashJournal(target)
            self.read_only = False
            self.report.read_only_reason = ""
        for old in old_journals:
            with contextlib.suppress(StoreError):
                old.discard()
        self.crash.restart_from("review", text, self.review)
        self._snapshot_problem = ""
        self.dirty = False
        self._saved_state = self._state()
        return target

    def _save_pdf_text(self, review_target: Path) -> None:
        """Keep the text extracted from a PDF beside the review: the offsets index it."""
        from reviewer.review.extracted import text_path_for, text_sha256

        path = text_path_for(review_target)
        digest = text_sha256(self.text)
        if not (
            path.exists()
            and self.review.text_sha256 == digest
            and self.review.text_path == path.name
        ):
            atomic_write(path, self.text, backup=False)
        self.review.text_path = path.name
        self.review.text_sha256 = digest

    def _clean(self, start: int, end: int) -> str:
        """The finding text of a span of the letter, cleaned as the segmenter cleans an item
        (its page furniture left out)."""
        if self._cleaner is None:
            self._cleaner = SpanCleaner(self.text, self.scheme)
        return self._cleaner(start, end)

    def _record_own_wordings(self) -> int:
        """Findings whose text is not the letter's words at their span were worded by a
        reviewer (in the file, by hand): keep the letter's words as their ``letter_text``,
        so a change of the letter moves them and keeps the wording. Only while the letter is
        the one the review was made on. Returns how many were found."""
        found = 0
        machine: dict[tuple[int, int], str] | None = None
        for i, f in enumerate(self.review.findings):
            if f.letter_text or f.anchor == "orphan" or f.end <= f.start:
                continue
            own = self._clean(f.start, f.end)
            if _words(f.text) == own or not own:
                continue
            if machine is None:  # a table row, say, is read otherwise: ask the segmenter
                machine = {
                    (g.start, g.end): g.text for g in segment_text(self.text, self.scheme).findings
                }
            if machine.get((f.start, f.end)) == f.text:
                continue
            self.review.findings[i] = dataclasses.replace(f, letter_text=own)
            found += 1
        return found

    def _status_for(self, f: Finding, **changed) -> str:
        """What a correction makes of a finding's status: back exactly as the machine had it
        (words, span and category) is "confirmed"; otherwise "corrected" ("added" stays)."""
        if f.status == "added":
            return "added"
        new = dataclasses.replace(f, **changed)
        if f.id not in self._machine_spans and self._segments is None:
            self._segment()
        same = self._machine_spans.get(f.id) == (new.text, new.start, new.end)
        return "confirmed" if same and new.category == new.auto_category else "corrected"

    @property
    def segments(self):
        """The segmenter's view of the letter (paragraphs, headings...), made when first asked."""
        if self._segments is None:
            self._segment()
        return self._segments

    def _segment(self) -> None:
        """Segment the letter again: its segments, and the machine's span of every finding
        not known from the open (those saved as corrected: the ids come from the words)."""
        doc = segment_text(self.text, self.scheme)
        self._segments = doc.segments
        for g in doc.findings:
            self._machine_spans.setdefault(g.id, (g.text, g.start, g.end))

    def paragraph_at(self, offset: int):
        """The paragraph segment (not a finding) that holds a letter offset, if any."""
        for seg in self.segments:
            if seg.kind == "paragraph" and seg.start <= offset < seg.end:
                return seg
        return None

    @change
    def promote(self, offset: int, category: str | None = None) -> int:
        """Make the paragraph under the letter cursor a finding; returns its index."""
        seg = self.paragraph_at(offset)
        if seg is None:
            raise SessionError("the letter cursor is not on a paragraph that can become a finding")
        i = self.add(seg.start, seg.end, category)
        if seg.section:
            self._replace(i, section=seg.section)
        return i

    def _log_change(self) -> None:
        """Append what the last change did to the crash journal (nothing when read-only)."""
        if not self.read_only:
            self.crash.record(self.review, self._toml_cache)

    def autosave(self, position: str = "") -> None:
        """Compact the crash journal into a snapshot of the unsaved work (the UI's timer calls
        this a second or so after changes); also where the journal is made durable.

        A snapshot that cannot be written leaves the journal as it is and sets
        :attr:`journal_problem`.
        """
        if self.read_only or not self.dirty:
            return
        text = self.serialise(position)
        try:
            self.journal.save(text)
        except StoreError as err:
            self._snapshot_problem = str(err)
            if position and self.crash.started:
                self._log_change()  # the position, at least, in the journal
            self.oplog.sync()
            return
        self._snapshot_problem = ""
        # The snapshot holds every change: the journal starts again at the next change.
        with contextlib.suppress(StoreError):
            self.oplog.discard()
        self.crash.restart_from("autosave", text, self.review)


def _held_message(rpath: Path, lock: Lock) -> str:
    """Why a review opened read-only, naming who holds it and how to take it over."""
    message = f"{rpath.name} is open in another reviewer ({lock.owner()}); opened read-only"
    import socket

    if lock.owner_host and lock.owner_host != socket.gethostname():
        message += "; if that reviewer is no longer running, take over its lock"
    return message


def fresh_reviews_beside(broken: Path) -> list[Path]:
    """Reviews started with --fresh beside a broken one (`x.review.new1.toml`...), oldest first."""
    stem = broken.name.removesuffix(".toml")
    found = []
    for p in broken.parent.glob(f"{stem}.new*.toml"):
        number = p.name[len(stem) + 4 : -len(".toml")]
        if number.isdigit():
            found.append((int(number), p))
    return [p for _, p in sorted(found)]


def _snap_to_item(
    start: int, end: int, items: list[tuple[int, int, str]]
) -> tuple[int, int, str] | None:
    """The whole item the segmenter finds where a fuzzy match landed.

    A fuzzy match is as long as the old text; when the letter's sentence grew, the item
    around it says where the finding really ends.
    """
    best, best_overlap = None, 0
    for a, b, text in items:
        overlap = min(b, end) - max(a, start)
        if overlap > best_overlap:
            best, best_overlap = (a, b, text), overlap
    if best is None or best_overlap < 0.5 * (end - start):
        return None
    return best


def _words(text: str) -> str:
    return " ".join(text.split())


def _reanchor(review: Review, letter: Letter, report: OpenReport) -> None:
    from reviewer.review.anchor import Anchor, reanchor

    anchors = [
        Anchor(f.letter_text or f.text, f.start, f.end, f.context_before, f.context_after)
        for f in review.findings
    ]
    placements = reanchor(anchors, letter.text, clean=lambda raw: clean_span(raw, letter.text))
    items = None
    kept = []
    # What used to surround each finding: new words right beside it mean the item grew.
    old_context = {
        id(f): (_words(f.context_before)[-20:], _words(f.context_after)[:20])
        for f in review.findings
    }
    for f, p in zip(review.findings, placements, strict=True):
        if p.status == "orphan":
            report.orphans += 1
            f.anchor = "orphan"
            f.start = f.end = 0
        else:
            if p.status == "moved":
                report.moved += 1
            start, end = p.start, p.end
            if p.status == "changed":
                report.changed += 1
                if p.new_text and f.letter_text:
                    f.letter_text = p.new_text  # the reviewer's own wording stays
                elif p.new_text:
                    f.text = p.new_text
            f.start, f.end = start, end
            f.anchor = p.status if p.status != "unchanged" else ""
            f.context_before, f.context_after = context_of(letter.text, p.start, p.end)
        kept.append(f)
    for f in kept:
        if f.anchor == "orphan":
            continue
        before, after = old_context[id(f)]
        grew = (
            _words(letter.text[max(0, f.start - 60) : f.start])[-20:] != before
            or _words(letter.text[f.end : f.end + 60])[:20] != after
        )
        if f.anchor != "changed" and not grew:
            continue
        if items is None:
            doc = segment_text(letter.text, load_scheme(review.scheme))
            items = [(g.start, g.end, g.text) for g in doc.findings]
        snapped = _snap_to_item(f.start, f.end, items)
        if snapped is None:
            continue
        a, b, text = snapped
        if f.anchor != "changed" and not (a < f.start or b > f.end):
            continue  # the item is no longer than the finding: nothing grew into it
        clash = any(g is not f and g.anchor != "orphan" and g.start < b and a < g.end for g in kept)
        if not clash:
            if f.anchor != "changed":
                report.moved -= f.anchor == "moved"
                report.changed += 1
                f.anchor = "changed"
            f.start, f.end = a, b
            if f.letter_text:
                f.letter_text = text  # the reviewer's own wording stays; only its anchor moves
            else:
                f.text = text
            f.context_before, f.context_after = context_of(letter.text, a, b)
    kept.sort(key=lambda f: (f.anchor == "orphan", f.start))
    review.findings = kept
    review.sha256 = letter.sha256
    review.encoding = letter.encoding
