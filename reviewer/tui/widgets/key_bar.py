"""The key bar: one line at the foot of the review screen naming the keys that act there.

It shows the screen's active bindings that are marked to be shown, the first key of each
action with its description (dimmed while the action cannot be used, e.g. an edit in a
read-only review), and the command palette's key on the right. Clicking a key presses it.

One widget drawing one line: Textual's own footer mounts a widget per key and mounts them
again whenever the bindings change, which cost the review screen about 20 ms before its
first frame and 50 ms after it, on every letter opened.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class KeyHint(NamedTuple):
    """One key the bar shows: the key as pressed, as shown, what it does, whether it can."""

    key: str
    shown: str
    description: str
    enabled: bool


class KeyBar(Widget, can_focus=False):
    """The keys of the screen's active bindings, on one line (styles in app.tcss)."""

    COMPONENT_CLASSES = {
        "key-bar--key",
        "key-bar--description",
        "key-bar--disabled",
        "key-bar--hover",
    }

    GAP = " "  # between one key's description and the next key
    PALETTE_SEP = "▏"  # before the command palette's key, on the right

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.hints: tuple[KeyHint, ...] = ()
        self.palette: KeyHint | None = None
        self.drawn: list[tuple[int, int, KeyHint]] = []  # the cells each hint took, as last drawn
        self.hovered: KeyHint | None = None  # the key under the mouse pointer

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.read_bindings()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen:
            self.read_bindings()

    def read_bindings(self) -> None:
        """Take the keys to show from the screen's active bindings, and redraw if they changed."""
        app = self.app
        hints: list[KeyHint] = []
        seen: set[str] = set()
        palette: KeyHint | None = None
        for key, (_node, binding, enabled, _tooltip) in self.screen.active_bindings.items():
            if app.ENABLE_COMMAND_PALETTE and key == app.COMMAND_PALETTE_BINDING:
                palette = KeyHint(key, app.get_key_display(binding), binding.description, enabled)
            elif binding.show and binding.action not in seen:
                seen.add(binding.action)
                shown = app.get_key_display(binding)
                hints.append(KeyHint(binding.key, shown, binding.description, enabled))
        if (tuple(hints), palette) != (self.hints, self.palette):
            self.hints, self.palette = tuple(hints), palette
            self.refresh()

    def render(self) -> Text:
        width = self.size.width
        key_style = self.get_component_rich_style("key-bar--key")
        text_style = self.get_component_rich_style("key-bar--description")
        dim = self.get_component_rich_style("key-bar--disabled")
        hover = self.get_component_rich_style("key-bar--hover")

        def drawn(hint: KeyHint) -> Text:
            text = Text.assemble((hint.shown, key_style), (" " + hint.description, text_style))
            if not hint.enabled:
                text.stylize(dim)
            if hint == self.hovered:
                text.stylize(hover)
            return text

        right = Text()
        if self.palette is not None:
            right = drawn(self.palette)
            right = Text(self.PALETTE_SEP, style=text_style) + right
        room = max(0, width - right.cell_len)
        line = Text(no_wrap=True, overflow="crop")
        spans: list[tuple[int, int, KeyHint]] = []
        for hint in self.hints:
            piece = drawn(hint)
            start = line.cell_len + (len(self.GAP) if spans else 0)
            if start + piece.cell_len > room:
                break
            if spans:
                line.append(self.GAP)
            line.append_text(piece)
            spans.append((start, start + piece.cell_len, hint))
        line.pad_right(room - line.cell_len)
        if self.palette is not None and right.cell_len <= width:
            start = line.cell_len + 1  # after the separator
            spans.append((start, start + right.cell_len - 1, self.palette))
            line.append_text(right)
        self.drawn = spans
        return line

    def hint_at(self, x: int) -> KeyHint | None:
        """The key drawn at cell `x` of the bar, if any."""
        return next((h for start, end, h in self.drawn if start <= x < end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._hover(self.hint_at(event.x))

    def on_leave(self, event: events.Leave) -> None:
        self._hover(None)

    def _hover(self, hint: KeyHint | None) -> None:
        if hint != self.hovered:
            self.hovered = hint
            self.refresh()

    def on_click(self, event: events.Click) -> None:
        hint = self.hint_at(event.x)
        if hint is None:
            return
        event.stop()
        if hint.enabled:
            self.app.simulate_key(hint.key)
        else:
            self.app.bell()
