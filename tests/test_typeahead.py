"""Keys typed at speed after the one that opens a dialog go to the dialog, in order.

A terminal delivers "/child" at once; the letter's screen has the keys before the dialog is
there. Pilot's `press` waits after each key, so these tests post the keys all at once.
"""

from __future__ import annotations

from textual import events

from reviewer.segment.topics import load_taxonomy
from reviewer.tui.screens.confirm import QuestionModal
from reviewer.tui.screens.search import SearchScreen
from reviewer.tui.screens.topics import ThemesModal
from tests.test_decide import SIZE, started

NAMES = {"/": "slash", " ": "space"}


def burst(app, text: str) -> None:
    """Every character of `text` as a key, posted together as a terminal sends them."""
    for ch in text:
        app.post_message(events.Key(NAMES.get(ch, ch), ch))


async def settled(pilot) -> None:
    for _ in range(5):
        await pilot.pause(0.05)


async def test_a_search_typed_at_speed_is_searched_whole(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        status = app.session.review.status
        burst(app, "/child")  # "c" would complete the review, "h" show the history
        await settled(pilot)
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one("#search-query").value == "child"
        assert app.session.review.status == status


async def test_a_theme_key_typed_at_speed_ticks_the_theme(letter, make_app):
    seventh = load_taxonomy().themes[6].id
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        before = set(app.session.findings[0].themes)
        burst(app, "t7")
        await settled(pilot)
        assert isinstance(app.screen, ThemesModal)
        await pilot.press("enter")
        assert set(app.session.findings[0].themes) == before ^ {seventh}


async def test_a_note_typed_at_speed_keeps_every_letter(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        burst(app, "ncheck")
        await settled(pilot)
        await pilot.press("enter")
        assert app.session.findings[0].note == "check"


def test_a_question_keeps_no_early_keys():
    """A question must be seen to be answered: keys typed before it go where they went."""
    question = QuestionModal("Discard the changes?", [("discard", "d", "Discard")])
    assert not question.takes_early_keys
    assert SearchScreen.KEEPS_EARLY_KEYS and ThemesModal.KEEPS_EARLY_KEYS


async def test_keys_typed_after_a_refused_key_are_dropped(letter, make_app):
    """`a2` with a selection inside a finding: `a` is refused, and the `2` typed with it
    must not change the finding's category; the header says the key was dropped."""
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        first = app.session.findings[0]
        await pilot.press("tab")
        app.letter.show_offset(first.start)
        await pilot.pause()
        for _ in range(5):
            await pilot.press("shift+right")
        assert app.letter.selected_span == (first.start, first.start + 5)
        burst(app, "a2")
        await settled(pilot)
        assert app.session.findings[0] == first
        assert any("overlaps a finding" in said for said in app.said)
        assert "Dropped 1 key typed after a refused one: 2" in str(app.header.render())
        await pilot.press("2")  # a key pressed after the refusal was shown counts
        assert app.session.findings[0].category == "satisfactory"
