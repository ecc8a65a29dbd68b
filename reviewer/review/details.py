"""The details form's state, without any UI: which fields a document's form shows, their
text and back, the council chosen from the register, the judgements of the report's
framework with their grade scale, and the header's line of them.

What a family has is read from its scheme (`Scheme.details`, reviewer/segment/details.py):
the form never decides by family itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reviewer.sanitize import sanitize_line
from reviewer.segment import letter_keys
from reviewer.segment.scheme import Scheme

if TYPE_CHECKING:
    from reviewer.segment.authorities import Authority
    from reviewer.segment.details import Framework


@dataclass(frozen=True, slots=True)
class Field:
    key: str
    label: str
    kind: str = "text"  # text | date | dates | list


# The form's fields, from the one table of `[letter]` keys (reviewer/segment/letter_keys.py).
FIELDS = tuple(Field(k.key, k.label, k.kind) for k in letter_keys.KEYS if k.label)
# A scheme that declares no details (a scheme file of one's own): these, and any other
# field the document holds.
_UNDECLARED = tuple(k.key for k in letter_keys.KEYS if k.basic)
COUNCIL_KEYS = letter_keys.COUNCIL_KEYS


def _present(value: Any) -> bool:
    return value not in (None, "", [])


def form_fields(letter: dict[str, Any], scheme: Scheme | None = None) -> list[Field]:
    """The fields a document's form shows: those its scheme declares, and any other the
    document holds (nothing it has is hidden); a report has no letter date or copy list."""
    declared = set(scheme.details.keys) if scheme is not None else set()
    declared = declared or set(_UNDECLARED)
    return [f for f in FIELDS if f.key in declared or _present(letter.get(f.key))]


def offers_no_priority_actions(letter: dict[str, Any], scheme: Scheme | None) -> bool:
    """The 'No priority actions' box: for a family whose letters state it (its scheme lists
    the key) or a document that holds it."""
    if letter.get("no_priority_actions") is not None:
        return True
    return scheme is None or "no_priority_actions" in scheme.details.keys


def _date(text: str, label: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"{label}: '{text.strip()}' is not a date; write it as YYYY-MM-DD"
        ) from None


def format_metadata(letter: dict[str, Any], fields: list[Field]) -> dict[str, str]:
    """The form's text for each field."""
    out: dict[str, str] = {}
    for f in fields:
        value = letter.get(f.key)
        if value is None:
            out[f.key] = ""
        elif f.kind == "date" and isinstance(value, dt.date):
            out[f.key] = value.isoformat()
        elif f.kind == "dates" and isinstance(value, list):
            out[f.key] = ", ".join(
                d.isoformat() if isinstance(d, dt.date) else str(d) for d in value
            )
        elif f.kind == "list" and isinstance(value, list):
            out[f.key] = "; ".join(sanitize_line(str(c)) for c in value)
        else:
            out[f.key] = sanitize_line(str(value))
    return out


def parse_metadata(values: dict[str, str], fields: list[Field]) -> dict[str, Any]:
    """The form's text back to metadata values; ValueError (one line) on a bad date."""
    out: dict[str, Any] = {}
    for f in fields:
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


# -- the council -----------------------------------------------------------------------------


def council_of(letter: dict[str, Any]) -> Authority | None:
    """The register's council of a document, as stats and history count it
    (:func:`reviewer.review.council.registered_council`)."""
    from reviewer.review.council import registered_council

    return registered_council(letter)


def council_keys(council: Authority | None) -> dict[str, str | None]:
    """Every council key of `[letter]` for a council: its own, or None (removed) for none."""
    own: dict[str, str] = council.letter_keys() if council is not None else {}
    return {k: own.get(k) for k in COUNCIL_KEYS}


def council_label(council: Authority | None) -> str:
    """ "Nottinghamshire · LA 891 · E10000024 · East Midlands", or a note that there is none."""
    if council is None:
        return "no council chosen: type its name, LA code or GSS code"
    parts = [council.name, f"LA {council.la_code}" if council.la_code else ""]
    parts += [council.gss_code, council.region]
    return " · ".join(p for p in parts if p)


def written_council_keys(written: str) -> dict[str, str | None]:
    """The council keys that follow a written authority: the council it names in the
    register, or none (the codes removed, never left on another council)."""
    from reviewer.segment import authorities

    match = authorities.find(written) if written.strip() else None
    return council_keys(match.authority if match is not None else None)


# -- judgements --------------------------------------------------------------------------------


NO_GRADE_KEYS = ("0", "backspace", "delete")


def _words(key: str) -> str:
    return key.replace("_", " ").capitalize()


