"""ReviewSession on a real letter: corrections, undo/redo, save, autosave, locks, re-anchoring."""

from __future__ import annotations

import copy
import datetime as dt
import gc
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from reviewer.corpus.validate import problems_of
from reviewer.review import annotation
from reviewer.review.session import ReviewSession, SessionError
from reviewer.review.store import backup_path, journal_path, lock_path
from reviewer.segment.check import slice_holds
from tests.conftest import ROOT, SAMPLES

HARTLEPOOL = "hartlepool_2011-03_ucra.txt"


# -- helpers -------------------------------------------------------------------------------


def copy_letter(folder: Path, name: str = HARTLEPOOL) -> Path:
    """A writable copy of a sample letter (sessions write review and lock files beside it)."""
    dest = folder / name
    dest.write_bytes((SAMPLES / name).read_bytes())
    return dest


@pytest.fixture
def letter(tmp_path: Path) -> Path:
    return copy_letter(tmp_path)


@pytest.fixture
def session(letter: Path):
    s = ReviewSession.open(letter)
    yield s
    s.close()


def snapshot(s: ReviewSession) -> tuple:
    """Everything undo and redo must bring back, as deep copies."""
    return copy.deepcopy((list(s.findings), dict(s.review.letter), s.review.status))


def assert_sound(s: ReviewSession) -> None:
    """Findings in order, not overlapping, unique ids, and each slice holds its text."""
    real = [f for f in s.findings if f.anchor != "orphan"]
    assert len({f.id for f in s.findings}) == len(s.findings)
    for a, b in zip(real, real[1:], strict=False):
        assert a.end <= b.start, (a.id, b.id)
    for f in real:
        assert 0 <= f.start < f.end <= len(s.text)
        assert slice_holds(s.text[f.start : f.end], f.text), f.id


def by_id(s: ReviewSession) -> dict:
    return {f.id: f for f in s.findings}


