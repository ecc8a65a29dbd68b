"""The header: file, progress, status, queue, authority, date, unsaved and read-only markers;
a second line with a report's judgements when it has them."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.widgets import Static

from reviewer.sanitize import sanitize_line


class ReviewHeader(Static):
    """One line, two for a report; every untrusted part goes in as plain text."""

    DEFAULT_CSS = """
    ReviewHeader {
        height: auto; max-height: 2; background: $panel; color: $text; padding: 0 1;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
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
        queue: str = "",
        judgements: str = "",
    ) -> None:
        t = Text(no_wrap=True, overflow="ellipsis")
        if read_only:
            t.append(" READ-ONLY ", style="bold white on dark_red")
            t.append(" ")
        t.append("● " if dirty else "  ", style="bold yellow")
        t.append(sanitize_line(file_name), style="bold")
        sep = "  │  " if not queue else " │ "
        t.append(sep)
        t.append(f"{reviewed}/{total} reviewed", style="bold")
        t.append(sep)
        t.append(status.replace("_", " "), style="green" if status == "complete" else "")
        if queue:
            t.append(sep)
            t.append(queue, style="cyan")
        if authority:
            t.append(sep)
            t.append(sanitize_line(str(authority)))
        if isinstance(letter_date, dt.date):
            t.append(sep)
            t.append(f"{letter_date.day} {letter_date:%B %Y}")
        if judgements:
            line = Text(no_wrap=True, overflow="ellipsis")
            line.append("  ")
            line.append(sanitize_line(judgements), style="italic")
            t = Text("\n", no_wrap=True, overflow="ellipsis").join([t, line])
        lines = 2 if judgements else 1
        # a layout pass costs every widget a repaint: only when the height changes
        self.update(t, layout=lines != getattr(self, "_lines", 0))
        self._lines = lines
