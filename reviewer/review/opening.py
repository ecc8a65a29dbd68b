"""Opening a review: a letter's saved review resumed (re-anchored when the letter changed) or
a new one segmented; a fresh review beside a broken one; the lock taken, or taken over from
a reviewer that is gone; and a crashed session's unsaved work found, offered or set aside.

The functions take the session class or a session; :class:`ReviewSession` calls them
(``ReviewSession.open``, ``take_over_lock``...). Taking the unsaved work back is a change
(``ReviewSession.restore_journal``), since it takes an undo step.

Whether a crash left work that differs from the review file is decided before the person
sees the letter, so at 178,000 findings it must not read the unsaved work whole (seconds).
The open keeps the file's text, and :func:`recovery` tells the unsaved work apart from it by
the text of each finding: a finding whose TOML is the text a finding of the file was read
from *is* that finding, already read; only the others are read. What it finds is kept
(``CrashJournal.recovered``) for the restore, which uses it only while the crash files still
say the same and nothing was changed meanwhile (:func:`unsaved_work`). Anything it cannot be
sure of (a file whose findings cannot be told apart by their text, a letter that changed,
a finding repeated) is decided the full way: the unsaved work read whole and every finding
compared.
"""

from __future__ import annotations

import dataclasses
import os
import re
import time
from operator import is_
from pathlib import Path
from typing import NamedTuple, TypeVar

from reviewer.model import Finding, Segment
from reviewer.review import annotation
from reviewer.review.annotation import FINDINGS_HEADER, AnnotationError, Review
from reviewer.review.extracted import reextracted, saved_text
from reviewer.review.journal import Recovered
from reviewer.review.state import Display, OpenReport, SessionState, display_of
from reviewer.review.store import Lock, LockUnreadable, StoreError, atomic_write
from reviewer.segment.scheme import Scheme, load_scheme
from reviewer.sources.letter import Letter
from reviewer.sources.read import read_letter
from reviewer.tomlfile import TomlFileError, parse_toml

S = TypeVar("S", bound=SessionState)


class SavedFile(NamedTuple):
    """A review file as the open read it: its text and the findings read from it (in
    order), so that a crash's unsaved work can be told apart from it by text."""

    text: str
    findings: tuple[Finding, ...]


class NewReview(NamedTuple):
    """A letter read and segmented into a new machine review, not opened yet: what the open
    makes of a letter that has no review (:func:`new_review`), here or in a head start
    (:mod:`reviewer.review.head_start`, which sends it from a child process)."""

    letter: Letter
    review: Review
    # the scheme asked for (a name, a file or a scheme made in code), else the letter's family
    scheme: Scheme | str
    note: str  # the segmenter's note on the letter (`segment_auto`)
    detected: bool  # the family was found from the letter itself
    segments: list[Segment]
    display: Display  # the letter as the pane shows it (`display_of`)


def new_review(
    letter_path: str | Path, rpath: Path, scheme: Scheme | str | None = None
) -> NewReview:
    """Read a letter and segment it into a new machine review, saved at `rpath` later.

    Raises InputError for a bad letter and SchemeError for a scheme that cannot be used.
    """
    from reviewer.segment.families import segment_auto, segment_text

    letter = read_letter(letter_path)
    if scheme is None:
        doc, note = segment_auto(letter.text)
        name: Scheme | str = doc.scheme
    else:
        chosen = scheme if isinstance(scheme, Scheme) else load_scheme(scheme)
        doc, note, name = segment_text(letter.text, chosen), "", scheme
    review = annotation.from_document(
        doc,
        annotation.source_path_for(letter.path, rpath.parent),
        letter.sha256,
        letter.encoding,
    )
    review.status = "in_progress"
    review.extractor = letter.extractor
    return NewReview(
        letter, review, name, note, scheme is None, doc.segments, display_of(letter.text)
    )


def open_session(
    cls: type[S],
    letter_path: str | Path,
    review_path: str | Path | None = None,
    scheme: Scheme | str | None = None,
    read_only: bool = False,
    made: NewReview | None = None,
) -> S:
    """Open a letter: resume its saved review (re-anchored if the letter changed) or segment it.

    `made` is the new review of this letter made already (by :func:`new_review`, in a head
    start's child: :mod:`reviewer.review.head_start`); it is used when the letter has no
    review, and made here when not given.

    Raises InputError for a bad letter and AnnotationError for a review file that cannot
    be trusted; neither touches any file.
    """
    rpath = Path(review_path) if review_path else annotation.review_path_for(Path(letter_path))
    if rpath.exists():
        made = None  # a review file came meanwhile: resumed, as it says
    elif made is None:
        made = new_review(letter_path, rpath, scheme)
    if made is not None:
        chosen = made.scheme if isinstance(made.scheme, Scheme) else load_scheme(made.scheme)
        session = cls(made.letter, made.review, chosen, rpath, read_only, made.display)
        session.report = OpenReport(note=made.note, family_decided=made.detected)
        session._segments = made.segments  # no second segmentation for `promote`
        saved = None
    else:
        session, saved = _resumed(cls, letter_path, rpath, scheme, read_only)
    if not read_only:
        _take_lock(session, rpath)
    # Every finding's TOML for the crash journal's full record is formatted later, off the
    # first screen's path, on the thread `ReviewSession.prepare_journal` starts.
    session.report.journal_available = (
        not session.read_only and recovery(session, saved) is not None
    )
    return session