def dead_pid() -> int:
    """The pid of a process that has already exited."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def crash_lock(review_path: Path) -> None:
    """Make the lock look like its reviewer died: it names a pid that no longer runs."""
    lock_path(review_path).write_text(f"{dead_pid()}\n{socket.gethostname()}\ngone\n")


# -- opening -------------------------------------------------------------------------------


def test_open_fresh_segments_the_letter(session: ReviewSession) -> None:
    assert not session.report.resumed
    assert not session.read_only
    assert len(session.findings) == 14
    assert all(f.status == "auto" for f in session.findings)
    assert session.review.status == "in_progress"
    assert session.review.letter["letter_date"] == dt.date(2011, 3, 16)
    assert lock_path(session.review_path).exists()
    assert not session.review_path.exists()  # nothing is written until a save
    assert_sound(session)


# -- corrections ---------------------------------------------------------------------------


def test_set_category_corrected_when_it_differs(session: ReviewSession) -> None:
    f = session.findings[2]
    assert f.auto_category == "satisfactory"
    session.set_category(2, "development")
    g = session.findings[2]
    assert (g.category, g.auto_category, g.status) == ("development", "satisfactory", "corrected")
    assert session.dirty


def test_set_category_confirmed_when_it_equals(session: ReviewSession) -> None:
    session.set_category(3, session.findings[3].auto_category)
    assert session.findings[3].status == "confirmed"
    assert session.findings[3].category == "satisfactory"


def test_set_category_unknown_refused(session: ReviewSession) -> None:
    before = snapshot(session)
    with pytest.raises(SessionError, match="unknown category"):
        session.set_category(0, "nonsense")
    with pytest.raises(SessionError):
        session.set_category(99, "strength")
    assert snapshot(session) == before
    assert not session.can_undo


def test_confirm_returns_next_unreviewed(session: ReviewSession) -> None:
    assert session.confirm(0) == 1
    assert session.findings[0].status == "confirmed"
    session.set_category(2, "strength")
    assert session.confirm(1) == 3  # 2 is already reviewed
    # wraps round to the start, and None once every finding is reviewed
    n = len(session.findings)
    for i in range(3, n - 1):
        session.confirm(i)
    assert session.confirm(n - 1) is None
    assert session.reviewed_count == n


def test_confirm_on_reviewed_finding_is_not_a_change(session: ReviewSession) -> None:
    session.set_category(0, "development")
    undo_depth = len(session._undo)
    session.confirm(0)
    assert session.findings[0].status == "corrected"
    assert len(session._undo) == undo_depth


def test_edit_text(session: ReviewSession) -> None:
    session.edit_text(1, "  Assessments are\n good.  ")
    f = session.findings[1]
    assert f.text == "Assessments are good."
    assert f.status == "corrected"
    with pytest.raises(SessionError):
        session.edit_text(1, " \n\t ")
    assert session.findings[1].text == "Assessments are good."


def test_set_note(session: ReviewSession) -> None:
    session.set_note(4, "  check the timescales \n")
    assert session.findings[4].note == "check the timescales"
    assert session.findings[4].status == "auto"  # a note is not a review decision
    depth = len(session._undo)
    session.set_note(4, "check the timescales")
    assert len(session._undo) == depth  # unchanged note: no history entry


def test_split_at_middle_sentence_boundary(session: ReviewSession) -> None:
    f = session.findings[0]
    ids = [x.id for x in session.findings]
    at = session.split_point(0)
    assert at is not None and f.start < at < f.end
    session.split(0)
    a, b = session.findings[0], session.findings[1]
    assert len(session.findings) == 15
    assert a.id == f.id and b.id not in ids
    assert [x.id for x in session.findings[2:]] == ids[1:]
    assert a.start == f.start and b.end == f.end and a.end <= b.start
    assert a.text and b.text and f"{a.text} {b.text}" == f.text
    assert a.text.endswith(".") and b.text[0].isupper()
    assert a.status == b.status == "corrected"
    assert a.category == b.category == f.category
    assert slice_holds(session.text[a.start : a.end], a.text)
    assert slice_holds(session.text[b.start : b.end], b.text)
    assert_sound(session)


def test_split_at_given_offset(session: ReviewSession) -> None:
    f = session.findings[3]  # one sentence: "Good attention ... and there is a strong ..."
    at = session.text.index(" and there is a strong commitment", f.start)
    session.split(3, at)
    a, b = session.findings[3], session.findings[4]
    assert a.text == "Good attention is given to the diverse needs of children"
    assert b.text.startswith("and there is a strong commitment")
    assert b.end == f.end and a.start == f.start
    assert len({x.id for x in session.findings}) == 15
    assert_sound(session)


def test_split_refused_for_one_sentence_without_offset(session: ReviewSession) -> None:
    assert session.split_point(3) is None
    before = snapshot(session)
    with pytest.raises(SessionError, match="one sentence"):
        session.split(3)
    f = session.findings[3]
    for at in (f.start, f.end, f.end + 5, f.start - 3):
        with pytest.raises(SessionError):
            session.split(3, at)
    assert snapshot(session) == before


def test_merge_next(session: ReviewSession) -> None:
    a, b = session.findings[5], session.findings[6]
    session.set_note(5, "first")
    session.set_note(6, "second")
    session.merge_next(5)
    m = session.findings[5]
    assert len(session.findings) == 13
    assert m.id == a.id and session.index_of(b.id) is None
    assert (m.start, m.end) == (a.start, b.end)
    assert m.text == f"{a.text} {b.text}"
    assert m.note == "first; second"
    assert m.status == "corrected"
    assert_sound(session)
    with pytest.raises(SessionError, match="no next finding"):
        session.merge_next(len(session.findings) - 1)


def test_delete(session: ReviewSession) -> None:
    gone = session.findings[7].id
    session.delete(7)
    assert len(session.findings) == 13
    assert session.index_of(gone) is None
    with pytest.raises(SessionError):
        session.delete(50)


def test_add_from_span_cleans_bullets(session: ReviewSession) -> None:
    text = session.text
    start = text.index("- Staff involved in referral")
    end = text.index("in a timely way.") + len("in a timely way.")
    session.delete(12)
    session.delete(11)
    i = session.add(start - 1, end + 1, "development")  # a little whitespace either side
    f = session.findings[i]
    assert i == 11
    assert f.status == "added" and f.auto_category == "" and f.category == "development"
    assert f.text.startswith("Staff involved in referral")
    assert f.text.endswith("in a timely way.")
    assert "- " not in f.text and "\n" not in f.text
    assert "knowledge. Staff workloads" in f.text  # the two bullet items joined
    assert f.start == start and f.end == end
    assert f.section == session.findings[10].section
    assert_sound(session)
    # the category of an added finding changes, but it stays "added"
    session.set_category(i, "strength")
    assert session.findings[i].status == "added"


def test_add_refuses_overlap_and_empty(session: ReviewSession) -> None:
    f = session.findings[0]
    before = snapshot(session)
    with pytest.raises(SessionError, match="overlaps"):
        session.add(f.start + 10, f.start + 40)
    with pytest.raises(SessionError, match="overlaps"):
        session.add(f.start - 30, f.end + 5)
    blank = session.text.index("\n\n\n")
    with pytest.raises(SessionError, match="select"):
        session.add(blank, blank + 3)
    assert snapshot(session) == before


def test_add_with_default_category(session: ReviewSession) -> None:
    start = session.text.index("The inspection identified areas of strength")
    end = session.text.index("some areas for development.", start) + len(
        "some areas for development."
    )
    i = session.add(end, start)  # a selection made backwards
    f = session.findings[i]
    assert i == 0
    assert f.category == session.scheme.categories[0].id
    assert f.text.startswith("The inspection identified") and f.text.endswith("development.")
    assert_sound(session)


def test_set_metadata(session: ReviewSession) -> None:
    session.set_metadata(
        {"authority": "Hartlepool", "letter_date": dt.date(2011, 3, 17), "legal_basis": None}
    )
    meta = session.review.letter
    assert meta["authority"] == "Hartlepool"
    assert meta["letter_date"] == dt.date(2011, 3, 17)
    assert "legal_basis" not in meta
    depth = len(session._undo)
    session.set_metadata({"authority": "Hartlepool"})
    assert len(session._undo) == depth


def test_toggle_theme(session: ReviewSession) -> None:
    themes = session.findings[0].themes
    assert themes
    session.toggle_theme(0, themes[0])
    assert session.findings[0].themes == themes[1:]
    session.toggle_theme(0, themes[0])
    assert session.findings[0].themes == (*themes[1:], themes[0])
    assert session.findings[0].status == "auto"


def test_promote_paragraph(session: ReviewSession) -> None:
    offset = session.text.index("The inspection identified areas of strength") + 5
    i = session.promote(offset, "development")
    f = session.findings[i]
    assert i == 0 and f.status == "added" and f.category == "development"
    assert f.text == (
        "The inspection identified areas of strength and areas of practice that met "
        "requirements, with some areas for development."
    )
    assert_sound(session)
    with pytest.raises(SessionError, match="not on a paragraph"):
        session.promote(session.text.index("Dear Ms Bailey"))
    with pytest.raises(SessionError):
        session.promote(session.findings[3].start + 3)
    assert session.undo() == "add"
    assert len(session.findings) == 14


def test_set_review_status(session: ReviewSession) -> None:
    session.set_review_status("complete")
    assert session.review.status == "complete"
    with pytest.raises(SessionError, match="unknown review status"):
        session.set_review_status("finished")


# -- undo and redo -------------------------------------------------------------------------


def every_correction(s: ReviewSession) -> list[tuple]:
    """Apply one of each correction; returns the snapshot before each step and at the end."""
    steps = [snapshot(s)]
    text = s.text
    ids = [f.id for f in s.findings]

    def step(fn, *args):
        fn(*args)
        steps.append(snapshot(s))

    step(s.set_category, 2, "development")
    step(s.set_category, 3, "satisfactory")
    step(s.confirm, 4)
    step(s.edit_text, 5, "Children and family members are involved in their assessments.")
    step(s.set_note, 6, "records checked")
    step(s.toggle_theme, 6, "supervision")
    step(s.toggle_theme, 0, s.findings[0].themes[0])
    step(s.split, 0)
    at = text.index(" and there is a strong commitment")
    step(s.split, s.index_of(ids[3]), at)
    step(s.merge_next, s.index_of(ids[7]))
    start = text.index("- Staff workloads")
    end = text.index("in a timely way.") + len("in a timely way.")
    step(s.delete, s.index_of(ids[12]))
    step(s.add, start, end, "strength")
    step(s.set_metadata, {"authority": "Hartlepool BC", "previous_inspection": None})
    step(s.set_metadata, {"letter_date": dt.date(2011, 3, 18)})
    step(s.set_review_status, "complete")
    return steps


def test_undo_and_redo_across_every_correction(session: ReviewSession) -> None:
    steps = every_correction(session)
    assert len(steps) == 16
    assert len({repr(x) for x in steps}) == len(steps)  # every step changed something
    assert_sound(session)
    final = steps[-1]
    # undo one by one walks back through every state to the exact original
    for expected in reversed(steps[:-1]):
        assert session.undo() is not None
        assert snapshot(session) == expected
    assert not session.can_undo
    assert session.undo() is None
    assert snapshot(session) == steps[0]
    # redo one by one walks forward again to the final state
    for expected in steps[1:]:
        assert session.redo() is not None
        assert snapshot(session) == expected
    assert not session.can_redo
    assert session.redo() is None
    assert snapshot(session) == final
    assert_sound(session)


def test_an_undo_step_keeps_only_the_findings_its_change_replaced(
    session: ReviewSession,
) -> None:
    """A decision's undo step holds the one finding it replaced, not a copy of them all
    (at 178,000 findings a copy per key costs milliseconds and megabytes); a split, which
    inserts, keeps them all."""
    before = session.findings[3]
    session.set_category(3, "development")
    session.confirm(4)
    kept = [entry for _, entry in session._undo]
    assert [getattr(e, "rows", None) for e in kept] == [
        {3: before},
        {4: session._undo[1][1].rows[4]},
    ]
    session.split(1)
    assert len(session._undo[-1][1].findings) == len(session.findings) - 1
    session.undo()
    session.undo()
    assert session.findings[4].status == "auto"
    assert session._redo[-1][1].rows == {4: session._redo[-1][1].rows[4]}
    assert session.redo() == "confirm" and session.findings[4].status != "auto"


def test_undo_everything_then_redo_everything(session: ReviewSession) -> None:
    steps = every_correction(session)
    while session.undo():
        pass
    assert snapshot(session) == steps[0]
    while session.redo():
        pass
    assert snapshot(session) == steps[-1]


def test_undo_labels(session: ReviewSession) -> None:
    session.set_category(0, "development")
    session.split(1)
    assert session.undo() == "split"
    assert session.undo() == "category Area for development"
    assert session.redo() == "category Area for development"


def test_new_change_after_undo_clears_redo(session: ReviewSession) -> None:
    session.set_category(0, "development")
    session.set_note(1, "one")
    session.set_note(2, "two")
    session.undo()
    session.undo()
    assert session.can_redo
    session.confirm(5)
    assert not session.can_redo
    assert session.redo() is None
    assert session.findings[0].category == "development"
    assert session.findings[1].note == "" and session.findings[2].note == ""
    assert session.findings[5].status == "confirmed"


# -- saving --------------------------------------------------------------------------------


def test_save_then_reopen_gives_identical_review(letter: Path) -> None:
    s = ReviewSession.open(letter)
    every_correction(s)
    s.set_note(0, 'quotes "q", backslash \\ and\nnewline')
    position = s.findings[3].id
    path = s.save(position=position)
    assert path == s.review_path == annotation.review_path_for(letter)
    assert not s.dirty
    findings, meta, status = snapshot(s)
    s.close()

    t = ReviewSession.open(letter)
    try:
        assert t.report.resumed and not t.report.letter_changed
        assert not t.read_only and not t.report.journal_available
        assert t.findings == findings  # categories, statuses, notes, texts, offsets, context
        assert t.review.letter == meta
        assert t.review.status == status == "complete"
        assert t.review.position == position
        assert t.review.letter["letter_date"] == dt.date(2011, 3, 18)
        assert "previous_inspection" not in t.review.letter
        assert not t.can_undo
    finally:
        t.close()
    assert problems_of(path) == []


def test_second_save_keeps_bak(session: ReviewSession) -> None:
    path = session.save()
    assert not backup_path(path).exists()
    first = path.read_bytes()
    session.set_category(0, "development")
    session.save()
    assert backup_path(path).read_bytes() == first
    assert path.read_bytes() != first
    assert annotation.load(path).findings[0].category == "development"


def test_save_as_updates_review_path(session: ReviewSession, tmp_path: Path) -> None:
    default = session.review_path
    session.set_note(0, "before save-as")
    target = tmp_path / "elsewhere" / "copy.review.toml"
    target.parent.mkdir()
    assert session.save(target) == target
    assert session.review_path == target
    assert not default.exists()
    saved = annotation.load(target)
    assert (target.parent / saved.source_path).resolve() == session.letter.path.resolve()
    # later saves go to the new path
    session.set_note(0, "after save-as")
    session.save()
    assert annotation.load(target).findings[0].note == "after save-as"
    assert not default.exists()
    assert problems_of(target) == []
    reopened = ReviewSession.open(session.letter.path, target, read_only=True)
    assert reopened.findings == session.findings


def test_save_as_moves_the_lock(session: ReviewSession, tmp_path: Path) -> None:
    target = tmp_path / "copy.review.toml"
    session.save(target)
    other = ReviewSession.open(session.letter.path, target)
    try:
        assert other.read_only
    finally:
        other.close()


# -- autosave and crash recovery -----------------------------------------------------------


def test_autosave_then_crash_restores_unsaved_work(letter: Path) -> None:
    s = ReviewSession.open(letter)
    s.set_category(0, "development")
    s.save()
    s.set_note(1, "unsaved note")
    s.split(13)
    s.set_metadata({"authority": "Unsaved"})
    s.autosave(position=s.findings[1].id)
    review_path = s.review_path
    unsaved = snapshot(s)
    assert journal_path(review_path).exists()
    crash_lock(review_path)  # the process that held the lock is gone
    del s
    gc.collect()

    t = ReviewSession.open(letter)
    try:
        assert not t.read_only
        assert t.report.journal_available
        assert t.findings[0].category == "development"  # the saved part
        assert t.findings[1].note == ""
        assert t.restore_journal()
        assert snapshot(t)[:2] == unsaved[:2]
        assert t.review.position == t.findings[1].id
        assert t.dirty
        # restoring is itself undoable
        assert t.undo() == "restore unsaved work"
        assert t.findings[1].note == ""
        t.redo()
        t.save()
    finally:
        t.close()
    assert annotation.load(review_path).findings[1].note == "unsaved note"


def test_autosave_before_first_save_is_restored(letter: Path) -> None:
    s = ReviewSession.open(letter)
    s.confirm(0)
    s.set_note(2, "never saved")
    s.autosave()
    review_path = s.review_path
    crash_lock(review_path)
    del s
    t = ReviewSession.open(letter)
    try:
        assert not t.report.resumed and t.report.journal_available
        t.restore_journal()
        assert t.findings[0].status == "confirmed"
        assert t.findings[2].note == "never saved"
    finally:
        t.close()


def test_reopen_after_session_object_dropped(letter: Path) -> None:
    s = ReviewSession.open(letter)
    s.set_note(0, "unsaved")
    s.autosave()
    del s
    gc.collect()
    t = ReviewSession.open(letter)
    try:
        assert not t.read_only, t.report.read_only_reason
        assert t.report.journal_available
        t.restore_journal()
        assert t.findings[0].note == "unsaved"
    finally:
        t.close()


def test_autosave_skipped_when_nothing_changed(session: ReviewSession) -> None:
    session.autosave()
    assert not session.journal.exists()
    session.set_note(0, "x")
    session.save()
    session.autosave()
    assert not session.journal.exists()


def test_clean_close_removes_journal_and_lock(letter: Path) -> None:
    s = ReviewSession.open(letter)
    s.set_note(0, "x")
    s.autosave()
    rpath = s.review_path
    assert journal_path(rpath).exists() and lock_path(rpath).exists()
    s.close()
    assert not journal_path(rpath).exists()
    assert not lock_path(rpath).exists()
    t = ReviewSession.open(letter)
    try:
        assert not t.report.journal_available and not t.read_only
        assert t.findings[0].note == ""
    finally:
        t.close()


def test_save_discards_journal(session: ReviewSession) -> None:
    session.set_note(0, "x")
    session.autosave()
    assert session.journal.exists()
    session.save()
    assert not session.journal.exists()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_after_autosave_is_recovered(letter: Path) -> None:
    script = textwrap.dedent(
        """
        import os, signal, sys
        from reviewer.review.session import ReviewSession

        s = ReviewSession.open(sys.argv[1])
        s.set_category(2, "priority_action")
        s.set_note(4, "written before the kill")
        s.autosave()
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, str(letter)], cwd=ROOT, capture_output=True, timeout=120
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    rpath = annotation.review_path_for(letter)
    assert lock_path(rpath).exists() and journal_path(rpath).exists()
    assert not rpath.exists()

    s = ReviewSession.open(letter)
    try:
        assert not s.read_only, s.report.read_only_reason
        assert s.report.journal_available
        assert s.findings[2].category == "satisfactory"
        assert s.restore_journal()
        assert s.findings[2].category == "priority_action"
        assert s.findings[2].status == "corrected"
        assert s.findings[4].note == "written before the kill"
        assert_sound(s)
    finally:
        s.close()
    assert not lock_path(rpath).exists() and not journal_path(rpath).exists()


