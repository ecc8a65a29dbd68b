"""The queue overview: what each letter is (describe), and the screen that lists them."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from reviewer.review import annotation
from reviewer.review import queue as queue_module
from reviewer.review.council import council_of
from reviewer.review.queue import (
    NOT_STARTED,
    LetterQueue,
    QueueItem,
    describe,
    read_item,
)
from reviewer.review.session import ReviewSession
from reviewer.segment.scheme import SchemeError, parse_scheme
from reviewer.settings import Settings
from reviewer.tui.app import NO_QUEUE, ReviewCommands, queue_progress
from reviewer.tui.screens import overview as overview_module
from reviewer.tui.screens.confirm import QuestionModal
from reviewer.tui.screens.overview import (
    COLUMNS,
    OverviewScreen,
    cells,
    matches,
    plan_columns,
    sort_key,
)
from tests.waiting import letter_opened, started, wait_until

SIZE = (120, 40)
NAMES = (
    "hartlepool_2011-03_ucra.txt",
    "middlesbrough_2010-01_ucra.txt",
    "constructed_priority_action.txt",
)
NAMES_SORTED = sorted(NAMES)  # the queue's order


@pytest.fixture
def queue_dir(copy_letter):
    for name in NAMES:
        copy_letter(name)
    return copy_letter().parent


async def open_overview(app, pilot) -> OverviewScreen:
    await pilot.press("O")
    await wait_until(pilot, lambda: every_letter_read(app), "the overview with every letter read")
    screen = app.screen
    assert isinstance(screen, OverviewScreen)
    return screen


def every_letter_read(app) -> bool:
    """The overview is up and its worker has read every letter of the queue into it."""
    return isinstance(app.screen, OverviewScreen) and all(
        item.described for item in app.queue.items
    )


def files(screen: OverviewScreen) -> list[str]:
    return [screen.queue.items[i].letter.name for i in screen.shown]


# -- describe: pure ------------------------------------------------------------------------------


def test_describe_reads_and_segments_a_letter_without_a_review(copy_letter):
    path = copy_letter("hartlepool_2011-03_ucra.txt")
    item = read_item(path)
    assert not item.described and item.family == ""
    found = describe(item)
    assert found is not item and not item.described  # the item given is left as it was
    assert found.described and found.family == "Unannounced"
    assert "hartlepool" in found.authority.lower()
    assert dt.date.fromisoformat(found.date).year == 2011
    assert found.findings > 0 and found.reviewed == 0 and found.status == NOT_STARTED
    assert found.error == ""


def test_describe_an_unreadable_letter_says_why_in_one_line(tmp_path):
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"")
    found = describe(read_item(broken))
    assert found.described and "empty" in found.error and "\n" not in found.error
    assert found.family == "" and found.findings == 0
    not_pdf = tmp_path / "fake.pdf"
    not_pdf.write_text("plain words, not a PDF", encoding="utf-8")
    assert "not a PDF" in describe(read_item(not_pdf)).error


def test_a_saved_review_describes_the_letter_without_segmenting(copy_letter, monkeypatch):
    path = copy_letter("middlesbrough_2010-01_ucra.txt")
    session = ReviewSession.open(path)
    session.save()
    authority = council_of(session.review.letter).name  # the register's, as stats name it
    session.close()

    def no_segmenting(*_args, **_kw):
        raise AssertionError("segmented although the review says what the letter is")

    monkeypatch.setattr(queue_module, "segment_auto", no_segmenting)
    monkeypatch.setattr(queue_module, "read_letter", no_segmenting)
    item = read_item(path)
    assert item.described and item.family == "Unannounced" and item.authority == authority
    assert describe(item).authority == authority


def test_record_reread_and_learn_keep_the_fields_current(queue_dir):
    q = LetterQueue.from_paths([queue_dir])
    q.record(0, "in_progress", 5, 2, letter={"authority": "Northdale"}, scheme="ofsted_jtai")
    first = q.items[0]
    assert (first.family, first.authority, first.reviewed) == ("JTAI", "Northdale", 2)
    q.reread(0)  # left without saving and no review file: what was known stays
    assert q.items[0].authority == "Northdale" and q.items[0].reviewed == 0
    found = describe(q.items[0])
    assert not q.learn(0, found)  # already described by the open letter: kept
    assert q.items[0].authority == "Northdale"
    assert q.learn(1, describe(q.items[1]))
    assert q.items[1].described and q.items[1].family == "Unannounced"
    assert not q.learn(2, describe(q.items[1]))  # another letter's description is refused


def test_an_unknown_scheme_id_is_shown_as_itself(queue_dir):
    q = LetterQueue.from_paths([queue_dir])
    q.record(0, "in_progress", 1, 0, letter={}, scheme="someone_elses_scheme")
    assert q.items[0].family == "someone_elses_scheme"


SCHEME = {
    "id": "mine",
    "label": "A long label for my own family of documents",
    "categories": [{"id": "good", "label": "Good", "key": "g", "colour": "#00ff00", "cues": []}],
}


def test_scheme_short_label_is_validated():
    assert parse_scheme({**SCHEME, "short": "Mine"}, "mine.toml").short == "Mine"
    assert len(parse_scheme(SCHEME, "mine.toml").short) <= 20  # none given: the label's start
    for bad in ("", "   ", 3, "x" * 21):
        with pytest.raises(SchemeError, match="'short'"):
            parse_scheme({**SCHEME, "short": bad}, "mine.toml")


def test_filter_and_sort_of_rows():
    row = {"file": "Hartlepool.txt", "authority": "Hartlepool", "number": "3", "date": ""}
    assert matches("HARTLE", row) and matches("hart 3", row)
    assert matches("hartelpool", row)  # a small typo in a longer word
    assert not matches("middlesbrough", row) and not matches("hart xyz", row)
    by_number = next(c for c in COLUMNS if c.key == "number")
    assert sort_key(by_number, {"number": "10"}) > sort_key(by_number, {"number": "9"})
    by_date = next(c for c in COLUMNS if c.key == "date")
    assert sort_key(by_date, {"date": ""}) > sort_key(by_date, {"date": "2030-01-01"})


def test_cells_are_inert_and_pending_until_described(tmp_path):
    item = QueueItem(tmp_path / "a\x1b[31mb.txt", tmp_path / "a.review.toml")
    row = cells(1, item)
    assert "\x1b" not in row["file"] and row["family"] == "…" and row["findings"] == "…"


# -- the screen ------------------------------------------------------------------------------------


async def test_o_opens_the_overview_with_every_letter_and_the_current_one_chosen(
    queue_dir, make_queue_app
):
    app = make_queue_app([queue_dir])
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("right_square_bracket")
        await letter_opened(pilot, 1)
        screen = await open_overview(app, pilot)
        assert screen.table.row_count == 3
        assert screen.chosen() == 1
        assert "▶ 2" in screen.text
        # rows filled in from the worker: every letter described
        assert all(item.described for item in app.queue.items)
        assert "Unannounced" in screen.text and "…" not in screen.text
        assert "ctrl+o" in str(screen.query_one("#overview-hint").render())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, OverviewScreen)
        assert app.queue.index == 1


async def test_rows_fill_in_from_the_worker_while_the_screen_answers(
    queue_dir, make_queue_app, monkeypatch
):
    gate = threading.Event()

    def slow_describe(item):
        assert gate.wait(120), "the test never let the worker go on"
        return describe(item)

    monkeypatch.setattr(overview_module, "describe", slow_describe)
    app = make_queue_app([queue_dir])
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("O")
        await wait_until(pilot, lambda: isinstance(app.screen, OverviewScreen), "the overview")
        screen = app.screen
        assert isinstance(screen, OverviewScreen)
        pending = [i for i, item in enumerate(app.queue.items) if not item.described]
        assert len(pending) == 2  # the open letter is known; the others wait for the worker
        assert screen.text.count("…") >= 2 * 3  # family, authority, date of each
        await pilot.press(*"middles")  # the screen answers while the letters are read
        assert files(screen) == ["middlesbrough_2010-01_ucra.txt"]
        await pilot.press("ctrl+u")
        assert screen.table.row_count == 3
        gate.set()
        await wait_until(pilot, lambda: every_letter_read(app), "the worker to read every letter")
        assert "…" not in screen.text and screen.text.count("Unannounced") == 3


async def test_typing_filters_and_arrows_move_while_typing(queue_dir, make_queue_app):
    app = make_queue_app([queue_dir])
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = await open_overview(app, pilot)
        await pilot.press(*"ucra")
        assert sorted(files(screen)) == sorted(n for n in NAMES if "ucra" in n)
        await pilot.press("down")
        assert screen.query_one("#overview-filter").has_focus
        assert screen.chosen() == screen.shown[1]
        await pilot.press(*" middles")
        assert files(screen) == ["middlesbrough_2010-01_ucra.txt"]
        await pilot.press(*"zzzz")
        assert screen.table.row_count == 0
        await pilot.press("enter")  # nothing to open: stays
        assert app.screen is screen


async def test_sort_cycles_the_column_and_reverses(queue_dir, make_queue_app):
    app = make_queue_app([queue_dir])
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = await open_overview(app, pilot)
        by_number = files(screen)
        assert by_number == sorted(NAMES)
        await pilot.press("ctrl+r")
        assert files(screen) == by_number[::-1]
        await pilot.press("ctrl+o")  # the file column, ascending again
        assert screen.sort_column.key == "file" and files(screen) == sorted(NAMES)
        await pilot.press("ctrl+o", "ctrl+o")  # family, then authority
        assert screen.sort_column.key == "authority"
        authorities = [app.queue.items[i].authority.casefold() for i in screen.shown]
        assert authorities == sorted(authorities)
        assert "Authority" in str(screen.query_one("#overview-hint").render())
        await pilot.press("ctrl+o")  # date: a letter with none comes last both ways
        assert screen.sort_column.key == "date"
        app.queue.items[1].date = ""
        await pilot.press("ctrl+r")
        assert files(screen)[-1] == app.queue.items[1].letter.name
        dates = [app.queue.items[i].date for i in screen.shown[:-1]]
        assert dates == sorted(dates, reverse=True)
        for _ in COLUMNS:
            await pilot.press("ctrl+o")
        assert screen.sort_column.key != "error"  # the problem column is not a sort


async def test_enter_opens_another_letter_saving_the_dirty_one_first(queue_dir, make_queue_app):
    app = make_queue_app([queue_dir])
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        first = app.session.letter.path
        await pilot.press("3")
        assert app.session.dirty
        screen = await open_overview(app, pilot)
        await pilot.press(*"middlesbrough", "enter")
        await letter_opened(pilot, NAMES_SORTED.index("middlesbrough_2010-01_ucra.txt"))
        assert app.session.letter.path.name == "middlesbrough_2010-01_ucra.txt"
        saved = first.with_name(first.stem + ".review.toml")
        assert saved.exists()
        assert sum(f.reviewed for f in annotation.load(saved).findings) == 1
        assert app.queue.items[screen.shown[0]].letter.name == app.session.letter.path.name
        # the row of the letter left says what was saved
        left = next(i for i in app.queue.items if i.letter == first)
        assert left.reviewed == 1


async def test_from_the_overview_with_asking_the_question_is_asked(queue_dir, make_queue_app):
    app = make_queue_app([queue_dir], settings=Settings(save_on_move=False))
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        first = app.session.letter.path
        await pilot.press("3")
        await open_overview(app, pilot)
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, QuestionModal), "the question")
        await pilot.press("c")
        await pilot.pause()
        assert app.session.letter.path == first and app.session.dirty


async def test_an_unreadable_letter_shows_its_problem_and_cannot_be_opened(
    queue_dir, make_queue_app
):
    (queue_dir / "i_broken.txt").write_bytes(b"")
    app = make_queue_app([queue_dir])
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = await open_overview(app, pilot)
        assert "empty" in screen.text
        await pilot.press(*"i_broken", "enter")
        await wait_until(
            pilot, lambda: any("Cannot open letter" in m for m in app.said), "the refusal"
        )
        assert app.queue.index == 0 and app.session.letter.path == app.queue.items[0].letter
        assert any("Cannot open letter" in m for m in app.said)
        assert app.is_running


async def test_with_one_letter_o_says_why_there_is_no_overview(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("O")
        await pilot.pause()
        assert not isinstance(app.screen, OverviewScreen)
        assert app.said[-1] == NO_QUEUE


async def test_the_overview_is_in_the_palette(queue_dir, make_queue_app):
    app = make_queue_app([queue_dir])
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        provider = ReviewCommands(app.screen)
        entries = provider._entries()
        assert any(action == "queue_overview" and keys == "O" for _t, keys, action in entries)
        await app.run_named_action("queue_overview")
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen)


@pytest.mark.parametrize("width", [80, 120])
async def test_header_progress_is_never_cut_with_long_names(copy_letter, make_queue_app, width):
    long_name = "a-council-with-a-very-long-name-indeed_2011-03-14_unannounced_inspection.txt"
    copy_letter("hartlepool_2011-03_ucra.txt", as_name=long_name)
    for name in NAMES[1:]:
        copy_letter(name, as_name=f"zz-{'long-' * 6}{name}")
    app = make_queue_app([copy_letter(NAMES[1], as_name=f"zz-{'long-' * 6}{NAMES[1]}").parent])
    async with app.run_test(size=(width, 40)) as pilot:
        await started(pilot)
        full = queue_progress(app.queue, 200)
        forms = [queue_progress(app.queue, w) for w in range(len(full), 2, -1)]
        first_line = str(app.header.render()).splitlines()[0]
        parts = first_line.split(" │ ")
        status = next(k for k, part in enumerate(parts) if part in ("not started", "in progress"))
        after = parts[status + 1]
        if after in forms:  # shown: whole, ending inside the header (less its padding)
            assert len(" │ ".join(parts[: status + 2])) <= width - 2
        else:  # no room: left out, not cut
            assert not after.startswith(("letter ", "1/"))
        assert (after in forms) == (width == 120)


def test_a_report_without_a_letter_date_is_dated_by_its_inspection(tmp_path):
    from tests.segment.test_report import SIF

    path = tmp_path / "northdale_2016.txt"
    path.write_text(SIF, encoding="utf-8")
    found = describe(read_item(path))
    assert found.date == "2016-06-02"  # the last day inspectors were there


def test_a_narrow_terminal_gives_up_family_date_and_findings_before_the_status():
    wide, widths = plan_columns(112, 50, 40, 0)
    assert [c.key for c in wide] == [c.key for c in COLUMNS if c.key != "error"]
    assert sum(widths.values()) + 2 * len(wide) <= 112
    narrow, widths = plan_columns(72, 50, 40, 0)
    keys = [c.key for c in narrow]
    assert "family" not in keys and "date" not in keys
    assert keys[-2:] == ["reviewed", "status"]
    assert sum(widths.values()) + 2 * len(narrow) <= 72
    with_problem, _ = plan_columns(112, 50, 40, 25)
    assert with_problem[-1].key == "error"


async def test_at_80_columns_every_row_shows_its_status(queue_dir, make_queue_app):
    app = make_queue_app([queue_dir])
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        screen = await open_overview(app, pilot)
        keys = [str(k.value) for k in screen.table.columns]
        assert "status" in keys and "reviewed" in keys
        shown = sum(c.get_render_width(screen.table) for c in screen.table.columns.values())
        assert shown <= 80 - 6
