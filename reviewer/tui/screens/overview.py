"""The queue overview: every letter of the queue in one table, filtered by typing.

Letters without a review are read and segmented in a worker thread, so the table opens at
once and their family, authority and date fill in as each letter is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Label
from textual.worker import get_current_worker

from reviewer.review.queue import COMPLETE, IN_PROGRESS, LetterQueue, QueueItem, describe
from reviewer.sanitize import sanitize_line
from reviewer.tui.screens.modal import Dialog

PENDING = "…"  # a cell not known until the worker has read the letter
FUZZY_MIN = 85.0  # partial_ratio a filter word of 4+ letters needs where it is not a substring


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    numeric: bool = False


COLUMNS = (
    Column("number", "#", numeric=True),
    Column("file", "File"),
    Column("family", "Family"),
    Column("authority", "Authority"),
    Column("date", "Date"),
    Column("findings", "Findings", numeric=True),
    Column("reviewed", "Reviewed", numeric=True),
    Column("status", "Status"),
    Column("error", "Problem"),
)
SORTABLE = COLUMNS[:-1]
# The width each short column needs, and which of them give way, in this order, when the
# terminal is too narrow for every column (file and authority share what is left).
FIXED = {"number": 5, "family": 13, "date": 10, "findings": 8, "reviewed": 8, "status": 11}
GIVE_WAY = ("family", "date", "findings")
FILE_MIN, AUTHORITY_MIN = 12, 10
STATUS_WORDS = {COMPLETE: "complete", IN_PROGRESS: "in progress"}


def plan_columns(
    width: int, longest_file: int, longest_authority: int, longest_error: int
) -> tuple[list[Column], dict[str, int]]:
    """The columns that fit in `width` cells and the width of each: the Problem column only
    when a letter has a problem, and family, date and findings given up, in that order, on a
    narrow terminal rather than pushing reviewed and status off the screen."""
    keep = [c for c in COLUMNS if c.key != "error" or longest_error]
    widths = dict(FIXED)
    if longest_error:
        widths["error"] = min(longest_error, 30)

    def need(columns: list[Column]) -> int:
        fixed = sum(widths.get(c.key, 0) for c in columns if c.key not in ("file", "authority"))
        return fixed + 2 * len(columns) + FILE_MIN + AUTHORITY_MIN

    for key in GIVE_WAY:
        if need(keep) <= width:
            break
        keep = [c for c in keep if c.key != key]
    room = max(FILE_MIN + AUTHORITY_MIN, width - need(keep) + FILE_MIN + AUTHORITY_MIN)
    file_width = min(max(4, longest_file), max(FILE_MIN, room * 3 // 5))
    widths["file"] = file_width
    widths["authority"] = min(max(4, longest_authority), max(AUTHORITY_MIN, room - file_width))
    return keep, {c.key: widths[c.key] for c in keep}


def status_word(item: QueueItem) -> str:
    """As the header says it: a letter opened but neither decided on nor saved is not
    started yet."""
    if item.status == IN_PROGRESS and not item.reviewed and not item.review.exists():
        return "not started"
    return STATUS_WORDS.get(item.status, "not started")


def cells(number: int, item: QueueItem) -> dict[str, str]:
    """A row's values as plain one-line strings (letter text made inert)."""
    known = item.described
    return {
        "number": str(number),
        "file": sanitize_line(item.letter.name),
        "family": sanitize_line(item.family) if known else PENDING,
        "authority": sanitize_line(item.authority) if known else PENDING,
        "date": item.date if known else PENDING,
        "findings": str(item.findings) if known or item.review.exists() else PENDING,
        "reviewed": str(item.reviewed),
        "status": status_word(item),
        "error": sanitize_line(item.error),
    }


def matches(query: str, row: dict[str, str]) -> bool:
    """Every word of the query is in some column, case-insensitive, small typos allowed."""
    hay = " ".join(row.values()).casefold()
    for word in query.casefold().split():
        if word in hay:
            continue
        if len(word) < 4 or fuzz.partial_ratio(word, hay) < FUZZY_MIN:
            return False
    return True


def sort_key(column: Column, row: dict[str, str]) -> tuple[bool, float | str]:
    """Unknown and empty cells last (ascending), numbers as numbers, words without case."""
    value = row[column.key]
    if value in ("", PENDING):
        return (True, "")
    if column.numeric:
        return (False, float(value))
    return (False, value.casefold())


