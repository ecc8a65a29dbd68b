"""The review screen's key bindings: a binding made from each action of the keymap, and
which actions change the review (dimmed in the key bar while it is read-only)."""

from __future__ import annotations

from textual.binding import Binding

from reviewer.tui.keymap import Action

# Actions that change the review; dimmed in the key bar when the review is read-only.
EDITING = frozenset(
    {
        "confirm",
        "edit_text",
        "edit_note",
        "split",
        "merge",
        "delete",
        "add",
        "rebound",
        "move_edge",
        "snap",
        "metadata",
        "undo",
        "redo",
        "complete",
        "category",
        "themes",
        "promote",
        "edit_letter_note",
    }
)


def binding_of(a: Action) -> Binding:
    """The Textual binding of a keymap action, with its stable id."""
    return Binding(
        a.keys,
        a.action,
        a.description,
        show=a.show,
        id=a.id,
        priority=a.action == "switch_pane",
        tooltip=a.help,
    )
