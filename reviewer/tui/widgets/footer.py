"""The review screen's footer: Textual's footer, rebuilt only when what it shows changes."""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer


class ReviewFooter(Footer):
    """The keys of the actions at hand, as Textual's footer shows them.

    Textual's footer rebuilds all its keys each time the screen's bindings may have changed:
    on focus, on each screen of the stack, on every ``refresh_bindings``. Opening a letter
    asks that half a dozen times for the same keys, and each rebuild (18 widgets styled and
    laid out) costs about 20 ms. Here a rebuild happens only when the keys it would show,
    their labels or whether they are enabled differ from those shown.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple[object, ...] | None = None

    def shows(self) -> tuple[object, ...]:
        """What the footer would show now: each shown binding's key, label, action and state,
        and whether the command palette's key is added."""
        app = self.app
        keys = tuple(
            (
                binding.key,
                app.get_key_display(binding),
                binding.description,
                binding.action,
                enabled,
                tooltip,
                binding.group,
            )
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )
        return (keys, self.show_command_palette and app.ENABLE_COMMAND_PALETTE)

    async def recompose(self) -> None:
        """Rebuild the keys if what they show has changed since they were built."""
        if not self.is_attached:
            return
        shown = self.shows()
        if shown == self._shown:
            return
        self._shown = shown
        await super().recompose()