def _resumed(
    cls: type[S], letter_path: str | Path, rpath: Path, scheme: Scheme | str | None, read_only: bool
) -> tuple[S, SavedFile]:
    """A letter's saved review, checked against the letter (re-anchored if it changed)."""
    letter = read_letter(letter_path)
    review, text = annotation.load_with_text(rpath)
    saved = SavedFile(text, tuple(review.findings))
    if letter.encoding == "pdf":
        letter = saved_text(letter, rpath, review)
    scheme = scheme if isinstance(scheme, Scheme) else load_scheme(scheme or review.scheme)
    report = OpenReport(resumed=True)
    # The same rules as `reviewer validate`: categories of the scheme, offsets inside.
    wrong = annotation.check_categories(review, set(scheme.by_id), str(rpath))
    if review.sha256 != letter.sha256 or reextracted(letter, review):
        from reviewer.review.reanchor import reanchor_review

        report.letter_changed = True
        report.reextracted = review.sha256 == letter.sha256
        reanchor_review(review, letter, report)
        review.extractor = letter.extractor
    else:
        wrong += annotation.check_offsets(review, len(letter.text), str(rpath))
    if wrong:
        raise AnnotationError(wrong[0])
    session = cls(letter, review, scheme, rpath, read_only)
    session.report = report
    if report.letter_changed:
        session.dirty = True  # the findings' new places are not saved yet
    elif record_own_wordings(session):
        session.dirty = True  # the letter's own words are not saved with them yet
    return session, saved


def _take_lock(session: SessionState, rpath: Path) -> None:
    """The review's lock for this session; read-only, saying why, when another holds it."""
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
        session.report.read_only_reason = reason or held_message(rpath, lock)
        session.lock = None


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


def recovery(session: SessionState, saved: SavedFile | None = None) -> Review | None:
    """Unsaved work left by a crash that differs from what is open, if there is any.

    With `saved` (the review file as the open read it, while the session still holds its
    findings as read), the work is told apart from the file by text first
    (:func:`_quick_recovery`), and the work found is kept for the restore
    (``session.crash.recovered``); else, or when that cannot be sure, the work is read whole
    and every finding compared as TOML.
    """
    session.crash.recovered = None
    if saved is not None:
        try:
            quick = _quick_recovery(session, saved)
        except (AnnotationError, StoreError):
            quick = None  # the full way reads it again and says what is wrong
        if quick is not None:
            found, differs = quick
            if found is None or not differs:
                return None
            session.crash.recovered = found
            return found.review
    try:
        work = replayed(session)
    except (AnnotationError, StoreError):
        return session.review if session.crash.exists() else None
    if work is None:
        return None
    return work if _differs(work, session.review) else None  # a crash after the save: nothing lost


def _differs(work: Review, review: Review) -> bool:
    """Whether unsaved work differs from the review open: in the letter it is of, the
    review's status, note or letter details, or any finding (compared as its TOML, unless it
    is the very finding open)."""
    return not (
        work.sha256 == review.sha256
        and work.status == review.status
        and work.note == review.note
        and work.letter == review.letter
        and len(work.findings) == len(review.findings)
        and all(
            a is b or annotation.finding_toml(a) == annotation.finding_toml(b)
            for a, b in zip(work.findings, review.findings, strict=True)
        )
    )


def _quick_recovery(
    session: SessionState, saved: SavedFile
) -> tuple[Recovered | None, bool] | None:
    """The crash's unsaved work read by reusing the findings of the file open wherever a
    finding's TOML in it is the text one of them was read from, and whether it differs from
    what is open: (None, False) when there is none; None when this cannot be sure, for the
    full way to decide.

    A finding read from a text is the finding any reading of that text gives, so reusing it
    gives the review reading the whole work would give, provided each finding's TOML in the
    file and in the work is that finding's table and nothing else (:func:`_finding_texts`,
    :func:`_plain_finding`), the work's head stands alone, and the work's findings are read
    with the same checks (the scheme's categories, every id once).
    """
    review = session.review
    if (
        session.report.letter_changed
        or len(review.findings) != len(saved.findings)
        or not all(map(is_, review.findings, saved.findings))
    ):
        return None  # findings changed as it opened: compared the full way
    parts = session.crash.replayed_parts()
    if parts is None:
        return None, False
    head, chunks, source = parts
    in_file = _finding_texts(saved.text, len(saved.findings))
    if in_file is None or '"""' in head or "'''" in head:
        return None
    try:
        data = parse_toml(head, source)
    except TomlFileError:
        return None
    if "findings" in data:
        return None
    categories = set(session.scheme.by_id)
    work = annotation.from_dict(data, source, categories)
    if work.sha256 != session.letter.sha256:
        return None  # of another letter: the restore finds its findings again (full way)
    where = _found_in(chunks, in_file)
    others = [c for c, j in zip(chunks, where, strict=True) if j is None]
    read: list[Finding] = []
    if others:
        if not all(map(_plain_finding, others)):
            return None
        read = annotation.loads(annotation.join_parts(head, others), source, categories).findings
        if len(read) != len(others):
            return None
    fresh = iter(read)
    work.findings = [saved.findings[j] if j is not None else next(fresh) for j in where]
    if len({f.id for f in work.findings}) != len(work.findings):
        return None  # the full way says which id repeats
    found = Recovered(work, head, chunks, session._state())
    return found, _differs(work, review)


