"""What a family's details form holds, as its scheme file declares it.

A scheme may declare:

- ``details``: the `[letter]` keys its documents record and the form shows (a report has
  no letter date, recipient or copy list);
- ``finding_fields``: a finding's own fields besides its text and category that a person
  corrects (area SEND: ``responsible``, the body that must act);
- ``[[scales]]``: grade scales, best first (``id``, ``grades``); the grade's key in the form
  is its place (1 the first);
- ``[[frameworks]]``: the inspection frameworks of the family, each with its judgements
  (ids of ``[[judgements]]``), its scale and the dates it was in use (``from``, ``until``).

A scheme without them shows every details field and its judgements on the usual scale.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reviewer.segment.letter_keys import FORM_KEYS
from reviewer.tomlfile import tables

# Every `[letter]` key the details form knows how to edit, in the order it shows them.
DETAILS_KEYS = FORM_KEYS
FINDING_FIELDS = ("responsible",)
# The grades of today's frameworks, best first: what a scheme without scales uses.
FOUR_POINT = ("Outstanding", "Good", "Requires improvement to be good", "Inadequate")


class DetailsError(ValueError):
    """A scheme's details declarations that cannot be used; the message names the key."""


@dataclass(frozen=True, slots=True)
class Scale:
    id: str
    grades: tuple[str, ...]  # best first; the form's key for a grade is its place, from 1


@dataclass(frozen=True, slots=True)
class Framework:
    id: str
    label: str
    judgements: tuple[str, ...]
    scale: Scale
    start: dt.date | None = None  # first inspection under it
    until: dt.date | None = None  # last inspection under it

    def in_use(self, when: dt.date) -> bool:
        return (self.start is None or when >= self.start) and (
            self.until is None or when <= self.until
        )


@dataclass(frozen=True, slots=True)
class DetailsSpec:
    keys: tuple[str, ...] = ()  # empty: every details field
    finding_fields: tuple[str, ...] = ()
    frameworks: tuple[Framework, ...] = ()


def parse_details(data: dict, judgement_ids: list[str], source: str) -> DetailsSpec:
    """The details declarations of a scheme file's table; DetailsError names a bad key."""
    keys = _names(data, "details", DETAILS_KEYS, source)
    fields = _names(data, "finding_fields", FINDING_FIELDS, source)
    scales = {"four_point": Scale("four_point", FOUR_POINT)}
    for where, s in tables(data, "scales", source, DetailsError):
        if not isinstance(s.get("id"), str):
            raise DetailsError(f"{where} must be a table with an 'id'")
        grades = s.get("grades")
        if (
            not isinstance(grades, list)
            or not 2 <= len(grades) <= 9
            or not all(isinstance(g, str) and g.strip() for g in grades)
        ):
            raise DetailsError(f"{where}: 'grades' must list 2 to 9 grades, best first")
        scales[s["id"]] = Scale(s["id"], tuple(grades))
    frameworks = []
    for where, f in tables(data, "frameworks", source, DetailsError):
        if not isinstance(f.get("id"), str):
            raise DetailsError(f"{where} must be a table with an 'id'")
        judgements = f.get("judgements")
        if not isinstance(judgements, list) or not judgements:
            raise DetailsError(f"{where}: 'judgements' must list the framework's judgements")
        unknown = [j for j in judgements if j not in judgement_ids]
        if unknown:
            raise DetailsError(
                f"{where}: judgement '{unknown[0]}' is not in the scheme's [[judgements]]"
            )
        scale = scales.get(f.get("scale", "four_point"))
        if scale is None:
            raise DetailsError(f"{where}: scale '{f.get('scale')}' is not one of [[scales]]")
        frameworks.append(
            Framework(
                f["id"],
                str(f.get("label", f["id"])),
                tuple(judgements),
                scale,
                _date(f, "from", where),
                _date(f, "until", where),
            )
        )
    return DetailsSpec(keys, fields, tuple(frameworks))


def _names(data: dict, key: str, known: tuple[str, ...], source: str) -> tuple[str, ...]:
    names = data.get(key, [])
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise DetailsError(f"{source}: '{key}' must be a list of names")
    wrong = [n for n in names if n not in known]
    if wrong:
        raise DetailsError(f"{source}: '{key}' has '{wrong[0]}'; use some of: {', '.join(known)}")
    return tuple(names)


def _date(table: dict, key: str, where: str) -> dt.date | None:
    value = table.get(key)
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    raise DetailsError(f"{where}: '{key}' must be a date (YYYY-MM-DD, unquoted)")
