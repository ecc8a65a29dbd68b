"""The header: file, progress, status, queue, authority, date, unsaved and read-only markers;
a second line with what the document's family has of its own (a report's judgements, a
focused visit's dates and focus, a SEND report's outcome, a JTAI's area) and, for as long as
they hold, warnings: the crash journal cannot be written, another reviewer holds the lock,
the file fits no known family."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from reviewer.review.controller import HeaderState, QueueProgress
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


def progress_text(progress: QueueProgress, width: int) -> str:
    """The queue's progress in at most `width` characters: shortened, never cut."""
    i, n = progress.position, progress.letters
    reviewed, complete = progress.reviewed, progress.complete
    findings = "finding" if reviewed == 1 else "findings"
    for text in (
        f"letter {i} of {n} · {reviewed} {findings} reviewed · {complete} complete",
        f"letter {i} of {n} · {reviewed} reviewed · {complete} complete",
        f"{i}/{n} · {reviewed} reviewed · {complete} done",
        f"{i}/{n} · {reviewed} rev. · {complete} done",
        f"{i}/{n}",
    ):
        if len(text) <= width:
            return text
    return ""


class ReviewHeader(Static):
    """One line, two when there is more to say; every untrusted part goes in as plain text.

    Bound to one :class:`HeaderState` (`state`): it draws itself again when that changes,
    and when its width does (the queue's progress and the file name fit the width)."""

    DEFAULT_CSS = """
    ReviewHeader {
        height: auto; max-height: 2; background: $panel; color: $text; padding: 0 1;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    state: reactive[HeaderState | None] = reactive(None, init=False, repaint=False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._text: Text | None = None  # as last drawn

    def watch_state(self, state: HeaderState | None) -> None:
        self.redraw()

    def redraw(self) -> None:
        """Draw the state again (at the header's width now)."""
        if self.state is not None:
            self.update_text(self.text_of(self.state))

    def update_text(self, text: Text) -> None:
        drawn, self._text = self._text, text
        if text == drawn:  # drawn already: a repaint would cost the screen one
            return
        # a layout pass costs every widget a repaint: only when the height changes
        two_lines = "\n" in text.plain
        self.update(text, layout=drawn is None or two_lines != ("\n" in drawn.plain))

    def text_of(self, h: HeaderState) -> Text:
        """The header's text for a state: the problem (crash journal), who holds the lock
        and the family warning come first on the second line, as they are what the reviewer
        must know."""
        t = Text(no_wrap=True, overflow="ellipsis")
        if h.read_only:
            t.append(" READ-ONLY ", style="bold white on dark_red")
            t.append(" ")
        t.append("● " if h.dirty else "  ", style="bold yellow")
        sep = SEP if h.queue is None else NARROW_SEP
        name = sanitize_line(h.file_name)
        width = (self.size.width or 120) - self.styles.gutter.width
        if h.flash:
            # what the last key did must be read whole: the file name gives way to it
            others = len(f"{h.reviewed}/{h.total} reviewed") + len(h.status) + len(h.flash) + 2
            name = middle_cut(name, max(16, width - t.cell_len - others - 3 * len(sep)))
        t.append(name, style="bold")
        t.append(sep)
        t.append(f"{h.reviewed}/{h.total} reviewed", style="bold")
        t.append(sep)
        if h.status != "complete" and h.reviewed == 0 and not h.dirty:
            t.append("not started", style="dim")
        else:
            t.append(h.status.replace("_", " "), style="green" if h.status == "complete" else "")
        if h.flash:
            t.append(sep)
            t.append(f" {sanitize_line(h.flash)} ", style="bold reverse")
        if h.queue is not None:
            progress = progress_text(h.queue, width - t.cell_len - len(sep))
            if progress:
                t.append(sep)
                t.append(progress, style="cyan")
        if h.authority:
            t.append(sep)
            t.append(sanitize_line(str(h.authority)))
        if isinstance(h.letter_date, dt.date):
            t.append(sep)
            t.append(f"{h.letter_date.day} {h.letter_date:%B %Y}")
        second = Text(no_wrap=True, overflow="ellipsis")
        second.append("  ")
        for text, style in (
            (h.problem, "bold white on dark_red"),
            (h.held_by, "bold yellow"),
            (h.warning, "bold yellow"),
        ):
            if text:
                if second.cell_len > 2:
                    second.append(" · ")
                second.append(f"⚠ {sanitize_line(text)}", style=style)
        details = family_details(h.letter, h.scheme)
        if h.responsible:
            details = f"{h.responsible} · {details}" if details else h.responsible
        judgements = ""
        if h.letter.get("judgements"):  # a report's: the details module comes with the first
            from reviewer.review.details import judgements_line

            judgements = judgements_line(h.letter["judgements"], h.scheme)
        for part in (f"Note: {shorten(h.note, 60)}" if h.note else "", details, judgements):
            if part:
                if second.cell_len > 2:
                    second.append(" · ")
                second.append(sanitize_line(part), style="italic")
        if second.cell_len > 2:
            t = Text("\n", no_wrap=True, overflow="ellipsis").join([t, second])
        return t
