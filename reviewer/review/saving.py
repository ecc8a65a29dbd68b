"""Saving a review: its file written atomically, and save-as, which moves the lock and the
crash journal to the new file (how a read-only review is kept: the copy becomes the
session's writable review).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from reviewer.review import annotation
from reviewer.review.changes import SessionError
from reviewer.review.extracted import text_path_for, text_sha256
from reviewer.review.journal import CrashJournal
from reviewer.review.state import SessionState
from reviewer.review.store import Journal, Lock, LockUnreadable, OpLog, StoreError, atomic_write


def save_review(session: SessionState, path: str | Path | None = None, position: str = "") -> Path:
    """Write the review atomically (the old file kept as .bak); StoreError if it cannot.

    Saving to another path (save-as) moves the lock and the journal there; it is also
    how a read-only review is kept: the copy becomes this session's writable review.
    """
    target = Path(path) if path else session.review_path
    moving = target.resolve() != session.review_path.resolve()
    if session.read_only and not moving:
        raise SessionError("this review is read-only (open elsewhere); use save-as to keep a copy")
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
    source_path, updated = session.review.source_path, session.review.updated
    session.review.updated = annotation.now()
    if moving:
        session.review.source_path = annotation.source_path_for(session.letter.path, target.parent)
    try:
        if session.letter.encoding == "pdf":
            _save_pdf_text(session, target)
        text = session.serialise(position)
        atomic_write(target, text)
    except StoreError:
        session.review.source_path, session.review.updated = source_path, updated
        if new_lock is not None:
            new_lock.release()
        raise
    # The file is written: nothing below may fail the save (a read-only old folder that
    # keeps its lock file or journal is not a reason to stay on the old path). A snapshot
    # still being written is dropped: the file holds all it would.
    session.crash.snapshots.settle(cancel=True)
    old_journals: list[Journal | OpLog] = [session.oplog]
    if not session.read_only:
        old_journals.append(session.journal)
    if moving:
        if session.lock is not None:
            with contextlib.suppress(StoreError):
                session.lock.release()
        session.lock = new_lock
        session.review_path = target
        session.crash = CrashJournal(target)
        session.read_only = False
        session.report.read_only_reason = ""
    for old in old_journals:
        with contextlib.suppress(StoreError):
            old.discard()
    session.crash.restart_from("review", text, session.review)
    session.mark_saved()
    return target


def _save_pdf_text(session: SessionState, review_target: Path) -> None:
    """Keep the text extracted from a PDF beside the review: the offsets index it."""
    path = text_path_for(review_target)
    digest = text_sha256(session.text)
    if not (
        path.exists()
        and session.review.text_sha256 == digest
        and session.review.text_path == path.name
    ):
        atomic_write(path, session.text, backup=False)
    session.review.text_path = path.name
    session.review.text_sha256 = digest
