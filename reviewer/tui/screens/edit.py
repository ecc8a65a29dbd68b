"""Text editors: a finding's text (several lines) and one-line input (note, search, file name).

Untrusted text only ever enters the widgets as values, never as markup.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, TextArea

from reviewer.sanitize import sanitize, sanitize_line
from reviewer.tui.screens.modal import Dialog


class Editor(TextArea):
    """A TextArea where ctrl+home and ctrl+end move the cursor (not only the view) to the start
    and end of the text, so typing after them goes there."""

    BINDINGS = [
        Binding("ctrl+home", "document_start", "Start", show=False),
        Binding("ctrl+end", "document_end", "End", show=False),
        Binding("ctrl+shift+home", "document_start(True)", "Select to start", show=False),
        Binding("ctrl+shift+end", "document_end(True)", "Select to end", show=False),
    ]

    def action_document_start(self, select: bool = False) -> None:
        self.move_cursor((0, 0), select=select)

    def action_document_end(self, select: bool = False) -> None:
        self.move_cursor(self.document.end, select=select)


class TextEditModal(Dialog):
    """Edit a finding's text in a TextArea; ctrl+s applies, escape cancels."""

    KEEPS_EARLY_KEYS = True

    BINDINGS = [Binding("ctrl+s", "apply", "Apply", show=False)]

    def __init__(self, title: str, text: str) -> None:
        super().__init__(classes="dialog-screen")
        self._title = title
        self._text = sanitize(text)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(Text(self._title), classes="dialog-title")
            yield Editor(self._text, soft_wrap=True, id="editor")
            yield Label(Text("ctrl+s apply · escape cancel"), classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Apply", variant="primary", id="apply")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#editor", TextArea).focus()

    def action_apply(self) -> None:
        self.dismiss(self.query_one("#editor", TextArea).text)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "apply":
            self.action_apply()
        else:
            self.dismiss(None)


class InputModal(Dialog):
    """One line of input: a note, a search, a file name. Enter applies, escape cancels."""

    KEEPS_EARLY_KEYS = True

    BINDINGS = [Binding("ctrl+s", "apply", "Apply", show=False)]

    def __init__(
        self,
        title: str,
        value: str = "",
        placeholder: str = "",
        hint: str = "",
        *,
        select: bool = False,
    ) -> None:
        """`select`: the value starts selected, so typing replaces it (a search); otherwise
        the cursor starts at its end, so typing adds to it (a note)."""
        super().__init__(classes="dialog-screen")
        self._select = select
        self._title = title
        self._value = sanitize_line(value)
        self._placeholder = placeholder
        self._hint = hint or "enter apply · escape cancel"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(self._title), classes="dialog-title")
            yield Input(
                self._value,
                placeholder=self._placeholder,
                id="value",
                select_on_focus=self._select,
            )
            yield Label(Text(self._hint), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#value", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_apply(self) -> None:
        """ctrl+s applies here as in the other dialogs."""
        self.dismiss(self.query_one("#value", Input).value)
