"""The review screen's footer shows the keys at hand, and is rebuilt only when they change."""

from __future__ import annotations

from reviewer.tui.widgets.footer import ReviewFooter
from tests.waiting import started, wait_until

SIZE = (120, 40)


def footer_keys(app) -> list:
    """The footer's key widgets, as built (the same objects until it is rebuilt)."""
    return list(app.review_screen.query_one(ReviewFooter).children)


def undo_key(app):
    return next(k for k in footer_keys(app) if getattr(k, "action", "") == "undo")


async def test_the_footer_is_rebuilt_only_when_its_keys_change(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        before = footer_keys(app)
        assert before and undo_key(app).has_class("-disabled")  # nothing to undo yet
        screen = app.review_screen
        screen.refresh_bindings()  # asked again with nothing changed: the same keys stay
        screen.table.focus()
        await pilot.pause()
        assert footer_keys(app) == before
        await pilot.press("3")  # a change: undo is at hand now
        await wait_until(
            pilot, lambda: not undo_key(app).has_class("-disabled"), "undo enabled in the footer"
        )
        assert footer_keys(app) != before
