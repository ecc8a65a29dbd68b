"""The base of every dialog: a modal screen that escape closes with no answer."""

from __future__ import annotations

import time
from typing import Any

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static

from reviewer.sanitize import sanitize_line


def plain(text: str) -> Static:
    return Static(Text(sanitize_line(text)), markup=False)


# Keys are kept for a dialog this long at most, should it never become ready (seconds): long
# enough for a loaded machine, where a dialog may take seconds to be ready.
EARLY_KEYS_FOR = 10.0


class Dialog(ModalScreen[Any]):
    """A dialog; escape dismisses it with None.

    Keys typed after the one that opened the dialog, before the dialog is there to take
    them ("/child" or "a3" typed at speed), are kept (`keep_early`, called by the app) and
    given to the dialog once it is ready, in order, instead of going to the screen below.
    Only dialogs that ask for what is typed keep keys: a question must be seen to be answered.
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]
    KEEPS_EARLY_KEYS = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._opened = time.monotonic()
        self._ready = False
        self._early: list[events.Key] = []

    @property
    def takes_early_keys(self) -> bool:
        return (
            self.KEEPS_EARLY_KEYS
            and not self._ready
            and time.monotonic() - self._opened < EARLY_KEYS_FOR
        )

    def keep_early(self, event: events.Key) -> None:
        self._early.append(events.Key(event.key, event.character))

    def on_mount(self) -> None:
        self.call_after_refresh(self._take_early_keys)

    def _take_early_keys(self) -> None:
        self._ready = True
        early, self._early = self._early, []
        for key in early:
            self.app.post_message(key)

    def action_cancel(self) -> None:
        self.dismiss(None)