# -- read-only -----------------------------------------------------------------------------


def test_second_open_is_read_only(session: ReviewSession) -> None:
    session.set_note(0, "owner's note")
    session.save()
    other = ReviewSession.open(session.letter.path)
    try:
        assert other.read_only
        assert other.report.read_only_reason
        assert str(os.getpid()) in other.report.read_only_reason
        assert not other.report.journal_available
        assert other.findings[0].note == "owner's note"
        before = snapshot(other)
        for change in (
            lambda: other.set_category(0, "development"),
            lambda: other.confirm(1),
            lambda: other.edit_text(0, "x"),
            lambda: other.set_note(0, "y"),
            lambda: other.toggle_theme(0, "supervision"),
            lambda: other.add(0, 40),
            lambda: other.split(0),
            lambda: other.merge_next(0),
            lambda: other.delete(0),
            lambda: other.set_metadata({"authority": "z"}),
            lambda: other.set_review_status("complete"),
            lambda: other.save(),
        ):
            with pytest.raises(SessionError, match="read-only"):
                change()
        assert snapshot(other) == before
        other.autosave()
        other.close()
        # the owner's lock survives the read-only reader closing
        assert lock_path(session.review_path).exists()
    finally:
        other.close()
    session.set_note(0, "still writable")
    session.save()


