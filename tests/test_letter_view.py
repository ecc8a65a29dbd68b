"""The letter pane's map of letter offsets to rows, for ordinary and pathological letters."""

from __future__ import annotations

from reviewer.tui.widgets.letter_view import LONG_LINE, ROW, LineMap
from tests.waiting import wait_until


def test_crlf_letters_keep_their_offsets():
    text = "Dear Ms Smith\r\n\r\nStrengths\r\n- one"
    m = LineMap(text)
    assert m.view_text == "Dear Ms Smith\n\nStrengths\n- one"
    assert m.location(text.index("Strengths")) == (2, 0)
    assert m.offset((3, 2)) == text.index("one")


def test_a_letter_on_one_enormous_line_is_shown_in_rows_with_every_offset_kept():
    """A 5 MB letter without line breaks froze the screen: the view shows it in rows cut at
    spaces, and every letter offset still maps to the character it names."""
    text = "Strengths\n" + "social workers visit children " * (LONG_LINE // 10) + "end"
    m = LineMap(text)
    rows = m.view_text.split("\n")
    assert len(rows) > LONG_LINE // ROW and max(len(r) for r in rows) <= ROW
    for (start, end), row in zip(zip(m.starts, m.ends, strict=True), rows, strict=True):
        assert text[start:end] == row
    for offset in range(0, len(text), 13):
        row, col = m.location(offset)
        if text[offset] != " ":  # a space where a row was cut is shown as the row's end
            assert rows[row][col] == text[offset]
            assert m.offset((row, col)) == offset


def test_ordinary_long_paragraphs_are_left_to_the_soft_wrap():
    text = "x " * (LONG_LINE // 2 - 10)
    assert LineMap(text).view_text == text


def test_a_huge_letter_is_shown_in_short_rows_without_soft_wrap():
    from reviewer.tui.widgets.letter_view import HUGE_LETTER, LetterView

    text = ("one two three four five six seven eight nine ten " * 8 + "\n") * (HUGE_LETTER // 300)
    view = LetterView(text)
    assert not view.soft_wrap
    assert view.text_pending and view.text.startswith("Opening the letter (")
    view.finish_loading()
    assert not view.text_pending and view.text == view.line_map.view_text
    rows = view.line_map.view_text.split("\n")
    assert max(len(r) for r in rows) <= ROW
    offset = text.index("nine", 5000)
    row, col = view.line_map.location(offset)
    assert rows[row][col : col + 4] == "nine"


def test_a_page_break_starts_a_new_row():
    text = "end of page one\fTop of page two"
    m = LineMap(text)
    assert m.view_text == "end of page one\nTop of page two"
    assert m.location(text.index("Top")) == (1, 0)


def test_a_sanitised_page_break_starts_a_new_row_too():
    from reviewer.sanitize import sanitize

    text = sanitize("end of page one\fTop of page two")
    assert LineMap(text).view_text == "end of page one\nTop of page two"


async def test_a_huge_letter_opens_with_a_message_then_its_text(tmp_path):
    from reviewer.review.session import ReviewSession
    from reviewer.tui.app import ReviewApp
    from reviewer.tui.widgets.letter_view import HUGE_LETTER, LetterView

    path = tmp_path / "huge.txt"
    filler = "Leaders meet often and know their services well across the council area.\n" * (
        HUGE_LETTER // 70
    )
    from tests.conftest import SAMPLES

    sample = (SAMPLES / "hartlepool_2011-03_ucra.txt").read_text(encoding="utf-8")
    path.write_text(sample + "\n\n" + filler, encoding="utf-8")
    session = ReviewSession.open(path)
    app = ReviewApp(session, "default", user_keymap=False)
    async with app.run_test(size=(120, 40)) as pilot:
        view = app.review_screen.query_one(LetterView)
        await wait_until(  # the text goes in just after the first paint
            pilot,
            lambda: not view.text_pending and app.review_screen.painted,
            "the huge letter's text",
        )
        assert "Child protection concerns are responded to promptly" in view.text
        f = session.findings[0]
        assert view.line_map.offset(view.selection.start) == f.start
    session.close(clean=False)


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
