"""Modal screens: editors, the metadata form, questions, search and help.

Untrusted text (the letter's, the reviewer's notes) only ever enters widgets as values
or as `rich.Text`, never as markup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Input,
    Label,
    Select,
    SelectionList,
    Static,
    TextArea,
)
from textual.widgets.selection_list import Selection

from reviewer.sanitize import sanitize, sanitize_line
from reviewer.tui.keymap import user_keymap_path


def _plain(text: str) -> Static:
    return Static(Text(sanitize_line(text)), markup=False)


class _Modal(ModalScreen):
    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    def action_cancel(self) -> None:
        self.dismiss(None)


# -- text editors ---------------------------------------------------------------------------


class TextEditModal(_Modal):
    """Edit a finding's text in a TextArea; ctrl+s applies, escape cancels."""

    BINDINGS = [Binding("ctrl+s", "apply", "Apply", show=False)]

    def __init__(self, title: str, text: str) -> None:
        super().__init__(classes="dialog-screen")
        self._title = title
        self._text = sanitize(text)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(Text(self._title), classes="dialog-title")
            yield TextArea(self._text, soft_wrap=True, id="editor")
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


class InputModal(_Modal):
    """One line of input: a note, a search, a file name. Enter applies, escape cancels."""

    BINDINGS = [Binding("ctrl+s", "apply", "Apply", show=False)]

    def __init__(self, title: str, value: str = "", placeholder: str = "", hint: str = "") -> None:
        super().__init__(classes="dialog-screen")
        self._title = title
        self._value = sanitize_line(value)
        self._placeholder = placeholder
        self._hint = hint or "enter apply · escape cancel"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(self._title), classes="dialog-title")
            # The cursor goes to the end: typing adds to a note rather than replacing it.
            yield Input(
                self._value, placeholder=self._placeholder, id="value", select_on_focus=False
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


# -- questions ------------------------------------------------------------------------------


class QuestionModal(_Modal):
    """A question with a few answers, each with a key; escape gives None."""

    def __init__(self, question: str, answers: Iterable[tuple[str, str, str]]) -> None:
        # answers: (value, key, label)
        super().__init__(classes="dialog-screen")
        self._question = question
        self._answers = list(answers)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self._question), classes="dialog-question")
            with Horizontal(classes="dialog-buttons"):
                for i, (value, key, label) in enumerate(self._answers):
                    yield Button(
                        Text(f"{label} ({key})"),
                        id=f"answer-{value}",
                        variant="primary" if i == 0 else "default",
                    )

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    def on_key(self, event) -> None:
        for value, key, _ in self._answers:
            if event.key == key:
                event.stop()
                self.dismiss(value)
                return

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "").removeprefix("answer-"))


def quit_question() -> QuestionModal:
    return QuestionModal(
        "There are unsaved changes. Save them before quitting?",
        [
            ("save", "s", "Save and quit"),
            ("discard", "d", "Quit without saving"),
            ("cancel", "c", "Cancel"),
        ],
    )


def leave_question(where: str) -> QuestionModal:
    """Asked before going to another letter of the queue with unsaved changes."""
    return QuestionModal(
        f"There are unsaved changes. Save them before going to the {where} letter?",
        [
            ("save", "s", "Save and go"),
            ("discard", "d", "Go without saving"),
            ("cancel", "c", "Cancel"),
        ],
    )


def journal_question() -> QuestionModal:
    return QuestionModal(
        "Unsaved work from a session that ended unexpectedly was found. Restore it?",
        [("yes", "y", "Restore"), ("no", "n", "Start from the saved review")],
    )


# -- the letter's details -------------------------------------------------------------------

TEXT_FIELDS = (
    ("authority", "Authority"),
    ("inspection_title", "Inspection title"),
    ("recipient_name", "Recipient name"),
    ("recipient_role", "Recipient role"),
    ("inspector_name", "Inspector name"),
    ("inspector_role", "Inspector role"),
    ("previous_inspection", "Previous inspection"),
    ("legal_basis", "Legal basis"),
)
FORM_FIELDS = (
    ("authority", "Authority"),
    ("letter_date", "Letter date (YYYY-MM-DD)"),
    ("inspection_dates", "Inspection dates (YYYY-MM-DD, comma separated)"),
    *TEXT_FIELDS[1:],
    ("copy_to", "Copy to (separate with ';')"),
)


