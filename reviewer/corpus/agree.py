"""`reviewer agree`: how far two reviewers agree on the same letters.

Both reviews must be of the same letter. Findings are aligned by where they lie in it:
findings that overlap one to one are pairs (categories compared with Cohen's kappa, spans by
their overlap); one finding of one reviewer overlapping several of the other's is a split
(or merge) disagreement, reported as such. Findings with no place in the letter (orphans)
are aligned by text (rapidfuzz). Every disagreement is listed, with its kind: category,
boundary, split (A has one finding where B has several), merge (A has several where B has
one), split and merge (several against several), only in A, only in B.

Kappa, overall and per category (one category against the rest), is over the aligned
pairs; the confusion matrix counts the pairs and, against "(none)", the findings only one
reviewer has. Split and merged groups are listed, not counted in either.
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from reviewer.corpus.spreadsheet import csv_table
from reviewer.model import Finding
from reviewer.review.annotation import Review
from reviewer.segment.scheme import SchemeError, load_scheme

MATCH = 80.0
NONE = "(none)"  # the row or column of findings the other reviewer does not have


class DifferentLetters(ValueError):
    """The two reviews are of different letters: comparing them would mean nothing."""


def same_letter(a: Review, b: Review) -> bool:
    """Same letter file, or (for a PDF extracted again) the same text the offsets index."""
    if a.sha256 == b.sha256:
        return True
    return bool(a.text_sha256) and a.text_sha256 == b.text_sha256


@dataclass
class Agreement:
    pairs: list[tuple[str, Finding, Finding]] = field(default_factory=list)
    # One finding of one reviewer where the other has several (a split, seen from one side).
    splits: list[tuple[str, list[Finding], list[Finding]]] = field(default_factory=list)
    only_a: list[tuple[str, Finding]] = field(default_factory=list)
    only_b: list[tuple[str, Finding]] = field(default_factory=list)
    unpaired_files: list[str] = field(default_factory=list)
    scheme_order: list[str] = field(default_factory=list)  # the schemes' categories in order

    @property
    def kappa(self) -> float | None:
        return cohens_kappa([(a.category, b.category) for _, a, b in self.pairs])

    @property
    def category_agreement(self) -> float | None:
        if not self.pairs:
            return None
        return sum(a.category == b.category for _, a, b in self.pairs) / len(self.pairs)

    @property
    def mean_overlap(self) -> float | None:
        """Mean span overlap of pairs and of split groups (where it is well below 1)."""
        scores = [overlap(a, b) for _, a, b in self.pairs]
        scores += [group_overlap(xs, ys) for _, xs, ys in self.splits]
        if not scores:
            return None
        return sum(scores) / len(scores)

    @property
    def categories(self) -> list[str]:
        """Every category either reviewer used, in the schemes' order, then any others."""
        seen = {f.category for _, a, b in self.pairs for f in (a, b)}
        seen |= {f.category for _, f in self.only_a + self.only_b}
        seen |= {f.category for _, xs, ys in self.splits for f in xs + ys}
        ordered = [c for c in self.scheme_order if c in seen]
        return ordered + sorted(seen - set(ordered))

    def per_category(self) -> dict[str, dict[str, Any]]:
        """For each category: how many pairs A and B gave it, both gave it, and Cohen's
        kappa of "this category or not" (None when neither used it in a pair)."""
        out: dict[str, dict[str, Any]] = {}
        for c in self.categories:
            labels = [(a.category == c, b.category == c) for _, a, b in self.pairs]
            in_a = sum(x for x, _ in labels)
            in_b = sum(y for _, y in labels)
            out[c] = {
                "a": in_a,
                "b": in_b,
                "both": sum(x and y for x, y in labels),
                "kappa": cohens_kappa([(str(x), str(y)) for x, y in labels])
                if in_a or in_b
                else None,
            }
        return out

    def confusion(self) -> dict[str, dict[str, int]]:
        """Rows A's categories, columns B's; NONE for a finding only one reviewer has."""
        cats = self.categories
        table = {a: dict.fromkeys([*cats, NONE], 0) for a in [*cats, NONE]}
        for _, a, b in self.pairs:
            table[a.category][b.category] += 1
        for _, f in self.only_a:
            table[f.category][NONE] += 1
        for _, f in self.only_b:
            table[NONE][f.category] += 1
        del table[NONE][NONE]
        return table

    @property
    def same_boundaries(self) -> float | None:
        if not self.pairs:
            return None
        return sum(overlap(a, b) >= 0.9 for _, a, b in self.pairs) / len(self.pairs)


