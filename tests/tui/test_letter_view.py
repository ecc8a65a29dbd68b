"""The letter pane's map of letter offsets to rows, for ordinary and pathological letters."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from reviewer.model import Finding
from reviewer.tui.widgets.letter_view import LineMap, Rows, SpanIndex, replaced_run
from tests.waiting import wait_until


def test_crlf_letters_keep_their_offsets():
    text = "Dear Ms Smith\r\n\r\nStrengths\r\n- one"
    m = LineMap(text)
    assert m.view_text == "Dear Ms Smith\n\nStrengths\n- one"
    assert m.location(text.index("Strengths")) == (2, 0)
    assert m.offset((3, 2)) == text.index("one")


def rows_of(text: str, width: int) -> list[str]:
    rows = Rows(LineMap(text), width)
    return [text[s:e] for s, e in zip(rows.starts, rows.ends, strict=True)]


def test_a_letter_on_one_enormous_line_is_wrapped_with_every_offset_kept():
    """A 5 MB letter without line breaks froze the screen: the view wraps it into rows cut
    at spaces, and every letter offset belongs to exactly one row."""
    text = "Strengths\n" + "social workers visit children " * 2000 + "end"
    lines = LineMap(text)
    rows = Rows(lines, 60)
    shown = [text[s:e] for s, e in zip(rows.starts, rows.ends, strict=True)]
    assert len(shown) > 2000 * 30 // 60 and max(len(r) for r in shown) <= 60
    assert all(r.endswith(" ") for r in shown[1:-1])  # cut after a space, never mid-word
    assert "".join(shown[1:]) == text[len("Strengths\n") :]
    for offset in range(0, len(text), 13):
        row = rows.row_of(offset)
        assert rows.starts[row] <= offset <= rows.ends[row]


def test_a_paragraph_is_rewrapped_to_each_width_and_a_long_word_is_cut():
    text = "Leaders know their services well. " * 6 + "x" * 50
    for width in (20, 45):
        shown = rows_of(text, width)
        assert "".join(shown) == text and max(len(r) for r in shown) <= width
        assert all(r.endswith(" ") for r in shown[:-3])
    assert rows_of("short line\n\nnext", 40) == ["short line", "", "next"]


def test_wide_characters_are_wrapped_by_the_cells_they_take():
    text = "東京都 " * 10
    shown = rows_of(text, 9)
    assert "".join(shown) == text
    assert all(cell_len(r.rstrip()) <= 9 for r in shown)


def test_a_page_break_starts_a_new_row():
    text = "end of page one\fTop of page two"
    m = LineMap(text)
    assert m.view_text == "end of page one\nTop of page two"
    assert m.location(text.index("Top")) == (1, 0)


def test_a_sanitised_page_break_starts_a_new_row_too():
    from reviewer.sanitize import sanitize

    text = sanitize("end of page one\fTop of page two")
    assert LineMap(text).view_text == "end of page one\nTop of page two"


async def test_a_huge_letter_opens_at_its_first_finding_and_keys_never_rewrap_it(
    tmp_path, monkeypatch
):
    """A 15 MB letter took seconds to first screen and about 2 s a key: the rows are wrapped
    once per width, and a key repaints only the rows on screen."""
    from reviewer.review.session import ReviewSession
    from reviewer.tui.app import ReviewApp
    from reviewer.tui.widgets import letter_view
    from tests.conftest import SAMPLES

    path = tmp_path / "huge.txt"
    filler = "Leaders meet often and know their services well across the council area.\n"
    sample = (SAMPLES / "hartlepool_2011-03_ucra.txt").read_text(encoding="utf-8")
    path.write_text(sample + "\n\n" + filler * 15_000, encoding="utf-8")
    built: list[int] = []
    real_init = letter_view.Rows.__init__

    def counting(self, lines, width):
        built.append(width)
        real_init(self, lines, width)

    monkeypatch.setattr(letter_view.Rows, "__init__", counting)
    session = ReviewSession.open(path)
    app = ReviewApp(session, "default", user_keymap=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.review_screen.painted, "the first screen")
        view = app.review_screen.letter
        f = session.findings[0]
        assert view.cursor_offset == f.start
        top = view.scroll_offset.y
        on_screen = "".join(view.render_line(y).text for y in range(view.size.height))
        assert top <= view.rows.row_of(f.start) < top + view.size.height
        assert f.text.split()[0] in on_screen
        before = len(built)
        await pilot.press("j", "j", "tab", "down", "pagedown", "shift+down", "3")
        await pilot.pause()
        assert len(built) == before  # no key wrapped the letter again
        await pilot.resize_terminal(90, 30)
        await pilot.pause()
        assert len(built) > before and built[-1] == view.wrap_width  # wrapped to the new width
    session.close(clean=False)


async def test_the_pane_paints_findings_the_selection_and_the_cursor(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.review_screen.painted, "the first screen")
        view = app.review_screen.letter
        f, g = app.session.findings[0], app.session.findings[1]
        current = view.get_line(view.line_map.line_of(f.start))
        col = f.start - view.line_map.starts[view.line_map.line_of(f.start)]
        assert any(s.start <= col < s.end and s.style.bold for s in current.spans)
        other = view.get_line(view.line_map.line_of(g.start))
        gcol = g.start - view.line_map.starts[view.line_map.line_of(g.start)]
        assert any(s.start <= gcol < s.end and not s.style.bold for s in other.spans)
        await pilot.press("tab")
        assert app.focused is view
        at = view.cursor_offset
        await pilot.press("shift+right", "shift+right", "shift+right")
        assert view.selected_span == (at, at + 3)
        await pilot.press("right")
        assert view.selected_span is None and view.cursor_offset == at + 4
        x, y = view.cursor_xy()
        cursor_style = view.get_component_rich_style("letter-view--cursor")
        row = view.render_line(y - view.scroll_offset.y)
        cells = [seg for seg in row if seg.style and seg.style.bgcolor == cursor_style.bgcolor]
        assert cells and cells[0].text == view.letter_text[at + 4].replace("\t", " ")
        await pilot.press("pagedown")
        assert view.rows.row_of(view.cursor_offset) > y


def test_private_use_bullets_are_shown_as_bullets_at_the_same_offsets(copy_letter):
    """Bullets a PDF gives as private-use glyphs (Symbol and Wingdings fonts) have no glyph in
    a browser's or terminal's font: the view shows real bullets, one character for one, and
    the letter's own text (what is saved) keeps them as they were."""
    from reviewer.review.session import ReviewSession
    from reviewer.sanitize import sanitize

    letter = copy_letter()
    original = letter.read_text(encoding="utf-8")
    marks = "\uf0b7\uf02d\uf0a7"
    text = original.replace("▪", marks[0], 1).replace("▪", marks[2], 1)
    text = text.replace("Strengths", f"{marks[1]} Strengths", 1)
    letter.write_text(text, encoding="utf-8")
    session = ReviewSession.open(letter)
    try:
        shown = session.display_text
        assert len(shown) == len(session.text)
        for mark in marks:
            at = session.text.index(mark)
            assert shown[at] in "•–▪" and not "\ue000" <= shown[at] <= "\uf8ff"
        assert not any("\ue000" <= ch <= "\uf8ff" for ch in shown)
        assert marks[0] in session.text  # the letter's text is not changed
    finally:
        session.close()
    assert sanitize("\uf0b7 one \uf0a7 two \uf02d three") == "• one ▪ two – three"


