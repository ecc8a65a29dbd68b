"""`reviewer stats`: findings per category, authority and year, and how often people corrected
the machine (its real accuracy in use)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from reviewer.corpus.loading import Loaded
from reviewer.segment import authorities


@dataclass(frozen=True, slots=True)
class Council:
    """The council a stats row counts: the register's when it knows it, else as written."""

    name: str
    la_code: str = ""
    region: str = ""


def council_of(letter: dict[str, Any]) -> Council:
    """The canonical council of a review, so every spelling of one council is one row: its
    recorded `authority_name`, else the register's match of the written `authority`, else
    the written name."""
    name = letter.get("authority_name")
    if isinstance(name, str) and name.strip():
        found = authorities.find(name)
        if found is not None:
            return _from_register(found.authority)
        return Council(name.strip(), _text(letter, "la_code"), _text(letter, "region"))
    written = letter.get("authority")
    if isinstance(written, str) and written.strip():
        found = authorities.match([written])
        if found is not None:
            return _from_register(found.authority)
        return Council(written.strip())
    return Council("unknown")


def _from_register(a: authorities.Authority) -> Council:
    return Council(a.name, a.la_code, a.region)


def _text(letter: dict[str, Any], key: str) -> str:
    value = letter.get(key)
    return value if isinstance(value, str) else ""


@dataclass
class Stats:
    letters: int = 0
    findings: int = 0
    by_group: dict[tuple[Council, str], Counter] = field(
        default_factory=lambda: defaultdict(Counter)
    )
    categories: list[str] = field(default_factory=list)
    themes: Counter = field(default_factory=Counter)
    reviewed_letters: int = 0
    machine_findings: int = 0
    confirmed: int = 0
    category_changed: int = 0
    text_corrected: int = 0
    added: int = 0
    removed: int = 0
    split: int = 0  # second halves of splits: made by a person from a machine finding

    @property
    def correction_rate(self) -> float:
        """Share of the machine's findings a person had to change, remove, or add beside."""
        if not self.machine_findings:
            return 0.0
        changed = self.category_changed + self.text_corrected + self.added + self.removed
        return changed / self.machine_findings


def year_of(letter: dict) -> str:
    """The letter's year, or for a report (which has no letter date) its inspection's."""
    when = letter.get("letter_date")
    if not isinstance(when, dt.date):
        dates = [d for d in letter.get("inspection_dates", []) if isinstance(d, dt.date)]
        when = max(dates) if dates else None
    return str(when.year) if when else "unknown"


def compute(loaded: list[Loaded]) -> Stats:
    s = Stats()
    cats: dict[str, None] = {}
    for item in loaded:
        r = item.review
        s.letters += 1
        year = year_of(r.letter)
        council = council_of(r.letter)
        for f in r.findings:
            s.findings += 1
            cats.setdefault(f.category, None)
            s.by_group[(council, year)][f.category] += 1
            s.themes.update(f.themes)
        if r.status == "auto":
            continue
        s.reviewed_letters += 1
        s.machine_findings += r.machine_findings
        kept_machine = 0
        for f in r.findings:
            if f.status == "added":
                s.added += 1
                continue
            if f.split_from:
                s.split += 1
                continue
            kept_machine += 1
            if f.auto_category and f.category != f.auto_category:
                s.category_changed += 1
            elif f.status == "corrected":
                s.text_corrected += 1
            elif f.status == "confirmed":
                s.confirmed += 1
        s.removed += max(0, r.machine_findings - kept_machine)
    s.categories = list(cats)
    return s


def _sorted_groups(s: Stats) -> list[tuple[tuple[Council, str], Counter]]:
    return sorted(s.by_group.items(), key=lambda kv: (kv[0][0].name.lower(), kv[0][1]))


def councils(s: Stats) -> int:
    """How many distinct councils the reviews are of."""
    return len({c for c, _ in s.by_group})


def to_text(s: Stats) -> str:
    cats = s.categories
    header = ["authority", "region", "year", *cats, "total"]
    table = [header]
    for (council, year), counts in _sorted_groups(s):
        total = str(sum(counts.values()))
        table.append([council.name, council.region, year, *[str(counts[c]) for c in cats], total])
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in table
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append("")
    lines.append(f"{s.letters} letters, {s.findings} findings, {councils(s)} councils")
    if s.themes:
        lines.append("themes: " + ", ".join(f"{t} {n}" for t, n in s.themes.most_common()))
    if s.reviewed_letters:
        lines.append(
            f"reviewed letters: {s.reviewed_letters}; machine findings: {s.machine_findings}; "
            f"confirmed {s.confirmed}, category changed {s.category_changed}, text or boundary "
            f"corrected {s.text_corrected}, removed or merged {s.removed}, split {s.split}, "
            f"added {s.added}; "
            f"correction rate {s.correction_rate:.1%}"
        )
    else:
        lines.append(
            "no reviewed letters yet: the correction rate needs reviews saved from the reviewer"
        )
    return "\n".join(lines) + "\n"


def to_dict(s: Stats) -> dict[str, Any]:
    return {
        "letters": s.letters,
        "findings": s.findings,
        "groups": [
            {
                "authority": council.name,
                "la_code": council.la_code,
                "region": council.region,
                "year": year,
                "counts": dict(counts),
                "total": sum(counts.values()),
            }
            for (council, year), counts in _sorted_groups(s)
        ],
        "councils": councils(s),
        "themes": dict(s.themes),
        "corrections": {
            "reviewed_letters": s.reviewed_letters,
            "machine_findings": s.machine_findings,
            "confirmed": s.confirmed,
            "category_changed": s.category_changed,
            "text_corrected": s.text_corrected,
            "removed": s.removed,
            "split": s.split,
            "added": s.added,
            "correction_rate": round(s.correction_rate, 4),
        },
    }