def cohens_kappa(labels: list[tuple[str, str]]) -> float | None:
    """Agreement beyond chance: 1 is perfect, 0 is what chance alone gives."""
    n = len(labels)
    if not n:
        return None
    observed = sum(a == b for a, b in labels) / n
    ca = Counter(a for a, _ in labels)
    cb = Counter(b for _, b in labels)
    expected = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    if expected >= 1.0:
        return 1.0 if observed == 1.0 else 0.0
    return (observed - expected) / (1 - expected)


def overlap(a: Finding, b: Finding) -> float:
    """Intersection over union of two spans of the same letter."""
    inter = max(0, min(a.end, b.end) - max(a.start, b.start))
    union = max(a.end, b.end) - min(a.start, b.start)
    return inter / union if union else 1.0


def group_overlap(xs: list[Finding], ys: list[Finding]) -> float:
    """How well the findings of a split group line up: each finding of the larger side
    scored by its best overlap with the other side, averaged."""
    many, few = (xs, ys) if len(xs) >= len(ys) else (ys, xs)
    return sum(max(overlap(m, f) for f in few) for m in many) / len(many)


def _placed(f: Finding) -> bool:
    return f.anchor != "orphan" and f.end > f.start


def align_spans(
    a: list[Finding], b: list[Finding]
) -> tuple[list[tuple[Finding, Finding]], list[tuple[list[Finding], list[Finding]]], list, list]:
    """Group findings that overlap in the letter: (pairs, split groups, rest of a, rest of b)."""
    parent = list(range(len(a) + len(b)))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    bs = sorted((f.start, j) for j, f in enumerate(b) if _placed(f))
    starts = [st for st, _ in bs]
    for i, fa in enumerate(a):
        if not _placed(fa):
            continue
        # A review's findings do not overlap, so only those from the one starting before
        # fa up to those starting at its end can touch it.
        lo = max(0, bisect.bisect_right(starts, fa.start) - 1)
        hi = bisect.bisect_left(starts, fa.end)
        for _, j in bs[lo:hi]:
            fb = b[j]
            if fb.end > fa.start and min(fa.end, fb.end) - max(fa.start, fb.start) > 0:
                parent[find(i)] = find(len(a) + j)
    groups: dict[int, tuple[list[Finding], list[Finding]]] = {}
    for i, fa in enumerate(a):
        groups.setdefault(find(i), ([], []))[0].append(fa)
    for j, fb in enumerate(b):
        groups.setdefault(find(len(a) + j), ([], []))[1].append(fb)
    pairs, splits, rest_a, rest_b = [], [], [], []
    for xs, ys in groups.values():
        if xs and ys and len(xs) == len(ys) == 1:
            pairs.append((xs[0], ys[0]))
        elif xs and ys:
            splits.append((xs, ys))
        else:
            rest_a += xs
            rest_b += ys
    return pairs, splits, rest_a, rest_b


def align(a: list[Finding], b: list[Finding]) -> tuple[list, list, list]:
    """Best-first one-to-one pairs of findings whose texts are at least MATCH similar."""
    scored = []
    for i, fa in enumerate(a):
        for j, fb in enumerate(b):
            s = fuzz.ratio(fa.text.lower(), fb.text.lower(), score_cutoff=MATCH)
            if s:
                scored.append((s, i, j))
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_a, used_b, pairs = set(), set(), []
    for _, i, j in scored:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((a[i], b[j]))
    pairs.sort(key=lambda p: p[0].start)
    return (
        pairs,
        [f for i, f in enumerate(a) if i not in used_a],
        [f for j, f in enumerate(b) if j not in used_b],
    )