def test_lock_released_on_close_allows_writing(letter: Path) -> None:
    s = ReviewSession.open(letter)
    s.close()
    t = ReviewSession.open(letter)
    try:
        assert not t.read_only
    finally:
        t.close()


def test_read_only_session_can_save_as(session: ReviewSession, tmp_path: Path) -> None:
    other = ReviewSession.open(session.letter.path)
    try:
        assert other.read_only
        other.save(tmp_path / "my-copy.review.toml")
        assert (tmp_path / "my-copy.review.toml").exists()
    finally:
        other.close()


# -- the letter changed after saving -------------------------------------------------------


def saved_review(letter: Path) -> dict:
    """Review the letter a little, save and close; returns the decisions by finding id."""
    s = ReviewSession.open(letter)
    s.set_category(0, "development")
    s.confirm(1)
    s.set_note(2, "note on two")
    s.set_note(13, "note on the last")
    s.save()
    kept = {f.id: (f.category, f.status, f.note, f.text) for f in s.findings}
    s.close()
    return kept


def test_lines_inserted_at_top_reanchor(letter: Path) -> None:
    kept = saved_review(letter)
    letter.write_bytes(
        b"DRAFT - not for circulation\r\nSecond added line\n\n" + letter.read_bytes()
    )
    s = ReviewSession.open(letter)
    try:
        assert s.report.resumed and s.report.letter_changed
        assert s.report.moved > 0 and s.report.orphans == 0
        assert {f.id: (f.category, f.status, f.note, f.text) for f in s.findings} == kept
        assert_sound(s)
        assert s.review.sha256 == s.letter.sha256
        s.save()
    finally:
        s.close()
    assert problems_of(s.review_path) == []


