"""The crash journal of a review in progress: what is written as each change is made, and
how the unsaved work is read back after a crash.

Two files beside the review keep unsaved work (see :mod:`reviewer.review.store`): the
*snapshot* (``.autosave``, the whole review as the UI's timer last wrote it) and the *journal*
(``.journal``, JSON lines appended as each change is made). The journal's first line is either
a full record (the file's head and every finding's TOML) or names the file it starts from (the
snapshot or the review this session last wrote, with its text's SHA-256); each later line
replaces a run of findings (``at``, ``remove``, ``insert``) and/or the head. Replaying the
journal over its start gives the review as it was at the last change.

A snapshot is written on a thread (:mod:`reviewer.review.autosave`) while changes go on being
journaled. When it is put in place over the snapshot the journal starts from, a line
``{"snapshot": SHA-256, "after": n}`` is appended first: the new snapshot is the review as
the journal's first n lines left it, so the lines after them, replayed over it, give the
review at the last change. A journal that no longer matches its start is read that way.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from itertools import compress, count
from operator import is_, is_not
from pathlib import Path
from typing import Any, NamedTuple

from reviewer.model import Finding
from reviewer.review import annotation
from reviewer.review.annotation import AnnotationError, Review
from reviewer.review.autosave import Snapshot, SnapshotWriter
from reviewer.review.extracted import text_sha256
from reviewer.review.store import Journal, OpLog, PendingWrite, StoreError, json_line_encoder
from reviewer.sources.letter import sha256_of

JOURNAL_VERSION = 1


def head_key(review: Review) -> tuple[Any, ...]:
    """What of a review's head a change can alter, to see whether one did."""
    return (tuple(review.letter.items()), review.status, review.position, review.note)


def replaced_run(old: list[Finding], new: list[Finding]) -> tuple[int, int, list[Finding]]:
    """The one run of `old` that `new` replaces: where it starts, how many of `old` it
    takes away and what it puts in (findings compared by identity, at C speed)."""
    n_old, n_new = len(old), len(new)
    shared = min(n_old, n_new)
    p = next(compress(count(), map(is_not, old, new)), shared)
    q = next(compress(count(), map(is_not, reversed(old), reversed(new))), shared)
    q = min(q, shared - p)
    return p, n_old - q - p, new[p : n_new - q]


class Recovered(NamedTuple):
    """A crashed session's unsaved work as the open found it, kept until the person answers
    "restore it?" (see :func:`reviewer.review.opening.recovery`): the review read from it,
    the text it was read from (head and findings' TOML, as
    :meth:`CrashJournal.replayed_parts` gives them) and what the session held then (its
    ``_state()``). Taken only while both are still so."""

    review: Review
    head: str
    chunks: list[str]
    state: Any


