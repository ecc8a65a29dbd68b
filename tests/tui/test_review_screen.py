"""The review screen's details a user meets: split at a search hit, the search's last query,
keys before the first paint, the add dialog's categories, the unknown-family warning, queue
progress that fits, whole category labels, the details form, themes remembered; one undo for
the themes dialog, and the widgets following the controller's state."""

from __future__ import annotations

import shutil
import tomllib

from textual import events

from reviewer import settings as config
from reviewer.review.details import GradeSheet, judgements_line
from reviewer.review.session import ReviewSession
from reviewer.segment.scheme import Judgement, load_scheme
from reviewer.tui.app import ReviewApp, queue_progress
from reviewer.tui.screens.edit import TextEditModal
from reviewer.tui.screens.metadata import MetadataModal
from reviewer.tui.screens.search import SearchScreen
from reviewer.tui.screens.topics import ThemesModal
from reviewer.tui.widgets import FindingsTable, LetterView, ReviewHeader
from reviewer.tui.widgets.header import family_details
from tests.waiting import letter_opened, started, wait_until

SIZE = (120, 40)


# -- 13: split at a search hit, search replaces the last query ------------------------------------


async def test_split_at_a_search_hit_splits_at_the_match_start(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        f = app.session.findings[0]
        word = "Agencies demonstrate"
        hit = app.session.text.index(word, f.start)
        assert f.start < hit < f.end
        await pilot.press("slash", *word, "enter")
        await pilot.pause()
        assert app.review_screen.letter.selected_span == (hit, hit + len(word))
        await pilot.press("s")
        first, second = app.session.findings[0], app.session.findings[1]
        assert second.text.startswith("Agencies demonstrate")
        assert first.end <= hit <= second.start


async def test_search_prefills_the_last_query_selected_so_typing_replaces_it(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("slash", *"Freshford", "enter")
        await pilot.pause()
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one("#search-query").value == "Freshford"
        await pilot.press(*"records")
        assert app.screen.query_one("#search-query").value == "records"


# -- 14: keys typed while a letter loads ---------------------------------------------------------


async def test_keys_typed_before_the_first_paint_do_nothing(letter):
    session = ReviewSession.open(letter)

    class TypedEarly(ReviewApp):
        def on_mount(self) -> None:
            for _ in range(3):  # in the queue before the letter is painted, as typed keys are
                self.post_message(events.Key("x", "x"))

    app = TypedEarly(session, "default", user_keymap=False)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await started(pilot)
            assert len(app.session.findings) == 14
            await pilot.press("x")  # once it is shown, keys work
            assert len(app.session.findings) == 13
    finally:
        session.close()


# -- 15: a new finding's category is asked -------------------------------------------------------


async def test_add_asks_for_the_category_with_the_scheme_keys(report_letter, make_app):
    app = make_app(report_letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        s = app.session
        text = s.text
        para = next(
            seg
            for seg in s.segments
            if seg.kind == "paragraph" and s.finding_at(seg.start) is None and seg.end > seg.start
        )
        before = len(s.findings)
        reviewed = s.reviewed_count
        await pilot.press("tab")
        app.review_screen.letter.show_offset(para.start, para.end)
        await pilot.pause()
        await pilot.press("a")
        shown = " ".join(str(o.prompt) for o in app.screen.query_one("#categories").options)
        for c in s.scheme.categories:
            assert c.label in shown
        assert len(s.findings) == before and s.reviewed_count == reviewed
        await pilot.press("3")  # weakness, in a report
        assert len(s.findings) == before + 1
        assert s.findings[app.review_screen.controller.current].category == "weakness"
        assert s.reviewed_count == reviewed + 1
        assert text  # the letter text is unchanged by adding


# -- 16: a file that fits no known family --------------------------------------------------------


async def test_a_file_of_no_known_family_says_so_in_the_header_while_open(tmp_path, make_app):
    path = tmp_path / "notes.txt"
    path.write_text("name,count\nalpha,1\nbeta,2\n" * 20, encoding="utf-8")
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert "no known document family" in str(app.review_screen.query_one("#header").render())
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: any(m.startswith("Saved") for m in app.said), "the save")
        assert "no known document family" in str(
            app.review_screen.query_one("#header").render()
        )  # not only a toast
    again = make_app(path)  # resumed from its saved review: still said
    async with again.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert "no known document family" in str(again.review_screen.query_one("#header").render())


async def test_a_letter_of_a_known_family_has_no_such_warning(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert "no known" not in str(app.review_screen.query_one("#header").render())


# -- 19: small things ----------------------------------------------------------------------------


def test_queue_progress_is_shortened_to_fit_never_cut(copy_letter):
    from reviewer.review.queue import LetterQueue

    for name in ("hartlepool_2011-03_ucra.txt", "middlesbrough_2010-01_ucra.txt"):
        copy_letter(name)
    queue = LetterQueue.from_paths([copy_letter().parent])
    full = queue_progress(queue, 200)
    assert full == "letter 1 of 2 · 0 findings reviewed · 0 complete"
    for width in range(3, len(full)):
        text = queue_progress(queue, width)
        assert len(text) <= width and "…" not in text
        assert text.startswith(("letter 1 of 2", "1/2"))


async def test_queue_progress_whole_at_120_columns(copy_letter, make_queue_app):
    for name in ("hartlepool_2011-03_ucra.txt", "middlesbrough_2010-01_ucra.txt"):
        copy_letter(name)
    app = make_queue_app([copy_letter().parent])
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        first_line = str(app.review_screen.query_one("#header").render()).splitlines()[0]
        assert "fi…" not in first_line
        assert "1/2" in first_line or "letter 1 of 2" in first_line


async def test_category_column_shows_whole_labels_when_wide(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=(200, 40)) as pilot:
        await started(pilot)
        await pilot.press("3")
        assert app.review_screen.table.cell(0, "category") == "Area for development"
        await pilot.resize_terminal(100, 40)
        await pilot.pause()
        assert app.review_screen.table.cell(0, "category") == "Development"  # short, never cut


async def test_metadata_error_does_not_cover_the_fields(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.press("M")
        form = app.screen
        assert isinstance(form, MetadataModal)
        form.query_one("#field-letter_date").value = "not a date"
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = form.query_one("#form-error")
        assert "not a date" in str(error.render())
        assert error.region.height >= 1
        scroll = form.query_one("#form").region
        assert not error.region.overlaps(scroll)


async def test_theme_chosen_is_remembered(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.theme = "nord"
        await pilot.pause()
    saved = tomllib.loads(config.settings_path().read_text(encoding="utf-8"))
    assert saved["theme"] == "nord"
    again = make_app(letter)
    async with again.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert again.theme == "nord"


async def test_topics_dialog_marks_ticked_rows_with_a_mark(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("t")
        assert isinstance(app.screen, ThemesModal)
        chooser = app.screen.query_one("#themes")
        ticked = set(chooser.selected)

        def marks() -> dict[str, str]:
            out = {}
            for i in range(chooser.option_count):
                option = chooser.get_option_at_index(i)
                out[option.value] = str(option.prompt)[2:3]  # after the theme's own key
            return out

        assert {v for v, m in marks().items() if m == "✓"} == ticked
        await pilot.press("space")
        first = chooser.get_option_at_index(0).value
        assert (marks()[first] == "✓") == (first in chooser.selected)


async def test_untouched_review_says_not_started(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        header = str(app.review_screen.query_one("#header").render())
        assert "not started" in header and "in progress" not in header
        await pilot.press("space")
        assert "in progress" in str(app.review_screen.query_one("#header").render())


async def test_ctrl_end_then_typing_goes_at_the_end_of_the_text(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("e")
        assert isinstance(app.screen, TextEditModal)
        editor = app.screen.query_one("#editor")
        await pilot.press("ctrl+end", *" Z")
        assert editor.text.endswith(" Z")
        await pilot.press("ctrl+home", "A")
        assert editor.text.startswith("A")


# -- the metadata form and header follow the family ----------------------------------------------


async def test_metadata_form_edits_a_familys_own_keys(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("M")
        assert not app.screen.query("#field-visit_focus")  # a letter without them: no such rows
        await pilot.press("escape")
        app.session.set_metadata(
            {"visit_focus": "the front door", "recipients": ["A Person", "B Person"]}
        )
        await pilot.press("M")
        form = app.screen
        assert form.query_one("#field-visit_focus").value == "the front door"
        assert form.query_one("#field-recipients").value == "A Person; B Person"
        form.query_one("#field-recipients").value = "A Person; C Person"
        await pilot.press("ctrl+s")
        letter_keys = app.session.review.letter
        assert letter_keys["recipients"] == ["A Person", "C Person"]
        assert letter_keys["visit_focus"] == "the front door"


def test_judgements_listed_from_the_scheme():
    scheme = load_scheme("ofsted_ilacs")
    own = type(scheme)(
        scheme.id,
        scheme.label,
        scheme.categories,
        judgements=(
            Judgement("overall", "Overall grade"),
            Judgement("safety", "Keeping safe", short="Safety"),
        ),
    )
    line = judgements_line({"extra": "Good", "safety": "Inadequate", "overall": "Good"}, own)
    assert line == "Overall grade: Good · Safety: Inadequate · Extra: Good"
    sheet = GradeSheet({}, own)
    assert [(k, sheet.label(k)) for k in sheet.keys] == [
        ("overall", "Overall grade"),
        ("safety", "Keeping safe"),
    ]
    assert GradeSheet({"judgements": {"extra": "Good"}}, own).keys[-1] == "extra"
    # a scheme without a list: the judgements the document holds, by their keys' words
    plain = type(scheme)(scheme.id, scheme.label, scheme.categories)
    assert GradeSheet({}, plain).keys == []
    held = GradeSheet({"judgements": {"overall_effectiveness": "Good"}}, plain)
    assert [(k, held.label(k)) for k in held.keys] == [
        ("overall_effectiveness", "Overall effectiveness")
    ]


def test_header_details_of_each_family():
    import datetime as dt

    focused = family_details(
        {
            "visit_focus": "arrangements for children in need and those subject to a plan",
            "inspection_dates": [dt.date(2019, 3, 12), dt.date(2019, 3, 13)],
        },
        load_scheme("ofsted_focused_visit"),
    )
    assert focused.startswith("Visit 12-13 March 2019 · Focus: arrangements")
    send = family_details(
        {"outcome": "The local area partnership's arrangements " * 5},
        load_scheme("ofsted_send_area"),
    )
    assert send.startswith("Outcome: The local area") and send.endswith("…")
    assert len(send) < 90
    jtai = family_details(
        {"recipients": ["A", "B"], "authority": "Northdale"}, load_scheme("ofsted_jtai")
    )
    assert jtai == "Area: Northdale"
    assert family_details({"authority": "Northdale"}, load_scheme("ofsted_ucra")) == ""
    assert family_details({"authority": "Northdale"}, None) == ""


def test_config_keeps_other_settings_and_refuses_to_overwrite_a_broken_file(tmp_path):
    path = config.settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('reviewer = "Ann"\ntheme = "x"\n', encoding="utf-8")
    config.remember("theme", "nord")
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {"reviewer": "Ann", "theme": "nord"}
    path.write_text("not = [toml", encoding="utf-8")
    try:
        config.remember("theme", "dracula")
    except config.SettingsError as err:
        assert "not valid TOML" in str(err)
    else:
        raise AssertionError("a broken config file was overwritten")
    assert path.read_text(encoding="utf-8") == "not = [toml"
    shutil.rmtree(path.parent)
    assert config.load_settings().theme == ""


# -- one screen per letter, widgets that speak for themselves -----------------------------------


async def test_queue_moves_by_switching_screens(copy_letter, make_queue_app):
    for name in ("hartlepool_2011-03_ucra.txt", "middlesbrough_2010-01_ucra.txt"):
        copy_letter(name)
    app = make_queue_app([copy_letter().parent])
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        first = app.review_screen
        await pilot.press("right_square_bracket")
        await letter_opened(pilot, 1)
        second = app.review_screen
        assert second is not first and second.session is app.session
        assert first not in app.screen_stack and app.screen is second
        assert second.table.row_count == len(app.session.findings)


async def test_widgets_post_their_own_messages(letter, make_app):
    seen: list[object] = []
    app = make_app(letter)
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await started(pilot)
        await pilot.click("#findings", offset=(5, 4))  # the header line, then rows 0, 1, 2
        await pilot.pause()
        moved = [m for m in seen if isinstance(m, FindingsTable.FindingHighlighted)]
        assert moved and moved[-1].index == 2 and app.review_screen.controller.current == 2
        await pilot.press("tab", "down")
        await pilot.pause()
        assert any(isinstance(m, LetterView.CursorMoved) for m in seen)


# -- the screen as a view of its controller ------------------------------------------------------


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