# A line that opens a table other than a finding (``FINDINGS_HEADER``) or a table inside
# the finding before it (``[findings.x]``), or any indented one (no line of ours is so).
_OTHER_TABLE = re.compile(r"\n(?:[ \t]+\[|\[(?!\[findings\]\]\n|\[?findings\.))")
# A line of a file's head that could open a finding or a table of one (a quoted name may
# spell it with escapes).
_FINDINGS_TABLE = re.compile(r"^[ \t]*\[[^\n]*(?:findings|[\"'])", re.MULTILINE)


def _finding_texts(text: str, n: int) -> list[str] | None:
    """The TOML of each of a review file's `n` findings, in order, as the file holds it (the
    text between two ``FINDINGS_HEADER``, as :func:`annotation.join_parts` joins them); None
    unless that text is exactly each finding's table.

    It is when the head opens no finding's table, every line after it that opens a table
    is a ``FINDINGS_HEADER`` or a table inside a finding, and there are `n` of the headers:
    a header inside a multi-line string would be one too many, and a finding's own header
    written otherwise would be seen."""
    body = text.removeprefix("\ufeff")
    parts = body.split(FINDINGS_HEADER)
    head = parts[0]
    if len(parts) - 1 != n or _FINDINGS_TABLE.search(head):
        return None
    if _OTHER_TABLE.search(body, len(head)):
        return None
    return parts[1:]


# How far ahead of where the last found finding was a finding's text is looked for first
# (a deletion, a merge or a split moves the findings after it by one or two).
_AHEAD = 8


def _found_in(chunks: list[str], in_file: list[str]) -> list[int | None]:
    """For each finding's TOML of the unsaved work, the finding of the file whose text it
    is (None when none is): looked for where the file's findings go on from the last one
    found, a little way ahead, and, after several not found in a row, anywhere."""
    where: list[int | None] = []
    index: dict[str, int] | None = None
    j, n, missed = 0, len(in_file), 0
    for chunk in chunks:
        k: int | None = None
        if j < n and chunk == in_file[j]:
            k = j
        else:
            for m in range(j + 1, min(j + _AHEAD, n)):
                if chunk == in_file[m]:
                    k = m
                    break
            else:
                if missed >= _AHEAD:
                    if index is None:
                        index = dict(zip(in_file, range(n), strict=True))
                    k = index.get(chunk)
        if k is None:
            missed += 1
        else:
            missed, j = 0, k + 1
        where.append(k)
    return where


def _plain_finding(chunk: str) -> bool:
    """Whether a finding's TOML from the crash journal is one finding's table and nothing
    else, whatever comes before and after it (see :func:`_finding_texts`)."""
    return (
        '"""' not in chunk
        and "'''" not in chunk
        and FINDINGS_HEADER not in chunk
        and _OTHER_TABLE.search("\n" + chunk) is None
    )


def unsaved_work(session: SessionState) -> tuple[Review | None, tuple[str, list[str]] | None]:
    """The unsaved work to restore, and the text it is read from (its head and findings'
    TOML) when that is the work :func:`recovery` found at the open and kept: used only while
    the crash files still give that very text and the session holds what it held then;
    else the work is read whole again (and the text is None). Takes the kept work: a second
    call reads the files again."""
    kept, session.crash.recovered = session.crash.recovered, None
    if kept is not None and kept.state == session._state():
        try:
            parts = session.crash.replayed_parts()
        except (AnnotationError, StoreError):
            parts = None
        if parts is not None and parts[0] == kept.head and parts[1] == kept.chunks:
            return kept.review, (kept.head, kept.chunks)
    return replayed(session), None


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
            saved, parts = unsaved_work(session)
        except (AnnotationError, StoreError):
            saved, parts = None, None
        aside = session.journal.path.with_name(f"{session.journal.path.name}.{suffix}")
        if saved is not None:
            # The text the work was read from, when it was (the same review, not formatted again).
            text = annotation.join_parts(*parts) if parts is not None else annotation.dumps(saved)
            atomic_write(aside, text, backup=False)
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
    from reviewer.review.reanchor import words

    found = 0
    machine: dict[tuple[int, int], str] | None = None
    for i, f in enumerate(session.review.findings):
        if f.letter_text or f.anchor == "orphan" or f.end <= f.start:
            continue
        own = session._clean(f.start, f.end)
        if words(f.text) == own or not own:
            continue
        if machine is None:  # a table row, say, is read otherwise: ask the segmenter
            from reviewer.segment.families import segment_text

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
