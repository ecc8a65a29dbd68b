"""Pilot tests of another reviewer's lock (taken over by one key, after a warning) and of the
crash journal's problems shown in the header."""

from __future__ import annotations

import os
import shutil

from reviewer.review.annotation import review_path_for
from reviewer.review.session import ReviewSession
from reviewer.review.store import StoreError, lock_path, oplog_path
from reviewer.tui.screens.confirm import QuestionModal
from tests.waiting import started, wait_until

SIZE = (120, 40)


def far_lock(letter) -> None:
    lock_path(review_path_for(letter)).write_text(
        "4242\nfar-away-host\ntoken\nstarted=\nboot=\n", encoding="utf-8"
    )


async def test_header_names_the_lock_holder_and_the_key_takes_the_lock_over(letter, make_app):
    far_lock(letter)
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        header = str(app.review_screen.query_one("#header").render())
        assert "READ-ONLY" in header
        assert "pid 4242 on far-away-host" in header and "L takes the lock over" in header
        await pilot.press("3")  # editing keys do nothing while read-only
        assert app.session.findings[0].status == "auto"
        await pilot.press("L")
        await pilot.pause()
        assert isinstance(app.screen, QuestionModal)
        question = app.screen._question
        assert "Take over the lock held by pid 4242 on far-away-host?" in question
        assert "one of you will lose work" in question
        await pilot.press("n")  # no: still read-only
        await pilot.pause()
        assert app.session.read_only
        await pilot.press("L")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert not app.session.read_only
        assert lock_path(app.session.review_path).read_text().splitlines()[0] == str(os.getpid())
        header = str(app.review_screen.query_one("#header").render())
        assert "READ-ONLY" not in header and "far-away-host" not in header
        await pilot.press("3")  # the screen is editable now
        assert app.session.findings[0].category == "development"
        assert app.review_screen.check_action("take_over_lock", ()) is False


async def test_taking_over_offers_the_other_reviewers_crash_journal(letter, make_app):
    crashed = ReviewSession.open(letter)
    crashed.set_note(0, "from the other machine")
    crashed.oplog.close()  # killed: its journal stays
    far_lock(letter)
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert not isinstance(app.screen, QuestionModal)  # not offered while read-only
        await pilot.press("L")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, QuestionModal)
        assert "Restore it?" in app.screen._question
        await pilot.press("y")
        await pilot.pause()
        assert app.session.findings[0].note == "from the other machine"


async def test_take_over_that_fails_says_so_in_one_line(letter, make_app, monkeypatch):
    far_lock(letter)
    app = make_app(letter)

    def refuse(self) -> None:
        raise StoreError("cannot take over r.review.toml.lock: it changed hands; try again")

    monkeypatch.setattr(ReviewSession, "take_over_lock", refuse)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("L")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.session.read_only
        assert any("Could not take over the lock" in m and "\n" not in m for m in app.said)


async def test_the_take_over_key_does_nothing_when_read_only_by_choice(letter, make_app):
    app = make_app(letter, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert app.review_screen.check_action("take_over_lock", ()) is False
        await pilot.press("L")
        await pilot.pause()
        assert not isinstance(app.screen, QuestionModal)
        assert "takes the lock over" not in str(app.review_screen.query_one("#header").render())


async def test_a_journal_that_cannot_be_written_is_in_the_header_until_it_can(letter, make_app):
    app = make_app(letter)
    journal = oplog_path(review_path_for(letter))
    journal.mkdir()  # the journal cannot be written (as a full or read-only disk would refuse)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert "not safe from a crash" not in str(app.review_screen.query_one("#header").render())
        await pilot.press("3")
        header = str(app.review_screen.query_one("#header").render())
        assert "Unsaved work is not safe from a crash" in header
        assert str(letter.parent) in app.session.journal_problem
        # the file by name, so the cause fits: the folder is the review's own
        assert "crash journal hartlepool_2011-03_ucra.review.toml.journal" in header
        assert str(letter.parent) not in header
        await pilot.press("j", "3")  # still failing: still said
        assert "not safe from a crash" in str(app.review_screen.query_one("#header").render())
        shutil.rmtree(journal)
        await pilot.press("j", "3")  # the journal starts again by itself: the warning goes
        assert "not safe from a crash" not in str(app.review_screen.query_one("#header").render())


async def test_a_snapshot_that_cannot_be_written_is_in_the_header(letter, make_app, monkeypatch):
    app = make_app(letter)
    app.AUTOSAVE_DELAY = app.AUTOSAVE_MAX_WAIT = 0.05
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)

        def refuse(chunks: object) -> None:
            raise StoreError("cannot write r.review.toml.autosave: read-only file system")

        monkeypatch.setattr(app.session.journal, "write_aside", refuse)
        await pilot.press("3")
        await wait_until(
            pilot,
            lambda: "read-only file system" in str(app.review_screen.query_one("#header").render()),
            "the failed snapshot in the header",
        )
        monkeypatch.undo()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "not safe from a crash" not in str(app.review_screen.query_one("#header").render())


async def test_save_as_of_a_read_only_review_to_another_folder_points_at_its_letter(
    letter, make_app, tmp_path
):
    from reviewer.corpus.validate import validate_files
    from reviewer.review import annotation
    from reviewer.tui.screens.edit import InputModal

    far_lock(letter)
    app = make_app(letter)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = elsewhere / "copy.review.toml"
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert app.session.read_only
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InputModal)
        app.screen.query_one("#value").value = str(target)
        await pilot.press("enter")
        await pilot.pause()
    assert target.exists()
    copy = annotation.load(target)
    assert (target.parent / copy.source_path).resolve() == letter.resolve()
    assert validate_files([target]) == 0


async def test_keys_work_while_a_snapshot_is_written_and_it_lands_after(
    letter, make_app, monkeypatch
):
    """The snapshot is written on its own thread: the screen takes keys meanwhile, and what
    lands is the review as it was when the timer ran."""
    import threading

    from reviewer.review import annotation
    from reviewer.review.store import journal_path

    app = make_app(letter)
    app.AUTOSAVE_DELAY = app.AUTOSAVE_MAX_WAIT = 0.05
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        s = app.session
        real = s.journal.write_aside
        writing, go = threading.Event(), threading.Event()

        def held(chunks):
            writing.set()
            assert go.wait(60)
            return real(chunks)

        monkeypatch.setattr(s.journal, "write_aside", held)
        await pilot.press("3")
        await wait_until(pilot, writing.is_set, "the snapshot being written")
        app.AUTOSAVE_DELAY = app.AUTOSAVE_MAX_WAIT = 600.0
        await pilot.press("4")  # taken at once, while the snapshot is held
        assert s.findings[1].category == "priority_action"
        go.set()
        await wait_until(pilot, lambda: not s.crash.snapshots.pending, "the snapshot in place")
        landed = annotation.loads(journal_path(s.review_path).read_text(encoding="utf-8"))
        assert landed.findings[0].category == "development"
        assert landed.findings[1].category != "priority_action"  # the key came after
        assert "not safe from a crash" not in str(app.review_screen.query_one("#header").render())
