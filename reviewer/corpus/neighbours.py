"""`reviewer stats --authority NAME --neighbours`: a council beside its statistical neighbours.

The DfE's statistical neighbours of a council are the ten councils most like it (the
register holds them, nearest first). For the council and each neighbour this sets out its
documents in date order, each with its family, grades and findings per category, and the
council's recurring topics: the topics its findings share across two documents or more.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from reviewer.corpus.export import family_of
from reviewer.corpus.loading import Loaded
from reviewer.review.council import council_of, document_date, overall_grade
from reviewer.segment import authorities


@dataclass
class Document:
    file: str
    family: str
    date: dt.date | None
    grades: dict[str, str]
    overall: str  # the grade of the judgement its family's scheme names `overall`, or ""
    counts: dict[str, int]  # findings per category of its family
    topics: set[str]


@dataclass
class Row:
    """One council of the comparison: the council itself (rank 0) or a neighbour (1-10)."""

    council: authorities.Authority
    rank: int
    documents: list[Document] = field(default_factory=list)

    @property
    def recurring_topics(self) -> list[tuple[str, int]]:
        """Topics found in two documents or more, with how many, most first."""
        seen = Counter(t for d in self.documents for t in d.topics)
        return [(t, n) for t, n in seen.most_common() if n >= 2]


def compare(loaded: list[Loaded], council: authorities.Authority) -> list[Row]:
    """The council and its neighbours (in the register's order), each with its documents
    in these reviews in date order."""
    rows = [Row(council, 0)] + [
        Row(a, i) for i, a in enumerate(authorities.neighbours_of(council), 1)
    ]
    by_code = {r.council.la_code: r for r in rows}
    for item in loaded:
        letter = item.review.letter
        found = council_of(letter).registered
        row = by_code.get(found.la_code) if found is not None else None
        if row is None:
            continue
        found_grades = letter.get("judgements")
        grades = dict(found_grades) if isinstance(found_grades, dict) else {}
        counts = Counter(f.category for f in item.review.findings)
        row.documents.append(
            Document(
                file=str(item.path),
                family=family_of(item.review.scheme),
                date=document_date(letter, item.review.scheme),
                grades=grades,
                overall=overall_grade(grades, item.review.scheme),
                counts=dict(counts),
                topics={t for f in item.review.findings for t in f.themes},
            )
        )
    for row in rows:
        row.documents.sort(key=lambda d: (d.date or dt.date.min, d.file))
    return rows


def _when(d: dt.date | None) -> str:
    return d.isoformat() if d else "undated"


def _label(row: Row) -> str:
    return "the council" if row.rank == 0 else f"neighbour {row.rank}"


def to_text(rows: list[Row]) -> str:
    head = rows[0].council
    lines = [
        f"{head.name} ({head.la_code}, {head.region}) beside its "
        f"{len(rows) - 1} statistical neighbours",
        "",
    ]
    for row in rows:
        a = row.council
        lines.append(f"{_label(row)}: {a.name} ({a.la_code}, {a.region})")
        if not row.documents:
            lines.append("  no documents in these reviews")
        for d in row.documents:
            overall = d.overall
            counts = ", ".join(f"{c} {n}" for c, n in d.counts.items()) or "no findings"
            grade = f"  overall: {overall}" if overall else ""
            lines.append(f"  {_when(d.date)}  {d.family:<14} {counts}{grade}")
        recurring = row.recurring_topics
        if recurring:
            lines.append(
                "  recurring topics: " + ", ".join(f"{t} ({n} documents)" for t, n in recurring)
            )
        lines.append("")
    return "\n".join(lines)


def to_dict(rows: list[Row]) -> dict[str, Any]:
    """Typed: dates ISO or null, codes as text, counts as integers."""
    return {
        "council": rows[0].council.name,
        "la_code": rows[0].council.la_code,
        "councils": [
            {
                "rank": row.rank,
                "authority": row.council.name,
                "la_code": row.council.la_code,
                "gss_code": row.council.gss_code,
                "region": row.council.region,
                "documents": [
                    {
                        "date": d.date.isoformat() if d.date else None,
                        "family": d.family,
                        "file": d.file,
                        "grades": d.grades,
                        "counts": d.counts,
                        "topics": sorted(d.topics),
                    }
                    for d in row.documents
                ],
                "recurring_topics": dict(row.recurring_topics),
            }
            for row in rows
        ],
    }


def to_json(rows: list[Row]) -> str:
    return json.dumps(to_dict(rows), indent=2, ensure_ascii=False) + "\n"