def test_deleted_paragraph_leaves_an_orphan(letter: Path) -> None:
    kept = saved_review(letter)
    text = letter.read_text(encoding="utf-8")
    lines = text.split("\n")
    cut = [ln for ln in lines if not ln.startswith("- Common assessment framework activity")]
    assert len(cut) == len(lines) - 1
    letter.write_text("\n".join(cut), encoding="utf-8")

    s = ReviewSession.open(letter)
    try:
        assert s.report.letter_changed and s.report.orphans == 1
        orphan = by_id(s)["f83ff58df"]
        assert orphan.anchor == "orphan"
        assert (orphan.category, orphan.status, orphan.note, orphan.text) == kept["f83ff58df"]
        assert set(by_id(s)) == set(kept)  # nothing dropped
        assert s.findings[-1] is orphan  # orphans go last
        assert_sound(s)
        s.save()
    finally:
        s.close()
    saved = annotation.load(s.review_path)
    assert [f.id for f in saved.findings if f.anchor == "orphan"] == ["f83ff58df"]
    assert {f.id for f in saved.findings} == set(kept)
    assert problems_of(s.review_path) == []
    # reopening the unchanged letter keeps the orphan as it is
    t = ReviewSession.open(letter)
    try:
        assert not t.report.letter_changed
        assert by_id(t)["f83ff58df"].anchor == "orphan"
        assert by_id(t)["f83ff58df"].note == "note on the last"
    finally:
        t.close()


