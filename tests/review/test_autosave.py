"""The autosave snapshot written on a thread of its own: it is the review as it was when asked
for, whatever changes follow; snapshots land in the order asked; closing and saving wait for
one being written; a failure is said; and no crash at any point loses a change."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterable
from pathlib import Path

import pytest

from reviewer.review import annotation
from reviewer.review.session import ReviewSession
from reviewer.review.store import (
    PendingWrite,
    StoreError,
    journal_path,
    lock_path,
    oplog_path,
)
from tests.conftest import ROOT, SAMPLES
from tests.review.test_no_lost_work import HARTLEPOOL, abandon

WAIT = 60.0  # far longer than a snapshot of a sample letter takes, on any machine


@pytest.fixture
def letter(tmp_path: Path) -> Path:
    dest = tmp_path / HARTLEPOOL
    dest.write_bytes((SAMPLES / HARTLEPOOL).read_bytes())
    return dest


class Gate:
    """Holds each snapshot's writing until let go, and keeps what was written, in order."""

    def __init__(self, session: ReviewSession, monkeypatch: pytest.MonkeyPatch) -> None:
        self._real = session.journal.write_aside
        self._entered = threading.Semaphore(0)
        self.go = threading.Event()
        self.written: list[bytes] = []
        monkeypatch.setattr(session.journal, "write_aside", self._write_aside)

    def _write_aside(self, chunks: Iterable[bytes]) -> PendingWrite:
        self._entered.release()
        assert self.go.wait(WAIT), "the test never let the snapshot go"
        data = b"".join(chunks)
        self.written.append(data)
        return self._real(iter([data]))

    def wait_until_writing(self) -> None:
        assert self._entered.acquire(timeout=WAIT), "no snapshot began to be written"


def while_a_snapshot_is_written(
    letter: Path, monkeypatch: pytest.MonkeyPatch, note: str, action: str
) -> ReviewSession:
    """A session with a change whose snapshot is being written when `action` (a method of the
    session: "close", "save") is called on another thread; returned once the action is over
    and the snapshot let go."""
    s = ReviewSession.open(letter)
    gate = Gate(s, monkeypatch)
    s.set_note(0, note)
    s.start_autosave()
    gate.wait_until_writing()
    acting = threading.Thread(target=getattr(s, action))
    acting.start()
    gate.go.set()
    acting.join(WAIT)
    assert not acting.is_alive()
    return s


def text_now(s: ReviewSession) -> bytes:
    """The review file's text for the session as it is this moment."""
    return annotation.dumps(s.review).encode("utf-8")


def journal_lines(review_path: Path) -> list[dict]:
    return [json.loads(line) for line in oplog_path(review_path).read_text().splitlines()]


def notes_after_a_crash(letter: Path) -> list[str]:
    """The findings' notes once the unsaved work a crash left is restored."""
    t = ReviewSession.open(letter)
    try:
        assert t.report.journal_available
        assert t.restore_journal()
        return [f.note for f in t.findings]
    finally:
        t.close()


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_the_snapshot_is_the_review_when_asked_for_though_changes_go_on(letter, monkeypatch):
    s = ReviewSession.open(letter)
    s.set_note(0, "one")
    s.autosave()  # the journal now starts from this snapshot
    s.set_note(1, "two")
    gate = Gate(s, monkeypatch)
    assert s.start_autosave(position=s.findings[1].id)  # returns while it is written
    asked = text_now(s)
    gate.wait_until_writing()
    s.set_note(2, "three, while the snapshot was written")
    s.delete(5)
    want = [f.note for f in s.findings]
    gate.go.set()
    s.wait_for_autosave()
    assert journal_path(s.review_path).read_bytes() == asked
    # The journal keeps what came after, marked with where the snapshot stands in it.
    lines = journal_lines(s.review_path)
    assert lines[0]["base"] == "autosave"  # the snapshot it named is gone: the marker counts
    marker = lines[-1]
    assert marker["snapshot"] == hashlib.sha256(asked).hexdigest()
    assert all("snapshot" not in line for line in lines[: marker["after"]])
    assert s.journal_problem == ""
    assert s.dirty  # a snapshot is not a save
    abandon(s)
    assert notes_after_a_crash(letter) == want


