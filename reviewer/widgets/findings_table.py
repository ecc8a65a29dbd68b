"""The findings table: one row per finding, every cell a `rich.Text` (never markup)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable

from ..model import Finding
from ..sanitize import sanitize_line
from ..scheme import Scheme

COLUMNS = ("num", "category", "section", "text", "status", "note")
_FIXED = {"num": 3, "category": 18, "section": 9, "status": 9, "note": 1}
_GAP = 1  # a space after each column (cell padding is 0)
_MIN_TEXT = 12


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def short_section(section: str) -> str:
    return sanitize_line(section).strip()


class FindingsTable(DataTable):
    """Findings with category, section, a preview of the text, status and a note marker."""

    DEFAULT_CSS = """
    FindingsTable { border: round $primary-darken-2; }
    FindingsTable:focus { border: round $accent; }
    """

    def __init__(self, scheme: Scheme, *, id: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, cell_padding=0, id=id)
        self.scheme = scheme
        self._rows: list[Finding] = []
        self._text_width = 30
        self._category_width = min(_FIXED["category"], max(len(c.label) for c in scheme.categories))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # enter confirms the finding (an app binding); it does not "select" the row
        if action == "select_cursor":
            return False
        return super().check_action(action, parameters)

    def _fit_text_width(self) -> int:
        width = self.scrollable_content_region.width or self.size.width
        fixed = sum(_FIXED.values()) - _FIXED["category"] + self._category_width
        pad = _GAP * len(COLUMNS)
        return max(_MIN_TEXT, width - fixed - pad)

    def on_resize(self) -> None:
        width = self._fit_text_width()
        if width != self._text_width and self._rows:
            self._text_width = width
            self.rebuild(self._rows, self.cursor_row)

    def cells(self, i: int, f: Finding) -> list[Text]:
        cat = self.scheme.by_id.get(f.category)
        colour = cat.colour if cat else "#888888"
        status = "orphan" if f.anchor == "orphan" else f.status
        status_style = {"auto": "dim", "orphan": "bold red"}.get(status, "")
        return [
            Text(f"{i + 1:>{_FIXED['num']}}"),
            Text(_clip(self.scheme.label_of(f.category), self._category_width), style=colour),
            Text(_clip(short_section(f.section), _FIXED["section"]), style="dim"),
            Text(_clip(sanitize_line(f.text), self._text_width), no_wrap=True),
            Text(status, style=status_style),
            Text("✎" if f.note else ""),
        ]

    def rebuild(self, findings: Sequence[Finding], row: int = 0) -> None:
        """All rows afresh (after split, merge, delete, add, undo); the cursor goes to `row`."""
        self._text_width = self._fit_text_width()
        self.clear(columns=True)
        widths = dict(_FIXED, category=self._category_width, text=self._text_width)
        labels = {
            "num": "#",
            "category": "Category",
            "section": "Section",
            "text": "Text",
            "status": "Status",
            "note": "✎",
        }
        for key in COLUMNS:
            self.add_column(Text(labels[key]), width=widths[key] + _GAP, key=key)
        for i, f in enumerate(findings):
            self.add_row(*self.cells(i, f), key=str(i))
        self._rows = list(findings)
        if findings:
            self.move_cursor(row=min(max(row, 0), len(findings) - 1), animate=False)

    def refresh_rows(self, findings: Sequence[Finding], row: int) -> None:
        """Update only the rows that changed; rebuild if rows came or went."""
        if len(findings) != len(self._rows):
            self.rebuild(findings, row)
            return
        for i, (old, new) in enumerate(zip(self._rows, findings, strict=True)):
            if old is new or old == new:
                continue
            for key, cell in zip(COLUMNS, self.cells(i, new), strict=True):
                self.update_cell(str(i), key, cell)
        self._rows = list(findings)
        if findings and self.cursor_row != row:
            self.move_cursor(row=min(max(row, 0), len(findings) - 1), animate=False)
