"""`reviewer stats`: findings per category, authority and year, and how often people corrected
the machine (its real accuracy in use)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from reviewer.corpus.loading import Loaded


@dataclass
class Stats:
    letters: int = 0
    findings: int = 0
    by_group: dict[tuple[str, str], Counter] = field(default_factory=lambda: defaultdict(Counter))
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
        authority = r.letter.get("authority") or "unknown"
        for f in r.findings:
            s.findings += 1
            cats.setdefault(f.category, None)
            s.by_group[(authority, year)][f.category] += 1
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


def to_text(s: Stats) -> str:
    cats = s.categories
    header = ["authority", "year", *cats, "total"]
    table = [header]
    for (authority, year), counts in sorted(s.by_group.items()):
        table.append([authority, year, *[str(counts[c]) for c in cats], str(sum(counts.values()))])
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append("")
    lines.append(f"{s.letters} letters, {s.findings} findings")
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
            {"authority": a, "year": y, "counts": dict(c), "total": sum(c.values())}
            for (a, y), c in sorted(s.by_group.items())
        ],
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
