"""The letter's details form, and the judgements line of a report's header.

The form is generic over the letter keys a document has: the common details always, a
family's own keys (`visit_focus`, `outcome`, `recipients`) when the letter has them, and a
report's judgements as the scheme lists them (`Scheme.judgements`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Checkbox, Input, Label, Select, Static

from reviewer.sanitize import sanitize_line
from reviewer.segment.scheme import Scheme
from reviewer.tui.screens.modal import Dialog


@dataclass(frozen=True, slots=True)
class Field:
    key: str
    label: str
    kind: str = "text"  # text | date | dates | list
    optional: bool = False  # shown only when the letter has the key


FIELDS = (
    Field("authority", "Authority"),
    Field("letter_date", "Letter date (YYYY-MM-DD)", "date"),
    Field("inspection_dates", "Inspection dates (YYYY-MM-DD, comma separated)", "dates"),
    Field("inspection_title", "Inspection title"),
    Field("recipient_name", "Recipient name"),
    Field("recipient_role", "Recipient role"),
    Field("recipients", "Recipients (separate with ';')", "list", optional=True),
    Field("inspector_name", "Inspector name"),
    Field("inspector_role", "Inspector role"),
    Field("previous_inspection", "Previous inspection"),
    Field("legal_basis", "Legal basis"),
    Field("visit_focus", "Visit focus", optional=True),
    Field("outcome", "Outcome", optional=True),
    Field("copy_to", "Copy to (separate with ';')", "list"),
)


# What every document has, whatever its family.
CORE = frozenset({"authority", "letter_date", "inspection_dates", "inspection_title"})


def form_fields(letter: dict[str, Any], scheme: Scheme | None = None) -> list[Field]:
    """The fields a document's form shows.

    The letters and reports: every common field, a family's own where present. A family the
    engine reads (focused visits, JTAI letters, area SEND reports) declares its details: the
    form shows those and the core ones, and any other the document holds, never a field its
    kind of document does not have (a JTAI letter has no single recipient's role).
    """
    spec = scheme.segment if scheme is not None else None
    if spec is not None and spec.lists == "headings":
        declared = CORE | {m.key for m in spec.metadata}
        return [f for f in FIELDS if f.key in declared or letter.get(f.key) not in (None, "", [])]
    return [f for f in FIELDS if not f.optional or letter.get(f.key) is not None]


def offers_no_priority_actions(letter: dict[str, Any], scheme: Scheme | None) -> bool:
    """The 'No priority actions' box: for a family whose scheme reads that statement (the
    unannounced-inspection letters), or a document that holds it."""
    reads_it = scheme is None or (
        scheme.segment is not None
        and any(m.key == "no_priority_actions" for m in scheme.segment.metadata)
    )
    return reads_it or letter.get("no_priority_actions") is not None


def _date(text: str, label: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"{label}: '{text.strip()}' is not a date; write it as YYYY-MM-DD"
        ) from None


def format_metadata(letter: dict[str, Any], fields: list[Field] | None = None) -> dict[str, str]:
    """The form's text for each field."""
    out: dict[str, str] = {}
    for f in fields if fields is not None else form_fields(letter):
        value = letter.get(f.key)
        if value is None:
            out[f.key] = ""
        elif f.kind == "date" and isinstance(value, dt.date):
            out[f.key] = value.isoformat()
        elif f.kind == "dates":
            out[f.key] = ", ".join(
                d.isoformat() if isinstance(d, dt.date) else str(d) for d in value
            )
        elif f.kind == "list":
            out[f.key] = "; ".join(sanitize_line(str(c)) for c in value)
        else:
            out[f.key] = sanitize_line(str(value))
    return out


def parse_metadata(values: dict[str, str], fields: list[Field] | None = None) -> dict[str, Any]:
    """The form's text back to metadata values; ValueError (one line) on a bad date."""
    out: dict[str, Any] = {}
    for f in fields if fields is not None else [x for x in FIELDS if not x.optional]:
        raw = values.get(f.key, "").strip()
        label = f.label.split(" (")[0]
        if f.kind == "date":
            out[f.key] = _date(raw, label) if raw else None
        elif f.kind == "dates":
            parts = [p for p in (x.strip() for x in raw.replace(";", ",").split(",")) if p]
            out[f.key] = [_date(p, label) for p in parts]
        elif f.kind == "list":
            out[f.key] = [p for p in (x.strip() for x in raw.replace("\n", ";").split(";")) if p]
        else:
            out[f.key] = " ".join(raw.split())
    return out


# Judgements of the inspection reports this program knew before schemes listed their own,
# in the order the header shows them: (key, label, short label).
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


def _words(key: str) -> str:
    return key.replace("_", " ").capitalize()


def judgement_fields(
    judgements: dict[str, Any], scheme: Scheme | None = None
) -> list[tuple[str, str]]:
    """The judgement rows a report's form shows: the scheme's own list when it has one, else
    the usual four (in care split as the report has it); then any other the report has."""
    labels = {k: label for k, label, _ in JUDGEMENTS}
    if scheme is not None and scheme.judgements:
        keys = [j.id for j in scheme.judgements]
        labels.update({j.id: j.label for j in scheme.judgements})
    else:
        keys = ["overall_effectiveness", "leaders", "help_and_protection"]
        if "children_in_care" in judgements or "care_leavers" in judgements:
            keys += ["children_in_care", "care_leavers"]
        elif "children_looked_after" in judgements:
            keys.append("children_looked_after")
        else:
            keys.append("children_in_care_and_care_leavers")
        keys += [k for k, *_ in JUDGEMENTS if k in judgements and k not in keys]
    keys += [k for k in judgements if k not in keys]  # one this program does not know
    return [(k, labels.get(k, _words(k))) for k in keys]


def judgements_line(judgements: object, scheme: Scheme | None = None) -> str:
    """The header's "Overall: Good · Leaders: Requires improvement · ...", or ""."""
    if not isinstance(judgements, dict) or not judgements:
        return ""
    short = {k: s for k, _, s in JUDGEMENTS}
    known = [j.id for j in scheme.judgements] if scheme is not None else []
    if scheme is not None:
        short.update({j.id: j.label for j in scheme.judgements if j.id not in short})
    order = [k for k in known if k in judgements]
    order += [k for k, *_ in JUDGEMENTS if k in judgements and k not in order]
    order += [k for k in judgements if k not in order]
    parts = []
    for k in order:
        grade = str(judgements[k])
        parts.append(f"{short.get(k, _words(k))}: {SHORT_GRADES.get(grade, grade)}")
    return " · ".join(parts)


class MetadataModal(Dialog):
    """A form for the letter's details; a bad date keeps the form open with a message.

    A report's judgements get one Select each (the four grades, or none); a letter without
    judgements has no such rows.
    """

    BINDINGS = [Binding("ctrl+s", "apply", "Apply", show=False)]

    def __init__(self, letter: dict[str, Any], scheme: Scheme | None = None) -> None:
        super().__init__(classes="dialog-screen")
        self._fields = form_fields(letter, scheme)
        self._values = format_metadata(letter, self._fields)
        self._npa = letter.get("no_priority_actions")
        raw = letter.get("judgements")
        self._judgements: dict[str, Any] = dict(raw) if isinstance(raw, dict) else {}
        self._report = scheme is not None and bool(scheme.judgements)
        self._show_judgements = bool(self._judgements) or self._report
        self._show_npa = offers_no_priority_actions(letter, scheme)
        self._scheme = scheme

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide tall"):
            yield Label(Text("Letter details"), classes="dialog-title")
            # The error sits above the form, never over its fields.
            yield Static(Text(""), id="form-error")
            with VerticalScroll(id="form"):
                for f in self._fields:
                    yield Label(Text(f.label), classes="field-label")
                    yield Input(self._values[f.key], id=f"field-{f.key}")
                if self._show_npa:  # priority actions stated absent: the old letters only
                    yield Checkbox(
                        "No priority actions", bool(self._npa), id="field-no_priority_actions"
                    )
                if self._show_judgements:
                    yield Label(Text("Judgements"), classes="field-label judgements-title")
                    for key, label in judgement_fields(self._judgements, self._scheme):
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
        values = {f.key: self.query_one(f"#field-{f.key}", Input).value for f in self._fields}
        try:
            parsed = parse_metadata(values, self._fields)
        except ValueError as err:
            error = self.query_one("#form-error", Static)
            error.update(Text(str(err), style="bold red"))
            error.display = True
            return
        if self._show_npa:
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
