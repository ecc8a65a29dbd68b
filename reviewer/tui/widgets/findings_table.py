"""The findings table: one line per finding, drawn on demand with Textual's Line API.

Only the rows on screen are rendered (and kept, per row, until that row changes), so a review
of 2,000 findings shows at once and a correction repaints one line. Every cell is plain text
styled here, never markup. The Text column takes whatever width the others leave.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress, count
from operator import is_not

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.actions import SkipAction
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

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
_FIXED = {"themes": 9, "status": 9, "note": 1}
_GAP = 1  # a space after each column
_MIN_TEXT = 12
_ROOMY_TEXT = 40  # full category labels only while the Text column keeps this much
_PREVIEW = 400  # characters of a finding kept for its cell: more never fits on screen
_STATUS_STYLE = {"auto": "dim", "orphan": "bold red", "changed": "bold yellow"}


def clip(text: str, width: int) -> str:
    """`text` in exactly `width` cells: padded, or cut with an ellipsis."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"


def short_label(scheme: Scheme, category_id: str, width: int = 12) -> str:
    """A category's label for a narrow column: the scheme's `short` when it gives one, else
    the label or the id in words when either fits `width`, else the id's first word."""
    for raw in scheme.raw.get("categories", ()):
        if isinstance(raw, dict) and raw.get("id") == category_id:
            short = raw.get("short")
            if isinstance(short, str) and short.strip():
                return short.strip()
    words = category_id.replace("_", " ").capitalize()
    for candidate in (scheme.label_of(category_id), words):
        if cell_len(candidate) <= width:
            return candidate
    return words.split()[0]


def themes_cell(themes: Sequence[str], taxonomy: Taxonomy, width: int) -> str:
    """The first topic's label, and "+n" for the others, within `width` characters."""
    if not themes:
        return ""
    more = f"+{len(themes) - 1}" if len(themes) > 1 else ""
    label = sanitize_line(taxonomy.label_of(themes[0]))
    return clip(label, width - len(more)).rstrip() + more