async def test_a_click_puts_the_cursor_on_the_character_clicked(letter, make_app):
    from tests.waiting import started

    app = make_app(letter)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        view = app.review_screen.letter
        top = view.scroll_offset.y
        # the pane's border and padding are 2 cells wide on the left, its border 1 row high
        await pilot.click("#letter", offset=(2 + 4, 1 + 3))
        assert app.focused is view
        assert view.cursor_offset == view.rows.starts[top + 3] + 4
        assert view.selected_span is None


async def test_a_pdf_lines_trailing_space_shows_one_space_between_words(copy_letter, make_app):
    """PDF text ends most wrapped lines with a space: where the pane joins the lines, the
    break takes no cell, so a row reads "the social work practice", not "work  practice";
    the cursor steps over it and a copy has one space. The letter's offsets are kept."""
    letter = copy_letter("constructed_pdf_wrapped.txt")
    text = letter.read_text(encoding="utf-8")
    letter.write_text(
        "\n".join(line + " " if len(line) > 60 else line for line in text.split("\n")),
        encoding="utf-8",
    )
    app = make_app(letter)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.review_screen.painted, "the first screen")
        view = app.review_screen.letter
        quiet = app.session.quiet_breaks
        assert quiet and len(view.letter_text) == len(app.session.text)
        at = quiet[len(quiet) // 2]
        assert view.letter_text[at - 1 : at + 1] == "  "  # the line's space, the break's
        view.show_offset(at - 2)
        x, y = view.cursor_xy()
        row = "".join(s.text for s in view.render_line(y - view.scroll_offset.y))
        start = view.rows.starts[view.rows.row_of(at)]
        joined = view.letter_text[start : at - 1] + " " + view.letter_text[at + 1 :]
        assert row.rstrip() and joined.startswith(row.rstrip())  # one space, nothing lost
        await pilot.press("tab", "right")
        assert view.cursor_offset == at - 1
        await pilot.press("right")
        assert view.cursor_offset == at + 1  # over the break: it has no cell to stand on
        await pilot.press("left")
        assert view.cursor_offset == at - 1
        await pilot.press("shift+right", "shift+right")
        assert view.selected_text == " " + view.letter_text[at + 1]


_SPAN = st.tuples(
    st.integers(0, 60), st.integers(0, 25), st.sampled_from(["", "", "", "orphan", "changed"])
)


def _finding(n: int, span: tuple[int, int, str]) -> Finding:
    start, length, anchor = span
    return Finding(f"f{n}", "c", "", "x", start, start + length, anchor=anchor)


def _crossing(findings: list[Finding], a: int, b: int) -> list[tuple[int, int, int]]:
    return sorted(
        (f.start, f.end, id(f))
        for f in findings
        if f.anchor != "orphan" and f.end > f.start and f.start < b and f.end > a
    )


@settings(max_examples=300, deadline=None)
@given(
    first=st.lists(_SPAN, max_size=25),
    changes=st.lists(
        st.tuples(st.integers(0, 30), st.integers(0, 3), st.lists(_SPAN, max_size=3)),
        max_size=6,
    ),
    windows=st.lists(st.tuples(st.integers(0, 90), st.integers(1, 30)), min_size=1, max_size=4),
)
def test_the_span_index_finds_exactly_the_findings_that_cross_a_row(first, changes, windows):
    # built once, then kept up to date finding by finding as changes replace some
    findings = [_finding(n, span) for n, span in enumerate(first)]
    index = SpanIndex(findings)
    made = len(findings)
    for at, removed, spans in changes:
        at = min(at, len(findings))
        added = [_finding(made + k, span) for k, span in enumerate(spans)]
        made += len(added)
        for f in findings[at : at + removed]:
            assert index.remove(f)
        for f in added:
            index.add(f)
        findings[at : at + removed] = added
        for a, width in windows:
            got = index.crossing(a, a + width)
            assert sorted((s, e, id(f)) for s, e, f in got) == _crossing(findings, a, a + width)
            assert [(s, e) for s, e, _ in got] == sorted((s, e) for s, e, _ in got)
            assert all((f.start, f.end) == (s, e) for s, e, f in got)


@settings(max_examples=300, deadline=None)
@given(
    old=st.lists(st.integers(0, 3), max_size=12),
    at=st.integers(0, 12),
    removed=st.integers(0, 4),
    added=st.lists(st.integers(0, 3), max_size=4),
)
def test_the_run_a_change_replaced_is_found_by_identity(old, at, removed, added):
    before = [_finding(n, (v, 1, "")) for n, v in enumerate(old)]
    after = list(before)
    at = min(at, len(before))
    after[at : at + removed] = [_finding(100 + n, (v, 1, "")) for n, v in enumerate(added)]
    start, gone, came = replaced_run(before, after)
    rebuilt = before[:start] + after[start : start + came] + before[start + gone :]
    assert all(x is y for x, y in zip(rebuilt, after, strict=True))
    assert gone <= len(before) - start and gone - came == len(before) - len(after)
    assert gone + came <= min(removed, len(before) - at) + len(added)  # no more than changed


async def test_the_pane_shows_each_change_as_the_session_holds_it(letter, make_app):
    # a decision (one finding replaced in place), a deletion, a merge and their undos: the
    # pane's spans are the session's findings, the objects themselves, after every key
    app = make_app(letter)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.review_screen.painted, "the first screen")
        view = app.review_screen.letter
        end = len(view.letter_text)
        for key in ("3", "x", "m", "u", "u", "space", "j", "x"):
            await pilot.press(key)
            await pilot.pause()
            fs = app.session.findings
            shown = view.spans_crossing(0, end)
            placed = [i for i, f in enumerate(fs) if f.anchor != "orphan" and f.end > f.start]
            assert sorted(i for *_, i in shown) == placed, key
            assert all((fs[i].start, fs[i].end) == (a, b) for a, b, i in shown), key
            current = fs[app.review_screen.controller.current]
            line = view.get_line(view.line_map.line_of(current.start))
            col = current.start - view.line_map.starts[view.line_map.line_of(current.start)]
            assert any(s.start <= col < s.end and s.style.bold for s in line.spans), key