def _date(text: str, label: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"{label}: '{text.strip()}' is not a date; write it as YYYY-MM-DD"
        ) from None


def format_metadata(letter: dict[str, Any]) -> dict[str, str]:
    """The form's text for each field."""
    out: dict[str, str] = {}
    for key, _ in FORM_FIELDS:
        value = letter.get(key)
        if value is None:
            out[key] = ""
        elif key == "letter_date" and isinstance(value, dt.date):
            out[key] = value.isoformat()
        elif key == "inspection_dates":
            out[key] = ", ".join(d.isoformat() if isinstance(d, dt.date) else str(d) for d in value)
        elif key == "copy_to":
            out[key] = "; ".join(sanitize_line(str(c)) for c in value)
        else:
            out[key] = sanitize_line(str(value))
    return out


def parse_metadata(values: dict[str, str]) -> dict[str, Any]:
    """The form's text back to metadata values; ValueError (one line) on a bad date."""
    out: dict[str, Any] = {}
    for key, label in FORM_FIELDS:
        raw = values.get(key, "").strip()
        if key == "letter_date":
            out[key] = _date(raw, "Letter date") if raw else None
        elif key == "inspection_dates":
            parts = [p for p in (x.strip() for x in raw.replace(";", ",").split(",")) if p]
            out[key] = [_date(p, "Inspection dates") for p in parts]
        elif key == "copy_to":
            out[key] = [p for p in (x.strip() for x in raw.replace("\n", ";").split(";")) if p]
        else:
            out[key] = " ".join(raw.split())
        del label
    return out


# Judgements of an inspection report, in the order the header shows them.
JUDGEMENTS = (
    ("overall_effectiveness", "Overall effectiveness", "Overall"),
    ("leaders", "Impact of leaders", "Leaders"),
    ("help_and_protection", "Children who need help and protection", "Help and protection"),
    (
        "children_in_care_and_care_leavers",
        "Children in care and care leavers",
        "In care and care leavers",
    ),
    ("children_looked_after", "Children looked after", "Looked after"),
    ("children_in_care", "Children in care", "In care"),
    ("care_leavers", "Care leavers", "Care leavers"),
    ("adoption_performance", "Adoption performance", "Adoption"),
)
GRADES = ("Outstanding", "Good", "Requires improvement to be good", "Inadequate")
SHORT_GRADES = {"Requires improvement to be good": "Requires improvement"}


def judgement_fields(judgements: dict[str, Any]) -> list[tuple[str, str]]:
    """The judgement rows a report's form shows: the usual four (in care split as the
    report has it), then any other judgement the report has."""
    keys = ["overall_effectiveness", "leaders", "help_and_protection"]
    if "children_in_care" in judgements or "care_leavers" in judgements:
        keys += ["children_in_care", "care_leavers"]
    elif "children_looked_after" in judgements:
        keys.append("children_looked_after")
    else:
        keys.append("children_in_care_and_care_leavers")
    keys += [k for k, *_ in JUDGEMENTS if k in judgements and k not in keys]
    labels = {k: label for k, label, _ in JUDGEMENTS}
    keys += [k for k in judgements if k not in keys]  # one this program does not know
    return [(k, labels.get(k, k.replace("_", " ").capitalize())) for k in keys]


def judgements_line(judgements: object) -> str:
    """The header's "Overall: Good · Leaders: Requires improvement · ...", or ""."""
    if not isinstance(judgements, dict) or not judgements:
        return ""
    short = {k: s for k, _, s in JUDGEMENTS}
    order = [k for k, *_ in JUDGEMENTS if k in judgements]
    order += [k for k in judgements if k not in order]
    parts = []
    for k in order:
        grade = str(judgements[k])
        name = short.get(k, k.replace("_", " ").capitalize())
        parts.append(f"{name}: {SHORT_GRADES.get(grade, grade)}")
    return " · ".join(parts)


