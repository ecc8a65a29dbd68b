"""Work a person did is never lost: crash journal, locks, symlinks, save-as, re-anchoring."""

from __future__ import annotations

import errno
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reviewer.review import annotation
from reviewer.review.session import ReviewSession, SessionError
from reviewer.review.store import (
    Lock,
    OpLog,
    atomic_write,
    boot_id,
    journal_path,
    lock_path,
    oplog_path,
    process_start,
)
from tests.conftest import SAMPLES

HARTLEPOOL = "hartlepool_2011-03_ucra.txt"


@pytest.fixture
def letter(tmp_path: Path) -> Path:
    dest = tmp_path / HARTLEPOOL
    dest.write_bytes((SAMPLES / HARTLEPOOL).read_bytes())
    return dest


def abandon(s: ReviewSession) -> None:
    """End a session as a kill -9 would: no save, no clean close, the lock left behind."""
    s.oplog.close()
    lock_path(s.review_path).write_text("999999999\n" + socket.gethostname() + "\ngone\n")


# -- the crash journal: every change is on disk when the call returns ------------------------


def test_every_change_is_journaled_before_it_returns(letter: Path) -> None:
    s = ReviewSession.open(letter)
    s.set_category(0, "development")
    s.save()
    s.set_note(1, "typed a moment before the crash")
    s.delete(3)
    s.set_metadata({"authority": "Changed council"})
    s.split(12)
    s.toggle_theme(0, "recording")
    s.undo()
    s.set_review_status("complete")
    want = [annotation.finding_toml(f) for f in s.findings]
    abandon(s)  # no autosave timer ever ran

    t = ReviewSession.open(letter)
    try:
        assert t.report.journal_available and not t.read_only
        assert t.restore_journal()
        assert [annotation.finding_toml(f) for f in t.findings] == want
        assert t.review.letter["authority"] == "Changed council"
        assert t.review.status == "complete"
    finally:
        t.close()


def test_journal_before_the_first_save_and_after_an_autosave(letter: Path) -> None:
    s = ReviewSession.open(letter)
    s.set_category(0, "development")
    s.autosave()  # the snapshot holds it; the journal starts again
    assert journal_path(s.review_path).exists() and not oplog_path(s.review_path).exists()
    s.set_note(2, "after the snapshot")
    abandon(s)
    t = ReviewSession.open(letter)
    try:
        assert t.report.journal_available
        t.restore_journal()
        assert t.findings[0].category == "development"
        assert t.findings[2].note == "after the snapshot"
    finally:
        t.close()


def test_a_journal_older_than_the_snapshot_gives_way_to_it(letter: Path) -> None:
    s = ReviewSession.open(letter)
    s.set_note(0, "one")
    s.autosave()
    s.set_note(1, "two")
    older = oplog_path(s.review_path).read_bytes()
    s.autosave()  # killed after writing the snapshot, before removing the journal:
    oplog_path(s.review_path).write_bytes(older)
    abandon(s)
    t = ReviewSession.open(letter)
    try:
        t.restore_journal()
        assert (t.findings[0].note, t.findings[1].note) == ("one", "two")
    finally:
        t.close()


def test_after_a_save_the_journal_starts_from_the_saved_file(letter: Path) -> None:
    s = ReviewSession.open(letter)
    s.set_note(0, "saved")
    s.save()
    s.set_note(1, "unsaved")
    first = json.loads(oplog_path(s.review_path).read_bytes().splitlines()[0])
    assert first["base"] == "review" and "findings" not in first  # no full record
    abandon(s)
    t = ReviewSession.open(letter)
    try:
        t.restore_journal()
        assert (t.findings[0].note, t.findings[1].note) == ("saved", "unsaved")
    finally:
        t.close()


