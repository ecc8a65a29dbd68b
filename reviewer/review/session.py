"""A review in progress, coordinated: the letter, its findings, undo and redo, the crash
journal, the lock and the file.

No UI import; the reviewer app is a layer over this class, and the tests and benchmarks
drive it directly. Each job is in its own module, and this class ties them together:

- :mod:`reviewer.review.opening`: open, fresh, take over a lock, unsaved work after a crash;
- :mod:`reviewer.review.reanchor`: a saved review's findings found again in a changed letter;
- :mod:`reviewer.review.corrections`: every correction, and the queries they rest on;
- :mod:`reviewer.review.saving`: save, and save-as with the lock and journal moving along;
- :mod:`reviewer.review.journal`: the crash journal's encoding; :mod:`reviewer.review.store`:
  the files and lock.

Every change goes through one path, :meth:`ReviewSession.apply`: it runs the change, and
whatever the change altered is in the crash journal before apply returns. Only inside it
can a change take an undo step (``_checkpoint``) or replace a finding (``_replace``);
anywhere else those raise RuntimeError, so a change cannot be made that a crash would lose.

Adding a change: write it as a method marked ``@change`` (:mod:`reviewer.review.changes`),
in :class:`~reviewer.review.corrections.Corrections` for a correction of the review (its
docstring says how). Calling ``session.method(...)`` and ``session.apply("method", ...)`` are
then the same; the method is in :data:`CHANGES`, and tests/review/test_no_lost_work.py runs every
registered change through a crash (give it an example there, or that test fails).
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reviewer.model import Finding
from reviewer.review import opening, saving
from reviewer.review.annotation import Review
from reviewer.review.changes import CHANGES, Changed, SessionError, change
from reviewer.review.corrections import Corrections
from reviewer.review.opening import NewReview, fresh_reviews_beside
from reviewer.review.state import Delta, OpenReport, State, Step
from reviewer.review.store import Lock, StoreError
from reviewer.segment.scheme import Scheme

__all__ = [
    "CHANGES",
    "Changed",
    "OpenReport",
    "ReviewSession",
    "SessionError",
    "change",
    "fresh_reviews_beside",
]


class ReviewSession(Corrections):
    """The state of one letter's review, with unlimited undo and redo.

    Every change goes through :meth:`apply`: see the module's docstring.
    """

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        letter_path: str | Path,
        review_path: str | Path | None = None,
        scheme: Scheme | str | None = None,
        read_only: bool = False,
        made: NewReview | None = None,
    ) -> ReviewSession:
        """Open a letter: resume its saved review (re-anchored if the letter changed) or
        segment it, or take `made`, its new review made already
        (:func:`reviewer.review.opening.open_session`).

        Raises InputError for a bad letter and AnnotationError for a review file that cannot
        be trusted; neither touches any file.
        """
        return opening.open_session(cls, letter_path, review_path, scheme, read_only, made)

    @classmethod
    def start_fresh_beside(
        cls, letter_path: str | Path, broken: Path, scheme=None
    ) -> ReviewSession:
        """A new review when the saved one is broken; it saves beside it, never over it.

        Run again, it resumes the newest such review rather than starting once more.
        """
        return opening.start_fresh_beside(cls, letter_path, broken, scheme)

    def take_over_lock(self) -> None:
        """Take the lock of a read-only session from a reviewer the person says is gone
        (:func:`reviewer.review.opening.take_over_lock`); StoreError when it cannot."""
        opening.take_over_lock(self)

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
        return self.oplog.problem or self.crash.snapshot_problem

    def _recovery(self) -> Review | None:
        """Unsaved work left by a crash that differs from what is open, if there is any."""
        return opening.recovery(self)

    @change
    def restore_journal(self) -> bool:
        """Take back the unsaved work of a session that ended without saving.

        The work the open found is taken as it was read then, while still true
        (:func:`reviewer.review.opening.unsaved_work`), and the crash journal starts again
        from the text it was read from, so nothing is read or formatted twice; else it is
        read whole and the journal's full record formatted as after any change.
        """
        saved, parts = opening.unsaved_work(self)
        if saved is None:
            return False
        if saved.sha256 != self.letter.sha256:
            # The letter changed after the crash: find the unsaved findings in it again.
            self.report.letter_changed = True
            from reviewer.review.reanchor import reanchor_review

            reanchor_review(saved, self.letter, self.report)
            parts = None  # the findings moved: their text is no longer theirs
        self._checkpoint("restore unsaved work")
        self.review.findings = saved.findings
        self.review.letter = saved.letter
        self.review.status = saved.status
        self.review.position = saved.position
        self.review.note = saved.note
        self._starts = None
        self.dirty = True
        if parts is not None:
            self.crash.restart_with(self.review, parts[1])
        return True

    def set_unsaved_work_aside(self) -> Path | None:
        """Keep a crashed session's unsaved work out of the way, for a person who chose to
        start from the saved review (:func:`reviewer.review.opening.set_unsaved_work_aside`);
        returns the file it went to, None when there was none; StoreError when it cannot."""
        return opening.set_unsaved_work_aside(self)

    def close(self, clean: bool = True) -> None:
        """Leave the review: a clean close drops the crash journal and the lock. A snapshot
        still being written is waited for (dropped by a clean close: nothing is left
        unsaved), so none lands after the files are dealt with."""
        self.crash.settle(cancel=True)
        self.crash.snapshots.settle(cancel=clean)
        self.oplog.close()
        if clean and not self.read_only:
            with contextlib.suppress(StoreError):
                self.journal.discard()
            with contextlib.suppress(StoreError):
                self.oplog.discard()
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def prepare_journal(self) -> bool:
        """Write the crash journal's full record now, on a thread of its own, so the first
        change appends only what it replaced (:meth:`CrashJournal.prepare`). The UI calls
        this once the review is on screen; False when there is nothing to prepare."""
        if self.read_only:
            return False
        return self.crash.prepare(self.review, self._toml_cache)

    # -- history ---------------------------------------------------------------------------

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
        # What a change can alter, kept cheaply: the findings list is compared by identity
        # and length, the replaced findings are noted by `_replace` (no walk over them all).
        findings, count, head = self.review.findings, len(self.review.findings), self._head()
        self._touched = set()
        self._applying = True
        try:
            return command(self, *args, **kwargs)
        finally:
            self._applying = False
            self._close_step()
            reshaped = self.review.findings is not findings or len(self.review.findings) != count
            head_changed = self._head() != head
            if reshaped or self._touched or head_changed:
                rows = None if reshaped else tuple(sorted(self._touched))
                if reshaped:
                    self._reviewed = None  # counted again when next asked
                self.last_change = Changed(rows, head_changed)
                self._log_change(rows)

    def _head(self) -> tuple[Any, ...]:
        """The review's content besides its findings, as a change can alter it."""
        r = self.review
        return (tuple(r.letter.items()), r.status, r.note)

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
        self._close_step()
        r = self.review
        self._step = Step(label, r.findings, len(r.findings), self._head(), {})
        self._redo.clear()

    def _reshaping(self) -> None:
        """Findings are about to be inserted or deleted (or the list replaced): the undo step
        keeps every finding as it was before the change."""
        self._must_apply("findings inserted or deleted")
        if self._step is not None:
            self._keep_whole(self._step)

    @staticmethod
    def _keep_whole(step: Step) -> None:
        if step.whole is not None:
            return
        whole = list(step.findings)  # the list the change started with
        for i, f in step.before.items():
            whole[i] = f
        step.whole = tuple(whole)

    def _close_step(self) -> None:
        """Put the running change's undo step on the undo list: only the findings it replaced
        when it inserted and deleted none, else every finding as it was."""
        step, self._step = self._step, None
        if step is None:
            return
        if step.whole is None and len(step.findings) != step.count:
            raise RuntimeError("findings inserted or deleted without _reshaping()")
        if self.review.findings is not step.findings:
            self._keep_whole(step)  # the list was replaced: the one it started with is as it was
        letter, status, note = step.head
        entry: State | Delta
        if step.whole is not None:
            entry = State(step.whole, letter, status, note)
        else:
            entry = Delta(step.before, letter, status, note)
        self._undo.append((step.label, entry))

    def _inverse(self, entry: State | Delta) -> State | Delta:
        """What gives back the review as it is now, once `entry` is restored."""
        if isinstance(entry, Delta):
            fs = self.review.findings
            return Delta({i: fs[i] for i in entry.rows}, *self._head())
        return self._state()

    def _restore(self, entry: State | Delta) -> None:
        self._must_apply("undo or redo")
        if isinstance(entry, Delta):
            fs = self.review.findings
            for i, f in entry.rows.items():
                old, fs[i] = fs[i], f
                self._touched.add(i)
                if self._reviewed is not None:
                    self._reviewed += (f.status != "auto") - (old.status != "auto")
        else:
            self.review.findings = list(entry.findings)
        self.review.letter = dict(entry.letter)
        self.review.status = entry.status
        self.review.note = entry.note
        self._starts = None
        # Undoing back to what is on disk leaves nothing unsaved.
        self.dirty = self._state() != self._saved_state

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
        label, entry = self._undo.pop()
        self._redo.append((label, self._inverse(entry)))
        self._restore(entry)
        return label

    @change
    def redo(self) -> str | None:
        if not self._redo:
            return None
        label, entry = self._redo.pop()
        self._undo.append((label, self._inverse(entry)))
        self._restore(entry)
        return label

    def _replace(self, i: int, **changes) -> Finding:
        self._must_apply("a finding changed")
        if self.review.findings[i].anchor in ("moved", "changed"):
            changes.setdefault("anchor", "")  # the reviewer has now looked at it
        old = self.review.findings[i]
        f = dataclasses.replace(old, **changes)
        step = self._step
        if step is not None and step.whole is None:
            if self.review.findings is not step.findings:
                self._keep_whole(step)  # replaced since the step began
            else:
                step.before.setdefault(i, old)
        self.review.findings[i] = f
        self._touched.add(i)
        if self._reviewed is not None:
            self._reviewed += (f.status != "auto") - (old.status != "auto")
        self.dirty = True
        return f

    # -- saving ----------------------------------------------------------------------------

    def save(self, path: str | Path | None = None, position: str = "") -> Path:
        """Write the review atomically (the old file kept as .bak); StoreError if it cannot.

        Saving to another path (save-as) moves the lock and the journal there; it is also
        how a read-only review is kept (:func:`reviewer.review.saving.save_review`).
        """
        return saving.save_review(self, path, position)

    def _log_change(self, rows: tuple[int, ...] | None = None) -> None:
        """Append what the last change did to the crash journal (nothing when read-only);
        `rows`, when given, are the only findings it replaced (see :class:`Changed`)."""
        if not self.read_only:
            self.crash.record(self.review, self._toml_cache, rows)

    def autosave(self, position: str = "") -> None:
        """Compact the crash journal into a snapshot of the unsaved work, and wait until it
        is written (see :meth:`start_autosave`, which does not wait)."""
        if self.start_autosave(position):
            self.wait_for_autosave()

    def start_autosave(self, position: str = "", done: Callable[[], None] | None = None) -> bool:
        """Compact the crash journal into a snapshot of the unsaved work as it is now, written
        on a thread of its own (:mod:`reviewer.review.autosave`): the UI's timer calls this a
        second or so after changes; the snapshot is also where the unsaved work is made
        durable. Returns at once (False when there is nothing to write); `done` is called on
        the writing thread once it is over.

        Changes made meanwhile are journaled as ever and kept with the snapshot; snapshots go
        in place in the order asked. One that cannot be written leaves the journal as it is
        (made durable) and sets :attr:`journal_problem`.
        """
        if self.read_only or not self.dirty:
            return False
        if position:
            self.review.position = position
            if self.crash.started and self.oplog.active:
                self._log_change(())  # where the person is, in the journal now
        self.crash.write_snapshot(self.review, self._toml_cache, done)
        return True

    def wait_for_autosave(self) -> None:
        """Wait until the snapshots asked for are written (or could not be)."""
        self.crash.snapshots.settle()
