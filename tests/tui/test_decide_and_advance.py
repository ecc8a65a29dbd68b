"""Decide-and-advance, the header's flash, undo that goes back, and the note on the letter."""

from __future__ import annotations

import tomllib

import pytest

from reviewer.review.session import ReviewSession
from reviewer.settings import Settings
from reviewer.tui.screens import review as review_screen
from reviewer.tui.screens.edit import InputModal
from tests.waiting import letter_opened, started, wait_until

SIZE = (120, 40)


def header(app) -> str:
    return str(app.header.render())


async def test_a_category_key_decides_and_goes_to_the_next_unreviewed(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("j", "j", "space", "g")  # finding 2 already reviewed
        await pilot.press("3", "space")
        assert app.session.findings[0].category == "development"
        assert app.session.findings[1].status == "confirmed"
        assert app.current == 3  # 2 was reviewed before: skipped
        assert "space · Confirmed → next" in header(app)
        await pilot.press("3")
        assert "3 · Area for development → next" in header(app)


async def test_the_flash_goes_after_a_moment(letter, make_app, monkeypatch):
    monkeypatch.setattr(review_screen, "FLASH_SECONDS", 3.0)
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("1")
        assert "→ next" in header(app)
        # a busy machine may run the timer late, never early
        await wait_until(pilot, lambda: "→ next" not in header(app), "the flash to go")
        assert "1/14 reviewed" in header(app)


async def test_undo_goes_back_to_the_finding_it_changes(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        before = app.session.findings[4]
        await pilot.press("j", "j", "j", "j", "3")
        assert app.current == 5
        await pilot.press("u")
        assert app.current == 4
        assert app.session.findings[4] == before
        assert "Undone: category Area for development" in header(app)
        await pilot.press("ctrl+r")
        assert app.current == 4 and app.session.findings[4].category == "development"


async def test_the_advance_setting_off_stays_on_the_finding(letter, make_app):
    app = make_app(letter, settings=Settings(advance=False))
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("3")
        assert app.current == 0 and app.session.findings[0].category == "development"
        assert "3 · Area for development" in header(app) and "→ next" not in header(app)
        await pilot.press("space")  # confirming still moves on: that is what it is for
        assert app.current == 1


async def test_the_last_decision_says_everything_is_reviewed(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        n = len(app.session.findings)
        await pilot.press(*["space"] * (n - 1), "1")
        assert app.session.reviewed_count == n
        assert app.current == n - 1
        assert "all reviewed" in header(app)
        assert any("Every finding is reviewed" in m for m in app.said)


async def test_a_note_on_the_whole_letter(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("N")
        assert isinstance(app.screen, InputModal)
        await pilot.press(*"second visit due", "enter")
        assert app.session.review.note == "second visit due"
        assert "Note: second visit due" in header(app)
        await pilot.press("u")
        assert app.session.review.note == ""
        assert "Note:" not in header(app)
        await pilot.press("ctrl+r", "ctrl+s")
    saved = tomllib.loads(letter.with_name(letter.stem + ".review.toml").read_text("utf-8"))
    assert saved["review"]["note"] == "second visit due"


async def test_the_letter_note_is_in_the_palette(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await app.run_named_action("edit_letter_note")
        await pilot.pause()
        assert isinstance(app.screen, InputModal)
        assert "whole letter" in str(app.screen.query_one(".dialog-title").render())


def test_the_letter_note_survives_a_crash(letter):
    s = ReviewSession.open(letter)
    s.set_review_note("ask about the LADO")
    s.close(clean=False)  # a crash: nothing saved, only the journal
    again = ReviewSession.open(letter)
    try:
        assert again.report.journal_available
        again.restore_journal()
        assert again.review.note == "ask about the LADO"
        again.undo()  # restoring is one step: undone, the note is gone again
        assert again.review.note == ""
    finally:
        again.close()


def test_an_unchanged_letter_note_is_no_change(letter):
    s = ReviewSession.open(letter)
    try:
        s.set_review_note("  ")
        assert not s.dirty and not s.can_undo
        s.set_review_note(" a note ")
        assert s.review.note == "a note" and s.dirty
    finally:
        s.close()


# -- saving without asking ----------------------------------------------------------------------


@pytest.fixture
def queue_dir(copy_letter):
    for name in ("hartlepool_2011-03_ucra.txt", "middlesbrough_2010-01_ucra.txt"):
        copy_letter(name)
    return copy_letter().parent


async def test_leaving_a_letter_saves_it_without_asking(queue_dir, make_queue_app):
    from reviewer.tui.screens.confirm import QuestionModal

    app = make_queue_app([queue_dir])
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        first = app.session.letter.path
        await pilot.press("3", "right_square_bracket")
        await letter_opened(pilot, 1)
        assert not isinstance(app.screen, QuestionModal)
        assert app.session.letter.path != first
        saved = tomllib.loads(first.with_name(first.stem + ".review.toml").read_text("utf-8"))
        assert saved["findings"][0]["category"] == "development"


async def test_quit_saves_and_a_failed_save_asks(letter, make_app, monkeypatch):
    from reviewer.review.store import StoreError
    from reviewer.tui.screens.confirm import QuestionModal

    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("3")

        def refuse(*args, **kwargs):
            raise StoreError("the disk is full")

        monkeypatch.setattr(app.session, "save", refuse)
        await pilot.press("q")
        assert isinstance(app.screen, QuestionModal)  # the save failed: the reviewer decides
        assert app.session.dirty and app.session.findings[0].category == "development"
        assert any("the disk is full" in m for m in app.said)
        await pilot.press("escape")
        monkeypatch.undo()
        await pilot.press("q")
        await pilot.pause()
    review = letter.with_name(letter.stem + ".review.toml")
    assert tomllib.loads(review.read_text("utf-8"))["findings"][0]["category"] == "development"


async def test_a_long_file_name_gives_way_to_the_flash(letter, make_app, tmp_path):
    long = tmp_path / (
        "north-east-lincolnshire-and-a-very-long-council-name_2024-10-31_" + letter.name
    )
    long.write_bytes(letter.read_bytes())
    app = make_app(long)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await pilot.press("3")
        first = header(app).splitlines()[0]
        flash = "3 · Area for development → next"
        assert flash in first and first.index(flash) + len(flash) <= 100  # on screen whole
        assert "north-east" in first and "…" in first  # the name keeps its start