def test_changed_finding_takes_the_letters_new_text(letter: Path) -> None:
    kept = saved_review(letter)
    text = letter.read_text(encoding="utf-8")
    old = "Practice and procedures comply with statutory requirements and manage risk of harm."
    new = "Practice and procedure complies with statutory requirement and manages risks of harm."
    letter.write_text(text.replace(old, new), encoding="utf-8")
    s = ReviewSession.open(letter)
    try:
        assert s.report.changed == 1 and s.report.orphans == 0
        f = by_id(s)["fc37fa459"]
        assert f.anchor == "changed"
        assert f.text.startswith(new)
        assert (f.category, f.status, f.note) == kept["fc37fa459"][:3]
        assert_sound(s)
        s.save()
    finally:
        s.close()
    assert problems_of(s.review_path) == []


def orphaned_session(letter: Path) -> ReviewSession:
    saved_review(letter)
    lines = letter.read_text(encoding="utf-8").split("\n")
    cut = [ln for ln in lines if not ln.startswith("- Common assessment framework activity")]
    letter.write_text("\n".join(cut), encoding="utf-8")
    s = ReviewSession.open(letter)
    assert s.findings[-1].anchor == "orphan"
    return s


def test_finding_at_with_an_orphan(letter: Path) -> None:
    s = orphaned_session(letter)
    try:
        last = len(s.findings) - 2
        f = s.findings[last]
        assert s.finding_at(f.start + 1) == last
    finally:
        s.close()


