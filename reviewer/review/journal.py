"""The crash journal of a review in progress: what is written as each change is made, and
how the unsaved work is read back after a crash.

Two files beside the review keep unsaved work (see :mod:`reviewer.review.store`): the
*snapshot* (``.autosave``, the whole review as the UI's timer last wrote it) and the *journal*
(``.journal``, JSON lines appended as each change is made). The journal's first line is either
a full record (the file's head and every finding's TOML) or names the file it starts from (the
snapshot or the review this session last wrote, with its text's SHA-256); each later line
replaces a run of findings (``at``, ``remove``, ``insert``) and/or the head. Replaying the
journal over its start gives the review as it was at the last change.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from functools import partial
from itertools import compress, count
from operator import is_not
from pathlib import Path
from typing import Any

from reviewer.model import Finding
from reviewer.review import annotation
from reviewer.review.annotation import AnnotationError, Review
from reviewer.review.store import Journal, OpLog

JOURNAL_VERSION = 1
_json = partial(json.dumps, ensure_ascii=False)  # a string, as OpLog writes it


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
        TOML goes into the session's `cache` too (one update, atomic under the GIL), so the
        first snapshot after it need not format every finding again."""
        chunks = []
        fresh = {}
        for n, f in enumerate(findings):
            if n % 1024 == 0 and self._stop.is_set():
                return
            hit = cache.get(id(f))
            chunk = hit[1] if hit is not None and hit[0] is f else annotation.finding_toml(f)
            fresh[id(f)] = (f, chunk)
            chunks.append(chunk)
        if self._stop.is_set():
            return
        cache.update(fresh)
        if self.oplog.start_in_pieces(self._record_pieces(head, chunks)):
            if self._stop.is_set():
                self.oplog.close()  # a line cut short: the reader ignores it
            else:
                self._prepared = (list(findings), key)

    def _record_pieces(self, head: str, chunks: list[str]) -> Iterator[str]:
        """The full record's JSON line, as `OpLog.append` would write it, in pieces: one
        call encoding it all would keep every other thread (the screen) waiting."""
        yield f'{{"journal":{JOURNAL_VERSION},"head":{_json(head)},"findings":['
        for k in range(0, len(chunks), 1024):
            if self._stop.is_set():
                return
            yield ("," if k else "") + ",".join(map(_json, chunks[k : k + 1024]))
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
        if self._prepared is not None:
            self._logged, self._prepared = self._prepared, None

    def exists(self) -> bool:
        """Whether either file is on disk."""
        self.settle()
        return self.snapshot.exists() or self.oplog.exists()

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
        self._logged = None
        if not review.findings:
            self._base = None  # `findings = []` cannot be split into findings
            return
        self._base = (
            kind,
            hashlib.sha256(text.encode("utf-8")).hexdigest(),
            tuple(review.findings),
            head_key(review),
        )

    def replayed(self, categories: set[str]) -> Review | None:
        """The unsaved work of a session that ended without saving: the journal's start with
        every change after it applied, else the last snapshot; None when there is neither.

        Raises AnnotationError for a journal or snapshot that cannot be read as a review.
        """
        entries = self.oplog.entries()
        base = self._start_parts(entries[0]) if entries else None
        if base is not None:
            source = str(self.oplog.path)
            try:
                head, chunks = base
                for e in entries[1:]:
                    if "at" in e:
                        at, remove = int(e["at"]), int(e["remove"])
                        chunks[at : at + remove] = list(e["insert"])
                    head = e.get("head", head)
                text = annotation.join_parts(str(head), [str(c) for c in chunks])
            except (KeyError, TypeError, ValueError):
                raise AnnotationError(
                    f"{source}: the crash journal is damaged; move it aside and reopen"
                ) from None
            return annotation.loads(text, source, categories)
        snapshot = self.snapshot.load()
        if snapshot is None:
            return None
        return annotation.loads(snapshot, str(self.snapshot.path), categories)

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
        try:
            text = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != first.get("sha256"):
            return None
        head, sep, rest = text.partition(annotation.FINDINGS_HEADER)
        return head, rest.split(annotation.FINDINGS_HEADER) if sep else []
