"""Widgets of the review screen: the findings table, the letter view, the header and the key bar."""

from reviewer.tui.widgets.findings_table import FindingsTable
from reviewer.tui.widgets.header import ReviewHeader
from reviewer.tui.widgets.key_bar import KeyBar
from reviewer.tui.widgets.letter_view import LetterView

__all__ = ["FindingsTable", "KeyBar", "LetterView", "ReviewHeader"]