def test_merge_into_orphan_keeps_span(letter: Path) -> None:
    s = orphaned_session(letter)
    try:
        last = len(s.findings) - 2
        before = s.findings[last]
        try:
            s.merge_next(last)
        except SessionError:
            return
        assert s.findings[last].start == before.start
    finally:
        s.close()


def test_restore_journal_after_letter_changed(letter: Path) -> None:
    s = ReviewSession.open(letter)
    s.save()
    s.set_note(1, "unsaved")
    s.autosave()
    crash_lock(s.review_path)
    del s
    letter.write_bytes(b"Inserted line\n\n" + letter.read_bytes())
    t = ReviewSession.open(letter)
    try:
        assert t.report.journal_available
        t.restore_journal()
        assert t.findings[1].note == "unsaved"
        assert_sound(t)
    finally:
        t.close()


def test_add_with_an_orphan_keeps_orphans_last(letter: Path) -> None:
    s = orphaned_session(letter)
    try:
        start = s.text.index("The areas for development identified above")
        end = s.text.index("within your area.", start) + len("within your area.")
        i = s.add(start, end)
        assert s.findings[-1].anchor == "orphan"
        assert i == len(s.findings) - 2
    finally:
        s.close()


def test_rebound_moves_a_finding_boundary_and_undoes(tmp_path: Path) -> None:
    letter = tmp_path / "h.txt"
    shutil.copy(SAMPLES / "hartlepool_2011-03_ucra.txt", letter)
    s = ReviewSession.open(letter)
    f = s.findings[0]
    first_sentence_end = s.text.index(".", f.start) + 1
    i = s.rebound(f.start, first_sentence_end)
    g = s.findings[i]
    assert i == 0
    assert g.text.startswith("Child protection concerns are responded to promptly")
    assert g.text.endswith("by all agencies working with children.")
    assert (g.start, g.end) == (f.start, first_sentence_end)
    assert g.status == "corrected" and g.category == f.category
    assert slice_holds(s.text[g.start : g.end], g.text)
    with pytest.raises(SessionError, match="several findings"):
        s.rebound(s.findings[0].start, s.findings[2].end)
    with pytest.raises(SessionError, match="no finding"):
        s.rebound(0, 20)
    s.undo()
    assert s.findings[0] == f
    s.close()


def test_a_lengthened_finding_is_found_whole_and_flagged(tmp_path: Path) -> None:
    letter = tmp_path / "n.txt"
    shutil.copy(SAMPLES / "constructed_numbered_glyphs.txt", letter)
    s = ReviewSession.open(letter)
    s.set_note(0, "kept")
    s.save()
    s.close()
    text = letter.read_text(encoding="utf-8")
    target = next(f for f in s.findings if f.text.endswith("in the large majority of cases."))
    letter.write_text(
        "Inserted line\n\n"
        + text.replace("in the large majority of cases.", "in most cases seen by inspectors."),
        encoding="utf-8",
    )
    again = ReviewSession.open(letter)
    assert again.report.changed == 1
    changed = next(f for f in again.findings if f.anchor == "changed")
    assert changed.id == target.id
    assert changed.text.endswith("in most cases seen by inspectors.")
    assert again.text[changed.start : changed.end].endswith("seen by inspectors.")
    assert again.findings[0].note == "kept"
    i = again.findings.index(changed)
    again.confirm(i)
    assert again.findings[i].anchor == ""  # looked at: no longer flagged
    again.close()


