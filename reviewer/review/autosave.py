"""The autosave snapshot of a review in progress, written on a thread of its own.

The snapshot (``.autosave``, see :mod:`reviewer.review.journal`) holds the whole review;
the UI's timer asks for one a moment after the person's last change. Writing it at 178,000
findings (19 MB) takes about a second: each finding's TOML (from the cache where the finding
is unchanged), the text joined, hashed, written and flushed. :class:`SnapshotWriter` takes
the review as it is when asked (findings are replaced, never altered, so a tuple of them is
that state) and does the rest on a thread, so the person keeps working meanwhile.

Snapshots are written in the order asked, one at a time (each waits for the one before; one
not yet begun when a newer one is asked is skipped, the newer holding all it would), and
each is put in place by :meth:`reviewer.review.journal.CrashJournal.land_snapshot`, which
keeps the crash journal right with it: a later snapshot is never overwritten by an earlier
one, and the work done while one was written is never lost.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple, Protocol

from reviewer.model import Finding
from reviewer.review.annotation import FINDINGS_HEADER, STOP_EVERY, findings_toml
from reviewer.review.store import Journal, PendingWrite, StoreError

# Findings joined in one step: each keeps the other threads (the screen) waiting no more
# than a few milliseconds.
_BATCH = STOP_EVERY


class Snapshot(NamedTuple):
    """A review as it was when its autosave was asked for: what the thread writes."""

    findings: tuple[Finding, ...]
    head: str  # the file's head as TOML (everything but the findings)
    key: tuple[Any, ...]  # the head as the crash journal compares it (journal.head_key)
    mark: tuple[int, int]  # the crash journal's file then: its generation and its lines
    whole: str | None = None  # the whole text, made at once (a review without findings)


class Landing(Protocol):
    """What puts a written snapshot in place: the crash journal
    (:class:`reviewer.review.journal.CrashJournal`)."""

    snapshot: Journal

    def land_snapshot(
        self, pending: PendingWrite, sha: str, snap: Snapshot, wanted: Callable[[], bool]
    ) -> bool: ...

    def snapshot_failed(self) -> None: ...


class SnapshotWriter:
    """The snapshots of one review, written on threads one after another."""

    def __init__(self, crash: Landing) -> None:
        self._crash = crash
        self._thread: threading.Thread | None = None  # the newest, which waits for the others
        self._asked = 0  # snapshots asked for so far
        self._cancelled = 0  # snapshots up to this number are not to be put in place
        # Why the last snapshot could not be written ("" when it was): one line.
        self.problem = ""

    @property
    def pending(self) -> bool:
        """Whether a snapshot is still being written."""
        return self._thread is not None and self._thread.is_alive()

    def start(
        self, snapshot: Snapshot, cache: dict, done: Callable[[], None] | None = None
    ) -> None:
        """Write `snapshot` on a thread, after those asked for before it; `cache` is the
        session's findings' TOML (see :func:`reviewer.review.annotation.dumps_parts`).
        `done` is called on that thread once it is written, failed or skipped."""
        self._asked += 1
        thread = threading.Thread(
            target=self._run,
            args=(self._thread, self._asked, snapshot, cache, done),
            name="autosave",
            daemon=True,
        )
        self._thread = thread
        thread.start()

    def settle(self, cancel: bool = False) -> None:
        """Wait until every snapshot asked for is written; with `cancel`, those not yet in
        place are dropped instead (the review was saved, or is closed cleanly)."""
        if cancel:
            self._cancelled = self._asked
        thread = self._thread
        if thread is not None:
            thread.join()

    def _stopped(self, number: int) -> bool:
        return number <= self._cancelled

    def _run(
        self,
        before: threading.Thread | None,
        number: int,
        snapshot: Snapshot,
        cache: dict,
        done: Callable[[], None] | None,
    ) -> None:
        try:
            if before is not None:
                before.join()
            if number == self._asked and not self._stopped(number):
                self._write(number, snapshot, cache)
        finally:
            if done is not None:
                done()

    def _write(self, number: int, snapshot: Snapshot, cache: dict) -> None:
        """Format, write aside and put in place (or drop) one snapshot; what went wrong, if
        anything, is kept in :attr:`problem` as one line."""
        if snapshot.whole is not None:
            texts: Iterator[str] = iter((snapshot.whole,))
        else:
            chunks = findings_toml(snapshot.findings, cache, lambda: self._stopped(number))
            if chunks is None:
                return
            texts = _joined(snapshot.head, chunks)
        import hashlib

        digest = hashlib.sha256()

        def encoded() -> Iterator[bytes]:
            for text in texts:
                data = text.encode("utf-8")
                digest.update(data)
                yield data

        try:
            pending = self._crash.snapshot.write_aside(encoded())
            self._crash.land_snapshot(
                pending, digest.hexdigest(), snapshot, lambda: not self._stopped(number)
            )
        except StoreError as err:
            self.problem = str(err)
        except Exception as err:  # noqa: BLE001 - said to the person, not lost on a thread
            where = self._crash.snapshot.path
            self.problem = str(StoreError(f"cannot write {where}: {type(err).__name__}: {err}"))
        else:
            self.problem = ""
            return
        self._crash.snapshot_failed()


def _joined(head: str, chunks: list[str]) -> Iterator[str]:
    """The review file's text in pieces, as :func:`reviewer.review.annotation.join_parts`
    makes it whole."""
    yield head
    for k in range(0, len(chunks), _BATCH):
        yield "".join(FINDINGS_HEADER + c for c in chunks[k : k + _BATCH])
