"""The findings table: one row per finding, every cell a `rich.Text` (never markup).

Every column has a fixed width and every row one line, so the table never needs to measure
its cells; the Text column takes whatever width the others leave, recomputed on resize by
updating that column's cells in place rather than rebuilding the table.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

from reviewer.model import Finding
from reviewer.sanitize import sanitize_line
from reviewer.segment.scheme import Scheme
from reviewer.segment.topics import Taxonomy, load_taxonomy

COLUMNS = ("num", "category", "text", "themes", "status", "note")
LABELS = {
    "num": "#",
    "category": "Category",
    "text": "Text",
    "themes": "Themes",
    "status": "Status",
    "note": "✎",
}
_FIXED = {"category": 12, "themes": 9, "status": 9, "note": 1}
_GAP = 1  # a space after each column (cell padding is 0)
_MIN_TEXT = 12
_FIRST_ROWS = 120
_PREVIEW = 400  # characters of a finding kept in its cell: more never fits on screen


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def short_section(section: str) -> str:
    return sanitize_line(section).strip()


def themes_cell(themes: Sequence[str], taxonomy: Taxonomy, width: int) -> str:
    """The first theme's label, and "+n" for the others, within `width` characters."""
    if not themes:
        return ""
    more = f"+{len(themes) - 1}" if len(themes) > 1 else ""
    label = sanitize_line(taxonomy.label_of(themes[0]))
    return _clip(label, width - len(more)) + more