class FindingsTable(ScrollView, can_focus=True):
    """Findings with category, a preview of the text, topics, status and a note marker."""

    COMPONENT_CLASSES = {
        "findings-table--header",
        "findings-table--cursor",
    }

    DEFAULT_CSS = """
    FindingsTable {
        border: round $primary-darken-2;
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: auto;
        & > .findings-table--header { text-style: bold; background: $panel; color: $foreground; }
        & > .findings-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            border: round $accent;
            background-tint: $foreground 5%;
            & > .findings-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """

    BINDINGS = [
        Binding("pageup", "page_up_row", show=False),
        Binding("pagedown", "page_down_row", show=False),
        Binding("home", "first_row", show=False),
        Binding("end", "last_row", show=False),
    ]

    # The current finding, as the screen binds it: the cursor goes there.
    current: reactive[int] = reactive(-1, init=False, repaint=False)

    class FindingHighlighted(Message):
        """The reviewer moved the table's cursor (mouse, page keys) to finding `index`."""

        def __init__(self, table: FindingsTable, index: int) -> None:
            super().__init__()
            self.table = table
            self.index = index

    def __init__(self, scheme: Scheme, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.scheme = scheme
        self.taxonomy = load_taxonomy()
        self._rows: list[Finding] = []
        self._previews: list[str | None] = []
        self._strips: dict[int, tuple[tuple[object, ...], Strip]] = {}
        self._frame: tuple[int, Style] | None = None  # see render_lines
        self.cursor_row = 0
        self._text_width = 30
        self._fitted = -1  # the width the columns were last shared out for (_fit)
        self._labels_full = {c.id: sanitize_line(c.label) for c in scheme.categories}
        self._labels_short = {
            c.id: sanitize_line(short_label(scheme, c.id)) for c in scheme.categories
        }
        self._use_short = False

    # -- size and widths -------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._rows)

    def _num_width(self) -> int:
        return max(2, len(str(len(self._rows))))

    def _category_width(self) -> int:
        labels = self._labels_short if self._use_short else self._labels_full
        return max((cell_len(v) for v in labels.values()), default=8)

    def widths(self) -> dict[str, int]:
        return dict(
            _FIXED, num=self._num_width(), category=self._category_width(), text=self._text_width
        )

    def _fit(self) -> bool:
        """Share the width out: full category labels while the text keeps room, else short.
        The rows drawn so far are kept when no column's width changed; True when one did."""
        before = (self._use_short, self._text_width, self._num_width())
        room = self._fitted = self.scrollable_content_region.width
        others = self._num_width() + sum(_FIXED.values()) + _GAP * len(COLUMNS)
        self._use_short = False
        if room - others - self._category_width() < _ROOMY_TEXT:
            self._use_short = True
        self._text_width = max(_MIN_TEXT, room - others - self._category_width())
        if (self._use_short, self._text_width, self._num_width()) == before:
            return False
        self._strips.clear()
        return True

    def _set_virtual_size(self) -> None:
        # No width: the rows fit the pane (nothing scrolls sideways), and a size that does
        # not change with the pane's lays the screen out once, not again at its first resize.
        self.virtual_size = Size(0, len(self._rows) + 1)

    def on_resize(self, event: events.Resize) -> None:
        if self._fit():
            self.refresh()
        self.scroll_to_cursor()

    # -- content ---------------------------------------------------------------------------

    def rebuild(self, findings: Sequence[Finding], row: int = 0) -> None:
        """All rows afresh (after split, merge, delete, add, undo); the cursor goes to `row`."""
        self._rows = list(findings)
        self._previews = [None] * len(self._rows)
        self._fit()
        self._set_virtual_size()
        self.cursor_row = min(max(row, 0), max(0, len(self._rows) - 1))
        self.scroll_to_cursor()
        self.refresh()

    def refresh_rows(
        self, findings: Sequence[Finding], row: int, rows: Sequence[int] | None = None
    ) -> None:
        """Repaint only the rows that changed (`rows`, when the caller knows them: nothing
        else is looked at); rebuild if rows came or went."""
        if len(findings) != len(self._rows):
            self.rebuild(findings, row)
            return
        old = self._rows
        if rows is None:  # found by identity, at C speed: a change replaces few of many
            rows = list(compress(count(), map(is_not, old, findings)))
        for i in rows:
            new = findings[i]
            if old[i] is not new:
                shown_differently = old[i] != new
                old[i] = new
                if shown_differently:
                    self._previews[i] = None
                    self._refresh_row(i)
        self.move_cursor(row)

    def _refresh_row(self, i: int) -> None:
        self._strips.pop(i, None)
        y = i - self.scroll_offset.y + 1  # the row's line on screen, below the header
        if 0 < y < self.size.height:
            self.refresh_line(i + 1)  # a line of the scrolled content, as Textual counts

    def watch_current(self, current: int) -> None:
        self.move_cursor(current)

    def move_cursor(self, row: int) -> None:
        """Put the cursor on a row and scroll it into view; posts nothing."""
        if not self._rows:
            return
        row = min(max(row, 0), len(self._rows) - 1)
        if row != self.cursor_row:
            old, self.cursor_row = self.cursor_row, row
            self._refresh_row(old)
            self._refresh_row(row)
        self.scroll_to_cursor()

    def scroll_to_cursor(self) -> None:
        """Bring the cursor into view; a cursor that left it comes back in the middle.

        Stepping through the findings then scrolls the table once every half a screen, not
        at every key: a scroll makes Textual lay the screen out and repaint the whole table
        (and the rows beside it), the largest cost of a decision key after the letter's."""
        visible = max(1, self.scrollable_content_region.height - 1)
        top = self.scroll_offset.y
        if self.cursor_row < top or self.cursor_row >= top + visible:
            y = max(0, self.cursor_row - visible // 2)
            self.scroll_to(y=y, animate=False, immediate=True)

    # The arrow keys are the screen's (finding.next, finding.previous: the keymap decides);
    # the scrolling container this table is would otherwise take them to scroll the view.
    def action_scroll_up(self, *args: object, **kwargs: object) -> None:
        raise SkipAction()

    def action_scroll_down(self, *args: object, **kwargs: object) -> None:
        raise SkipAction()

    def action_scroll_left(self, *args: object, **kwargs: object) -> None:
        raise SkipAction()

    def action_scroll_right(self, *args: object, **kwargs: object) -> None:
        raise SkipAction()

    def _user_move(self, row: int) -> None:
        if self._rows:
            self.move_cursor(row)
            self.post_message(self.FindingHighlighted(self, self.cursor_row))

    def action_page_up_row(self) -> None:
        self._user_move(self.cursor_row - max(1, self.scrollable_content_region.height - 2))

    def action_page_down_row(self) -> None:
        self._user_move(self.cursor_row + max(1, self.scrollable_content_region.height - 2))

    def action_first_row(self) -> None:
        self._user_move(0)

    def action_last_row(self) -> None:
        self._user_move(len(self._rows) - 1)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        row = offset.y - 1 + self.scroll_offset.y
        if row < len(self._rows):
            self._user_move(row)

    # -- cells -----------------------------------------------------------------------------

    def _preview(self, i: int) -> str:
        preview = self._previews[i]
        if preview is None:
            preview = self._previews[i] = sanitize_line(self._rows[i].text[:_PREVIEW])
        return preview

    def cells(self, i: int) -> list[tuple[str, str]]:
        """Row `i` as (text, style) per column, each text exactly its column's width."""
        f = self._rows[i]
        w = self.widths()
        cat = self.scheme.by_id.get(f.category)
        labels = self._labels_short if self._use_short else self._labels_full
        status = f.anchor if f.anchor in ("orphan", "changed") else f.status
        return [
            (f"{i + 1:>{w['num']}}", ""),
            (
                clip(labels.get(f.category, f.category), w["category"]),
                cat.colour if cat else "#888888",
            ),
            (clip(self._preview(i), w["text"]), ""),
            (clip(themes_cell(f.themes, self.taxonomy, w["themes"]), w["themes"]), "italic"),
            (clip(status, w["status"]), _STATUS_STYLE.get(status, "")),
            (clip("✎" if f.note else "", w["note"]), ""),
        ]

    def cell(self, i: int, column: str) -> str:
        """What row `i` shows in a column, without the padding."""
        return self.cells(i)[COLUMNS.index(column)][0].rstrip()

    # -- rendering -------------------------------------------------------------------------

    def _line(
        self, parts: list[tuple[str, str]], width: int, base: Style, over: Style | None
    ) -> Strip:
        segments = []
        for text, style in parts:
            s = base + Style.parse(style) if style else base
            if over is not None:
                s = s + over
            segments.append(Segment(text, s))
            segments.append(Segment(" " * _GAP, base + over if over is not None else base))
        return Strip(segments).adjust_cell_length(width, base + over if over else base)

    def render_lines(self, crop: Region) -> list[Strip]:
        if self.scrollable_content_region.width != self._fitted:
            self._fit()  # the first paint comes before the first resize: fitted to its width
        # What every row of one paint shares, looked up once rather than once per row.
        self._frame = (self.scrollable_content_region.width, self.rich_style)
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def render_line(self, y: int) -> Strip:
        frame = self._frame
        if frame is None:
            frame = (self.scrollable_content_region.width, self.rich_style)
        width, base = frame
        if y == 0:
            header = base + self.get_component_rich_style("findings-table--header")
            w = self.widths()
            parts = [(clip(LABELS[k], w[k]), "") for k in COLUMNS]
            return self._line(parts, width, header, None)
        i = self.scroll_offset.y + y - 1
        if i >= len(self._rows):
            return Strip.blank(width, base)
        current = i == self.cursor_row
        key = (width, current, self.has_focus, base)
        cached = self._strips.get(i)
        if cached is not None and cached[0] == key:
            return cached[1]
        over = self.get_component_rich_style("findings-table--cursor") if current else None
        strip = self._line(self.cells(i), width, base, over)
        self._strips[i] = (key, strip)
        return strip

    def on_focus(self) -> None:
        self._refresh_row(self.cursor_row)

    def on_blur(self) -> None:
        self._refresh_row(self.cursor_row)