class MetadataModal(_Modal):
    """A form for the letter's details; a bad date keeps the form open with a message.

    A report's judgements get one Select each (the four grades, or none); a letter without
    judgements has no such rows.
    """

    BINDINGS = [Binding("ctrl+s", "apply", "Apply", show=False)]

    def __init__(self, letter: dict[str, Any], report: bool = False) -> None:
        super().__init__(classes="dialog-screen")
        self._values = format_metadata(letter)
        self._npa = letter.get("no_priority_actions")
        raw = letter.get("judgements")
        self._judgements: dict[str, Any] = dict(raw) if isinstance(raw, dict) else {}
        self._show_judgements = bool(self._judgements) or report
        self._report = report

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide tall"):
            yield Label(Text("Letter details"), classes="dialog-title")
            with VerticalScroll(id="form"):
                for key, label in FORM_FIELDS:
                    yield Label(Text(label), classes="field-label")
                    yield Input(self._values[key], id=f"field-{key}")
                if not self._report:  # priority actions belong to the old letters only
                    yield Checkbox(
                        "No priority actions", bool(self._npa), id="field-no_priority_actions"
                    )
                if self._show_judgements:
                    yield Label(Text("Judgements"), classes="field-label judgements-title")
                    for key, label in judgement_fields(self._judgements):
                        grade = self._judgements.get(key)
                        options = [(g, g) for g in GRADES]
                        if grade and grade not in GRADES:
                            options.append((sanitize_line(str(grade)), str(grade)))
                        yield Label(Text(label), classes="field-label")
                        yield Select(
                            options,
                            value=grade if grade else Select.NULL,
                            prompt="(none)",
                            id=f"judgement-{key}",
                            classes="judgement",
                        )
            yield Static(Text(""), id="form-error")
            yield Label(
                Text("enter or ctrl+s apply · tab next field · escape cancel"),
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self.query_one("#field-authority", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_apply()

    def action_apply(self) -> None:
        values = {key: self.query_one(f"#field-{key}", Input).value for key, _ in FORM_FIELDS}
        try:
            parsed = parse_metadata(values)
        except ValueError as err:
            self.query_one("#form-error", Static).update(Text(str(err), style="bold red"))
            self.notify(str(err), severity="error", markup=False)
            return
        if not self._report:
            npa = self.query_one("#field-no_priority_actions", Checkbox).value
            parsed["no_priority_actions"] = (
                True if npa else (False if self._npa is not None else None)
            )
        if self._show_judgements:
            judgements = {}
            for select in self.query(".judgement").results(Select):
                key = (select.id or "").removeprefix("judgement-")
                if select.value is not Select.NULL and select.value:
                    judgements[key] = select.value
            if judgements != self._judgements:
                parsed["judgements"] = judgements or None
        self.dismiss(parsed)


# -- themes -----------------------------------------------------------------------------------


class ThemesModal(_Modal):
    """The taxonomy's themes with the finding's own ticked; gives the set chosen, or None."""

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
            yield SelectionList[str](
                *(
                    Selection(Text(sanitize_line(label)), tid, tid in self._chosen, id=tid)
                    for tid, label in rows
                ),
                id="themes",
            )
            yield Label(
                Text("space tick · enter or ctrl+s apply · escape cancel"), classes="dialog-hint"
            )

    def on_mount(self) -> None:
        self.query_one("#themes", SelectionList).focus()

    def action_apply(self) -> None:
        self.dismiss(list(self.query_one("#themes", SelectionList).selected))


# -- help -------------------------------------------------------------------------------------


class HelpModal(_Modal):
    """The active keymap: binding id, keys and what each does."""

    BINDINGS = [Binding("q,question_mark", "cancel", "Close", show=False)]

    def __init__(self, rows: list[tuple[str, str, str]], keymap_name: str) -> None:
        super().__init__(classes="dialog-screen")
        self._rows = rows
        self._keymap_name = keymap_name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide tall"):
            yield Label(Text(f"Keys (keymap: {self._keymap_name})"), classes="dialog-title")
            yield DataTable(cursor_type="row", id="help-table")
            yield Label(
                Text(f"Change keys in {user_keymap_path()} · escape closes"),
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        table = self.query_one("#help-table", DataTable)
        table.add_column(Text("Id"), key="id")
        table.add_column(Text("Keys"), key="keys")
        # The descriptions wrap in the room the id and key columns leave, not cut off.
        dialog = min(100, int(self.app.size.width * 0.95)) - 6  # .dialog.wide less border, padding
        id_width = max(len(r[0]) for r in self._rows) + 2
        keys_width = max(len(r[1]) for r in self._rows) + 2
        room = max(12, dialog - id_width - keys_width - 6)
        table.add_column(Text("Action"), key="description", width=room)
        for bid, keys, description in self._rows:
            table.add_row(
                Text(bid), Text(keys, style="bold"), Text(description), key=bid, height=None
            )
        table.focus()