def _bold_text(strip) -> str:
    return "".join(seg.text for seg in strip if seg.style is not None and seg.style.bold)


def _stale_rows(widget) -> list[int]:
    """Rows whose painted line (Textual's cache of what is on screen) is not what the widget
    draws now: a change whose rows were never marked for repainting. The content area sits
    inside the widget's border and padding."""
    from textual.geometry import Region

    shown = widget.render_lines(Region(0, 0, *widget.region.size))
    top = widget.content_offset.y
    stale = []
    for y in range(widget.scrollable_content_region.height):
        fresh, painted = widget.render_line(y), shown[top + y]
        if fresh.text.strip() not in painted.text or _bold_text(fresh) != _bold_text(painted):
            stale.append(y)
    return stale


async def test_stepping_through_findings_scrolls_only_when_the_next_leaves_the_view(
    letter, make_app
):
    """A key that moves to the next finding repaints the rows that changed; the letter
    scrolls (and the whole screen is drawn again) only when the finding is not on screen
    clear of its edges, and then it is centred. Every row on screen is what the session
    holds after each key, in the letter and in the table, whether the table has scrolled
    or not."""
    from reviewer.tui.widgets.findings_table import FindingsTable
    from reviewer.tui.widgets.letter_view import SCROLL_MARGIN
    from tests.conftest import SAMPLES

    sample = letter.with_name("many.txt")
    head, tail = (SAMPLES / "constructed_caps_headings.txt").read_text().split("Strenghts:\n")
    items = [
        f"▪ Strength number {k} is described here" + " in some detail" * (k % 4) + "."
        for k in range(30)
    ]
    sample.write_text(head + "Strengths:\n\n" + "\n".join(items) + "\n" + tail)
    app = make_app(sample)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.review_screen.painted, "the first screen")
        view = app.review_screen.letter
        table = app.screen.query_one(FindingsTable)
        assert len(app.session.findings) > 30
        fs = app.session.findings
        height = view.scrollable_content_region.height
        stayed = scrolled = 0
        for step in range(len(fs) - 1):
            top = view.scroll_offset.y
            nxt = fs[step + 1]
            first, last = view.rows.row_of(nxt.start), view.rows.row_of(nxt.end - 1)
            in_view = top + SCROLL_MARGIN <= first and last < top + height - SCROLL_MARGIN
            await pilot.press("space")  # confirm and go on to the next
            await pilot.pause()
            assert app.review_screen.controller.current == step + 1
            row = view.rows.row_of(nxt.start) - view.scroll_offset.y
            assert 0 <= row < height, step  # the finding stepped to is on screen
            if in_view:
                assert view.scroll_offset.y == top, step
                stayed += 1
            elif view.scroll_offset.y != top:
                assert abs(row - height // 2) <= 1, step  # centred
                scrolled += 1
            assert _stale_rows(view) == [], step
            assert _stale_rows(table) == [], step
        assert stayed and scrolled and table.scroll_offset.y > 0


async def test_the_first_paint_shows_the_current_finding_and_nothing_moves_after_it(
    letter, make_app, monkeypatch
):
    """A letter whose first finding is far below its start: the very first frame shows the
    finding (the letter is not drawn at its top and then scrolled), and the findings table
    is drawn at its own width from that frame on (not at the width of a pane not yet laid
    out, then again)."""
    from reviewer.tui.widgets.findings_table import FindingsTable
    from reviewer.tui.widgets.letter_view import LetterView
    from tests.conftest import SAMPLES

    sample = letter.with_name("long_opening.txt")
    head, tail = (SAMPLES / "constructed_caps_headings.txt").read_text().split("Strenghts:\n")
    opening = "".join(
        f"Paragraph {k} of the opening, which holds no finding.\n\n" for k in range(60)
    )
    sample.write_text(head + opening + "Strenghts:\n" + tail)
    first: dict[str, object] = {}
    letter_lines, table_lines = LetterView.render_lines, FindingsTable.render_line

    def letter_first(view, crop):
        strips = letter_lines(view, crop)
        first.setdefault("top", view.scroll_offset.y)
        return strips

    def table_first(table, y):
        strip = table_lines(table, y)
        if y == 1:
            first.setdefault("row", strip.text)
        return strip

    monkeypatch.setattr(LetterView, "render_lines", letter_first)
    monkeypatch.setattr(FindingsTable, "render_line", table_first)
    app = make_app(sample)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.review_screen.painted, "the first screen")
        await pilot.pause()
        view = app.review_screen.letter
        table = app.screen.query_one(FindingsTable)
        f = app.session.findings[0]
        height = view.scrollable_content_region.height
        assert view.rows.row_of(f.start) > height  # not on the letter's first screen
        top = first["top"]
        assert isinstance(top, int) and top > 0
        assert top <= view.rows.row_of(f.start) and view.rows.row_of(f.end - 1) < top + height
        assert view.scroll_offset.y == top  # no scroll after the first frame
        assert first["row"] == table.render_line(1).text
        assert _stale_rows(view) == [] and _stale_rows(table) == []
