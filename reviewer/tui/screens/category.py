"""Which category a new finding gets: the scheme's categories, each with its keys."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from reviewer.sanitize import sanitize_line
from reviewer.segment.scheme import Scheme
from reviewer.tui.keymap import CATEGORY_PREFIX, normalise_key, split_keys
from reviewer.tui.screens.modal import Dialog


class CategoryModal(Dialog):
    """Gives the chosen category id (its key, or enter on a row), or None on escape."""

    KEEPS_EARLY_KEYS = True

    def __init__(self, scheme: Scheme, keys_for: Callable[[str], str]) -> None:
        super().__init__(classes="dialog-screen")
        self._scheme = scheme
        self._keys = {c.id: keys_for(CATEGORY_PREFIX + c.id) for c in scheme.categories}
        self._by_key = {
            k: c.id
            for c in scheme.categories
            for k in split_keys(self._keys[c.id].replace(" ", ""))
        }

    def compose(self) -> ComposeResult:
        width = max((len(k) for k in self._keys.values()), default=1)
        with Vertical(classes="dialog"):
            yield Label(Text("Category of the new finding"), classes="dialog-title")
            options = []
            for c in self._scheme.categories:
                prompt = Text(f"{self._keys[c.id]:>{width}}  ", style="bold")
                prompt.append(sanitize_line(c.label), style=c.colour)
                options.append(Option(prompt, id=c.id))
            yield OptionList(*options, id="categories")
            yield Label(Text("a category's key, or enter · escape cancel"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#categories", OptionList).focus()

    def on_key(self, event: events.Key) -> None:
        chosen = self._by_key.get(normalise_key(event.key))
        if chosen is not None:
            event.stop()
            self.dismiss(chosen)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)
