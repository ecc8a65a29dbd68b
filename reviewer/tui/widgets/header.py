"""The header: file, progress, status, queue, authority, date, unsaved and read-only markers;
a second line with what the document's family has of its own (a report's judgements, a
focused visit's dates and focus, a SEND report's outcome, a JTAI's area) and, for as long as
they hold, warnings: the crash journal cannot be written, another reviewer holds the lock,
the file fits no known family."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from rich.text import Text
from textual.widgets import Static

from reviewer.sanitize import sanitize_line
from reviewer.segment.scheme import Scheme

SEP = "  │  "
NARROW_SEP = " │ "


def shorten(text: str, width: int) -> str:
    """At most `width` characters, cut at a word with an ellipsis."""
    text = " ".join(sanitize_line(text).split())
    if len(text) <= width:
        return text
    cut = text[: max(1, width - 1)]
    if " " in cut[width // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.") + "…"


def middle_cut(text: str, width: int) -> str:
    """At most `width` characters, the middle given up for an ellipsis (a file name keeps
    its start and its extension)."""
    if len(text) <= width:
        return text
    tail = max(1, (width - 1) // 3)
    return text[: max(1, width - 1 - tail)] + "…" + text[-tail:]


def date_range(dates: Sequence[object]) -> str:
    """ "12-13 March 2019", "30 April-2 May 2019" or ""; days that are not dates are skipped."""
    days = sorted(d for d in dates if isinstance(d, dt.date))
    if not days:
        return ""
    a, b = days[0], days[-1]
    if a == b:
        return f"{a.day} {a:%B %Y}"
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day}-{b.day} {b:%B %Y}"
    if a.year == b.year:
        return f"{a.day} {a:%B}-{b.day} {b:%B %Y}"
    return f"{a.day} {a:%B %Y}-{b.day} {b:%B %Y}"


def family_details(letter: dict[str, Any], scheme: Scheme | None) -> str:
    """What a document family has of its own: the fields its scheme's `header` names that
    the letter holds ("Visit 12-13 March 2019 · Focus: ...")."""
    parts = []
    for field in scheme.header if scheme is not None else ():
        value = letter.get(field.key)
        if value in (None, "", []):
            continue
        if isinstance(value, list) and all(isinstance(d, dt.date) for d in value):
            shown = date_range(value)
            if shown:
                parts.append(f"{field.label} {shown}")
            continue
        text = str(value)
        shown = shorten(text, field.width) if field.width else sanitize_line(text)
        parts.append(f"{field.label}: {shown}")
    return " · ".join(parts)


class ReviewHeader(Static):
    """One line, two when there is more to say; every untrusted part goes in as plain text."""

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
        queue: Callable[[int], str] | None = None,
        judgements: str = "",
        details: str = "",
        warning: str = "",
        held_by: str = "",
        problem: str = "",
        flash: str = "",
        note: str = "",
    ) -> None:
        """`queue` gives the queue's progress in at most the width it is given, so it is
        shortened to fit rather than cut. `held_by` says who holds the lock of a review open
        read-only (and how to take it over); `problem` why unsaved work is not safe from a
        crash. Both come first on the second line, as they are what the reviewer must know."""
        t = Text(no_wrap=True, overflow="ellipsis")
        if read_only:
            t.append(" READ-ONLY ", style="bold white on dark_red")
            t.append(" ")
        t.append("● " if dirty else "  ", style="bold yellow")
        sep = SEP if queue is None else NARROW_SEP
        name = sanitize_line(file_name)
        if flash:
            # what the last key did must be read whole: the file name gives way to it
            width = (self.size.width or 120) - self.styles.gutter.width
            others = len(f"{reviewed}/{total} reviewed") + len(status) + len(flash) + 2
            name = middle_cut(name, max(16, width - t.cell_len - others - 3 * len(sep)))
        t.append(name, style="bold")
        t.append(sep)
        t.append(f"{reviewed}/{total} reviewed", style="bold")
        t.append(sep)
        if status != "complete" and reviewed == 0 and not dirty:
            t.append("not started", style="dim")
        else:
            t.append(status.replace("_", " "), style="green" if status == "complete" else "")
        if flash:
            t.append(sep)
            t.append(f" {sanitize_line(flash)} ", style="bold reverse")
        if queue is not None:
            width = (self.size.width or 120) - self.styles.gutter.width
            room = width - t.cell_len - len(sep)
            progress = queue(room)
            if progress:
                t.append(sep)
                t.append(progress, style="cyan")
        if authority:
            t.append(sep)
            t.append(sanitize_line(str(authority)))
        if isinstance(letter_date, dt.date):
            t.append(sep)
            t.append(f"{letter_date.day} {letter_date:%B %Y}")
        second = Text(no_wrap=True, overflow="ellipsis")
        second.append("  ")
        for text, style in (
            (problem, "bold white on dark_red"),
            (held_by, "bold yellow"),
            (warning, "bold yellow"),
        ):
            if text:
                if second.cell_len > 2:
                    second.append(" · ")
                second.append(f"⚠ {sanitize_line(text)}", style=style)
        for part in (f"Note: {shorten(note, 60)}" if note else "", details, judgements):
            if part:
                if second.cell_len > 2:
                    second.append(" · ")
                second.append(sanitize_line(part), style="italic")
        if second.cell_len > 2:
            t = Text("\n", no_wrap=True, overflow="ellipsis").join([t, second])
        lines = 2 if second.cell_len > 2 else 1
        # a layout pass costs every widget a repaint: only when the height changes
        self.update(t, layout=lines != getattr(self, "_lines", 0))
        self._lines = lines
