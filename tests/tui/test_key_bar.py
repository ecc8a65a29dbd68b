"""The key bar at the foot of the review screen: which keys it names, dimmed when they cannot
act, the palette's key on the right, and a click on a key presses it."""

from __future__ import annotations

from reviewer.tui.widgets import KeyBar
from tests.waiting import started, wait_until

SIZE = (120, 40)


def bar(app) -> KeyBar:
    return app.review_screen.query_one(KeyBar)


def shown(app) -> str:
    return str(bar(app).render())


async def test_the_first_frame_names_the_category_keys_and_the_palette(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        line = shown(app)
        categories = app.session.scheme.categories
        assert line.startswith(f"{categories[0].key} ")
        for c in categories:
            assert f"{c.key} " in line
        assert "space Confirm" in line
        assert line.rstrip().endswith("^p Palette")
        assert len(line) == SIZE[0]  # the palette's key is at the right edge


async def test_a_narrow_screen_shows_the_keys_that_fit_and_still_the_palette(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=(60, 24)) as pilot:
        await started(pilot)
        line = shown(app)
        assert len(line) == 60 and line.rstrip().endswith("^p Palette")
        # whole hints only: no key cut short before the palette's
        hints = [h for h in bar(app).hints if f"{h.shown} {h.description}" in line]
        assert 0 < len(hints) < len(bar(app).hints)


async def test_keys_that_cannot_act_in_a_read_only_review_are_dimmed(letter, make_app):
    app = make_app(letter, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        hints = {h.description: h for h in bar(app).hints}
        assert not hints["Edit"].enabled
        assert not hints["Confirm"].enabled
        assert hints["Keys"].enabled  # help still opens
        assert any("dim" in str(span.style) for span in bar(app).render().spans)


async def test_clicking_a_key_presses_it(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        development = app.session.scheme.categories[2]
        hint = next(h for h in bar(app).hints if h.key == development.key)
        x = next(start for start, _end, h in bar(app).drawn if h == hint)
        assert bar(app).hint_at(x) == hint
        await pilot.click(KeyBar, offset=(x, 0))
        await wait_until(
            pilot,
            lambda: app.session.findings[0].category == development.id,
            "the clicked category key to act",
        )
        assert app.session.findings[0].status == "corrected"


async def test_clicking_a_dimmed_key_changes_nothing(letter, make_app):
    app = make_app(letter, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        before = list(app.session.findings)
        first = bar(app).hints[0]
        await pilot.click(KeyBar, offset=(0, 0))
        await pilot.pause()
        assert not first.enabled and app.session.findings == before


async def test_the_key_under_the_mouse_is_highlighted(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        start, _end, hint = bar(app).drawn[1]
        await pilot.hover(KeyBar, offset=(start, 0))
        await wait_until(pilot, lambda: bar(app).hovered == hint, "the hovered key")
        hover = bar(app).get_component_rich_style("key-bar--hover")
        assert any(span.style == hover for span in bar(app).render().spans)
