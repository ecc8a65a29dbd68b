"""Keys typed at speed after the one that opens a dialog go to the dialog, in order.

A terminal delivers "/child" at once; the letter's screen has the keys before the dialog is
there. Pilot's `press` waits after each key, so these tests post the keys all at once.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input, SelectionList

from reviewer.segment.topics import load_taxonomy
from reviewer.tui.screens import modal
from reviewer.tui.screens.confirm import QuestionModal
from reviewer.tui.screens.edit import InputModal
from reviewer.tui.screens.search import SearchScreen
from reviewer.tui.screens.topics import ThemesModal
from tests.tui.test_decide_and_advance import SIZE, started
from tests.waiting import wait_until

NAMES = {"/": "slash", " ": "space"}


def burst(app, text: str) -> None:
    """Every character of `text` as a key, posted together as a terminal sends them."""
    for ch in text:
        app.post_message(events.Key(NAMES.get(ch, ch), ch))


def typed_into(app, dialog: type, text: str) -> bool:
    """`dialog` is up and its input holds `text`."""
    return isinstance(app.screen, dialog) and app.screen.query_one(Input).value == text


def shown(app) -> str:
    """The screen on top and what its input holds, for a failure's message."""
    inputs = app.screen.query(Input)
    return f"{type(app.screen).__name__} {inputs.first().value if inputs else ''!r}"


async def test_a_search_typed_at_speed_is_searched_whole(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        status = app.session.review.status
        burst(app, "/child")  # "c" would complete the review, "h" show the history
        await wait_until(
            pilot,
            lambda: typed_into(app, SearchScreen, "child"),
            "the search to hold 'child'",
            found=lambda: shown(app),
        )
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

        def ticked() -> bool:
            screen = app.screen
            if not isinstance(screen, ThemesModal):
                return False
            return (seventh in screen.query_one(SelectionList).selected) != (seventh in before)

        await wait_until(pilot, ticked, "the seventh theme ticked", found=lambda: shown(app))
        assert isinstance(app.screen, ThemesModal)
        await pilot.press("enter")
        assert set(app.session.findings[0].themes) == before ^ {seventh}


class BusyClock:
    """A clock as a loaded machine sees it: every look finds `step` more seconds gone."""

    def __init__(self, step: float) -> None:
        self.now, self.step = 0.0, step

    def monotonic(self) -> float:
        self.now += self.step
        return self.now


async def test_on_a_busy_machine_a_key_typed_at_speed_still_reaches_the_dialog(
    letter, make_app, monkeypatch
):
    """Seconds may pass on a loaded machine between the key that opens a dialog and the
    next key's turn: it still goes to the dialog (it was lost when a second had passed)."""
    seventh = load_taxonomy().themes[6].id
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        before = set(app.session.findings[0].themes)
        monkeypatch.setattr(modal, "time", BusyClock(step=3.0))
        burst(app, "t7")
        await wait_until(pilot, lambda: isinstance(app.screen, ThemesModal), "the themes")
        await pilot.press("enter")
        assert set(app.session.findings[0].themes) == before ^ {seventh}


async def test_a_note_typed_at_speed_keeps_every_letter(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        burst(app, "ncheck")
        await wait_until(
            pilot,
            lambda: typed_into(app, InputModal, "check"),
            "the note to hold 'check'",
            found=lambda: shown(app),
        )
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
        await wait_until(
            pilot,
            lambda: "Dropped 1 key" in str(app.header.render()),
            "the header to say the key was dropped",
            found=lambda: str(app.header.render()),
        )
        assert app.session.findings[0] == first
        assert any("overlaps a finding" in said for said in app.said)
        assert "Dropped 1 key typed after a refused one: 2" in str(app.header.render())
        await pilot.press("2")  # a key pressed after the refusal was shown counts
        assert app.session.findings[0].category == "satisfactory"
