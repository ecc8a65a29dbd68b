"""Pilot tests of the council's history beside the letter."""

from __future__ import annotations

import datetime as dt
import shutil

from reviewer.review.session import ReviewSession
from reviewer.tui.screens.history import HistoryModal
from tests.waiting import started

SIZE = (120, 40)


def earlier_review(letter, folder, name: str, when: dt.date, note: str = "") -> None:
    """A review of the same council's letter, dated `when`, saved in `folder`."""
    folder.mkdir(exist_ok=True)
    copy = folder / name
    shutil.copyfile(letter, copy)
    s = ReviewSession.open(copy)
    s.set_metadata({"letter_date": when, "inspection_dates": [when]})
    s.save()
    s.close()


async def test_history_lists_the_councils_other_documents_and_what_came_back(letter, make_app):
    earlier_review(letter, letter.parent, "hartlepool_2009-11_ucra.txt", dt.date(2009, 11, 20))
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("G")  # finding 14 is an area for development
        await pilot.press("H")
        await pilot.pause()
        assert isinstance(app.screen, HistoryModal)
        text = app.screen.text
        assert "Hartlepool" in text and "2 documents, oldest first" in text
        first, second = text.index("2009-11-20"), text.index("2011-03-16")
        assert first < second  # in date order
        assert "unannounced inspection letter" in text
        assert "hartlepool_2009-11_ucra.review.toml" in text
        # the current finding recurs, word for word, from the earlier letter
        current = text.split("The current finding")[1].split("This document's")[0]
        assert current.lstrip().startswith("14. Common assessment framework")
        assert "recurs from 2009-11-20" in current and "wording, similarity 100" in current
        assert "shared words:" in current
        # the whole letter: its one area for development came back, strengths never link
        whole = text.split("This document's findings that came back")[1]
        assert "1 of 14 recur from an earlier document" in whole
        assert "14. Common assessment framework" in whole
        assert "from 2009-11-20 unannounced inspection letter, wording" in whole
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HistoryModal)


async def test_a_strength_is_said_not_to_link(letter, make_app):
    earlier_review(letter, letter.parent, "hartlepool_2009-11_ucra.txt", dt.date(2009, 11, 20))
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("H")  # finding 1 is a strength
        await pilot.pause()
        current = app.screen.text.split("The current finding")[1].split("This document's")[0]
        assert "Not linked: strengths" in current


async def test_history_says_so_in_one_line_when_no_other_document_is_found(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("H")
        await pilot.pause()
        text = app.screen.text
        assert text.startswith("No other documents of Hartlepool")
        assert "\n" not in text.strip()


async def test_history_takes_the_queues_letters_and_the_unsaved_review(
    copy_letter, make_queue_app, tmp_path
):
    current = copy_letter()
    other = tmp_path / "elsewhere"
    earlier_review(current, other, "hartlepool_2009-11_ucra.txt", dt.date(2009, 11, 20))
    app = make_queue_app([current, other / "hartlepool_2009-11_ucra.txt"])
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert app.session.letter.path == current
        await pilot.press("H")
        await pilot.pause()
        text = app.screen.text
        assert "2009-11-20" in text  # the queue's other letter, in another folder
        assert "1 of 14 recur" in text
        await pilot.press("escape", "G", "2")  # unsaved: finding 14 now meets requirements
        await pilot.press("H")
        await pilot.pause()
        whole = app.screen.text.split("This document's findings that came back")[1]
        assert "None of its findings recurs" in whole


async def test_history_text_is_never_markup(make_app, letter):
    earlier_review(letter, letter.parent, "hartlepool_[bold]2009[red].txt", dt.date(2009, 11, 20))
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("H")
        await pilot.pause()
        body = app.screen.query_one("#history-body")
        assert "hartlepool_[bold]2009[red].review.toml" in str(body.render())


async def test_history_is_in_the_palette(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        entry = next(a for a in app.actions if a.id == "council.history")
        assert app.keys_for("council.history") == "H"
        await app.run_named_action(entry.action)  # what choosing it in the palette runs
        await pilot.pause()
        assert isinstance(app.screen, HistoryModal)


async def test_history_reads_the_reviews_folder_not_the_folders_below(letter, make_app):
    earlier_review(letter, letter.parent / "below", "hartlepool_2009.txt", dt.date(2009, 11, 20))
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("H")
        await pilot.pause()
        assert app.screen.text.startswith("No other documents of Hartlepool")
