"""The base of every dialog: a modal screen that escape closes with no answer."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static

from reviewer.sanitize import sanitize_line


def plain(text: str) -> Static:
    return Static(Text(sanitize_line(text)), markup=False)


class Dialog(ModalScreen[Any]):
    """A dialog; escape dismisses it with None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    def action_cancel(self) -> None:
        self.dismiss(None)
