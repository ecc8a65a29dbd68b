"""The review screen as a view of its controller: widgets follow the controller's state."""

from __future__ import annotations

from reviewer.tui.screens.topics import ThemesModal
from reviewer.tui.widgets import FindingsTable, LetterView, ReviewHeader
from tests.waiting import started, wait_until

SIZE = (120, 40)


async def test_one_themes_dialog_is_taken_back_by_one_undo(letter, make_app):
    """Two themes ticked in one dialog were two undo steps; now one `u` takes both back."""
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        before = app.session.findings[0].themes
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, ThemesModal), "the themes dialog")
        await pilot.press("7", "a", "enter")  # the seventh theme and the tenth
        assert len(set(app.session.findings[0].themes) ^ set(before)) == 2
        await pilot.press("u")
        assert app.session.findings[0].themes == before
        assert not app.session.can_undo


async def test_the_widgets_follow_the_controller(letter, make_app):
    """What the controller says is shown without the screen drawing it by hand: the header
    from its one state object, the table's cursor and the letter's highlight from `current`."""
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = app.review_screen
        controller = screen.controller
        header = screen.query_one(ReviewHeader)
        controller.show_flash("a word from the controller")
        await pilot.pause()
        assert header.state == controller.header
        assert "a word from the controller" in str(header.render())
        controller.select(3)
        await pilot.pause()
        assert screen.query_one(FindingsTable).cursor_row == 3
        assert screen.query_one(LetterView).current == 3
        controller.end_flash()
        await pilot.pause()
        assert "a word from the controller" not in str(header.render())
