"""The one table of a document's `[letter]` keys: what each holds, what the details form
calls it, whether a letter's envelope gives it, whether the export gives it a fixed
column, and whether it names the council.

Read by the envelope reader (which keys, in which order), the review file's checks (the
type of each value), the details form (its fields and labels), the export (its columns)
and the council's owner. A key not in the table may still be in a review file (a scheme's
own metadata); it is kept and exported as it is.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

# What a value of each kind is in a review file.
TYPES: dict[str, type] = {
    "text": str,
    "date": dt.date,
    "dates": list,  # of dates
    "list": list,  # of strings
    "flag": bool,
    "table": dict,
}


class LetterKey(NamedTuple):
    key: str
    kind: str  # one of TYPES
    label: str = ""  # its field in the details form; "" when the form does not edit it
    envelope: bool = False  # a letter's envelope gives it
    column: bool = False  # the export's every row has a column of its own for it
    council: bool = False  # it says which council the document is about (from the register)
    basic: bool = False  # the form shows it for a scheme that declares no details

    @property
    def type(self) -> type:
        return TYPES[self.kind]


# In the order of the details form, which is the order of the review file's `[letter]`
# keys; the envelope keys in it are in the order a letter gives them.
KEYS = (
    LetterKey(
        "authority", "text", "Authority (as written)", envelope=True, column=True, basic=True
    ),
    LetterKey(
        "letter_date", "date", "Letter date (YYYY-MM-DD)", envelope=True, column=True, basic=True
    ),
    LetterKey(
        "inspection_dates",
        "dates",
        "Inspection dates (YYYY-MM-DD, comma separated)",
        envelope=True,
        column=True,
        basic=True,
    ),
    LetterKey("inspection_title", "text", "Inspection title", envelope=True, basic=True),
    LetterKey("recipient_name", "text", "Recipient name", envelope=True, basic=True),
    LetterKey("recipient_role", "text", "Recipient role", envelope=True, basic=True),
    LetterKey("recipients", "list", "Recipients (separate with ';')"),
    LetterKey("inspector_name", "text", "Inspector name", envelope=True, column=True, basic=True),
    LetterKey("inspector_role", "text", "Inspector role", envelope=True, column=True, basic=True),
    LetterKey("previous_inspection", "text", "Previous inspection", basic=True),
    LetterKey("legal_basis", "text", "Legal basis", basic=True),
    LetterKey("visit_focus", "text", "Visit focus"),
    LetterKey("outcome", "text", "Outcome"),
    LetterKey("copy_to", "list", "Copy to (separate with ';')", envelope=True, basic=True),
    LetterKey("no_priority_actions", "flag"),  # a box in the form, not a text field
    LetterKey("judgements", "table"),
    LetterKey("authority_name", "text", council=True),
    LetterKey("la_code", "text", council=True),
    LetterKey("gss_code", "text", council=True),
    LetterKey("region", "text", council=True),
)
BY_KEY = {k.key: k for k in KEYS}

ENVELOPE_KEYS = tuple(k.key for k in KEYS if k.envelope)
FORM_KEYS = tuple(k.key for k in KEYS if k.label) + ("no_priority_actions",)
COUNCIL_KEYS = tuple(k.key for k in KEYS if k.council)
COLUMN_KEYS = frozenset(k.key for k in KEYS if k.column)
LIST_KEYS = frozenset(k.key for k in KEYS if k.kind == "list")