def frameworks_of(scheme: Scheme | None) -> tuple[Framework, ...]:
    """The scheme's frameworks; one of all its judgements (none without a scheme: the form
    then shows the judgements the document holds) on the four-point scale if it declares
    none."""
    if scheme is not None and scheme.details.frameworks:
        return scheme.details.frameworks
    keys = tuple(j.id for j in scheme.judgements) if scheme is not None else ()
    from reviewer.segment.details import FOUR_POINT, Framework, Scale

    return (Framework("judgements", "Judgements", keys, Scale("four_point", FOUR_POINT)),)


def inspection_date(letter: dict[str, Any]) -> dt.date | None:
    """When the inspection began (its first day, else the letter's date): what says which
    framework was in use."""
    from reviewer.review.council import inspection_days

    days = inspection_days(letter)
    if days:
        return days[0]
    when = letter.get("letter_date")
    return when if isinstance(when, dt.date) else None


def framework_for(letter: dict[str, Any], scheme: Scheme | None) -> Framework:
    """The report's framework: the one whose judgements hold all the report's grades and
    whose scale has them, then the one in use at the inspection date, then the scheme's
    order."""
    grades = letter.get("judgements")
    grades = grades if isinstance(grades, dict) else {}
    when = inspection_date(letter)

    def rank(f: Framework) -> tuple[bool, bool, bool, int]:
        holds = all(k in f.judgements for k in grades)
        on_scale = all(g in f.scale.grades for g in grades.values())
        dated = when is not None and f.in_use(when)
        return holds, on_scale, dated, sum(k in f.judgements for k in grades)

    return max(frameworks_of(scheme), key=rank)


def has_judgements(letter: dict[str, Any], scheme: Scheme | None) -> bool:
    """Whether the form shows judgements: the family's documents are graded, or this one is."""
    return bool(letter.get("judgements")) or (scheme is not None and bool(scheme.judgements))


class GradeSheet:
    """The judgements being edited: the framework shown, and a grade for each judgement.

    A grade is chosen by its key, the grade's place on the framework's scale ("1" the
    best); "0" (or backspace, delete) takes it away. Switching framework keeps the grades of
    the judgements the two share.
    """

    def __init__(self, letter: dict[str, Any], scheme: Scheme | None) -> None:
        raw = letter.get("judgements")
        self.before: dict[str, str] = dict(raw) if isinstance(raw, dict) else {}
        self.grades = dict(self.before)
        self.frameworks = frameworks_of(scheme)
        self.framework = framework_for(letter, scheme)
        known = scheme.judgements if scheme is not None else ()
        self._labels = {j.id: j.label for j in known}

    def label(self, key: str) -> str:
        return self._labels.get(key, _words(key))

    @property
    def keys(self) -> list[str]:
        """The judgements shown: the framework's, then any other the report holds."""
        own = list(self.framework.judgements)
        return own + [k for k in self.before if k not in own]

    def switch(self, framework_id: str) -> None:
        self.framework = next(f for f in self.frameworks if f.id == framework_id)

    def key_hint(self) -> str:
        """ "1 Outstanding · 2 Good · 3 Requires improvement · 4 Inadequate · 0 none"."""
        grades = [f"{n} {short_grade(g)}" for n, g in enumerate(self.framework.scale.grades, 1)]
        return " · ".join([*grades, "0 none"])

    def press(self, key: str, judgement: str) -> bool:
        """Set a judgement's grade by a key; False when the key chooses no grade."""
        if key in NO_GRADE_KEYS:
            self.grades.pop(judgement, None)
            return True
        scale = self.framework.scale.grades
        if key.isdigit() and 1 <= int(key) <= len(scale):
            self.grades[judgement] = scale[int(key) - 1]
            return True
        return False

    def result(self) -> dict[str, str]:
        """The grades to save: those of the judgements shown."""
        shown = set(self.keys)
        return {k: v for k, v in self.grades.items() if k in shown and v}


SHORT_GRADES = {"Requires improvement to be good": "Requires improvement"}


def short_grade(grade: str) -> str:
    return SHORT_GRADES.get(grade, grade)


def judgements_line(judgements: object, scheme: Scheme | None = None) -> str:
    """The header's "Overall: Good · Leaders: Requires improvement · ...", or "": the
    judgements in the scheme's order, by their `short` words (else their labels), then any
    other the document holds."""
    if not isinstance(judgements, dict) or not judgements:
        return ""
    known = scheme.judgements if scheme is not None else ()
    short = {j.id: j.short or j.label for j in known}
    order = [j.id for j in known if j.id in judgements]
    order += [k for k in judgements if k not in order]
    parts = []
    for k in order:
        words = short[k] if k in short else k.replace("_", " ").capitalize()
        parts.append(f"{words}: {short_grade(str(judgements[k]))}")
    return " · ".join(parts)
