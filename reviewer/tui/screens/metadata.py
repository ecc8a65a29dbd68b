"""The details form.

The form shows what the document's scheme declares (reviewer/review/details.py holds its
state): the family's own details fields, the council chosen from the register by typing,
and a report's judgements of its framework, each graded with one key.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Checkbox, Input, Label, OptionList, Select, Static

from reviewer.review.details import (
    GradeSheet,
    council_keys,
    council_label,
    council_of,
    form_fields,
    format_metadata,
    has_judgements,
    offers_no_priority_actions,
    parse_metadata,
)
from reviewer.sanitize import sanitize_line
from reviewer.segment import authorities
from reviewer.segment.authorities import Authority
from reviewer.segment.scheme import Scheme
from reviewer.tui.screens.modal import Dialog

LABEL_WIDTH = 60  # the judgements' labels, at most (a longer one is cut)


class GradeRow(Static, can_focus=True):
    """One judgement and its grade; the form sets the grade from the key pressed here."""

    def __init__(self, key: str, label: str, width: int = 0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.judgement = key
        self.label = label
        self.width = width  # the labels' column, so the grades line up

    def show(self, grade: str | None) -> None:
        label = sanitize_line(self.label)
        if self.width:
            label = label[: self.width].ljust(self.width)
        text = Text(label, style="bold")
        text.append("  ")
        text.append(sanitize_line(grade) if grade else "(none)", style="" if grade else "dim")
        self.update(text)


class MetadataModal(Dialog):
    """The details form; a bad date or an unknown council keeps it open with a message.

    The council is chosen by typing part of its name, its LA code or GSS code (small slips
    allowed): up and down pick among the matches, and the written authority stays as it is
    unless edited. A report's judgements are those of its framework (a list to switch it
    when the family has several); on a judgement, a grade's key (1 the best) sets it and 0
    takes it away.
    """

    BINDINGS = [Binding("ctrl+s", "apply", "Apply", show=False)]

    def __init__(self, letter: dict[str, Any], scheme: Scheme | None = None) -> None:
        super().__init__(classes="dialog-screen")
        self._fields = form_fields(letter, scheme)
        self._values = format_metadata(letter, self._fields)
        self._npa = letter.get("no_priority_actions")
        self._show_npa = offers_no_priority_actions(letter, scheme)
        self._council = council_of(letter)
        self._council_typed = self._council.name if self._council is not None else ""
        self._matches: list[Authority] = []
        self._show_judgements = has_judgements(letter, scheme)
        self.sheet = GradeSheet(letter, scheme)
        self._scheme = scheme

    def compose(self) -> ComposeResult:
        short = self._scheme.short if self._scheme is not None else ""
        with Vertical(classes="dialog wide tall"):
            yield Label(Text(f"Details · {short}" if short else "Details"), classes="dialog-title")
            # The error sits above the form, never over its fields.
            yield Static(Text(""), id="form-error")
            with VerticalScroll(id="form"):
                for f in self._fields:
                    yield Label(Text(f.label), classes="field-label")
                    yield Input(self._values[f.key], id=f"field-{f.key}")
                    if f.key == "authority":
                        yield from self._council_fields()
                if self._show_npa:  # priority actions stated absent: the old letters only
                    yield Checkbox(
                        "No priority actions", bool(self._npa), id="field-no_priority_actions"
                    )
                if self._show_judgements:
                    yield from self._judgement_fields()
            yield Label(
                Text("enter or ctrl+s apply · tab next field · escape cancel"),
                classes="dialog-hint",
            )

    def _council_fields(self) -> ComposeResult:
        yield Label(
            Text("Council (type its name, LA code or GSS code; up/down choose)"),
            classes="field-label",
        )
        yield Input(self._council_typed, id="field-council")
        yield Static(Text(council_label(self._council)), id="council-chosen")
        matches = OptionList(id="council-matches")
        matches.can_focus = False  # up and down in the council field move its highlight
        matches.display = False
        yield matches

    def _judgement_fields(self) -> ComposeResult:
        sheet = self.sheet
        yield Label(Text("Judgements"), classes="field-label judgements-title")
        if len(sheet.frameworks) > 1:
            yield Select(
                [(sanitize_line(f.label), f.id) for f in sheet.frameworks],
                value=sheet.framework.id,
                allow_blank=False,
                id="framework",
            )
        yield Static(Text(sheet.key_hint()), id="grade-keys", classes="dialog-hint")
        keys = list(dict.fromkeys(sheet.keys + [k for f in sheet.frameworks for k in f.judgements]))
        width = min(LABEL_WIDTH, max(len(sheet.label(k)) for k in keys))
        for key in keys:
            label = sheet.label(key)
            row = GradeRow(key, label, width, id=f"judgement-{key}", classes="judgement")
            row.show(sheet.grades.get(key))
            row.display = key in sheet.keys
            yield row

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#field-authority", Input).focus()

    # -- the council ---------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "field-council":
            return
        event.stop()
        typed = event.value.strip()
        matches = self.query_one("#council-matches", OptionList)
        self._matches = authorities.search(typed) if typed != self._council_typed else []
        matches.clear_options()
        matches.add_options([sanitize_line(council_label(a)) for a in self._matches])
        matches.display = bool(self._matches)
        if self._matches:
            matches.highlighted = 0
        self._show_choice()

    def _chosen(self) -> Authority | None:
        """The council the typing chose: the highlighted match."""
        if not self._matches:
            return None
        at = self.query_one("#council-matches", OptionList).highlighted or 0
        return self._matches[at]

    def _show_choice(self) -> None:
        typed = self.query_one("#field-council", Input).value.strip()
        if typed == self._council_typed:
            label = council_label(self._council)
        elif not typed:
            label = "no council: its codes are removed"
        elif self._matches:
            label = "→ " + council_label(self._chosen())
        else:
            label = f"no council in the register matches '{typed}'"
        self.query_one("#council-chosen", Static).update(Text(sanitize_line(label)))

    def on_key(self, event: events.Key) -> None:
        focused = self.focused
        if isinstance(focused, GradeRow):
            if event.key == "enter":
                event.stop()
                self.action_apply()
            elif self.sheet.press(event.key, focused.judgement):
                event.stop()
                focused.show(self.sheet.grades.get(focused.judgement))
                self.focus_next()  # the next judgement: a report's grades, one key each
            return
        in_council = isinstance(focused, Input) and focused.id == "field-council"
        if in_council and self._matches and event.key in ("up", "down"):
            event.stop()
            matches = self.query_one("#council-matches", OptionList)
            step = 1 if event.key == "down" else -1
            at = (matches.highlighted or 0) + step
            matches.highlighted = max(0, min(len(self._matches) - 1, at))
            self._show_choice()

    # -- judgements ----------------------------------------------------------------------------

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id != "framework" or not isinstance(event.value, str):
            return
        event.stop()
        self.sheet.switch(event.value)
        shown = self.sheet.keys
        rows = {row.judgement: row for row in self.query(GradeRow)}
        for row in rows.values():
            row.display = row.judgement in shown
        form = self.query_one("#form", VerticalScroll)
        for before, after in zip(shown, shown[1:], strict=False):  # in the framework's order
            form.move_child(rows[after], after=rows[before])
        self.query_one("#grade-keys", Static).update(Text(self.sheet.key_hint()))

    # -- applying ------------------------------------------------------------------------------

    def _error(self, message: str) -> None:
        error = self.query_one("#form-error", Static)
        error.update(Text(sanitize_line(message), style="bold red"))
        error.display = True

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_apply()

    def action_apply(self) -> None:
        values = {f.key: self.query_one(f"#field-{f.key}", Input).value for f in self._fields}
        try:
            parsed = parse_metadata(values, self._fields)
        except ValueError as err:
            self._error(str(err))
            return
        if self.query("#field-council"):
            typed = self.query_one("#field-council", Input).value.strip()
            if typed != self._council_typed:
                chosen = self._chosen()
                if typed and chosen is None:
                    self._error(
                        f"no council in the register matches '{typed}'; type part of its "
                        "name, its LA code or its GSS code"
                    )
                    return
                parsed.update(council_keys(chosen))
        if self._show_npa:
            npa = self.query_one("#field-no_priority_actions", Checkbox).value
            parsed["no_priority_actions"] = (
                True if npa else (False if self._npa is not None else None)
            )
        if self._show_judgements:
            judgements = self.sheet.result()
            if judgements != self.sheet.before:
                parsed["judgements"] = judgements or None
        self.dismiss(parsed)