def compare(pairs_of_reviews: list[tuple[str, Review, Review]]) -> Agreement:
    out = Agreement()
    for name, ra, rb in pairs_of_reviews:
        for scheme in (ra.scheme, rb.scheme):
            out.scheme_order += [c for c in _scheme_categories(scheme) if c not in out.scheme_order]
        span_pairs, splits, rest_a, rest_b = align_spans(ra.findings, rb.findings)
        pairs, only_a, only_b = align(rest_a, rest_b)
        pairs = sorted(span_pairs + pairs, key=lambda p: p[0].start)
        out.splits.extend((name, xs, ys) for xs, ys in splits)
        out.pairs.extend((name, x, y) for x, y in pairs)
        out.only_a.extend((name, f) for f in only_a)
        out.only_b.extend((name, f) for f in only_b)
    return out


def _scheme_categories(scheme: str) -> list[str]:
    try:
        return [c.id for c in load_scheme(scheme).categories]
    except SchemeError:
        return []  # an unknown scheme's categories are still counted, in name order


def pair_files(a: Path, b: Path, suffix: str) -> tuple[list[tuple[str, Path, Path]], list[str]]:
    """Two files, or two folders matched by file name."""
    if a.is_file() and b.is_file():
        return [(a.name, a, b)], []
    if a.is_dir() and b.is_dir():
        fa = {p.name: p for p in sorted(a.rglob(f"*{suffix}"))}
        fb = {p.name: p for p in sorted(b.rglob(f"*{suffix}"))}
        both = sorted(set(fa) & set(fb))
        missing = [f"{n}: only in {a}" for n in sorted(set(fa) - set(fb))]
        missing += [f"{n}: only in {b}" for n in sorted(set(fb) - set(fa))]
        return [(n, fa[n], fb[n]) for n in both], missing
    raise ValueError("give two review files or two folders of review files")


@dataclass
class Disagreement:
    """One place where the two reviewers differ: the findings of each side there."""

    file: str
    kind: str  # category, boundary, split, merge, split and merge, only in A, only in B
    a: list[Finding]
    b: list[Finding]

    @property
    def start(self) -> int:
        return min(f.start for f in self.a + self.b)

    @property
    def end(self) -> int:
        return max(f.end for f in self.a + self.b)

    def words(self) -> str:
        """What the disagreement is, in a few words."""
        a, b = self.a, self.b
        if self.kind == "category":
            return f"category {a[0].category} vs {b[0].category}"
        if self.kind == "boundary":
            return f"boundaries {a[0].start}-{a[0].end} vs {b[0].start}-{b[0].end}"
        if self.kind in ("only in A", "only in B"):
            return f"{self.kind} [{(a or b)[0].category}]"
        many = "finding" if len(a) == 1 else "findings"
        return f"{self.kind}: A has {len(a)} {many} where B has {len(b)}"


def _group_kind(xs: list[Finding], ys: list[Finding]) -> str:
    if len(xs) == 1:
        return "split"
    if len(ys) == 1:
        return "merge"
    return "split and merge"


def disagreements(ag: Agreement) -> list[Disagreement]:
    """Every disagreement, file by file in the order of the letter."""
    out = []
    for name, a, b in ag.pairs:
        if a.category != b.category:
            out.append(Disagreement(name, "category", [a], [b]))
        elif overlap(a, b) < 0.9:
            out.append(Disagreement(name, "boundary", [a], [b]))
    out += [Disagreement(name, _group_kind(xs, ys), xs, ys) for name, xs, ys in ag.splits]
    out += [Disagreement(name, "only in A", [f], []) for name, f in ag.only_a]
    out += [Disagreement(name, "only in B", [], [f]) for name, f in ag.only_b]
    return sorted(out, key=lambda d: (d.file, d.start, d.end))


def _fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]


