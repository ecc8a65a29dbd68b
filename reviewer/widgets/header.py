"""The header line: file, authority, date, progress, status, unsaved and read-only markers."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.widgets import Static

from ..sanitize import sanitize_line


class ReviewHeader(Static):
    """One line; every untrusted part goes in as plain text."""

    DEFAULT_CSS = """
    ReviewHeader { height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    def show(
        self,
        *,
        file_name: str,
        authority: str,
        letter_date: object,
        reviewed: int,
        total: int,
        status: str,
        dirty: bool,
        read_only: bool,
    ) -> None:
        t = Text(no_wrap=True, overflow="ellipsis")
        if read_only:
            t.append(" READ-ONLY ", style="bold white on dark_red")
            t.append(" ")
        t.append("● " if dirty else "  ", style="bold yellow")
        t.append(sanitize_line(file_name), style="bold")
        t.append("  │  ")
        t.append(f"{reviewed}/{total} reviewed", style="bold")
        t.append("  │  ")
        t.append(status.replace("_", " "), style="green" if status == "complete" else "")
        if authority:
            t.append("  │  ")
            t.append(sanitize_line(str(authority)))
        if isinstance(letter_date, dt.date):
            t.append("  │  ")
            t.append(f"{letter_date.day} {letter_date:%B %Y}")
        self.update(t)
