"""Pilot tests of the reviewer app: every action, undo/redo, save and resume, safety."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from reviewer import cli
from reviewer.review.session import ReviewSession
from reviewer.review.store import StoreError
from reviewer.settings import Settings
from reviewer.tui.app import ReviewApp
from reviewer.tui.screens.category import CategoryModal
from reviewer.tui.screens.confirm import QuestionModal
from reviewer.tui.screens.edit import InputModal, TextEditModal
from reviewer.tui.screens.help import HelpModal
from reviewer.tui.screens.metadata import MetadataModal
from reviewer.tui.screens.search import SearchScreen
from reviewer.tui.screens.topics import ThemesModal
from tests.waiting import letter_opened, wait_until
from tests.waiting import started as wait_started

SIZE = (120, 40)


def state(app: ReviewApp):
    s = app.session
    return (tuple(s.findings), tuple(sorted(s.review.letter.items())), s.review.status)


async def started(app: ReviewApp, pilot) -> None:
    await wait_started(pilot)


def cell(app: ReviewApp, row: int, column: str) -> str:
    return app.review_screen.table.cell(row, column)


# -- opening and moving -------------------------------------------------------------------------


async def test_opens_on_first_finding_with_table_focused(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        assert app.focused is app.review_screen.table
        assert app.review_screen.controller.current == 0
        assert app.review_screen.table.row_count == len(app.session.findings) == 14
        f = app.session.findings[0]
        assert app.review_screen.letter.cursor_offset == f.start
        header = str(app.review_screen.query_one("#header").render())
        assert "hartlepool_2011-03_ucra.txt" in header
        assert "Hartlepool Borough Council" in header
        assert "0/14 reviewed" in header
        assert "●" not in header


async def test_move_with_keys_scrolls_letter(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("j", "j")
        assert app.review_screen.controller.current == 2
        assert app.review_screen.letter.cursor_offset == app.session.findings[2].start
        await pilot.press("k")
        assert app.review_screen.controller.current == 1
        await pilot.press("down", "down")
        await pilot.pause()
        assert app.review_screen.controller.current == 3
        assert app.review_screen.letter.current == 3
        await pilot.press("up")
        await pilot.pause()
        assert app.review_screen.controller.current == 2
        await pilot.press("G")
        assert app.review_screen.controller.current == 13
        await pilot.press("g")
        assert app.review_screen.controller.current == 0


async def test_switch_pane_and_letter_cursor_selects_finding(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("tab")
        assert app.focused is app.review_screen.letter
        f = app.session.findings[5]
        app.review_screen.letter.show_offset(f.start + 3)
        await pilot.pause()
        assert app.review_screen.controller.current == 5
        assert app.review_screen.table.cursor_row == 5
        # moving in the letter does not move the letter cursor back to the finding start
        assert app.review_screen.letter.cursor_offset == f.start + 3
        await pilot.press("tab")
        assert app.focused is app.review_screen.table


# -- corrections ---------------------------------------------------------------------------


async def test_category_keys_set_category_and_mark_unsaved(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("3")  # decides, then goes on to the next unreviewed finding
        f = app.session.findings[0]
        assert (f.category, f.status) == ("development", "corrected")
        assert cell(app, 0, "category") == "Development"  # the short label: the text needs room
        assert cell(app, 0, "status") == "corrected"
        assert app.review_screen.controller.current == 1
        await pilot.press("4")
        assert app.session.findings[1].category == "priority_action"
        assert app.review_screen.controller.current == 2
        header = str(app.review_screen.query_one("#header").render())
        assert "●" in header and "2/14 reviewed" in header
        # the journal is written soon after, not on the keystroke
        assert app.review_screen.journal_pending and not app.session.journal.exists()
        app.AUTOSAVE_DELAY = app.AUTOSAVE_MAX_WAIT = 0.1
        await pilot.press("3")  # the next change is written after the (now short) delay
        await wait_until(
            pilot,
            lambda: app.session.journal.exists() and not app.review_screen.journal_pending,
            "the journal written after the delay",
        )


async def test_confirm_advances_to_next_unreviewed(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("j", "j", "3", "g")
        await pilot.press("space")
        assert app.session.findings[0].status == "confirmed"
        assert app.review_screen.controller.current == 1
        await pilot.press("enter")
        assert app.session.findings[1].status == "confirmed"
        assert app.review_screen.controller.current == 3  # 2 was already reviewed


async def test_edit_text_in_modal(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("e")
        assert isinstance(app.screen, TextEditModal)
        app.screen.query_one("#editor").text = "Child protection concerns are handled well."
        await pilot.press("ctrl+s")
        f = app.session.findings[0]
        assert f.text == "Child protection concerns are handled well."
        assert f.status == "corrected"
        assert cell(app, 0, "text").startswith("Child protection concer")
        # escape leaves the text alone
        await pilot.press("e", "escape")
        assert app.session.findings[0].text == "Child protection concerns are handled well."


async def test_note(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("n")
        assert isinstance(app.screen, InputModal)
        await pilot.press(*"check wording", "enter")
        assert app.session.findings[0].note == "check wording"
        assert cell(app, 0, "note") == "✎"
        await pilot.press("n", *" again", "ctrl+s")  # ctrl+s applies, as in the other dialogs
        assert app.session.findings[0].note == "check wording again"


async def test_split_at_middle_sentence(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        whole = app.session.findings[0]
        await pilot.press("s")
        assert len(app.session.findings) == 15
        a, b = app.session.findings[:2]
        assert a.start == whole.start and b.end == whole.end
        assert app.review_screen.table.row_count == 15
        assert app.review_screen.controller.current == 0


async def test_split_at_letter_cursor(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        f = app.session.findings[1]
        at = app.session.text.index("The needs of children", f.start)
        await pilot.press("tab")
        app.review_screen.letter.show_offset(at)
        await pilot.pause()
        assert app.review_screen.controller.current == 1
        await pilot.press("s")
        a, b = app.session.findings[1:3]
        assert b.start == at
        assert b.text.startswith("The needs of children")
        assert a.text.endswith("high quality.")


async def test_merge_and_delete(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        first, second = app.session.findings[:2]
        await pilot.press("m")
        merged = app.session.findings[0]
        assert (merged.start, merged.end) == (first.start, second.end)
        assert len(app.session.findings) == 13
        await pilot.press("x")
        assert len(app.session.findings) == 12
        await pilot.press("delete")
        assert len(app.session.findings) == 11
        assert app.review_screen.table.row_count == 11
        await pilot.press("G", "m")  # nothing after the last one: the key is disabled
        assert len(app.session.findings) == 11


async def test_add_from_letter_selection(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        text = app.session.text
        start = text.index("The five areas for development identified")
        await pilot.press("tab")
        app.review_screen.letter.show_offset(start)
        await pilot.pause()
        for _ in range(len("The five areas")):
            await pilot.press("shift+right")
        assert app.review_screen.letter.selected_span == (start, start + 14)
        reviewed = app.session.reviewed_count
        await pilot.press("a")
        assert isinstance(app.screen, CategoryModal)  # the category is asked, not assumed
        assert len(app.session.findings) == 14
        await pilot.press("escape")  # no category: no finding
        assert len(app.session.findings) == 14
        assert app.session.reviewed_count == reviewed
        await pilot.press("a", "4")
        i = app.review_screen.controller.current
        f = app.session.findings[i]
        assert (f.start, f.text, f.status, f.category) == (
            start,
            "The five areas",
            "added",
            "priority_action",
        )
        assert app.review_screen.table.row_count == 15
        assert app.session.reviewed_count == reviewed + 1


async def test_add_without_selection_warns(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("a")
        assert len(app.session.findings) == 14
        assert any("Select the text" in m for m in app.said)


async def test_metadata_form_and_bad_date(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("M")
        assert isinstance(app.screen, MetadataModal)
        form = app.screen
        form.query_one("#field-letter_date").value = "17/03/2011"
        await pilot.press("ctrl+s")
        assert app.screen is form  # stays open with a message
        assert "YYYY-MM-DD" in str(form.query_one("#form-error").render())
        form.query_one("#field-letter_date").value = "2011-03-17"
        form.query_one("#field-authority").value = "Hartlepool Council"
        form.query_one("#field-inspection_dates").value = "2011-02-15, 2011-02-16"
        form.query_one("#field-copy_to").value = "A Person; Another Person"
        await pilot.press("ctrl+s")
        assert not isinstance(app.screen, MetadataModal)
        meta = app.session.review.letter
        assert meta["letter_date"] == dt.date(2011, 3, 17)
        assert meta["authority"] == "Hartlepool Council"
        assert meta["inspection_dates"] == [dt.date(2011, 2, 15), dt.date(2011, 2, 16)]
        assert meta["copy_to"] == ["A Person", "Another Person"]
        assert "Hartlepool Council" in str(app.review_screen.query_one("#header").render())


async def test_complete_toggles_review_status(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("c")
        assert app.session.review.status == "complete"
        assert "complete" in str(app.review_screen.query_one("#header").render())
        await pilot.press("c")
        assert app.session.review.status == "in_progress"


async def test_undo_redo_across_every_correction(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        states = [state(app)]

        async def step(*keys, setup=None):
            if setup:
                await setup()
            await pilot.press(*keys)
            await pilot.pause()
            assert state(app) != states[-1], keys
            states.append(state(app))

        await step("space")  # confirm (and go on to the next finding)
        await step("3")  # category
        await step("n", *"a note", "enter")  # note

        async def edit():
            await pilot.press("e")
            app.screen.query_one("#editor").text = "Edited text."

        await step("ctrl+s", setup=edit)  # edit
        await step("s")  # split (finding 1 has two sentences)
        await step("m")  # merge
        await step("x")  # delete

        async def select_text():
            start = app.session.text.index("The five areas for development identified")
            app.review_screen.letter.focus()
            app.review_screen.letter.show_offset(start, start + 14)
            await pilot.pause()

        await step("a", "2", setup=select_text)  # add, with its category
        app.review_screen.table.focus()

        async def meta():
            await pilot.press("M")
            app.screen.query_one("#field-authority").value = "Somewhere Else"

        await step("ctrl+s", setup=meta)  # metadata
        await step("c")  # complete

        final = state(app)
        for expected in reversed(states[:-1]):
            await pilot.press("u")
            assert state(app) == expected
        assert state(app) == states[0]
        await pilot.press("u")  # nothing more to undo: no change
        assert state(app) == states[0]
        for expected in states[1:]:
            await pilot.press("ctrl+r")
            assert state(app) == expected
        assert state(app) == final
        await pilot.press("ctrl+z")
        assert state(app) == states[-2]
        await pilot.press("ctrl+y")
        assert state(app) == final
        assert app.review_screen.table.row_count == len(app.session.findings)


# -- search --------------------------------------------------------------------------------------


async def test_search_findings_then_letter(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"workloads", "enter")
        assert "workloads" in app.session.findings[app.review_screen.controller.current].text
        await pilot.press("slash")
        app.screen.query_one("#search-query").value = "Freshford"
        await pilot.press("enter")
        hit = app.session.text.index("Freshford")
        assert app.focused is app.review_screen.letter
        assert app.review_screen.letter.selected_span == (hit, hit + len("Freshford"))
        await pilot.press("slash")
        app.screen.query_one("#search-query").value = "no such words anywhere"
        await pilot.press("enter")
        assert any("Not found" in m for m in app.said)
        assert isinstance(app.screen, SearchScreen)  # open still, to change the query


async def test_search_next_repeats(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        app.last_search = "children"
        await pilot.press("f3")
        first = app.review_screen.controller.current
        await pilot.press("f3")
        assert app.review_screen.controller.current != first
        assert "children" in app.session.findings[app.review_screen.controller.current].text.lower()


# -- save, resume, quit --------------------------------------------------------------------------


async def test_save_then_reopen_restores_everything(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("3")  # 0 corrected, now on 1
        await pilot.press("n", *"look again", "enter")
        await pilot.press("M")
        app.screen.query_one("#field-recipient_name").value = "Ms N Bailey"
        await pilot.press("ctrl+s")
        await pilot.press("j", "j")  # position: 3
        await pilot.press("ctrl+s")
        assert not app.session.dirty
        assert "●" not in str(app.review_screen.query_one("#header").render())
        saved = state(app)
        await pilot.press("q")  # nothing unsaved: quits without asking
    assert app.session.lock is None
    review = letter.with_name(letter.stem + ".review.toml")
    assert review.exists()

    again = make_app(letter)
    async with again.run_test(size=SIZE) as pilot:
        await started(again, pilot)
        assert again.session.report.resumed
        assert state(again) == saved
        assert again.review_screen.controller.current == 3
        f0, f1 = again.session.findings[:2]
        assert (f0.category, f0.status) == ("development", "corrected")
        assert f1.note == "look again"
        assert again.session.review.letter["recipient_name"] == "Ms N Bailey"


async def test_quit_with_unsaved_changes_asks(letter, make_app):
    app = make_app(letter, settings=Settings(save_on_move=False))
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("3", "q")
        assert isinstance(app.screen, QuestionModal)
        await pilot.press("c")  # cancel
        assert not isinstance(app.screen, QuestionModal)
        assert app.is_running
        await pilot.press("q", "d")  # quit without saving
        await pilot.pause()
    assert app._clean_exit
    assert not letter.with_name(letter.stem + ".review.toml").exists()
    assert not app.session.journal.exists()


async def test_quit_save_and_quit(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("4", "q", "s")
        await pilot.pause()
    review = ReviewSession.open(letter, read_only=True)
    assert review.findings[0].category == "priority_action"


async def test_save_failure_offers_save_as(letter, make_app, monkeypatch):
    app = make_app(letter)
    real_save = app.session.save
    calls = []

    def failing_save(path=None, position=""):
        calls.append(path)
        if path is None:
            raise StoreError("cannot write h.review.toml: permission denied")
        return real_save(path, position)

    monkeypatch.setattr(app.session, "save", failing_save)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("3", "ctrl+s")
        assert any("permission denied" in m for m in app.said)
        assert isinstance(app.screen, InputModal)
        target = letter.parent / "elsewhere.review.toml"
        app.screen.query_one("#value").value = str(target)
        await pilot.press("enter")
        assert target.exists()
        assert not app.session.dirty


# -- help, keymaps, palette ---------------------------------------------------------------------


async def test_help_lists_active_keymap(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpModal)
        table = app.screen.query_one("#help-table")
        assert table.get_cell("finding.delete", "keys").plain == "x, delete"
        assert table.get_cell("finding.category.strength", "keys").plain == "1"
        assert table.row_count == len(app.actions)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpModal)


async def test_vim_keymap(letter, make_app):
    app = make_app(letter, keymap="vim")
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("J")  # merge
        assert len(app.session.findings) == 13
        await pilot.press("d")  # delete
        assert len(app.session.findings) == 12
        await pilot.press("m")  # unbound in vim
        assert len(app.session.findings) == 12
        await pilot.press("i")
        assert isinstance(app.screen, TextEditModal)
        await pilot.press("escape", "question_mark")
        table = app.screen.query_one("#help-table")
        assert table.get_cell("finding.merge", "keys").plain == "J"


async def test_switch_keymap_at_runtime(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        app.use_keymap("vim")
        await pilot.press("m")
        assert len(app.session.findings) == 14
        await pilot.press("J")
        assert len(app.session.findings) == 13
        app.use_keymap("default")
        await pilot.press("m")  # the next finding is under another heading: asked first
        assert isinstance(app.screen, QuestionModal)
        await pilot.press("n")
        assert len(app.session.findings) == 13


async def test_merge_across_a_heading_asks_and_keeps_the_first_category(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        s = app.session
        i = next(k for k in range(len(s.findings) - 1) if s.heading_between(k))
        first, second = s.findings[i], s.findings[i + 1]
        app.review_screen.controller.select(i)
        await pilot.pause()
        await pilot.press("m")
        assert isinstance(app.screen, QuestionModal)
        await pilot.press("y")
        await pilot.pause()
        merged = s.findings[i]
        assert len(s.findings) == 13
        assert merged.category == first.category
        assert first.text in merged.text and second.text in merged.text
        assert "Meets requirements" not in merged.text and "statutory guidance" not in merged.text
        await pilot.press("u")
        assert len(s.findings) == 14


async def test_user_keymap_overrides(letter, tmp_path):
    config = tmp_path / "config" / "reviewer"
    config.mkdir(parents=True)
    (config / "keymap.toml").write_text('"finding.delete" = "D"\n')
    session = ReviewSession.open(letter)
    app = ReviewApp(session)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await started(app, pilot)
            await pilot.press("x")
            assert len(session.findings) == 14
            await pilot.press("D")
            assert len(session.findings) == 13
    finally:
        session.close()


async def test_command_palette_runs_actions(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        from textual.command import CommandList, CommandPalette

        palette = app.screen
        assert isinstance(palette, CommandPalette)  # typed keys go to the palette, not actions
        await pilot.press(*"merge with the next")

        def merge_offered() -> bool:
            found = palette.query_one(CommandList)
            at = found.highlighted
            return at is not None and "merge" in str(found.get_option_at_index(at).prompt).lower()

        await wait_until(pilot, merge_offered, "the palette to offer the merge")
        await pilot.press("enter")
        await pilot.pause()
        assert len(app.session.findings) == 13


# -- safety ----------------------------------------------------------------------------------


async def test_journal_restore_prompt(letter, make_app):
    crashed = ReviewSession.open(letter)
    crashed.set_category(0, "priority_action")
    crashed.autosave(position=crashed.findings[2].id)
    crashed.close(clean=False)  # as if the reviewer died: the journal stays

    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        assert isinstance(app.screen, QuestionModal)
        assert "ended unexpectedly" in str(app.screen.query_one(".dialog-question").render())
        await pilot.press("y")
        await pilot.pause()
        assert app.session.findings[0].category == "priority_action"
        assert app.review_screen.controller.current == 2
        assert app.session.dirty


async def test_journal_declined_keeps_saved_state(letter, make_app):
    crashed = ReviewSession.open(letter)
    crashed.set_category(0, "priority_action")
    crashed.autosave()
    crashed.close(clean=False)
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("n")
        assert app.session.findings[0].category == "strength"


async def test_read_only_when_locked(letter, make_app, tmp_path):
    holder = ReviewSession.open(letter)
    try:
        app = make_app(letter)
        assert app.session.read_only
        async with app.run_test(size=SIZE) as pilot:
            await started(app, pilot)
            assert "READ-ONLY" in str(app.review_screen.query_one("#header").render())
            assert any("read-only" in m for m in app.said)
            await pilot.press("3", "x")
            assert app.session.findings[0].category == "strength"
            assert len(app.session.findings) == 14
            await pilot.press("ctrl+s")
            assert isinstance(app.screen, InputModal)
            copy = tmp_path / "copy.review.toml"
            app.screen.query_one("#value").value = str(copy)
            await pilot.press("enter")
            assert copy.exists()
            await pilot.press("q")
    finally:
        holder.close()


async def test_letter_changed_reports_and_orphans(letter, make_app):
    first = ReviewSession.open(letter)
    first.save()
    first.close()
    text = letter.read_text(encoding="utf-8")
    gone = "Staff workloads are manageable, which enables work to be completed in a timely way."
    assert gone in text
    letter.write_text(
        "Extra line at the top.\n" + text.replace(gone, "Something else."), encoding="utf-8"
    )
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        assert any("letter has changed" in m for m in app.said)
        orphans = [i for i, f in enumerate(app.session.findings) if f.anchor == "orphan"]
        assert orphans
        assert cell(app, orphans[0], "status") == "orphan"
        shown = app.review_screen.letter.spans_crossing(
            0, len(app.review_screen.letter.letter_text)
        )
        assert shown and all(i not in orphans for *_, i in shown)


# -- layout and inert text -------------------------------------------------------------------------


async def test_stacked_layout_below_100_columns(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        assert app.screen.has_class("-stacked")
        assert app.review_screen.letter.region.y < app.review_screen.table.region.y
        assert app.review_screen.letter.region.width == app.review_screen.table.region.width
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        assert not app.screen.has_class("-stacked")
        assert app.review_screen.letter.region.x < app.review_screen.table.region.x
        await pilot.resize_terminal(90, 30)
        await pilot.pause()
        assert app.screen.has_class("-stacked")
        assert not app.screen.has_class("-side")


@pytest.mark.parametrize(("width", "layout"), [(80, "-stacked"), (99, "-stacked"), (100, "-side")])
async def test_the_screen_is_made_with_its_layout_and_styled_once(
    letter, make_app, monkeypatch, width, layout
):
    """The review screen starts with the layout class of the terminal's width, so the
    breakpoint check of the first resize changes nothing and the screen is styled once."""
    from textual.dom import DOMNode

    from reviewer.tui.screens.review import ReviewScreen

    styled: list[DOMNode] = []
    original = DOMNode.update_node_styles

    def spy(node: DOMNode, animate: bool = True) -> None:
        styled.append(node)
        original(node, animate)

    monkeypatch.setattr(DOMNode, "update_node_styles", spy)
    app = make_app(letter)
    async with app.run_test(size=(width, 30)) as pilot:
        await started(app, pilot)
        assert app.screen.classes >= {layout}
        assert not app.screen.classes & ({"-side", "-stacked"} - {layout})
    assert sum(isinstance(node, ReviewScreen) for node in styled) == 1


HOSTILE = (
    "[@click=app.quit] click me [/bold] and [b]bold[/b] "
    "\x1b]0;pwned\x07 title \x1b[2J clear \x9b31m c1 \x00 nul \u202e bidi."
)


async def test_markup_and_control_characters_are_inert(copy_letter, make_app):
    path = copy_letter()
    text = path.read_text(encoding="utf-8")
    anchor = "Staff workloads are manageable"
    # the hostile text inside a finding; NUL only after the first 8 KB (else it is "binary")
    body = text.replace(anchor, HOSTILE.replace("\x00", "") + " " + anchor)
    body += "\n\nFiller paragraph for length. " * 300 + "\nTail \x00 " + HOSTILE + "\n"
    path.write_bytes(body.encode("utf-8"))
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        i = next(i for i, f in enumerate(app.session.findings) if "[@click" in f.text)
        await pilot.press(*["j"] * i)
        assert app.review_screen.controller.current == i
        preview = cell(app, i, "text")
        assert preview.startswith("[@click=app.quit] click")
        assert (
            "\x1b" not in app.review_screen.letter.text
            and "\x9b" not in app.review_screen.letter.text
        )
        assert "\x00" not in app.review_screen.letter.text
        assert "␛]0;pwned" in app.review_screen.letter.text
        await pilot.click("#findings", offset=(40, 2 + i))  # on the "[@click=app.quit]" cell
        assert app.is_running and app.review_screen.controller.current == i
        await pilot.press("n", *"[/bold] [@click=app.quit]", "enter")
        assert app.session.findings[i].note == "[/bold] [@click=app.quit]"
        await pilot.press("e")
        editor_text = app.screen.query_one("#editor").text
        assert "\x1b" not in editor_text
        await pilot.press("escape", "M")
        app.screen.query_one("#field-authority").value = "[/bold] \x1b[2J"
        await pilot.press("ctrl+s")
        await pilot.pause()
        svg = app.export_screenshot()
        assert "\x1b" not in svg and "\x9b" not in svg
        assert app.is_running


async def test_crlf_letter_offsets_map_to_view(copy_letter, make_app):
    path = copy_letter("constructed_cp1252_crlf.txt")
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        lm = app.review_screen.letter.line_map
        lines = app.review_screen.letter.text.split("\n")
        assert "\r" not in app.review_screen.letter.text
        for f in app.session.findings:
            row, col = lm.location(f.start)
            assert lines[row][col] == app.session.display_text[f.start]
            assert lm.offset((row, col)) == f.start
        await pilot.press("j")
        assert app.review_screen.letter.cursor_offset == app.session.findings[1].start


# -- the crash journal, debounced ---------------------------------------------------------------


async def test_journal_written_at_most_max_wait_after_a_burst(letter, make_app):
    app = make_app(letter)
    app.AUTOSAVE_DELAY, app.AUTOSAVE_MAX_WAIT = 0.3, 0.6
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        written_during_burst = False
        for k in range(12):  # a change every 0.1 s for 1.2 s: the delay never elapses
            await pilot.press("3" if k % 2 else "1")
            await pilot.pause(0.1)
            written_during_burst |= app.session.journal.exists()
        assert written_during_burst  # the max wait forced a write


async def test_save_cancels_the_pending_journal(letter, make_app):
    app = make_app(letter)
    app.AUTOSAVE_DELAY = 0.2
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("3", "ctrl+s")
        assert not app.review_screen.journal_pending
        await pilot.pause(0.4)
        assert not app.session.journal.exists()


async def test_unclean_end_writes_the_pending_journal(letter, make_app):
    app = make_app(letter)
    app.AUTOSAVE_DELAY = app.AUTOSAVE_MAX_WAIT = 60.0  # pending at the end, however slow
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("4")
        assert app.review_screen.journal_pending
        app.exit()  # not through quit: as if the app stopped on an error
    again = ReviewSession.open(letter)
    try:
        assert again.report.journal_available
        again.restore_journal()
        assert again.findings[0].category == "priority_action"
    finally:
        again.close()


# -- themes ----------------------------------------------------------------------------------------


async def test_themes_modal_toggles_and_undoes(letter, make_app):
    from reviewer.segment.topics import load_taxonomy

    taxonomy = load_taxonomy()
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        before = app.session.findings[0].themes
        await pilot.press("t")
        assert isinstance(app.screen, ThemesModal)
        chooser = app.screen.query_one("#themes")
        assert set(chooser.selected) == set(before)
        await pilot.press("space")  # the first theme flips
        await pilot.press("enter")
        assert not isinstance(app.screen, ThemesModal)
        first = taxonomy.themes[0].id
        after = app.session.findings[0].themes
        assert (first in after) != (first in before)
        shown = cell(app, 0, "themes")
        if after:
            assert shown.startswith(taxonomy.label_of(after[0])[:4])
        else:
            assert shown == ""
        await pilot.press("u")
        assert app.session.findings[0].themes == before
        await pilot.press("t", "escape")  # cancel changes nothing
        assert app.session.findings[0].themes == before


async def test_a_themes_own_key_ticks_it_in_one_press(letter, make_app):
    from reviewer.segment.topics import load_taxonomy

    taxonomy = load_taxonomy()
    seventh, tenth = taxonomy.themes[6].id, taxonomy.themes[9].id
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        before = set(app.session.findings[0].themes)
        await pilot.press("t")
        assert "7 " in str(app.screen.query_one("#themes").get_option_at_index(6).prompt)
        await pilot.press("7", "a", "enter")  # the seventh theme, and the tenth ("a")
        after = set(app.session.findings[0].themes)
        assert after == before ^ {seventh, tenth}


# -- promote a paragraph ------------------------------------------------------------------------


async def test_promote_paragraph_under_letter_cursor(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        s = app.session
        para = next(
            seg
            for seg in s.segments
            if seg.kind == "paragraph"
            and s.finding_at(seg.start) is None
            and seg.end - seg.start > 40
        )
        await pilot.press("p")  # letter cursor on a finding: a warning, nothing added
        assert len(s.findings) == 14
        await pilot.press("tab")
        app.review_screen.letter.show_offset(para.start + 5)
        await pilot.pause()
        await pilot.press("p")
        assert isinstance(app.screen, CategoryModal)
        assert len(s.findings) == 14
        await pilot.press("3")
        assert len(s.findings) == 15
        f = s.findings[app.review_screen.controller.current]
        assert (f.start, f.status, f.category) == (para.start, "added", "development")


# -- reports ---------------------------------------------------------------------------------------


async def test_report_header_judgements_and_category_keys(report_letter, make_app):
    app = make_app(report_letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        assert app.scheme.id == "ofsted_ilacs"
        header = app.review_screen.query_one("#header")
        assert header.size.height == 2
        text = str(header.render())
        assert "Overall: Requires improvement" in text
        assert "Leaders: Requires improvement" in text
        assert "Looked after: Good" in text
        await pilot.press("3")
        assert app.session.findings[0].category == "weakness"
        await pilot.press("g", "2")
        assert app.session.findings[0].category == "strength"


async def test_report_metadata_form_edits_judgements(report_letter, make_app):
    app = make_app(report_letter)
    async with app.run_test(size=(120, 50)) as pilot:
        await started(app, pilot)
        await pilot.press("M")
        form = app.screen
        assert isinstance(form, MetadataModal)
        assert not form.query("#field-no_priority_actions")  # a letters-only field
        assert not form.query("#field-letter_date") and not form.query("#field-copy_to")
        assert form.sheet.framework.id == "sif"
        shown = [r.id for r in form.query(".judgement") if r.display]
        assert "judgement-lscb" in shown and "judgement-children_in_care" not in shown
        leaders = form.query_one("#judgement-leaders")
        assert "Requires improvement to be good" in str(leaders.render())
        form.query_one("#judgement-overall_effectiveness").focus()
        await pilot.press("1")  # Outstanding, and on to the next judgement
        assert form.focused is form.query_one("#judgement-help_and_protection")
        await pilot.press("0")  # none
        leaders.focus()
        await pilot.press("2")
        assert "Good" in str(leaders.render())
        await pilot.press("ctrl+s")
        assert not isinstance(app.screen, MetadataModal)
        assert app.session.review.letter["judgements"] == {
            "overall_effectiveness": "Outstanding",
            "leaders": "Good",
            "children_looked_after": "Good",
        }
        assert "Overall: Outstanding" in str(app.review_screen.query_one("#header").render())
        await pilot.press("u")
        assert app.session.review.letter["judgements"]["leaders"] == (
            "Requires improvement to be good"
        )


async def test_report_form_switches_framework_keeping_shared_grades(report_letter, make_app):
    from textual.widgets import Select

    app = make_app(report_letter)
    async with app.run_test(size=(120, 50)) as pilot:
        await started(app, pilot)
        await pilot.press("M")
        form = app.screen
        form.query_one("#framework", Select).value = "ilacs_2023"
        await pilot.pause()
        shown = [r.id for r in form.query(".judgement") if r.display]
        assert shown[:5] == [
            "judgement-overall_effectiveness",
            "judgement-leaders",
            "judgement-help_and_protection",
            "judgement-children_in_care",
            "judgement-care_leavers",
        ]
        assert "judgement-children_looked_after" in shown  # the report holds it: still shown
        form.query_one("#judgement-children_in_care").focus()
        await pilot.press("4")
        await pilot.press("ctrl+s")
        grades = app.session.review.letter["judgements"]
        assert grades["children_in_care"] == "Inadequate"
        assert grades["leaders"] == "Requires improvement to be good"


async def test_council_chosen_by_typing_part_of_its_name(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=(120, 50)) as pilot:
        await started(app, pilot)
        await pilot.press("M")
        form = app.screen
        council = form.query_one("#field-council")
        assert council.value == "Hartlepool"
        assert "LA 805" in str(form.query_one("#council-chosen").render())
        council.focus()
        await pilot.press("ctrl+u", *"nottinghamshre")  # a slip in the typing
        await pilot.press("enter")
        assert not isinstance(app.screen, MetadataModal)
        letter_keys = app.session.review.letter
        assert letter_keys["authority"] == "Hartlepool Borough Council"  # as written
        assert (letter_keys["authority_name"], letter_keys["la_code"]) == ("Nottinghamshire", "891")
        assert letter_keys["gss_code"] == "E10000024"
        await pilot.press("M")
        form = app.screen
        form.query_one("#field-council").focus()
        await pilot.press("ctrl+u", *"nott", "down")  # Nottingham, then Nottinghamshire
        assert "Nottinghamshire" in str(form.query_one("#council-chosen").render())
        await pilot.press("up", "enter")
        assert app.session.review.letter["la_code"] == "892"  # Nottingham
        await pilot.press("M")
        form = app.screen
        form.query_one("#field-council").focus()
        await pilot.press("ctrl+u", *"zzzz", "enter")
        assert app.screen is form  # stays open, saying why
        assert "no council in the register matches 'zzzz'" in str(
            form.query_one("#form-error").render()
        )


async def test_letter_metadata_form_has_no_judgements(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        assert app.review_screen.query_one("#header").size.height == 1
        await pilot.press("M")
        assert not app.screen.query(".judgement")
        assert app.screen.query("#field-no_priority_actions")
        app.screen.query_one("#field-authority").value = "Somewhere"
        await pilot.press("ctrl+s")
        assert "judgements" not in app.session.review.letter
        assert app.session.review.letter["authority"] == "Somewhere"


# -- the queue -------------------------------------------------------------------------------------


@pytest.fixture
def queue_dir(copy_letter):
    for name in (
        "hartlepool_2011-03_ucra.txt",
        "middlesbrough_2010-01_ucra.txt",
        "constructed_priority_action.txt",
    ):
        copy_letter(name)
    return copy_letter().parent


def header_text(app) -> str:
    return str(app.review_screen.query_one("#header").render())


async def test_queue_next_previous_and_progress(queue_dir, make_queue_app):
    app = make_queue_app([queue_dir])
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        names = [i.letter.name for i in app.queue.items]
        assert names == sorted(names)
        assert app.session.letter.path.name == names[0]
        assert "letter 1 of 3 · 0 findings reviewed" in header_text(app)
        await pilot.press("space", "space", "ctrl+s")
        first_lock = app.session.lock
        await pilot.press("right_square_bracket")
        await letter_opened(pilot, 1)
        assert app.session.letter.path.name == names[1]
        assert first_lock is not None and not first_lock.path.exists()  # released
        assert "letter 2 of 3 · 2 findings reviewed" in header_text(app)
        assert app.review_screen.table.row_count == len(app.session.findings)
        assert app.review_screen.controller.current == 0
        await pilot.press("left_square_bracket")
        await letter_opened(pilot, 0)
        assert app.session.letter.path.name == names[0]
        assert app.session.reviewed_count == 2
        await pilot.press("left_square_bracket")  # already the first
        assert any("first letter" in m for m in app.said)


async def test_queue_asks_before_leaving_unsaved_work(queue_dir, make_queue_app):
    app = make_queue_app([queue_dir], settings=Settings(save_on_move=False))
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        first = app.session.letter.path
        await pilot.press("3", "right_square_bracket")
        assert isinstance(app.screen, QuestionModal)
        await pilot.press("c")  # cancel: stay, still unsaved
        assert app.session.letter.path == first and app.session.dirty
        await pilot.press("right_square_bracket", "d")  # discard
        await letter_opened(pilot, 1)
        assert app.session.letter.path != first
        assert not first.with_name(first.stem + ".review.toml").exists()
        assert "0 findings reviewed" in header_text(app)
        await pilot.press("4", "left_square_bracket", "s")  # save and go
        await letter_opened(pilot, 0)
        assert app.session.letter.path == first
        assert "1 finding reviewed" in header_text(app)


async def test_queue_complete_hint_and_resume_at_first_unfinished(queue_dir, make_queue_app):
    app = make_queue_app([queue_dir])
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        done = app.session.letter.path
        await pilot.press("c")
        assert any("for the next letter" in m for m in app.said)
        await pilot.press("ctrl+s")
        assert "1 complete" in header_text(app)
    again = make_queue_app([queue_dir])
    assert again.session.letter.path != done
    assert again.queue.index == 1


async def test_queue_skips_a_letter_that_cannot_be_opened(queue_dir, make_queue_app):
    (queue_dir / "i_broken.txt").write_bytes(b"")  # empty: not a letter
    app = make_queue_app([queue_dir])
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        names = [i.letter.name for i in app.queue.items]
        assert names.index("i_broken.txt") == 2
        await pilot.press("right_square_bracket")
        await letter_opened(pilot, 1)
        await pilot.press("right_square_bracket")
        await letter_opened(pilot, 3)
        assert any("empty" in m for m in app.said)
        assert app.is_running


async def test_queue_switches_scheme_and_keys(letter, report_letter, make_queue_app):
    app = make_queue_app([letter, report_letter])
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("4")
        assert app.session.findings[0].category == "priority_action"
        await pilot.press("ctrl+s", "right_square_bracket")
        await letter_opened(pilot, 1)
        assert app.scheme.id == "ofsted_ilacs"
        assert "Overall:" in header_text(app)
        await pilot.press("3")
        assert app.session.findings[0].category == "weakness"
        await pilot.press("4")  # no fourth category in reports
        assert app.session.findings[0].category == "weakness"


async def test_queue_keys_hidden_without_a_queue(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        assert app.check_action("next_letter", ()) is False
        await pilot.press("right_square_bracket")
        assert app.is_running


# -- the table's width ----------------------------------------------------------------------------


async def test_text_column_takes_the_rest_and_follows_resize(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        table = app.review_screen.table

        def used() -> int:
            return sum(w + 1 for w in table.widths().values())  # a space after each column

        room = table.scrollable_content_region.width
        assert room - 1 <= used() <= room  # the columns take the whole row
        wide = table.widths()["text"]
        await pilot.resize_terminal(160, 40)
        await pilot.pause()
        assert table.widths()["text"] > wide
        assert table.scrollable_content_region.width - 1 <= used()
        assert used() <= table.scrollable_content_region.width
        assert cell(app, 0, "text").startswith("Child protection concerns")


# -- command line --------------------------------------------------------------------------------


def test_cli_open_errors_are_one_line(tmp_path, capsys):
    assert cli.main(["open", str(tmp_path / "missing.txt")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no such file" in err[0]


def test_cli_broken_review_suggests_fresh(letter, capsys, monkeypatch):
    broken = letter.with_name(letter.stem + ".review.toml")
    broken.write_text("this is = = not toml\n")
    assert cli.main(["open", str(letter)]) == 2
    err = capsys.readouterr().err
    assert "--fresh" in err and "not valid TOML" in err
    assert len(err.strip().splitlines()) == 1
    assert "line 1, column" in err
    ran = []
    monkeypatch.setattr(ReviewApp, "run", lambda self: ran.append(self.session))
    assert cli.main(["open", str(letter), "--fresh"]) == 0
    assert ran and ran[0].review_path.name.endswith(".new1.toml")
    assert ran[0].report.broken_review == str(broken)
    ran[0].close()


def test_cli_bad_keymap_is_one_line(letter, capsys, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('"finding.nothing" = "z"\n')
    assert cli.main(["open", str(letter), "--keymap", str(bad)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "bad.toml" in err[0]


def test_cli_without_letter_uses_sample_and_cwd(tmp_path, monkeypatch):
    from reviewer.bundled import sample_letter

    assert sample_letter().is_file()
    monkeypatch.chdir(tmp_path)
    ran = []
    monkeypatch.setattr(ReviewApp, "run", lambda self: ran.append(self.session))
    assert cli.main(["open"]) == 0
    assert ran[0].review_path == Path(tmp_path) / "hartlepool_2011-03_ucra.review.toml"
    ran[0].close()


def test_cli_open_folder_runs_a_queue(queue_dir, monkeypatch):
    ran = []
    monkeypatch.setattr(ReviewApp, "run", lambda self: ran.append(self))
    assert cli.main(["open", str(queue_dir)]) == 0
    app = ran[0]
    assert app.queue is not None and len(app.queue) == 3
    assert app.session.letter.path == app.queue.items[0].letter
    app.session.close()


def test_cli_queue_rejects_output_and_empty_folder(queue_dir, tmp_path, capsys):
    assert cli.main(["open", str(queue_dir), "-o", str(tmp_path / "x.toml")]) == 2
    assert "--output" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli.main(["open", str(empty)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no letters found" in err[0]


def test_cli_report_gets_its_own_category_keys(report_letter, monkeypatch):
    ran = []
    monkeypatch.setattr(ReviewApp, "run", lambda self: ran.append(self))
    assert cli.main(["open", str(report_letter)]) == 0
    app = ran[0]
    assert app.keymap["finding.category.improvement"] == "1"
    assert app.keymap["finding.category.strength"] == "2"
    app.session.close()


async def test_long_review_fills_every_row_after_the_first_screen(tmp_path, make_app):
    """A review of hundreds of findings shows its first rows at once and all rows after."""
    bullets = "\n".join(
        f"- Finding number {n} is about recording and timeliness." for n in range(300)
    )
    text = (
        "Dear Ms Example\n\nAnnual unannounced inspection of contact, referral and assessment "
        "arrangements within Testshire County Council children's services\n\n"
        f"Strengths\n\n{bullets}\n"
    )
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.review_screen.table
        assert table.row_count == 300
        await pilot.press("G")
        await pilot.pause()
        assert table.cursor_row == 299
        await pilot.press("3")
        await pilot.pause()
        assert app.session.findings[299].category == "development"
        # up and down move the finding, not only the view, however long the table
        await pilot.press("g", *["down"] * 60)
        await pilot.pause()
        assert app.review_screen.controller.current == table.cursor_row == 60
        top = table.scroll_offset.y
        assert top < 60 < top + table.scrollable_content_region.height
        await pilot.press("up")
        assert app.review_screen.controller.current == 59
        assert table.cell(299, "text").startswith("Finding number 299")


async def test_rebound_from_letter_selection(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        f = app.session.findings[0]
        await pilot.press("tab")
        app.review_screen.letter.show_offset(f.start)
        await pilot.pause()
        sentence = "Child protection concerns are responded to promptly"
        for _ in range(len(sentence)):
            await pilot.press("shift+right")
        await pilot.press("b")
        g = app.session.findings[0]
        assert (g.start, g.end, g.text) == (f.start, f.start + len(sentence), sentence)
        assert g.status == "corrected"
        assert app.review_screen.table.row_count == 14
        await pilot.press("u")
        assert app.session.findings[0] == f


async def test_search_next_goes_on_from_findings_into_the_letter(copy_letter, make_app):
    app = make_app(copy_letter("middlesbrough_2010-01_ucra.txt"))
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        text = app.session.text
        in_letter = text.index("supervision files and notes")  # no finding holds this one
        app.last_search = "supervision"
        seen = []
        for _ in range(text.lower().count("supervision") + 1):
            await pilot.press("f3")
            await pilot.pause()
            seen.append(app.review_screen.search_at)
        assert in_letter in seen
        assert seen[-1] == seen[0]  # wrapped round to the first match again


async def test_resize_keeps_the_current_finding_in_the_letter(copy_letter, make_app):
    app = make_app(copy_letter("constructed_priority_action.txt"))
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        for _ in range(6):
            await pilot.press("j")
        f = app.session.findings[app.review_screen.controller.current]
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        top = app.review_screen.letter.scroll_offset.y
        assert (
            top
            <= app.review_screen.letter.rows.row_of(f.start)
            < top + app.review_screen.letter.size.height
        )
