"""The topics (themes) of a finding: a list to tick."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, SelectionList
from textual.widgets.selection_list import Selection

from reviewer.sanitize import sanitize_line
from reviewer.tui.screens.modal import Dialog

# One key per theme, in the list's order, so a theme is ticked with a single key.
QUICK_KEYS = "123456789abcdefghilmopqruvwxyz"


class ThemesModal(Dialog):
    """The taxonomy's themes with the finding's own ticked; gives the set chosen, or None."""

    KEEPS_EARLY_KEYS = True

    BINDINGS = [
        Binding("ctrl+s", "apply", "Apply", show=False),
        Binding("enter", "apply", "Apply", show=False, priority=True),
    ]

    def __init__(self, title: str, themes: list[tuple[str, str]], chosen: Iterable[str]) -> None:
        # themes: (id, label)
        super().__init__(classes="dialog-screen")
        self._title = title
        self._themes = themes
        self._chosen = set(chosen)

    def compose(self) -> ComposeResult:
        known = {tid for tid, _ in self._themes}
        rows = list(self._themes) + [(t, t) for t in sorted(self._chosen - known)]
        with Vertical(classes="dialog"):
            yield Label(Text(self._title), classes="dialog-title")
            self._labels = {tid: sanitize_line(label) for tid, label in rows}
            self._quick = dict(zip(QUICK_KEYS, (tid for tid, _ in rows), strict=False))
            self._key_of = {tid: key for key, tid in self._quick.items()}
            yield SelectionList[str](
                *(
                    Selection(
                        self._prompt(tid, tid in self._chosen), tid, tid in self._chosen, id=tid
                    )
                    for tid, _ in rows
                ),
                id="themes",
            )
            yield Label(
                Text("1-9, a… or space tick · enter or ctrl+s apply · escape cancel"),
                classes="dialog-hint",
            )

    def _prompt(self, tid: str, ticked: bool) -> Text:
        # ticked or not by a mark as well as by colour
        key = self._key_of.get(tid, " ")
        return Text(f"{key} " + ("✓ " if ticked else "· ") + self._labels[tid])

    def on_key(self, event: events.Key) -> None:
        tid = self._quick.get(event.character or "")
        if tid is None:
            return
        event.stop()
        event.prevent_default()
        themes = self.query_one("#themes", SelectionList)
        themes.toggle(tid)
        themes.highlighted = themes.get_option_index(tid)

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        chosen = set(event.selection_list.selected)
        for index in range(event.selection_list.option_count):
            option = event.selection_list.get_option_at_index(index)
            tid = option.id or ""
            if tid in self._labels:
                event.selection_list.replace_option_prompt_at_index(
                    index, self._prompt(tid, tid in chosen)
                )

    def on_mount(self) -> None:
        self.query_one("#themes", SelectionList).focus()

    def action_apply(self) -> None:
        self.dismiss(list(self.query_one("#themes", SelectionList).selected))
