"""Dates as the documents write them: one month list and one date parser for every family,
and for Ofsted's site ("3 April 2018" in a link's label).

"15 and 16 February 2011", "3 to 14 December 2018", "30 November and 1 December 2010",
"Tuesday 12 March 2024": a later month or year fills the days before it, and a year
known from elsewhere (the letter's date) fills a range that names none.
"""

from __future__ import annotations

import datetime as dt
import re

_NAMES = (
    ("January", "Jan"),
    ("February", "Feb"),
    ("March", "Mar"),
    ("April", "Apr"),
    ("May",),
    ("June", "Jun"),
    ("July", "Jul"),
    ("August", "Aug"),
    ("September", "Sept", "Sep"),
    ("October", "Oct"),
    ("November", "Nov"),
    ("December", "Dec"),
)
MONTHS = {name.lower(): n for n, names in enumerate(_NAMES, start=1) for name in names}
# A month's full name (what scheme files call {month}), and any name or abbreviation.
MONTH = "(?:" + "|".join(names[0] for names in _NAMES) + ")"
ANY_MONTH = "(?:" + "|".join(name for names in _NAMES for name in names) + ")"
# A whole date as a scheme file's {date}: "12 March 2024", "Tuesday 12 March, 2024".
DATE = rf"(?:[A-Z][a-z]+day,?\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH},?\s+\d{{4}}"
DATE_LINE = re.compile(
    rf"^\s*(?:[A-Z][a-z]+day,?\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+({ANY_MONTH})\.?,?\s+(\d{{4}})\s*$",
    re.IGNORECASE,
)
_DAY = rf"\d{{1,2}}(?:st|nd|rd|th)?(?:\s+{ANY_MONTH})?(?:,?\s+\d{{4}})?"
# A run of days: "15 and 16 February 2011", "3 to 14 December 2018", "4–8 March".
DAYS = re.compile(rf"{_DAY}(?:\s*(?:,|and|to|until|-|–|—|&)\s*{_DAY})*", re.IGNORECASE)
_DAY_ITEM = re.compile(
    rf"(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+({ANY_MONTH}))?(?:,?\s+(\d{{4}}))?", re.IGNORECASE
)


def make_date(year: str | int, month: str | int, day: str | int) -> dt.date | None:
    """The date, or None when it is no date ("31 February")."""
    try:
        mon = month if isinstance(month, int) else MONTHS[month.lower().rstrip(".")]
        return dt.date(int(year), mon, int(day))
    except (KeyError, ValueError):
        return None


def parse_dates(expr: str, year: int | None = None) -> list[dt.date]:
    """Every day an expression names, in its order; `year` fills days that have none."""
    month: str | None = None
    known: str | None = None
    filled = []
    for day, mon, yr in reversed(_DAY_ITEM.findall(expr)):
        month = mon or month
        known = yr or known
        filled.append((day, month, known))
    out = []
    for day, mon, yr in reversed(filled):
        when = yr or year
        if mon and when:
            d = make_date(when, mon, day)
            if d:
                out.append(d)
    return out


_WHOLE_DATE = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({ANY_MONTH})\.?,?\s+(\d{{4}})\b", re.IGNORECASE
)


def find_date(text: str) -> dt.date | None:
    """The first whole date written in `text` ("Children's services ... - 3 April 2018")."""
    for m in _WHOLE_DATE.finditer(text):
        found = make_date(m.group(3), m.group(2), m.group(1))
        if found:
            return found
    return None


def is_date_line(line: str) -> bool:
    """A line that is one date and nothing else (a letter's date)."""
    return bool(DATE_LINE.match(line))


def parse_date_line(text: str) -> dt.date | None:
    m = DATE_LINE.match(text.strip())
    return make_date(m.group(3), m.group(2), m.group(1)) if m else None
