"""Widgets of the reviewer app."""

from .findings_table import FindingsTable
from .header import ReviewHeader
from .letter_view import LetterView

__all__ = ["FindingsTable", "LetterView", "ReviewHeader"]