class CrashJournal:
    """The snapshot and the journal of one review file, and what the journal holds so far."""

    def __init__(self, review_path: Path) -> None:
        self.review_path = review_path
        self.snapshot = Journal(review_path)  # what the UI's timer writes (autosave)
        self.oplog = OpLog(review_path)  # every change since that snapshot, as it is made
        # What the journal holds: the findings and the head key.
        self._logged: tuple[list[Finding], tuple[Any, ...]] | None = None
        # The file the journal may start from instead of a full record: the snapshot or
        # review last written ("autosave" or "review", its text's SHA-256, and the findings
        # and head key it held).
        self._base: tuple[str, str, tuple[Finding, ...], tuple[Any, ...]] | None = None
        # The full record being written on a thread of its own (see prepare), its stop
        # signal, and what the journal holds once it is written.
        self._writer: threading.Thread | None = None
        self._stop = threading.Event()
        self._prepared: tuple[list[Finding], tuple[Any, ...]] | None = None
        # The snapshots, written on threads of their own; the lock keeps a snapshot being
        # put in place apart from a change being journaled (both touch the files and what
        # the journal holds).
        self.snapshots = SnapshotWriter(self)
        self.lock = threading.RLock()
        # A crashed session's unsaved work as the open found it, until the person answers.
        self.recovered: Recovered | None = None

    @property
    def started(self) -> bool:
        """Whether the journal holds a record the next change can be appended to."""
        self.settle()
        return self._logged is not None

    @property
    def preparing(self) -> bool:
        """Whether the full record is still being written on its thread."""
        return self._writer is not None and self._writer.is_alive()

    def prepare(self, review: Review, toml_cache: dict) -> bool:
        """Start writing the journal's full record on a thread of its own, so the first change
        appends only what it replaced. Nothing is started (False) when the journal already
        holds a record or has a file to start from, or when a crash journal or snapshot is on
        disk (it may hold a crashed session's work, not to be written over before the person
        has chosen). Call it when nothing else is running a change."""
        self.settle()
        if self._logged is not None or self._base is not None or self.exists():
            return False
        findings = tuple(review.findings)  # the findings are replaced, never altered
        head, key = annotation.head_toml(review), head_key(review)
        self._stop.clear()
        self._writer = threading.Thread(
            target=self._write_full,
            args=(findings, head, key, toml_cache),
            name="crash-journal",
            daemon=True,
        )
        self._writer.start()
        return True

    def _write_full(
        self, findings: tuple[Finding, ...], head: str, key: tuple[Any, ...], cache: dict
    ) -> None:
        """The writer thread: every finding's TOML, then the journal started with them. The
        TOML goes into the session's `cache` too, so the first snapshot after it need not
        format every finding again."""
        chunks = annotation.findings_toml(findings, cache, self._stop.is_set)
        if chunks is None:
            return
        if self.oplog.start_in_pieces(self._record_pieces(head, chunks)):
            if self._stop.is_set():
                self.oplog.close()  # a line cut short: the reader ignores it
            else:
                self._prepared = (list(findings), key)

    def _record_pieces(self, head: str, chunks: list[str]) -> Iterator[str]:
        """The full record's JSON line, as `OpLog.append` would write it, in pieces: one
        call encoding it all would keep every other thread (the screen) waiting."""
        encode = json_line_encoder()  # a string is the same whatever the separators
        yield f'{{"journal":{JOURNAL_VERSION},"head":{encode(head)},"findings":['
        for k in range(0, len(chunks), 1024):
            if self._stop.is_set():
                return
            yield ("," if k else "") + ",".join(map(encode, chunks[k : k + 1024]))
        yield "]}\n"

    def settle(self, cancel: bool = False) -> None:
        """Wait for the full record's thread (stopping it first if `cancel`), and take up
        what it wrote: the journal then holds those findings."""
        writer = self._writer
        if writer is None:
            return
        if cancel:
            self._stop.set()
        writer.join()
        self._writer = None
        with self.lock:
            if self._prepared is not None:
                self._logged, self._prepared = self._prepared, None

    def exists(self) -> bool:
        """Whether either file is on disk."""
        self.settle()
        self.snapshots.settle()
        return self.snapshot.exists() or self.oplog.exists()

    # -- the snapshot ----------------------------------------------------------------------

    @property
    def snapshot_problem(self) -> str:
        """Why the last snapshot could not be written, as one line ("" when it was)."""
        return self.snapshots.problem

    def write_snapshot(
        self, review: Review, toml_cache: dict, done: Callable[[], None] | None = None
    ) -> None:
        """Take the review as it is now and write it as the snapshot on a thread
        (:class:`SnapshotWriter`); `done` is called on that thread when it is over. Costs
        the caller a tuple of the findings and the file's head, not the writing."""
        self.settle()
        with self.lock:
            mark = (self.oplog.generation, self.oplog.lines)
        findings = tuple(review.findings)
        whole = None if findings else annotation.dumps(review)
        snap = Snapshot(findings, annotation.head_toml(review), head_key(review), mark, whole)
        self.snapshots.start(snap, toml_cache, done)

    def land_snapshot(
        self, pending: PendingWrite, sha: str, snap: Snapshot, wanted: Callable[[], bool]
    ) -> bool:
        """Put a snapshot written aside in place of the last, keeping the journal right with
        it (on the snapshot's thread); False when it was dropped instead.

        If nothing was journaled since the snapshot was taken, or the journal holds the same
        review as it does (changes undone, or only marks), it holds every change: the journal
        is removed and starts again from it at the next change. If changes were, the
        journal keeps them and is marked with where the snapshot stands in it (see the module's
        docstring), before the snapshot is in place. Dropped, leaving the old snapshot and the
        journal as they were, when `wanted` says no (cancelled), or when the journal was begun
        afresh since or cannot be marked. Raises StoreError when it cannot be put in place.
        """
        with self.lock:
            log = self.oplog
            generation, lines = snap.mark
            if not wanted() or log.generation != generation:
                pending.abandon()
                return False
            if log.lines == lines or self._holds(snap):
                pending.commit()
                with contextlib.suppress(StoreError):
                    log.discard()  # left behind, it no longer matches its start: not read
                self._logged = None
            elif snap.findings and log.active and log.append({"snapshot": sha, "after": lines}):
                pending.commit()
            else:
                pending.abandon()
                return False
            self._base = ("autosave", sha, snap.findings, snap.key) if snap.findings else None
        pending.settle()
        return True

    def _holds(self, snap: Snapshot) -> bool:
        """Whether the journal holds the very review `snap` does (findings by identity)."""
        if self._logged is None:
            return False
        findings, key = self._logged
        return (
            key == snap.key
            and len(findings) == len(snap.findings)
            and all(map(is_, findings, snap.findings))
        )

    def snapshot_failed(self) -> None:
        """A snapshot could not be written: the journal is all there is of the unsaved work,
        so it is made durable now."""
        with self.lock:
            self.oplog.sync()

    def record(self, review: Review, toml_cache: dict, rows: tuple[int, ...] | None = None) -> None:
        """Append what the last change did to the journal.

        The first change after an open, a save or a snapshot writes a full record (or names
        the file just written); each later one only the findings it replaced and the head if
        it changed. `rows`, when given, are the only findings the change replaced (in place:
        same count, same order), so nothing else is looked at; else they are found by
        identity (changes replace finding objects, never alter them). A write that fails
        leaves :attr:`OpLog.problem` set; the next change starts the file again.
        """
        self.settle()
        with self.lock:
            self._record(review, toml_cache, rows)

    def _record(self, review: Review, toml_cache: dict, rows: tuple[int, ...] | None) -> None:
        findings = review.findings
        key = head_key(review)
        log = self.oplog
        if (not log.active or self._logged is None) and self._base is not None:
            kind, sha, base_findings, base_key = self._base
            if not log.start({"journal": JOURNAL_VERSION, "base": kind, "sha256": sha}):
                self._logged = None
                return
            self._logged = (list(base_findings), base_key)  # and the change since, below
            rows = None  # the base is older than the change: compare with it
        elif not log.active or self._logged is None:
            head, chunks = annotation.dumps_parts(review, toml_cache)
            record = {"journal": JOURNAL_VERSION, "head": head, "findings": chunks}
            self._logged = (list(findings), key) if log.start(record) else None
            return
        old, old_key = self._logged
        if rows is not None and len(old) == len(findings):
            rows = tuple(i for i in rows if old[i] is not findings[i])
            p, end = (min(rows), max(rows) + 1) if rows else (0, 0)
            n_remove = end - p
            inserted = findings[p:end]
        else:
            p, n_remove, inserted = replaced_run(old, findings)
        entry: dict[str, Any] = {}
        if n_remove or inserted:
            entry["at"], entry["remove"] = p, n_remove
            entry["insert"] = [annotation.finding_toml(f) for f in inserted]
        if key != old_key:
            entry["head"] = annotation.head_toml(review)
        if entry and not log.append(entry):
            self._logged = None
            return
        old[p : p + n_remove] = inserted  # what the journal holds now
        self._logged = (old, key)

    def restart_from(self, kind: str, text: str, review: Review) -> None:
        """The file just written ("autosave" or "review") holds every change so far: the
        journal restarts from it at the next change."""
        self.settle()
        with self.lock:
            self._logged = None
            if not review.findings:
                self._base = None  # `findings = []` cannot be split into findings
                return
            self._base = (
                kind,
                text_sha256(text),
                tuple(review.findings),
                head_key(review),
            )

    def replayed(self, categories: set[str]) -> Review | None:
        """The unsaved work of a session that ended without saving: the journal's start with
        every change after it applied, else the last snapshot; None when there is neither.

        Raises AnnotationError for a journal or snapshot that cannot be read as a review.
        """
        parts = self.replayed_parts()
        if parts is None:
            return None
        head, chunks, source = parts
        return annotation.loads(annotation.join_parts(head, chunks), source, categories)

    def replayed_parts(self) -> tuple[str, list[str], str] | None:
        """The text of the unsaved work :meth:`replayed` reads, not yet read as a review: its
        head, its findings' TOML (as :func:`annotation.join_parts` joins them, which gives the
        text back exactly) and the file it comes from, for messages; None when there is none.

        Raises AnnotationError for a journal that cannot be replayed and StoreError for a
        snapshot that cannot be read.
        """
        self.snapshots.settle()
        entries = self.oplog.entries()
        base = self._start_parts(entries[0]) if entries else None
        after = entries[1:]
        if base is None and entries:
            marked = self._marked_snapshot(entries)
            if marked is not None:
                base, after = marked
        if base is not None:
            source = str(self.oplog.path)
            try:
                head, chunks = base
                for e in after:
                    if "at" in e:
                        at, remove = int(e["at"]), int(e["remove"])
                        chunks[at : at + remove] = list(e["insert"])
                    head = e.get("head", head)
                return str(head), [str(c) for c in chunks], source
            except (KeyError, TypeError, ValueError):
                raise AnnotationError(
                    f"{source}: the crash journal is damaged; move it aside and reopen"
                ) from None
        snapshot = self.snapshot.load()
        if snapshot is None:
            return None
        head, chunks = _split(snapshot)
        return head, chunks, str(self.snapshot.path)

    def restart_with(self, review: Review, chunks: list[str]) -> bool:
        """Begin the journal afresh with a full record of `review` as it is now, whose
        findings' TOML the caller already has: ``chunks[i]`` must read back as
        ``review.findings[i]`` (the text the finding was read from). Used where a whole review
        was just put in place (unsaved work restored), so none of it is formatted again. False
        when the journal could not be written; the next change then starts it as ever.
        """
        self.settle()
        with self.lock:
            head = annotation.head_toml(review)
            key = head_key(review)
            encode = json_line_encoder()
            pieces = [f'{{"journal":{JOURNAL_VERSION},"head":{encode(head)},"findings":[']
            pieces += [
                encode(chunks[k : k + 1024])[1:-1] + ("," if k + 1024 < len(chunks) else "")
                for k in range(0, len(chunks), 1024)
            ]
            pieces.append("]}\n")
            if len(chunks) != len(review.findings) or not self.oplog.start_in_pieces(pieces):
                self._logged = None
                return False
            self._logged = (list(review.findings), key)
            return True

    def _start_parts(self, first: dict) -> tuple[str, list[str]] | None:
        """The head and findings' TOML a journal starts from, or None if it cannot be used
        (a newer snapshot then holds all of its changes)."""
        if first.get("journal") != JOURNAL_VERSION:
            return None
        if "base" not in first:
            head, chunks = first.get("head"), first.get("findings")
            if not isinstance(head, str) or not isinstance(chunks, list):
                return None
            return head, list(chunks)
        path = self.snapshot.path if first["base"] == "autosave" else self.review_path
        found = _read_hashed(path)
        if found is None or found[1] != first.get("sha256"):
            return None
        return _split(found[0])

    def _marked_snapshot(
        self, entries: list[dict]
    ) -> tuple[tuple[str, list[str]], list[dict]] | None:
        """The snapshot's head and findings' TOML, and the journal's lines after the point
        the snapshot was taken at, if a marker says where that is (see the module's docstring);
        None when no marker names the snapshot on disk."""
        found = _read_hashed(self.snapshot.path)
        if found is None:
            return None
        text, sha = found
        for e in reversed(entries):
            after = e.get("after")
            if e.get("snapshot") == sha and isinstance(after, int) and 1 <= after <= len(entries):
                return _split(text), entries[after:]
        return None


def _read_hashed(path: Path) -> tuple[str, str] | None:
    """A file's text and its SHA-256, or None when it cannot be read as UTF-8 text."""
    try:
        raw = path.read_bytes()
        return raw.decode("utf-8"), sha256_of(raw)
    except (OSError, UnicodeDecodeError):
        return None


def _split(text: str) -> tuple[str, list[str]]:
    """A review file's head and its findings' TOML, as :func:`annotation.join_parts` joins them."""
    head, sep, rest = text.partition(annotation.FINDINGS_HEADER)
    return head, rest.split(annotation.FINDINGS_HEADER) if sep else []
