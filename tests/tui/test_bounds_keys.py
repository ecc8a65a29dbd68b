"""Moving a finding's edges by keyboard: each key, one undo step, the letter following."""

from __future__ import annotations

import pytest

from reviewer.tui.keymap import load_keymap
from tests.tui.test_decide_and_advance import SIZE, header, started


def highlighted(app) -> str:
    """The letter's text painted as the current finding (bold on its colour), its words
    joined by single spaces, read from the lines the letter view renders."""
    view = app.letter
    f = app.session.findings[app.current]
    first, _ = view.line_map.location(f.start)
    last, _ = view.line_map.location(f.end)
    parts = []
    for row in range(max(0, first - 1), last + 2):
        line = view.get_line(row)
        for span in line.spans:
            style = span.style
            if not isinstance(style, str) and style.bold and style.bgcolor is not None:
                parts.append(line.plain[span.start : span.end])
    return " ".join(" ".join(parts).split())


def span_of(app, i: int | None = None) -> tuple[int, int]:
    f = app.session.findings[app.current if i is None else i]
    return f.start, f.end


# Keys that shrink finding 2 (it has four sentences) and the key that grows it back.
SHRINK_GROW = [
    ("less_than_sign", "greater_than_sign", "end", "End back a sentence"),
    ("comma", "full_stop", "end", "End back a word"),
    ("right_curly_bracket", "left_curly_bracket", "start", "Start on a sentence"),
    ("right_parenthesis", "left_parenthesis", "start", "Start on a word"),
]


@pytest.mark.parametrize(("shrink", "grow", "edge", "flash"), SHRINK_GROW)
async def test_each_key_moves_an_edge_and_the_letter_follows(
    letter, make_app, shrink, grow, edge, flash
):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("j")
        before = app.session.findings[1]
        assert highlighted(app) == before.text
        await pilot.press(shrink)
        f = app.session.findings[1]
        assert app.current == 1
        assert (f.start == before.start) == (edge == "end")
        assert (f.end == before.end) == (edge == "start")
        assert f.end - f.start < before.end - before.start
        assert f.status == "corrected" and f.text in before.text
        assert highlighted(app) == f.text
        assert app.table.cell(1, "text").startswith(f.text[:20])
        assert f"{flash}   " in header(app)  # the flash, and nothing cut off after it
        # the moved edge is where the letter's cursor is
        moved = f.end - 1 if edge == "end" else f.start
        assert app.letter.cursor_offset == moved
        await pilot.press(grow)
        g = app.session.findings[1]
        assert (g.start, g.end, g.text, g.status) == (
            before.start,
            before.end,
            before.text,
            "confirmed",
        )
        assert highlighted(app) == before.text


async def test_one_undo_step_per_key(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("j")
        before = app.session.findings[1]
        await pilot.press("less_than_sign", "right_parenthesis")
        shrunk = app.session.findings[1]
        await pilot.press("u")
        assert app.session.findings[1].start == before.start
        assert app.session.findings[1].end == shrunk.end
        assert "Undone: start on a word" in header(app)
        await pilot.press("u")
        assert app.session.findings[1] == before
        assert highlighted(app) == before.text
        assert not app.session.can_undo


async def test_snap_gives_back_the_whole_item(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("j")
        before = app.session.findings[1]
        await pilot.press("right_curly_bracket", "less_than_sign", "w")
        g = app.session.findings[1]
        assert span_of(app, 1) == (before.start, before.end) and g.status == "confirmed"
        assert highlighted(app) == before.text
        assert "w · Snap to the paragraph" in header(app)
        await pilot.press("w")
        assert any("already covers its whole paragraph" in m for m in app.said)


async def test_a_refused_move_says_why_and_changes_nothing(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        before = list(app.session.findings)
        await pilot.press("full_stop")  # finding 2 starts right after this one
        assert any("runs into finding 2; merge the two instead" in m for m in app.said)
        await pilot.press("j", "j", "j", "less_than_sign")  # finding 4 is one sentence
        assert any("would be empty" in m for m in app.said)
        assert app.session.findings == before and not app.session.can_undo


async def test_the_keys_work_from_the_letter_pane(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("j", "tab")
        assert app.letter.has_focus
        before = app.session.findings[1]
        await pilot.press("comma")
        f = app.session.findings[1]
        assert f.end < before.end and app.current == 1
        assert highlighted(app) == f.text
        assert app.letter.text == app.letter.line_map.view_text  # a key never types in it


async def test_the_vim_keymap_moves_edges(letter, make_app):
    keys = load_keymap("vim", user=False)
    assert keys["finding.end_sentence_previous"].split(",")[0] == "left_parenthesis"
    app = make_app(letter, keymap="vim")
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("j")
        before = app.session.findings[1]
        await pilot.press("left_parenthesis")
        assert app.session.findings[1].end < before.end
        await pilot.press("right_parenthesis", "E")
        assert app.session.findings[1].text == before.text.rsplit(" ", 1)[0]
        await pilot.press("e", "W")
        assert app.session.findings[1].text == before.text.split(" ", 1)[1]
        await pilot.press("B")
        assert app.session.findings[1].text == before.text
        await pilot.press("left_parenthesis", "V")
        assert span_of(app, 1) == (before.start, before.end)
        assert "V · Snap to the paragraph" in header(app)


async def test_read_only_refuses_the_keys(letter, make_app):
    app = make_app(letter, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        before = list(app.session.findings)
        await pilot.press("less_than_sign", "w")
        assert app.session.findings == before


async def test_the_palette_runs_a_move_by_its_action(letter, make_app):
    from reviewer.tui.keymap import ACTIONS

    action = next(a.action for a in ACTIONS if a.id == "finding.end_sentence_previous")
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("j")
        before = app.session.findings[1]
        await app.run_named_action(action)
        await pilot.pause()
        assert app.session.findings[1].end < before.end
        assert highlighted(app) == app.session.findings[1].text