class OverviewScreen(Dialog):
    """The queue at a glance; dismissed with the index of the letter to open, or None."""

    KEEPS_EARLY_KEYS = True

    CSS_PATH = Path(__file__).with_name("overview.tcss")
    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False, priority=True),
        Binding("down", "move(1)", "Down", show=False, priority=True),
        Binding("pageup", "move(-10)", "Page up", show=False, priority=True),
        Binding("pagedown", "move(10)", "Page down", show=False, priority=True),
        Binding("ctrl+o", "next_sort", "Sort", show=False),
        Binding("ctrl+r", "reverse_sort", "Reverse", show=False),
    ]

    def __init__(self, queue: LetterQueue) -> None:
        super().__init__()
        self.queue = queue
        self.sort_column: Column = COLUMNS[0]
        self.reverse = False
        self.shown: list[int] = []  # the queue index of each row, in the table's order
        self._columns: tuple[list[Column], dict[str, int]] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="overview"):
            yield Label(Text(self._title()), id="overview-title", classes="dialog-title")
            yield Input(placeholder="type to filter: any column", id="overview-filter")
            yield DataTable(cursor_type="row", zebra_stripes=True, id="overview-table")
            yield Label(Text(self._hint()), id="overview-hint", classes="dialog-hint")

    def on_mount(self) -> None:
        self.refill(select=self.queue.index)
        self.query_one("#overview-filter", Input).focus()
        if any(not item.described for item in self.queue.items):
            self.describe_letters()

    def _plan(self) -> tuple[list[Column], dict[str, int]]:
        rows = [cells(1, item) for item in self.queue.items]
        longest = {
            key: max([len(row[key]) for row in rows] + [0])
            for key in ("file", "authority", "error")
        }
        width = self.app.size.width - 8  # border, padding, scrollbar
        return plan_columns(width, longest["file"], longest["authority"], longest["error"])

    def _set_columns(self) -> list[Column]:
        """The table's columns for the terminal's width (again when it or the rows change)."""
        columns, widths = self._plan()
        if (columns, widths) != self._columns:
            self.table.clear(columns=True)
            for column in columns:
                self.table.add_column(Text(column.label), key=column.key, width=widths[column.key])
            self._columns = (columns, widths)
        return columns

    def on_resize(self) -> None:
        if self.is_mounted:
            self.refill()

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#overview-table", DataTable)

    def _title(self) -> str:
        n, done = len(self.queue), self.queue.completed
        return f"Queue overview: {n} letter{'' if n == 1 else 's'}, {done} complete"

    def _hint(self) -> str:
        way = "↓" if self.reverse else "↑"
        return (
            f"enter opens · ctrl+o sort: {self.sort_column.label} {way}"
            " · ctrl+r reverses · escape closes"
        )

    # -- the rows ---------------------------------------------------------------------------

    def rows(self) -> list[tuple[int, dict[str, str]]]:
        """The queue's letters the filter lets through, in the chosen order."""
        query = self.query_one("#overview-filter", Input).value
        found = [(i, cells(i + 1, item)) for i, item in enumerate(self.queue.items)]
        if query.strip():
            found = [(i, row) for i, row in found if matches(query, row)]
        column = self.sort_column
        known = [r for r in found if r[1][column.key] not in ("", PENDING)]
        unknown = [r for r in found if r[1][column.key] in ("", PENDING)]
        known.sort(key=lambda r: sort_key(column, r[1]), reverse=self.reverse)
        return known + unknown  # unknown last whichever way the sort goes

    def refill(self, select: int | None = None) -> None:
        """Fill the table again, keeping the cursor on the same letter if it is still shown."""
        table = self.table
        if select is None and self.shown and 0 <= table.cursor_row < len(self.shown):
            select = self.shown[table.cursor_row]
        columns = self._set_columns()
        table.clear()
        self.shown = []
        for i, row in self.rows():
            here = i == self.queue.index
            values = [
                Text(row[c.key], style="bold" if here else "", no_wrap=True, overflow="ellipsis")
                for c in columns
            ]
            if here:
                values[0] = Text(f"▶ {row['number']}", style="bold cyan")
            if columns[-1].key == "error":
                values[-1].stylize("yellow")
            table.add_row(*values, key=str(i))
            self.shown.append(i)
        if select in self.shown:
            table.move_cursor(row=self.shown.index(select))

    def chosen(self) -> int | None:
        row = self.table.cursor_row
        return self.shown[row] if 0 <= row < len(self.shown) else None

    @on(Input.Changed, "#overview-filter")
    def _filtered(self) -> None:
        self.refill()
        if self.shown and self.chosen() is None:
            self.table.move_cursor(row=0)

    # -- the worker ---------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="describe", exit_on_error=False)
    def describe_letters(self) -> None:
        """Read and segment each letter nobody has described yet, one row at a time."""
        worker = get_current_worker()
        for i, item in enumerate(list(self.queue.items)):
            if worker.is_cancelled:
                return
            if item.described:
                continue
            try:
                found = describe(item)
            except Exception as err:  # noqa: BLE001 - one unreadable letter must not end the app
                found = QueueItem(item.letter, item.review, error=f"cannot be read ({err})")
                found.described = True
            if worker.is_cancelled:
                return
            self.app.call_from_thread(self.learned, i, found)

    def learned(self, index: int, found: QueueItem) -> None:
        if self.queue.learn(index, found) and self.is_attached:
            self.refill()

    # -- actions ------------------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        table = self.table
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + step)))

    def action_next_sort(self) -> None:
        at = SORTABLE.index(self.sort_column) if self.sort_column in SORTABLE else -1
        self.sort_column = SORTABLE[(at + 1) % len(SORTABLE)]
        self.reverse = False
        self._resorted()

    def action_reverse_sort(self) -> None:
        self.reverse = not self.reverse
        self._resorted()

    def _resorted(self) -> None:
        self.refill()
        self.query_one("#overview-hint", Label).update(Text(self._hint()))

    @on(Input.Submitted, "#overview-filter")
    def _submitted(self) -> None:
        self.open_chosen()

    @on(DataTable.RowSelected, "#overview-table")
    def _selected(self) -> None:
        self.open_chosen()

    def open_chosen(self) -> None:
        chosen = self.chosen()
        if chosen is None:
            self.app.bell()
            return
        self.dismiss(chosen)

    @property
    def text(self) -> str:
        """The table as plain lines, for tests and logs."""
        table = self.table
        return "\n".join(
            " | ".join(str(cell) for cell in table.get_row_at(r)) for r in range(table.row_count)
        )


__all__ = ["COLUMNS", "OverviewScreen", "cells", "matches", "sort_key"]
