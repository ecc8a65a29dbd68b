"""The council a review is of and the date a document stands at: one owner of each, used by
`stats`, `history` and `export` (corpus), the details form's council and the dates of
the queue's overview and the form's framework (review).

A council is the register's (`reviewer.segment.authorities`) when the review's recorded
`la_code`, or else one of its names (`authority_name`, the written `authority`, and only
when neither is given the report's `inspection_title`), finds one there; otherwise it is
the name as written, so
every spelling of one registered council is one council and an unknown one still shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reviewer.segment import authorities
from reviewer.segment.scheme import scheme_of

UNKNOWN = "unknown authority"


@dataclass(frozen=True, slots=True)
class Council:
    """A review's council: the register's entry when it knows it, else the written name."""

    name: str
    la_code: str = ""
    gss_code: str = ""
    urn: str = ""
    region: str = ""
    registered: authorities.Authority | None = None


def registered_council(letter: Mapping[str, Any]) -> authorities.Authority | None:
    """The register's council for a review: its recorded LA code, else its written names."""
    code = letter.get("la_code")
    if isinstance(code, str) and code.strip():
        found = authorities.by_code(code)
        if found is not None:
            return found
    written = [_text(letter, k) for k in ("authority_name", "authority")]
    names = [n for n in written if n] or [_text(letter, "inspection_title")]
    match = authorities.match(n for n in names if n)
    return match.authority if match else None


def _text(letter: Mapping[str, Any], key: str) -> str:
    value = letter.get(key)
    return value.strip() if isinstance(value, str) else ""


def council_of(letter: Mapping[str, Any]) -> Council:
    """The council of a review (see the module's docstring)."""
    found = registered_council(letter)
    if found is not None:
        return Council(found.name, found.la_code, found.gss_code, found.urn, found.region, found)
    for key in ("authority_name", "authority"):
        written = letter.get(key)
        if isinstance(written, str) and written.strip():
            return Council(" ".join(written.split()))
    return Council(UNKNOWN)


def council_named(wanted: str) -> authorities.Authority | None:
    """The register's council a user means by a name, DfE LA code, GSS code or URN."""
    found = authorities.by_code(wanted)
    if found is None:
        match = authorities.find(wanted)
        found = match.authority if match else None
    return found


def document_date(letter: Mapping[str, Any], family: str = "") -> dt.date | None:
    """The date of a document, by the keys its family's scheme dates it by (`dated_by`):
    the first that has a value, a list of dates giving its last day. Without a family this
    program bundles: the letter's date, else the last inspection day."""
    scheme = scheme_of(family)
    keys = scheme.dated_by if scheme is not None else ("letter_date", "inspection_dates")
    for key in keys:
        value = letter.get(key)
        if isinstance(value, dt.date):
            return value
        days = [d for d in value if isinstance(d, dt.date)] if isinstance(value, list) else []
        if days:
            return max(days)
    return None


def overall_grade(grades: Mapping[str, Any], family: str = "") -> str:
    """A document's overall grade: its grade for the judgement its family's scheme names
    `overall` ("" when the family names none or the document has no such grade)."""
    scheme = scheme_of(family)
    grade = grades.get(scheme.overall) if scheme is not None and scheme.overall else None
    return grade if isinstance(grade, str) else ""


def document_year(letter: Mapping[str, Any], family: str = "") -> int | None:
    """The year of `document_date`, or None when the document is undated."""
    when = document_date(letter, family)
    return when.year if when else None


def inspection_days(letter: Mapping[str, Any]) -> list[dt.date]:
    """The inspection's days the review records, in order."""
    days = letter.get("inspection_dates")
    if not isinstance(days, list):
        return []
    return sorted(d for d in days if isinstance(d, dt.date))
