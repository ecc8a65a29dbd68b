"""Start-up holds the cyclic garbage collector until the first screen (reviewer.startup):
every other command gets it back before its work, the review screen once it has painted,
and a program that did not hold it is left as it was."""

from __future__ import annotations

import gc

import pytest

from reviewer import cli, startup
from tests.waiting import started


@pytest.fixture
def collector():
    """The collector as each test found it, whatever the test did to it."""
    was = gc.isenabled()
    yield
    startup.release()
    gc.unfreeze()
    (gc.enable if was else gc.disable)()


def test_hold_stops_collection_and_release_gives_it_back(collector):
    startup.hold()
    assert not gc.isenabled()
    startup.release()
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_the_review_screen_leaves_what_start_up_made_out_of_later_collections(collector):
    startup.hold()
    startup.release(freeze=True)
    assert gc.isenabled() and gc.get_freeze_count() > 0


def test_release_without_hold_leaves_the_collector_alone(collector):
    gc.disable()
    startup.release()
    assert not gc.isenabled()


def test_a_command_other_than_open_works_with_the_collector_on(collector, monkeypatch, tmp_path):
    seen = []
    monkeypatch.setattr(cli, "cmd_segment", lambda args: seen.append(gc.isenabled()) or 0)
    assert cli.main(["segment", str(tmp_path)]) == 0
    assert seen == [True] and gc.isenabled()


def test_open_holds_it_until_the_letter_is_painted(collector, monkeypatch, letter):
    from reviewer.tui.app import ReviewApp

    during: list[bool] = []

    async def run_and_look(app: ReviewApp) -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await started(pilot)
            during.append(gc.isenabled())

    def run(app: ReviewApp) -> None:
        import asyncio

        during.append(gc.isenabled())  # the letter read, the app made, nothing shown yet
        asyncio.run(run_and_look(app))
        app.session.close(clean=False)

    monkeypatch.setattr(ReviewApp, "run", run)
    assert cli.main(["open", str(letter)]) == 0
    assert during == [False, True] and gc.get_freeze_count() > 0