class FindingsTable(DataTable):
    """Findings with category, a preview of the text, themes, status and a note marker."""

    DEFAULT_CSS = """
    FindingsTable { border: round $primary-darken-2; }
    FindingsTable:focus { border: round $accent; }
    """

    def __init__(self, scheme: Scheme, *, id: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, cell_padding=0, id=id)
        self.scheme = scheme
        self.taxonomy = load_taxonomy()
        self._rows: list[Finding] = []
        self._filled = 0
        self._previews: list[str] = []
        self._text_width = 30
        self._category_width = min(_FIXED["category"], max(len(c.label) for c in scheme.categories))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # enter confirms the finding (an app binding); it does not "select" the row
        if action == "select_cursor":
            return False
        return super().check_action(action, parameters)

    # -- widths -------------------------------------------------------------------------

    def _num_width(self, n: int) -> int:
        return max(2, len(str(n)))

    def _widths(self, n: int) -> dict[str, int]:
        return dict(
            _FIXED,
            num=self._num_width(n),
            category=self._category_width,
            text=self._text_width,
        )

    def fit_text_width(self, outer_width: int | None = None, n: int | None = None) -> int:
        """The Text column's width: all that the other columns (and the scrollbar) leave.

        `outer_width` is the widget's width with its border; during a resize the region is
        not yet updated, so the event's size is passed in.
        """
        n = len(self._rows) if n is None else n
        outer = self.outer_size.width if outer_width is None else outer_width
        available = outer - self.styles.gutter.width - self.styles.scrollbar_size_vertical
        fixed = (
            self._num_width(n)
            + self._category_width
            + sum(v for k, v in _FIXED.items() if k != "category")
        )
        return max(_MIN_TEXT, available - fixed - _GAP * len(COLUMNS))

    def on_resize(self, event: events.Resize) -> None:
        width = self.fit_text_width(event.size.width)
        if width != self._text_width:
            self.set_text_width(width)

    def set_text_width(self, width: int) -> None:
        """Give the Text column a new width, updating its cells in place (no rebuild)."""
        self._text_width = width
        column = self.columns.get(ColumnKey("text"))
        if column is None:
            return
        column.width = width + _GAP
        for i, preview in enumerate(self._previews[: self._filled]):
            self.update_cell(str(i), "text", self._text_cell(preview))
        self._require_update_dimensions = True
        self.refresh()

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        # DataTable measures every cell of every new row (12,000 cells for 2,000 findings)
        # to size auto-width columns and auto-height rows; we have neither, so only the
        # virtual size is needed.
        if any(c.auto_width for c in self.columns.values()):
            super()._update_dimensions(new_rows)
            return
        width = sum(c.get_render_width(self) for c in self.columns.values())
        header = self.header_height if self.show_header else 0
        self.virtual_size = Size(width, self._total_row_height + header)

    # -- cells --------------------------------------------------------------------------

    def _text_cell(self, preview: str) -> Text:
        return Text(_clip(preview, self._text_width), no_wrap=True)

    def cells(self, i: int, f: Finding) -> list[Text]:
        cat = self.scheme.by_id.get(f.category)
        colour = cat.colour if cat else "#888888"
        status = f.anchor if f.anchor in ("orphan", "changed") else f.status
        status_style = {"auto": "dim", "orphan": "bold red", "changed": "bold yellow"}.get(
            status, ""
        )
        return [
            Text(f"{i + 1:>{self._num_width(len(self._rows))}}"),
            Text(_clip(self.scheme.label_of(f.category), self._category_width), style=colour),
            self._text_cell(sanitize_line(f.text[:_PREVIEW])),
            Text(themes_cell(f.themes, self.taxonomy, _FIXED["themes"]), style="italic"),
            Text(status, style=status_style),
            Text("✎" if f.note else ""),
        ]

    def rebuild(self, findings: Sequence[Finding], row: int = 0) -> None:
        """All rows afresh (after split, merge, delete, add, undo); the cursor goes to `row`."""
        self._rows = list(findings)
        self._previews = [sanitize_line(f.text[:_PREVIEW]) for f in findings]
        if self.outer_size.width:
            self._text_width = self.fit_text_width()
        self.clear(columns=True)
        widths = self._widths(len(findings))
        for key in COLUMNS:
            self.add_column(Text(LABELS[key]), width=widths[key] + _GAP, key=key)
        # Rows enough for the first screen now, the rest straight after it is painted:
        # a review of 2,000 findings shows at once instead of after every row is built.
        self._filled = min(len(findings), max(_FIRST_ROWS, row + _FIRST_ROWS))
        self._add_rows(0, self._filled)
        if self._filled < len(findings):
            self.call_after_refresh(self.fill)
        if findings:
            self.move_cursor(row=min(max(row, 0), len(findings) - 1), animate=False)

    def _add_rows(self, start: int, stop: int) -> None:
        for i in range(start, stop):
            self.add_row(*self.cells(i, self._rows[i]), key=str(i))

    def fill(self) -> None:
        """Add the rows the first paint left out; harmless when there are none."""
        if self._filled < len(self._rows):
            start, self._filled = self._filled, len(self._rows)
            self._add_rows(start, self._filled)

    def _set_row_cells(self, i: int, cells: list[Text]) -> None:
        """Replace one row's cells and forget only that row's cached rendering.

        DataTable.update_cell invalidates the rendering of every row (and recounts the
        offsets of all 2,000), which made one correction repaint the whole visible table;
        the row's height and the column widths never change here, so this is enough.
        """
        row_key = RowKey(str(i))
        data = self._data[row_key]
        for key, cell in zip(COLUMNS, cells, strict=True):
            data[ColumnKey(key)] = cell
        for cache in (self._cell_render_cache, self._row_render_cache):
            keys = cache.keys()
            for cache_key in [k for k in keys if k[0] == row_key]:
                cache.discard(cache_key)
        index = self._row_locations.get(row_key)
        keys = self._row_renderable_cache.keys()
        for cache_key in [k for k in keys if k[1] == index]:
            self._row_renderable_cache.discard(cache_key)
        self._line_cache.clear()
        self.refresh()

    def refresh_rows(self, findings: Sequence[Finding], row: int) -> None:
        """Update only the rows that changed; rebuild if rows came or went."""
        if len(findings) != len(self._rows):
            self.rebuild(findings, row)
            return
        self.fill()
        for i, (old, new) in enumerate(zip(self._rows, findings, strict=True)):
            if old is new or old == new:
                continue
            self._previews[i] = sanitize_line(new.text[:_PREVIEW])
            self._set_row_cells(i, self.cells(i, new))
        self._rows = list(findings)
        if findings and self.cursor_row != row:
            self.move_cursor(row=min(max(row, 0), len(findings) - 1), animate=False)
