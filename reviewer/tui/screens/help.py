"""The keys in force: binding id, keys and what each does."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Label

from reviewer.paths import user_keymap_path
from reviewer.tui.screens.modal import Dialog


class HelpModal(Dialog):
    """The active keymap: binding id, keys and what each does."""

    BINDINGS = [Binding("q,question_mark", "cancel", "Close", show=False)]

    def __init__(self, rows: list[tuple[str, str, str]], keymap_name: str) -> None:
        super().__init__(classes="dialog-screen")
        self._rows = rows
        self._keymap_name = keymap_name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide tall"):
            yield Label(Text(f"Keys (keymap: {self._keymap_name})"), classes="dialog-title")
            yield DataTable(cursor_type="row", id="help-table")
            yield Label(
                Text(f"Change keys in {user_keymap_path()} · escape closes"),
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        table = self.query_one("#help-table", DataTable)
        table.add_column(Text("Id"), key="id")
        table.add_column(Text("Keys"), key="keys")
        # The descriptions wrap in the room the id and key columns leave, not cut off.
        dialog = min(100, int(self.app.size.width * 0.95)) - 6  # .dialog.wide less border, padding
        id_width = max(len(r[0]) for r in self._rows) + 2
        keys_width = max(len(r[1]) for r in self._rows) + 2
        room = max(12, dialog - id_width - keys_width - 6)
        table.add_column(Text("Action"), key="description", width=room)
        for bid, keys, description in self._rows:
            table.add_row(
                Text(bid), Text(keys, style="bold"), Text(description), key=bid, height=None
            )
        table.focus()
