"""Widgets of the review screen: the findings table, the letter view and the header."""

from reviewer.tui.widgets.findings_table import FindingsTable
from reviewer.tui.widgets.header import ReviewHeader
from reviewer.tui.widgets.letter_view import LetterView

__all__ = ["FindingsTable", "LetterView", "ReviewHeader"]