def test_a_crash_just_after_the_save_offers_nothing(letter: Path) -> None:
    s = ReviewSession.open(letter)
    s.set_note(0, "saved")
    journal = oplog_path(s.review_path).read_bytes()
    s.save()
    oplog_path(s.review_path).write_bytes(journal)  # killed before the journal was removed
    abandon(s)
    t = ReviewSession.open(letter)
    try:
        assert not t.report.journal_available
    finally:
        t.close()


def test_a_line_cut_short_is_ignored(letter: Path) -> None:
    s = ReviewSession.open(letter)
    s.set_note(0, "kept")
    s.set_note(1, "cut by a power cut")
    abandon(s)
    path = oplog_path(s.review_path)
    path.write_bytes(path.read_bytes()[:-15])
    t = ReviewSession.open(letter)
    try:
        t.restore_journal()
        assert t.findings[0].note == "kept" and t.findings[1].note == ""
    finally:
        t.close()


def test_journal_problem_is_told_and_clears(letter: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    s = ReviewSession.open(letter)
    try:
        real_write = os.write

        def full(fd: int, data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, "write", full)
        s.set_note(0, "while the disk is full")
        assert "disk is full" in s.journal_problem
        assert "\n" not in s.journal_problem
        monkeypatch.setattr(os, "write", real_write)
        s.set_note(1, "space again")
        assert s.journal_problem == ""
        abandon(s)
        t = ReviewSession.open(letter)
        t.restore_journal()  # the journal started again from a full record
        assert t.findings[0].note == "while the disk is full"
        assert t.findings[1].note == "space again"
        t.close()
    finally:
        s.close(clean=False)


def test_failed_autosave_snapshot_is_a_journal_problem(
    letter: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = ReviewSession.open(letter)
    s.set_note(0, "x")
    real_mkstemp = __import__("tempfile").mkstemp

    def read_only(*a, **kw):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr("tempfile.mkstemp", read_only)
    s.autosave()
    assert "read-only" in s.journal_problem
    monkeypatch.setattr("tempfile.mkstemp", real_mkstemp)
    s.autosave()
    assert s.journal_problem == ""
    s.close()


def test_oplog_reader_stops_at_garbage(tmp_path: Path) -> None:
    log = OpLog(tmp_path / "r.review.toml")
    assert log.start({"journal": 1})
    assert log.append({"a": 1})
    log.sync()
    log.close()
    with open(log.path, "ab") as fh:
        fh.write(b'{"b": 2}\n\xff\xfe\n{"c": 3}\n')
    assert log.entries() == [{"journal": 1}, {"a": 1}, {"b": 2}]


# -- locks: live or dead, told reliably -------------------------------------------------------


def _lock_text(pid: int, host: str, started: str = "", boot: str = "") -> str:
    return f"{pid}\n{host}\ntoken\nstarted={started}\nboot={boot}\n"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_a_zombie_does_not_hold_the_lock(tmp_path: Path) -> None:
    review = tmp_path / "r.review.toml"
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 60  # a loaded machine may take seconds to start python
    try:
        while True:  # wait until it has exited but is not reaped: a zombie
            state = Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            if state == "Z":
                break
            assert time.monotonic() < deadline, f"the child never exited (state {state})"
            time.sleep(0.01)
        lock_path(review).write_text(_lock_text(child.pid, socket.gethostname()))
        assert not Lock(review).held_elsewhere()
        assert Lock(review).acquire()
    finally:
        child.wait()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_a_reused_pid_does_not_hold_the_lock(tmp_path: Path) -> None:
    review = tmp_path / "r.review.toml"
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        started = process_start(other.pid)
        assert started
        # The lock's reviewer had this pid but started at another time: a different process.
        lock_path(review).write_text(
            _lock_text(other.pid, socket.gethostname(), str(int(started) - 5), boot_id())
        )
        assert not Lock(review).held_elsewhere()
        lock_path(review).write_text(
            _lock_text(other.pid, socket.gethostname(), started, boot_id())
        )
        assert Lock(review).held_elsewhere()
    finally:
        other.send_signal(signal.SIGKILL)
        other.wait()


def test_a_lock_from_before_a_reboot_is_stale(tmp_path: Path) -> None:
    review = tmp_path / "r.review.toml"
    lock_path(review).write_text(_lock_text(os.getppid(), socket.gethostname(), "", "another-boot"))
    if boot_id():
        assert not Lock(review).held_elsewhere()


def test_our_lock_records_start_time_and_boot(tmp_path: Path) -> None:
    lock = Lock(tmp_path / "r.review.toml")
    assert lock.acquire()
    text = lock.path.read_text()
    assert text.splitlines()[0] == str(os.getpid())
    assert f"started={process_start(os.getpid())}" in text and f"boot={boot_id()}" in text
    lock.release()


def test_other_host_is_named_and_can_be_taken_over(letter: Path) -> None:
    review = annotation.review_path_for(letter)
    lock_path(review).write_text(_lock_text(4242, "far-away-host"))
    s = ReviewSession.open(letter)
    try:
        assert s.read_only
        assert "far-away-host" in s.report.read_only_reason
        assert s.lock_owner == "pid 4242 on far-away-host"
        with pytest.raises(SessionError):
            s.set_note(0, "x")
        s.take_over_lock()
        assert not s.read_only and s.report.read_only_reason == ""
        assert lock_path(review).read_text().splitlines()[0] == str(os.getpid())
        s.set_note(0, "mine now")
        s.save()
    finally:
        s.close()
    assert not lock_path(review).exists()


def test_take_over_offers_the_crashed_reviewers_journal(letter: Path) -> None:
    crashed = ReviewSession.open(letter)
    crashed.set_note(0, "from the other machine")
    crashed.oplog.close()
    review = crashed.review_path
    lock_path(review).write_text(_lock_text(4242, "far-away-host"))
    s = ReviewSession.open(letter)
    try:
        assert s.read_only and not s.report.journal_available
        s.take_over_lock()
        assert s.report.journal_available
        s.restore_journal()
        assert s.findings[0].note == "from the other machine"
    finally:
        s.close()


# -- save-as out of a folder that became read-only ---------------------------------------------


def test_save_as_when_the_old_lock_cannot_be_removed(
    letter: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = ReviewSession.open(letter)
    s.set_note(0, "keep me")
    old_lock = lock_path(s.review_path)
    real_unlink = os.unlink

    def refuse_old_folder(path, *a, **kw):
        if Path(path).parent == letter.parent:
            raise OSError(errno.EROFS, "Read-only file system")
        return real_unlink(path, *a, **kw)

    monkeypatch.setattr(os, "unlink", refuse_old_folder)
    copy_dir = tmp_path / "elsewhere"
    copy_dir.mkdir()
    target = copy_dir / "copy.review.toml"
    assert s.save(target) == target
    assert s.review_path == target and not s.dirty
    assert s.lock is not None and s.lock.path == lock_path(target)
    monkeypatch.setattr(os, "unlink", real_unlink)
    s.close()
    assert not lock_path(target).exists()
    assert old_lock.exists()  # it could not be removed; the next open sees it is ours and dead
    assert annotation.load(target).findings[0].note == "keep me"


# -- a review file that is a symlink ------------------------------------------------------------


def test_symlinked_review_is_written_through_the_link(letter: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    s = ReviewSession.open(letter, shared / "real.review.toml")
    s.save()
    s.close()
    link = annotation.review_path_for(letter)
    link.symlink_to(shared / "real.review.toml")
    t = ReviewSession.open(letter)
    t.set_note(0, "through the link")
    t.save()
    t.close()
    assert link.is_symlink()
    assert annotation.load(shared / "real.review.toml").findings[0].note == "through the link"
    assert (shared / "real.review.toml.bak").exists()


def test_atomic_write_keeps_a_symlink(tmp_path: Path) -> None:
    target = tmp_path / "target.txt"
    target.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    atomic_write(link, "new")
    assert link.is_symlink() and target.read_text() == "new"


# -- temporary files of a killed save ------------------------------------------------------------


def test_stale_temporaries_are_removed_on_the_next_save(tmp_path: Path) -> None:
    path = tmp_path / "r.review.toml"
    stale = [
        tmp_path / ".r.review.toml.ab12cd_3.tmp",
        tmp_path / ".r.review.toml.bak.0123456789ab.tmp",
    ]
    for p in stale:
        p.write_text("half")
    unrelated = [tmp_path / ".other.review.toml.ab12cd_3.tmp", tmp_path / "notes.tmp"]
    for p in unrelated:
        p.write_text("keep")
    atomic_write(path, "v1")
    assert not any(p.exists() for p in stale)
    assert all(p.exists() for p in unrelated)


# -- a reviewer's own wording survives a changed letter ---------------------------------------


def _edit_then_change_letter(letter: Path, change) -> ReviewSession:
    s = ReviewSession.open(letter)
    s.edit_text(2, "My own summary of what the inspectors found here.")
    s.save()
    s.close()
    letter.write_text(change(letter.read_text(encoding="utf-8")), encoding="utf-8")
    return ReviewSession.open(letter)


@pytest.mark.parametrize(
    "change",
    [lambda t: t + "\n\n", lambda t: "A paragraph inserted at the top.\n\n" + t],
    ids=["blank-line-at-end", "paragraph-at-top"],
)
def test_own_wording_survives_reanchoring(letter: Path, change) -> None:
    before = ReviewSession.open(letter)
    words = before.findings[2].text
    before.close()
    t = _edit_then_change_letter(letter, change)
    try:
        f = t.findings[2]
        assert f.text == "My own summary of what the inspectors found here."
        assert f.status == "corrected" and f.anchor != "orphan"
        assert " ".join(t.text[f.start : f.end].split())[:40] == words[:40]
    finally:
        t.close()


def test_own_wording_whose_words_are_gone_is_an_orphan_with_its_text(letter: Path) -> None:
    s = ReviewSession.open(letter)
    gone = s.text[s.findings[2].start : s.findings[2].end]
    s.close()
    t = _edit_then_change_letter(letter, lambda text: text.replace(gone, ""))
    try:
        orphan = [f for f in t.findings if f.anchor == "orphan"]
        assert [f.text for f in orphan] == ["My own summary of what the inspectors found here."]
    finally:
        t.close()


# -- merge across a heading -------------------------------------------------------------------


def test_merge_across_a_heading_needs_asking(letter: Path) -> None:
    s = ReviewSession.open(letter)
    try:
        assert (s.findings[1].section, s.findings[2].section) != (s.findings[2].section,) * 2
        with pytest.raises(SessionError, match="another heading") as err:
            s.merge_next(1)
        assert "\n" not in str(err.value) and len(s.findings) == 14
        a, b = s.findings[1].text, s.findings[2].text
        s.merge_next(1, across_heading=True)
        assert s.findings[1].text == f"{a} {b}"
        assert "meets the requirements" not in s.findings[1].text
        s.merge_next(0)  # the two strengths: no heading between them
    finally:
        s.close()


# -- a wording written into the review file by hand -------------------------------------------


def test_a_wording_edited_by_hand_in_the_file_survives_a_change_of_the_letter(
    letter: Path,
) -> None:
    s = ReviewSession.open(letter)
    machine = s.findings[2]
    s.save()
    s.close()
    review = annotation.review_path_for(letter)
    own = "The reviewer's own words for this finding, typed into the file."
    toml = review.read_text(encoding="utf-8")
    assert toml.count(f'text = "{machine.text}"') == 1
    review.write_text(toml.replace(f'text = "{machine.text}"', f'text = "{own}"'), "utf-8")

    t = ReviewSession.open(letter)  # the letter as it was: the wording is the reviewer's
    try:
        assert t.findings[2].text == own
        assert t.findings[2].letter_text == machine.text
        assert t.dirty  # recorded in the file by the next save
        t.save()
    finally:
        t.close()
    # The letter changes: a paragraph before the finding, and its last word reworded.
    text = letter.read_text(encoding="utf-8")
    raw = text[machine.start : machine.end]
    last = machine.text.split()[-1].rstrip(".")
    reworded = raw[: raw.rindex(last)] + "without delay" + raw[raw.rindex(last) + len(last) :]
    changed = "A paragraph inserted at the top.\n\n" + text[: machine.start]
    letter.write_text(changed + reworded + text[machine.end :], encoding="utf-8")
    first_word = machine.text.split()[0]

    u = ReviewSession.open(letter)
    try:
        assert u.report.letter_changed
        f = next(f for f in u.findings if f.id == machine.id)
        assert f.anchor == "changed"
        assert f.text == own  # the reviewer's wording kept; the letter's words followed
        assert f.letter_text.startswith(first_word) and "without delay" in f.letter_text
        assert u.text[f.start : f.end].startswith(first_word)
    finally:
        u.close()


def test_a_finding_as_the_letter_words_it_is_not_taken_for_a_reviewers_wording(
    letter: Path,
) -> None:
    s = ReviewSession.open(letter)
    s.save()
    s.close()
    t = ReviewSession.open(letter)
    try:
        assert not t.dirty
        assert all(f.letter_text == "" for f in t.findings)
    finally:
        t.close()


# -- the full record written ahead, on a thread of its own -------------------------------------


def test_a_change_made_while_the_full_record_is_written_waits_for_it(letter: Path) -> None:
    s = ReviewSession.open(letter)
    assert s.prepare_journal()
    s.set_category(2, "development")  # at once: the record may still be on its way
    assert not s.crash.preparing
    entries = OpLog(s.review_path).entries()
    assert len(entries) == 2 and "findings" in entries[0] and entries[1]["at"] == 2
    want = [annotation.finding_toml(f) for f in s.findings]
    abandon(s)
    t = ReviewSession.open(letter)
    try:
        assert t.restore_journal()
        assert [annotation.finding_toml(f) for f in t.findings] == want
    finally:
        t.close()


def test_the_full_record_is_not_written_over_a_crashed_sessions_work(letter: Path) -> None:
    s = ReviewSession.open(letter)
    s.set_note(1, "before the crash")
    abandon(s)
    t = ReviewSession.open(letter)
    try:
        assert t.report.journal_available
        assert not t.prepare_journal()  # the person has not chosen yet
        assert t.restore_journal()
        assert t.findings[1].note == "before the crash"
    finally:
        t.close()


def test_closing_stops_the_full_record_and_leaves_no_journal(letter: Path) -> None:
    s = ReviewSession.open(letter)
    assert s.prepare_journal()
    s.close()
    assert not s.crash.preparing
    assert not oplog_path(s.review_path).exists() and not journal_path(s.review_path).exists()


def test_the_full_record_written_in_pieces_is_the_line_append_writes(tmp_path: Path) -> None:
    from reviewer.review.journal import JOURNAL_VERSION, CrashJournal

    head = 'authority = "Café \\"Ré\\""\n'
    chunks = [f'text = "finding {i} — ü\\\\n"\n' for i in range(2500)]
    whole = OpLog(tmp_path / "a.toml")
    whole.start({"journal": JOURNAL_VERSION, "head": head, "findings": chunks})
    whole.close()
    crash = CrashJournal(tmp_path / "b.toml")
    assert crash.oplog.start_in_pieces(crash._record_pieces(head, chunks))
    crash.oplog.close()
    assert crash.oplog.path.read_bytes() == whole.path.read_bytes()
    assert crash.oplog.entries()[0]["findings"] == chunks
