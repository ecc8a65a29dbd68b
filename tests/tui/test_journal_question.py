"""The question about a crashed session's unsaved work: answered by its keys, never by a click,
and "start from the saved review" keeps that work aside instead of throwing it away.

In a browser the first click only gives the page the keyboard; it must not answer anything.
"""

from __future__ import annotations

from pathlib import Path

from textual.events import Click, MouseDown, MouseUp
from textual.geometry import Offset
from textual.pilot import _get_mouse_message_arguments

from reviewer.review import annotation
from reviewer.review.session import ReviewSession
from reviewer.review.store import journal_path, oplog_path
from reviewer.tui.screens.confirm import QuestionModal
from tests.tui.test_decide_and_advance import SIZE, started


async def click(pilot, x: int, y: int) -> None:
    """A click at screen cell (x, y), the events `pilot.click` sends (down, up, click), with
    one wait for the app to go idle after them instead of one before each (about 70 cells
    are clicked)."""
    app = pilot.app
    screen = app.screen
    args = _get_mouse_message_arguments(screen, (x, y), button=1)
    app.mouse_position = Offset(x, y)
    screen._forward_event(MouseDown(**args))
    screen._forward_event(MouseUp(**args))
    screen._forward_event(Click(**args, chain=1))
    await pilot.pause()


def crashed(letter: Path, note: str) -> Path:
    """A session that made a change and was killed: its journal is left; the review path."""
    s = ReviewSession.open(letter)
    s.set_note(0, note)
    s.oplog.close()  # killed: no save, no clean close
    if s.lock is not None:
        s.lock.release()
    return s.review_path


def set_aside(review_path: Path) -> list[Path]:
    prefix = journal_path(review_path).name + "."
    return sorted(p for p in review_path.parent.iterdir() if p.name.startswith(prefix))


async def test_no_click_on_the_question_answers_it(letter, make_app):
    crashed(letter, "work from the crash")
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        question = app.screen
        assert isinstance(question, QuestionModal) and "Restore it?" in question._question
        # every cell of the dialog, as a stray first click in the browser could land
        box = question.query_one(".dialog").region
        for y in range(box.y, box.bottom, 2):  # an answer was 3 rows high
            for x in range(box.x, box.right, 5):  # an answer was wider than 5
                await click(pilot, x, y)
                assert app.screen is question, f"a click at {(x, y)} answered the question"
        await pilot.press("enter")  # nor a stray enter
        assert app.screen is question
        await pilot.press("y")
        await pilot.pause()
        assert app.session.findings[0].note == "work from the crash"


async def test_starting_from_the_saved_review_keeps_the_unsaved_work_aside(letter, make_app):
    review_path = crashed(letter, "work from the crash")
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert isinstance(app.screen, QuestionModal)
        await pilot.press("n")
        await pilot.pause()
        assert not isinstance(app.screen, QuestionModal)
        assert app.session.findings[0].note != "work from the crash"
        aside = set_aside(review_path)
        assert len(aside) == 1 and any(aside[0].name in said for said in app.said)
        await pilot.press("3", "ctrl+s", "q")  # work on, save, quit: the aside copy stays
    assert review_path.exists()
    assert not journal_path(review_path).exists() and not oplog_path(review_path).exists()
    assert set_aside(review_path) == aside
    kept = annotation.load(aside[0])
    assert kept.findings[0].note == "work from the crash"
    again = ReviewSession.open(letter)
    try:
        assert not again.report.journal_available  # not asked again
    finally:
        again.close()


async def test_escape_on_the_question_keeps_the_unsaved_work_aside_too(letter, make_app):
    review_path = crashed(letter, "work from the crash")
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, QuestionModal)
        await pilot.press("3", "ctrl+s")
    assert annotation.load(set_aside(review_path)[0]).findings[0].note == "work from the crash"
