"""Opening a review: a letter's saved review resumed (re-anchored when the letter changed) or
a new one segmented; a fresh review beside a broken one; the lock taken, or taken over from
a reviewer that is gone; and a crashed session's unsaved work found, offered or set aside.

The functions take the session class or a session; :class:`ReviewSession` calls them
(``ReviewSession.open``, ``take_over_lock``...). Taking the unsaved work back is a change
(``ReviewSession.restore_journal``), since it takes an undo step.
"""

from __future__ import annotations

import dataclasses
import os
import time
from pathlib import Path
from typing import TypeVar

from reviewer.review import annotation
from reviewer.review.annotation import AnnotationError, Review
from reviewer.review.extracted import reextracted, saved_text
from reviewer.review.reanchor import reanchor_review, words
from reviewer.review.state import OpenReport, SessionState
from reviewer.review.store import Lock, LockUnreadable, StoreError, atomic_write
from reviewer.segment.families import segment_auto, segment_text
from reviewer.segment.scheme import Scheme, load_scheme
from reviewer.sources.read import read_letter

S = TypeVar("S", bound=SessionState)


def open_session(
    cls: type[S],
    letter_path: str | Path,
    review_path: str | Path | None = None,
    scheme: Scheme | str | None = None,
    read_only: bool = False,
) -> S:
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
            reanchor_review(review, letter, report)
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
    elif report.resumed and record_own_wordings(session):
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
            report.read_only_reason = reason or held_message(rpath, lock)
            session.lock = None
    # Every finding's TOML for the crash journal's full record is formatted later, off the
    # first screen's path, on the thread `ReviewSession.prepare_journal` starts.
    report.journal_available = not session.read_only and recovery(session) is not None
    return session


def start_fresh_beside(cls: type[S], letter_path: str | Path, broken: Path, scheme=None) -> S:
    """A new review when the saved one is broken; it saves beside it, never over it.

    Run again, it resumes the newest such review rather than starting once more.
    """
    taken = fresh_reviews_beside(broken)
    if taken:
        candidate = taken[-1]
    else:
        candidate = broken.with_name(broken.name.removesuffix(".toml") + ".new1.toml")
    session = open_session(cls, letter_path, candidate, scheme)
    session.report.broken_review = str(broken)
    return session


def take_over_lock(session: SessionState) -> None:
    """Take the lock of a read-only session from a reviewer the person says is gone.

    For a lock that looks held but is stale (another machine's reviewer that crashed):
    the session becomes writable, and that reviewer's unsaved work, if its crash journal
    is here, is offered (``report.journal_available``). Raises StoreError when the lock
    cannot be written (the folder is read-only: use save-as).
    """
    if not session.read_only:
        return
    lock = Lock(session.review_path)
    lock.take_over()
    session.lock = lock
    session.read_only = False
    session.report.read_only_reason = ""
    session.report.journal_available = recovery(session) is not None


def replayed(session: SessionState) -> Review | None:
    """The unsaved work of a session that ended without saving, if any."""
    return session.crash.replayed(set(session.scheme.by_id))


def recovery(session: SessionState) -> Review | None:
    """Unsaved work left by a crash that differs from what is open, if there is any."""
    try:
        saved = replayed(session)
    except (AnnotationError, StoreError):
        return session.review if session.crash.exists() else None
    if saved is None:
        return None
    same = (
        saved.sha256 == session.review.sha256
        and saved.status == session.review.status
        and saved.note == session.review.note
        and saved.letter == session.review.letter
        and [annotation.finding_toml(f) for f in saved.findings]
        == [annotation.finding_toml(f) for f in session.review.findings]
    )
    return None if same else saved  # a crash after the save wrote the file: nothing lost


def set_unsaved_work_aside(session: SessionState) -> Path | None:
    """Keep a crashed session's unsaved work out of the way, for a person who chose to
    start from the saved review: written whole, as a review file, beside the review as
    ``<review>.autosave.<time it was last written>``; the crash journal then starts
    afresh and nothing asks about that work again. Journal files too damaged to read
    are moved aside as they are. Returns the file the work went to (None when there was
    none); raises StoreError when it cannot be kept, leaving the journal where it was."""
    found = [p for p in (session.journal.path, session.oplog.path) if p.is_file()]
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
            saved = replayed(session)
        except (AnnotationError, StoreError):
            saved = None
        aside = session.journal.path.with_name(f"{session.journal.path.name}.{suffix}")
        if saved is not None:
            atomic_write(aside, annotation.dumps(saved), backup=False)
            session.journal.discard()
            session.oplog.discard()
            return aside
        session.oplog.close()
        for p in found:
            os.replace(p, p.with_name(f"{p.name}.{suffix}"))
        return found[0].with_name(f"{found[0].name}.{suffix}")
    except OSError as exc:
        raise StoreError(f"cannot keep the unsaved work aside: {exc}") from exc


def record_own_wordings(session: SessionState) -> int:
    """Findings whose text is not the letter's words at their span were worded by a
    reviewer (in the file, by hand): keep the letter's words as their ``letter_text``,
    so a change of the letter moves them and keeps the wording. Only while the letter is
    the one the review was made on. Returns how many were found."""
    found = 0
    machine: dict[tuple[int, int], str] | None = None
    for i, f in enumerate(session.review.findings):
        if f.letter_text or f.anchor == "orphan" or f.end <= f.start:
            continue
        own = session._clean(f.start, f.end)
        if words(f.text) == own or not own:
            continue
        if machine is None:  # a table row, say, is read otherwise: ask the segmenter
            machine = {
                (g.start, g.end): g.text
                for g in segment_text(session.text, session.scheme).findings
            }
        if machine.get((f.start, f.end)) == f.text:
            continue
        session.review.findings[i] = dataclasses.replace(f, letter_text=own)
        found += 1
    return found


def held_message(rpath: Path, lock: Lock) -> str:
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
