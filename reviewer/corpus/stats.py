"""`reviewer stats`: findings per category by family, council and year, grades, topics, and
how often people corrected the machine (its real accuracy in use).

Families have their own categories ("improvement" in a report is not a focused visit's),
so every count is by family and no category is added across families. A document
reviewed twice (the same sha256) is counted once: the caller passes one review per
document (`loading.one_per_document`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from reviewer.corpus.export import family_of, scheme_of
from reviewer.corpus.loading import Loaded
from reviewer.review.council import Council, council_of, document_year, overall_grade

# (family, year): a year is an int, or None for an undated document
FamilyYear = tuple[str, int | None]


@dataclass
class Stats:
    letters: int = 0  # documents (letters and reports)
    findings: int = 0
    by_group: dict[tuple[Council, str, int | None], Counter] = field(
        default_factory=lambda: defaultdict(Counter)
    )
    categories: dict[str, list[str]] = field(default_factory=dict)  # family -> its categories
    schemes: dict[str, str] = field(default_factory=dict)  # family -> its scheme id
    documents_by_family: Counter = field(default_factory=Counter)
    by_family_year: dict[FamilyYear, Counter] = field(default_factory=lambda: defaultdict(Counter))
    # (framework, year) -> overall grades; a framework is the scheme's (SIF, ILACS 2018...)
    # under which the report was graded, or the family where the scheme names none
    grades: dict[FamilyYear, Counter] = field(default_factory=lambda: defaultdict(Counter))
    grade_families: dict[str, str] = field(default_factory=dict)  # framework -> family
    # framework -> the judgement its family's scheme names `overall` (what `grades` counts)
    grade_judgements: dict[str, str] = field(default_factory=dict)
    themes: Counter = field(default_factory=Counter)
    themes_by_year: dict[int | None, Counter] = field(default_factory=lambda: defaultdict(Counter))
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

    @property
    def years(self) -> list[int | None]:
        """Every year with a document, in order (undated last)."""
        found = {y for _, y in self.by_family_year} | {y for _, y in self.grades}
        return sorted(found, key=_year_order)


def _year_order(year: int | None) -> tuple[int, int]:
    return (1, 0) if year is None else (0, year)


def compute(loaded: list[Loaded]) -> Stats:
    s = Stats()
    for item in loaded:
        r = item.review
        s.letters += 1
        year = document_year(r.letter, r.scheme)
        council = council_of(r.letter)
        family = family_of(r.scheme)
        s.documents_by_family[family] += 1
        s.schemes.setdefault(family, r.scheme)
        cats = s.categories.setdefault(family, [])
        s.by_family_year[(family, year)]  # a year with no findings still has a column
        s.by_group[(council, family, year)]
        for f in r.findings:
            s.findings += 1
            if f.category not in cats:
                cats.append(f.category)
            s.by_group[(council, family, year)][f.category] += 1
            s.by_family_year[(family, year)][f.category] += 1
            s.themes.update(f.themes)
            s.themes_by_year[year].update(f.themes)
        grades = r.letter.get("judgements")
        overall = overall_grade(grades, r.scheme) if isinstance(grades, dict) else ""
        scheme = scheme_of(r.scheme)
        if overall and scheme is not None:
            framework = framework_of(r.letter, r.scheme) or family
            s.grade_families[framework] = family
            s.grade_judgements[framework] = scheme.overall
            s.grades[(framework, year)][overall] += 1
        _count_corrections(s, r)
    return s


def framework_of(letter: dict[str, Any], scheme_id: str) -> str | None:
    """The label of the framework a report was graded under, as its scheme declares them
    (the one whose judgements hold its grades, then the one in use at its date); None when
    the scheme declares no frameworks."""
    from reviewer.review.details import framework_for

    scheme = scheme_of(scheme_id)
    if scheme is None or not scheme.details.frameworks:
        return None
    return framework_for(letter, scheme).label


def _count_corrections(s: Stats, r) -> None:
    if r.status == "auto":
        return
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


def _sorted_groups(s: Stats) -> list[tuple[tuple[Council, str, int | None], Counter]]:
    return sorted(
        s.by_group.items(),
        key=lambda kv: (kv[0][1], kv[0][0].name.lower(), _year_order(kv[0][2])),
    )


def councils(s: Stats) -> int:
    """How many distinct councils the reviews are of."""
    return len({c for c, _, _ in s.by_group})


def _year_text(year: int | None) -> str:
    return "undated" if year is None else str(year)


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def to_text(s: Stats) -> str:
    lines: list[str] = []
    for family, cats in sorted(s.categories.items()):
        n = s.documents_by_family[family]
        lines.append(f"{family}: {n} document{'' if n == 1 else 's'}")
        table = [["authority", "region", "year", *cats, "total"]]
        for (council, fam, year), counts in _sorted_groups(s):
            if fam != family:
                continue
            total = str(sum(counts.values()))
            row = [council.name, council.region, _year_text(year)]
            table.append([*row, *[str(counts[c]) for c in cats], total])
        lines += _table(table)
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
    """Typed: years are integers (None when undated), codes are text, counts are integers."""
    return {
        "letters": s.letters,
        "findings": s.findings,
        "families": [
            {
                "family": family,
                "documents": s.documents_by_family[family],
                "categories": cats,
                "counts": {
                    c: sum(n[c] for (f, _), n in s.by_family_year.items() if f == family)
                    for c in cats
                },
            }
            for family, cats in sorted(s.categories.items())
        ],
        "groups": [
            {
                "family": family,
                "authority": council.name,
                "la_code": council.la_code,
                "region": council.region,
                "year": year,
                "counts": dict(counts),
                "total": sum(counts.values()),
            }
            for (council, family, year), counts in _sorted_groups(s)
        ],
        "grades": [
            {
                "family": s.grade_families[framework],
                "framework": framework,
                "year": year,
                "judgement": s.grade_judgements[framework],
                "counts": dict(counts),
            }
            for (framework, year), counts in sorted(
                s.grades.items(), key=lambda kv: (kv[0][0], _year_order(kv[0][1]))
            )
        ],
        "councils": councils(s),
        "themes": dict(s.themes),
        "themes_by_year": [
            {"year": year, "counts": dict(counts.most_common())}
            for year, counts in sorted(s.themes_by_year.items(), key=lambda kv: _year_order(kv[0]))
        ],
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


def without_missing(data: Any) -> Any:
    """The dict with every None left out (TOML has no null)."""
    if isinstance(data, dict):
        return {k: without_missing(v) for k, v in data.items() if v is not None}
    if isinstance(data, list):
        return [without_missing(v) for v in data]
    return data
