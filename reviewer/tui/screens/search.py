"""The search screen: every hit of a query in the letter and the findings' notes, to jump to.

Typing searches again after a short pause, in a thread worker, so a slow regex never holds
up the keys; up/down move in the list while the cursor stays in the query; enter jumps to
the highlighted hit and escape leaves everything where it was.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from reviewer.model import Finding
from reviewer.review.search import LIMIT, Hit, Query, SearchError, find_hits
from reviewer.sanitize import sanitize_line
from reviewer.segment.scheme import Scheme
from reviewer.tui.screens.modal import Dialog

MARK = "bold reverse"
LABEL_WIDTH = 9
CATEGORY_WIDTH = 22


@dataclass(frozen=True, slots=True)
class Found:
    """The hits of one query, at most LIMIT (`more`: there were others), or its error."""

    query: Query
    hits: list[Hit] = field(default_factory=list)
    more: bool = False
    error: str = ""

    @property
    def title(self) -> str:
        n = len(self.hits)
        if self.error:
            return self.error
        if not self.query.text:
            return "type to search"
        if not n:
            return "no hits"
        if self.more:
            return f"first {LIMIT} hits"
        return "1 hit" if n == 1 else f"{n} hits"


def search(text: str, findings: Sequence[Finding], query: Query) -> Found:
    try:
        hits = find_hits(
            text,
            findings,
            query.text,
            case_sensitive=query.case_sensitive,
            regex=query.regex,
            limit=LIMIT + 1,
        )
    except SearchError as err:
        return Found(query, error=str(err))
    return Found(query, hits[:LIMIT], len(hits) > LIMIT)


@dataclass(frozen=True, slots=True)
class Chosen:
    """What the screen closed with: the query and toggles, and the hit to go to (None: stay)."""

    query: Query
    hit: Hit | None


def hit_row(hit: Hit, findings: Sequence[Finding], scheme: Scheme) -> Text:
    """One line of the list: where the hit is, the finding's category, the snippet."""
    if hit.finding is None:
        where, category = "letter", ""
    else:
        where = f"{hit.finding + 1}" + (" note" if hit.where == "note" else "")
        category = scheme.label_of(findings[hit.finding].category)
    row = Text(no_wrap=True, overflow="ellipsis")
    row.append(f"{where:<{LABEL_WIDTH}} ", style="bold")
    row.append(f"{sanitize_line(category)[:CATEGORY_WIDTH]:<{CATEGORY_WIDTH}}  ", style="dim")
    start = len(row)
    row.append(hit.snippet)
    row.stylize(MARK, start + hit.mark[0], start + hit.mark[1])
    return row