def test_fresh_review_is_resumed_not_started_again(tmp_path: Path) -> None:
    letter = tmp_path / "h.txt"
    shutil.copy(SAMPLES / "hartlepool_2011-03_ucra.txt", letter)
    broken = tmp_path / "h.review.toml"
    broken.write_text("not = = toml", encoding="utf-8")
    first = ReviewSession.start_fresh_beside(letter, broken)
    first.set_category(0, "development")
    first.save()
    first.close()
    again = ReviewSession.start_fresh_beside(letter, broken)
    assert again.review_path.name == "h.review.new1.toml"
    assert again.findings[0].category == "development"
    again.close()
    assert broken.read_text(encoding="utf-8") == "not = = toml"


def test_undo_back_to_the_saved_state_leaves_nothing_unsaved(tmp_path: Path) -> None:
    letter = tmp_path / "h.txt"
    shutil.copy(SAMPLES / "hartlepool_2011-03_ucra.txt", letter)
    s = ReviewSession.open(letter)
    s.set_category(0, "development")
    assert s.dirty
    s.undo()
    assert s.dirty  # never saved: the review is not on disk yet
    s.redo()
    s.save()
    s.set_note(1, "x")
    s.undo()
    assert not s.dirty
    s.redo()
    assert s.dirty
    s.close()


def test_category_set_back_to_the_machines_is_confirmed_not_corrected(tmp_path: Path) -> None:
    letter = tmp_path / "h.txt"
    shutil.copy(SAMPLES / "hartlepool_2011-03_ucra.txt", letter)
    s = ReviewSession.open(letter)
    auto = s.findings[4].category
    s.set_category(4, "strength")
    assert s.findings[4].status == "corrected"
    s.set_category(4, auto)
    assert s.findings[4].status == "confirmed"
    s.edit_text(5, s.findings[5].text + " More.")
    s.set_category(5, s.findings[5].auto_category)
    assert s.findings[5].status == "corrected"  # its words were corrected
    s.close()


def test_a_finding_lengthened_at_its_end_takes_the_new_words(tmp_path: Path) -> None:
    letter = tmp_path / "h.txt"
    shutil.copy(SAMPLES / "hartlepool_2011-03_ucra.txt", letter)
    s = ReviewSession.open(letter)
    s.set_note(1, "kept")
    s.save()
    s.close()
    end = "reflect the changing circumstances of children."
    added = " Managers also review every assessment within five working days of completion."
    letter.write_text(
        letter.read_text(encoding="utf-8").replace(end, end + added), encoding="utf-8"
    )
    again = ReviewSession.open(letter)
    f = again.findings[1]
    assert f.text.endswith("within five working days of completion.")
    assert f.anchor == "changed" and f.note == "kept"
    assert again.report.changed == 1
    assert again.dirty  # the new places are unsaved until the reviewer saves
    others = [g for k, g in enumerate(again.findings) if k != 1]
    assert all(g.anchor in ("", "moved") for g in others)  # only moved, not changed
    again.close()


def test_merge_keeps_both_findings_themes_and_split_skips_running_headers(tmp_path: Path) -> None:
    letter = tmp_path / "w.txt"
    shutil.copy(SAMPLES / "constructed_pdf_wrapped.txt", letter)
    s = ReviewSession.open(letter)
    cut = next(i for i, f in enumerate(s.findings) if "\f" in s.text[f.start : f.end])
    f = s.findings[cut]
    header = "Northdale County Council - unannounced inspection"
    at = s.text.index("effectively to drive", f.start)
    s.split(cut, at)
    assert header not in s.findings[cut + 1].text
    assert s.findings[cut + 1].text.startswith("effectively to drive improvement")
    s.undo()
    s.toggle_theme(0, "diversity")
    s.toggle_theme(1, "out_of_hours")
    themes = set(s.findings[0].themes) | set(s.findings[1].themes)
    s.merge_next(0)
    assert set(s.findings[0].themes) == themes
    s.close()


def test_edit_back_to_the_machines_words_is_confirmed(tmp_path: Path) -> None:
    letter = tmp_path / "h.txt"
    shutil.copy(SAMPLES / "hartlepool_2011-03_ucra.txt", letter)
    s = ReviewSession.open(letter)
    original = s.findings[0].text
    s.edit_text(0, "X" + original)
    assert s.findings[0].status == "corrected"
    s.edit_text(0, original)
    assert s.findings[0].status == "confirmed"
    s.split(0)
    s.merge_next(0)
    assert s.findings[0].text == original
    assert s.findings[0].status == "confirmed"
    s.close()
