"""SVG snapshots of the main screen, for both real letters, wide and narrow.

The letter is copied to a fixed file name so the header is the same on every run; the
review starts fresh, so there are no notifications, times or absolute paths on screen.
"""

from __future__ import annotations

import shutil

import pytest

from reviewer.review.session import ReviewSession
from reviewer.tui.app import ReviewApp
from reviewer.tui.screens.metadata import MetadataModal
from tests.conftest import SAMPLES
from tests.tui.test_overview import every_letter_read
from tests.tui.test_search_screen import settle
from tests.waiting import started, steady, wait_until

LETTERS = ["hartlepool_2011-03_ucra.txt", "middlesbrough_2010-01_ucra.txt"]
SIZES = [(120, 40), (80, 24)]


@pytest.fixture
def snap_compare(snap_compare):
    """The plugin's `snap_compare`, with every text cursor held steady before the picture."""

    def compare(app, run_before=None, **kwargs):
        async def steadied(pilot):
            if run_before is not None:
                await run_before(pilot)
            await steady(pilot)

        return snap_compare(app, run_before=steadied, **kwargs)

    return compare


@pytest.fixture
def review_app(tmp_path):
    sessions = []

    def make(name: str) -> ReviewApp:
        folder = tmp_path / "snap"
        folder.mkdir(exist_ok=True)
        target = folder / name
        shutil.copyfile(SAMPLES / name, target)
        session = ReviewSession.open(target)
        sessions.append(session)
        return ReviewApp(session, "default", user_keymap=False)

    yield make
    for s in sessions:
        s.close()


@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
@pytest.mark.parametrize("name", LETTERS, ids=["hartlepool", "middlesbrough"])
def test_main_screen(snap_compare, review_app, name, size):
    assert snap_compare(review_app(name), terminal_size=size, run_before=started)


def test_after_corrections(snap_compare, review_app):
    """A changed category, a confirmed finding and a note: the header shows ● and progress
    (and the flash of the last decision: conftest keeps it up however slow the machine)."""
    app = review_app(LETTERS[0])

    async def correct(pilot):
        await started(pilot)
        await pilot.press("3", "space", "n", *"check", "enter")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 40), run_before=correct)


def test_report_with_judgements(snap_compare, tmp_path):
    """A report: the second header line with its judgements, and its own category keys."""
    from tests.segment.test_report import SIF

    folder = tmp_path / "snap"
    folder.mkdir()
    path = folder / "northdale_2016.txt"
    path.write_text(SIF, encoding="utf-8")
    session = ReviewSession.open(path)
    try:
        assert snap_compare(
            ReviewApp(session, "default", user_keymap=False),
            terminal_size=(120, 40),
            run_before=started,
        )
    finally:
        session.close()


def test_details_form_of_a_report(snap_compare, tmp_path):
    """A report's details form: its own fields, the council from the register, and the
    judgements of its framework with the grade keys."""
    from tests.segment.test_report import SIF

    folder = tmp_path / "snap"
    folder.mkdir()
    path = folder / "northdale_2016.txt"
    path.write_text(SIF, encoding="utf-8")
    session = ReviewSession.open(path)

    async def open_form(pilot):
        await started(pilot)
        await pilot.press("M")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, MetadataModal), "the form")
        pilot.app.screen.query_one("#judgement-leaders").focus()  # scrolls the grades in
        await pilot.press("2")  # Good, and on to the next judgement
        await pilot.pause()

    try:
        assert snap_compare(
            ReviewApp(session, "default", user_keymap=False),
            terminal_size=(120, 40),
            run_before=open_form,
        )
    finally:
        session.close()


def test_category_question_for_a_new_finding(snap_compare, review_app):
    """Adding a finding from a selection asks its category, with each category's key."""
    app = review_app(LETTERS[0])

    async def add(pilot):
        await started(pilot)
        text = app.session.text
        start = text.index("The five areas for development identified")
        await pilot.press("tab")
        app.letter.show_offset(start, start + 14)
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 40), run_before=add)


def test_settings_error(snap_compare, review_app, tmp_path, monkeypatch):
    """A settings file that cannot be used: one line naming it and the key; the letter opens."""
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    config = tmp_path / "home" / ".config" / "reviewer"
    config.mkdir(parents=True)
    (config / "config.toml").write_text("advance = 'yes'\n", encoding="utf-8")
    assert snap_compare(review_app(LETTERS[0]), terminal_size=(120, 40), run_before=started)


def test_search_hits(snap_compare, review_app):
    """The search screen: every hit of a query, the toggles' state, the match highlighted."""
    app = review_app(LETTERS[0])

    async def search(pilot):
        await started(pilot)
        await pilot.press("slash", *"children")
        await settle(app, pilot)
        await pilot.press("down")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 40), run_before=search)


def test_queue_overview(snap_compare, tmp_path):
    """The overview of a queue of three letters, once the worker has read each of them."""
    from reviewer.review.queue import LetterQueue

    folder = tmp_path / "snap"
    folder.mkdir()
    for name in ("hartlepool_2011-03_ucra.txt", "middlesbrough_2010-01_ucra.txt"):
        shutil.copyfile(SAMPLES / name, folder / name)
    shutil.copyfile(SAMPLES / "constructed_priority_action.txt", folder / "northdale_2012.txt")
    queue = LetterQueue.from_paths([folder])
    session = ReviewSession.open(queue.current.letter)

    async def overview(pilot):
        await started(pilot)
        await pilot.press("O")
        await wait_until(pilot, lambda: every_letter_read(pilot.app), "every letter read")
        await pilot.app.workers.wait_for_complete()

    try:
        app = ReviewApp(session, "default", user_keymap=False, queue=queue)
        assert snap_compare(app, terminal_size=(120, 40), run_before=overview)
    finally:
        session.close()


def test_end_moved_back_two_sentences(snap_compare, review_app):
    """The end of finding 2 moved back a sentence twice: the letter highlights the shorter
    span, the table row shows it corrected, the header says what the key did."""
    app = review_app(LETTERS[0])

    async def move(pilot):
        await started(pilot)
        await pilot.press("j", "less_than_sign", "less_than_sign")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 40), run_before=move)