class SearchScreen(Dialog):
    """Search the letter and the findings' notes; dismisses with a `Chosen`."""

    KEEPS_EARLY_KEYS = True

    CSS_PATH = "search.tcss"
    BINDINGS = [
        # priority: a terminal sends alt+c as "c" with alt, which the Input would type
        Binding("alt+c", "toggle_case", "Case-sensitive", show=False, priority=True),
        Binding("alt+r", "toggle_regex", "Regex", show=False, priority=True),
        Binding("down", "move('cursor_down')", "Next hit", show=False),
        Binding("up", "move('cursor_up')", "Previous hit", show=False),
        Binding("pagedown", "move('page_down')", "Page down", show=False),
        Binding("pageup", "move('page_up')", "Page up", show=False),
    ]
    DEBOUNCE = 0.15  # seconds after the last key before searching

    def __init__(
        self,
        text: str,
        findings: Sequence[Finding],
        scheme: Scheme,
        query: Query,
        here: Callable[[Query], tuple[int, int]],
        say: Callable[[str, str], None],
    ) -> None:
        """`here` says, for a query, after which hit key the list starts highlighted: the
        last hit of that query, else the reviewer's place in the letter. `say` gives the
        one-line messages (the app's own, so they are recorded with the others)."""
        super().__init__(classes="dialog-screen")
        self._text = text
        self._findings = list(findings)
        self._scheme = scheme
        self._here = here
        self._say = say
        self.case_sensitive = query.case_sensitive
        self.regex = query.regex
        self._initial = sanitize_line(query.text)
        self.found = Found(Query(""))
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="search-dialog"):
            yield Label(Text("Search the letter and the findings' notes"), classes="dialog-title")
            yield Input(self._initial, id="search-query", select_on_focus=True)
            yield Static(self._toggles(), id="search-toggles", markup=False)
            yield OptionList(id="search-hits", markup=False)
            yield Label(
                Text("up/down choose · enter go to the hit · escape close"),
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self.query_one("#search-query", Input).focus()
        self._show(Found(Query("")))
        if self._initial:
            self._start()

    @property
    def input(self) -> Input:
        return self.query_one("#search-query", Input)

    @property
    def hit_list(self) -> OptionList:
        return self.query_one("#search-hits", OptionList)

    @property
    def query_now(self) -> Query:
        return Query(self.input.value, self.case_sensitive, self.regex)

    def _toggles(self) -> Text:
        line = Text()
        for key, name, on in (
            ("alt+c", "case-sensitive", self.case_sensitive),
            ("alt+r", "regex", self.regex),
        ):
            if line:
                line.append(" · ")
            line.append(f"{key} {name}: ")
            line.append("on" if on else "off", style="bold" if on else "dim")
        return line

    # -- searching ------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(self.DEBOUNCE, self._start)

    def _start(self) -> None:
        self._timer = None
        work = partial(search, self._text, self._findings, self.query_now)
        self.run_worker(work, group="search", exclusive=True, thread=True)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        result = event.worker.result
        fresh = isinstance(result, Found) and result.query == self.query_now
        if event.state == WorkerState.SUCCESS and fresh:  # not one overtaken by more typing
            assert isinstance(result, Found)
            self._show(result)

    def _show(self, found: Found) -> None:
        self.found = found
        hits = self.hit_list
        hits.set_options(Option(hit_row(h, self._findings, self._scheme)) for h in found.hits)
        hits.border_title = Text(sanitize_line(found.title))
        if found.hits:
            here = self._here(found.query)
            after = (i for i, h in enumerate(found.hits) if h.key > here)
            hits.highlighted = next(after, 0)

    def _current(self) -> Found:
        """The hits of the query as it is now, searching here if the list is behind."""
        if self.found.query != self.query_now:
            if self._timer is not None:
                self._timer.stop()
                self._timer = None
            self._show(search(self._text, self._findings, self.query_now))
        return self.found

    # -- keys -----------------------------------------------------------------------------

    def action_toggle_case(self) -> None:
        self.case_sensitive = not self.case_sensitive
        self._toggled()

    def action_toggle_regex(self) -> None:
        self.regex = not self.regex
        self._toggled()

    def _toggled(self) -> None:
        self.query_one("#search-toggles", Static).update(self._toggles())
        self._start()

    def action_move(self, how: str) -> None:
        getattr(self.hit_list, f"action_{how}")()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._go(self.hit_list.highlighted)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._go(event.option_index)

    def _go(self, index: int | None) -> None:
        if self.found.query != self.query_now:
            index = None  # the list was behind the typing: its new first choice
        found = self._current()
        if found.error:
            self._say(found.error, "warning")
            return
        if not found.hits:
            if found.query.text:
                self._say(f"Not found: {found.query.text}", "warning")
            return
        if index is None or not 0 <= index < len(found.hits):
            index = self.hit_list.highlighted or 0
        self.dismiss(Chosen(found.query, found.hits[index]))

    def action_cancel(self) -> None:
        self.dismiss(Chosen(self.query_now, None))


__all__ = ["Chosen", "Found", "SearchScreen", "hit_row", "search"]