def to_text(ag: Agreement) -> str:
    lines = [
        f"aligned findings: {len(ag.pairs)}; only in A: {len(ag.only_a)}; "
        f"only in B: {len(ag.only_b)}",
        f"category agreement: {_fmt(ag.category_agreement)}; Cohen's kappa: {_fmt(ag.kappa)}",
        f"boundaries: mean overlap {_fmt(ag.mean_overlap)}; same span (overlap >= 0.9): "
        f"{_fmt(ag.same_boundaries)}; split or merged differently: {len(ag.splits)}",
    ]
    cats = ag.categories
    if cats:
        lines += ["", "per category (kappa of the category against the rest, aligned pairs):"]
        rows = [["category", "A", "B", "both", "kappa"]]
        for c, m in ag.per_category().items():
            rows.append([c, str(m["a"]), str(m["b"]), str(m["both"]), _fmt(m["kappa"])])
        lines += _table(rows)
        lines += ["", "confusion (rows: A's category, columns: B's):"]
        matrix = ag.confusion()
        columns = [*cats, NONE]
        rows = [["A \\ B", *columns]]
        for c in [*cats, NONE]:
            rows.append([c, *[str(matrix[c][k]) if k in matrix[c] else "" for k in columns]])
        lines += _table(rows)
        lines.append("")
    for msg in ag.unpaired_files:
        lines.append(f"file {msg}")
    for d in disagreements(ag):
        lines.append(f"{d.file}: {d.words()}: {(d.a or d.b)[0].text[:70]}")
    return "\n".join(lines) + "\n"


def _measures(values: dict[str, float | None]) -> dict[str, float]:
    # TOML has no null: a measure that cannot be computed (no aligned findings) is left out.
    return {k: round(v, 4) for k, v in values.items() if v is not None}


def to_dict(ag: Agreement) -> dict[str, Any]:
    measures = {
        "category_agreement": ag.category_agreement,
        "kappa": ag.kappa,
        "mean_overlap": ag.mean_overlap,
        "same_boundaries": ag.same_boundaries,
    }
    return {
        "aligned": len(ag.pairs),
        "only_a": len(ag.only_a),
        "only_b": len(ag.only_b),
        "splits": len(ag.splits),
        **_measures(measures),
        "per_category": {
            c: {"a": m["a"], "b": m["b"], "both": m["both"], **_measures({"kappa": m["kappa"]})}
            for c, m in ag.per_category().items()
        },
        "confusion": ag.confusion(),
        "disagreements": [
            {
                "file": d.file,
                "kind": d.kind,
                "what": d.words(),
                "start": d.start,
                "end": d.end,
                "a_ids": [f.id for f in d.a],
                "b_ids": [f.id for f in d.b],
                "a_categories": [f.category for f in d.a],
                "b_categories": [f.category for f in d.b],
                "a_spans": [[f.start, f.end] for f in d.a],
                "b_spans": [[f.start, f.end] for f in d.b],
                "text": (d.a or d.b)[0].text,
            }
            for d in disagreements(ag)
        ],
        "unpaired_files": ag.unpaired_files,
    }


CSV_COLUMNS = [
    "file",
    "start",
    "end",
    "kind",
    "a_category",
    "a_span",
    "a_text",
    "b_category",
    "b_span",
    "b_text",
]


def to_csv(ag: Agreement, excel: bool = False) -> str:
    """The disagreements, one per row; a side with several findings (a split or a merge)
    joins their categories with "; " and their texts with " | ". Text a spreadsheet would
    run as a formula is guarded; `excel` adds the byte-order mark and CRLF."""
    rows = (
        [
            d.file,
            d.start,
            d.end,
            d.kind,
            "; ".join(f.category for f in d.a),
            "; ".join(f"{f.start}-{f.end}" for f in d.a),
            " | ".join(f.text for f in d.a),
            "; ".join(f.category for f in d.b),
            "; ".join(f"{f.start}-{f.end}" for f in d.b),
            " | ".join(f.text for f in d.b),
        ]
        for d in disagreements(ag)
    )
    return csv_table(CSV_COLUMNS, rows, excel)