def test_snapshots_land_in_the_order_asked_and_the_last_asked_stays(letter, monkeypatch):
    s = ReviewSession.open(letter)
    gate = Gate(s, monkeypatch)
    s.set_note(0, "first")
    s.start_autosave()
    first = text_now(s)
    gate.wait_until_writing()
    s.set_note(0, "second")
    s.start_autosave()  # waits for the first; a newer one is asked before it begins
    s.set_note(0, "third")
    s.start_autosave()
    third = text_now(s)
    gate.go.set()
    s.wait_for_autosave()
    assert gate.written == [first, third]
    assert journal_path(s.review_path).read_bytes() == third
    # nothing came after the last snapshot: it holds everything, the journal is gone
    assert not oplog_path(s.review_path).exists()
    abandon(s)
    assert notes_after_a_crash(letter)[0] == "third"


def test_closing_waits_for_a_snapshot_being_written(letter, monkeypatch):
    s = ReviewSession.open(letter)
    gate = Gate(s, monkeypatch)
    s.set_note(0, "unsaved")
    s.start_autosave()
    asked = text_now(s)
    gate.wait_until_writing()
    closing = threading.Thread(target=s.close, kwargs={"clean": False})
    closing.start()
    closing.join(0.2)
    assert closing.is_alive()  # still waiting for the snapshot
    gate.go.set()
    closing.join(WAIT)
    assert not closing.is_alive()
    assert journal_path(s.review_path).read_bytes() == asked
    assert temporaries(letter.parent) == []


def test_a_clean_close_drops_a_snapshot_being_written(letter, monkeypatch):
    s = while_a_snapshot_is_written(letter, monkeypatch, "let go", "close")
    # nothing is left to offer as unsaved work, and no snapshot lands after the close
    assert not journal_path(s.review_path).exists()
    assert not oplog_path(s.review_path).exists()
    assert not lock_path(s.review_path).exists()
    assert temporaries(letter.parent) == []


def test_saving_drops_a_snapshot_being_written(letter, monkeypatch):
    s = while_a_snapshot_is_written(letter, monkeypatch, "saved", "save")
    try:
        assert not s.dirty
        assert not journal_path(s.review_path).exists()
        assert not oplog_path(s.review_path).exists()
        assert temporaries(letter.parent) == []
    finally:
        s.close()
    t = ReviewSession.open(letter)
    try:
        assert not t.report.journal_available and t.findings[0].note == "saved"
    finally:
        t.close()


def test_a_snapshot_that_cannot_be_written_is_said_in_one_line(letter, monkeypatch):
    s = ReviewSession.open(letter)

    def refuse(chunks: Iterable[bytes]) -> PendingWrite:
        raise StoreError(f"cannot write {journal_path(s.review_path)}: the disk is full")

    monkeypatch.setattr(s.journal, "write_aside", refuse)
    s.set_note(0, "kept by the journal")
    over = threading.Event()
    assert s.start_autosave(done=over.set)
    assert over.wait(WAIT)
    assert "the disk is full" in s.journal_problem and "\n" not in s.journal_problem
    monkeypatch.undo()
    s.autosave()
    assert s.journal_problem == ""
    abandon(s)
    assert notes_after_a_crash(letter)[0] == "kept by the journal"


def test_nothing_to_write_when_nothing_is_unsaved(letter):
    s = ReviewSession.open(letter)
    try:
        assert not s.start_autosave()
        assert not journal_path(s.review_path).exists()
    finally:
        s.close()


# The reviewer killed while a snapshot lands, with a change made while it was written: once
# `killed_at` is "marked" (the journal marked, the snapshot not yet in place), once "landed"
# (in place, not yet flushed). Nothing may be lost either way.
_KILLED_WHILE_LANDING = """
import os, signal, sys, threading
from reviewer.review import store
from reviewer.review.session import ReviewSession

s = ReviewSession.open(sys.argv[1])
s.set_note(0, "one")
s.autosave()
s.set_note(1, "two")
go = threading.Event()
real = s.journal.write_aside

def gated(chunks):
    go.wait()
    return real(chunks)

def killed(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

s.journal.write_aside = gated
setattr(store.PendingWrite, "commit" if sys.argv[2] == "marked" else "settle", killed)
s.start_autosave()
s.set_note(2, "three, while the snapshot was written")
go.set()
s.wait_for_autosave()
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
@pytest.mark.parametrize("killed_at", ["marked", "landed"])
def test_killed_while_a_snapshot_lands_loses_nothing(letter, killed_at):
    proc = subprocess.run(
        [sys.executable, "-c", _KILLED_WHILE_LANDING, str(letter), killed_at],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    rpath = annotation.review_path_for(letter)
    assert journal_lines(rpath)[-1].get("snapshot")  # killed after the journal was marked
    notes = notes_after_a_crash(letter)
    assert notes[:3] == ["one", "two", "three, while the snapshot was written"]
