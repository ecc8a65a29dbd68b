"""`reviewer agree`: how far two reviewers agree on the same letters.

Findings are aligned by text (rapidfuzz), then categories are compared with Cohen's kappa and
spans by their overlap; every disagreement is listed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from reviewer.model import Finding
from reviewer.review.annotation import Review

MATCH = 80.0


@dataclass
class Agreement:
    pairs: list[tuple[str, Finding, Finding]] = field(default_factory=list)
    only_a: list[tuple[str, Finding]] = field(default_factory=list)
    only_b: list[tuple[str, Finding]] = field(default_factory=list)
    unpaired_files: list[str] = field(default_factory=list)

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
        if not self.pairs:
            return None
        return sum(overlap(a, b) for _, a, b in self.pairs) / len(self.pairs)

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
        pairs, only_a, only_b = align(ra.findings, rb.findings)
        out.pairs.extend((name, x, y) for x, y in pairs)
        out.only_a.extend((name, f) for f in only_a)
        out.only_b.extend((name, f) for f in only_b)
    return out


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


def _fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def to_text(ag: Agreement) -> str:
    lines = [
        f"aligned findings: {len(ag.pairs)}; only in A: {len(ag.only_a)}; "
        f"only in B: {len(ag.only_b)}",
        f"category agreement: {_fmt(ag.category_agreement)}; Cohen's kappa: {_fmt(ag.kappa)}",
        f"boundaries: mean overlap {_fmt(ag.mean_overlap)}; same span (overlap >= 0.9): "
        f"{_fmt(ag.same_boundaries)}",
    ]
    for msg in ag.unpaired_files:
        lines.append(f"file {msg}")
    for name, a, b in ag.pairs:
        if a.category != b.category:
            lines.append(f"{name}: category {a.category} vs {b.category}: {a.text[:70]}")
        elif overlap(a, b) < 0.9:
            lines.append(
                f"{name}: boundaries {a.start}-{a.end} vs {b.start}-{b.end}: {a.text[:60]}"
            )
    for name, f in ag.only_a:
        lines.append(f"{name}: only in A [{f.category}]: {f.text[:70]}")
    for name, f in ag.only_b:
        lines.append(f"{name}: only in B [{f.category}]: {f.text[:70]}")
    return "\n".join(lines) + "\n"


def to_dict(ag: Agreement) -> dict[str, Any]:
    measures = {
        "category_agreement": ag.category_agreement,
        "kappa": ag.kappa,
        "mean_overlap": ag.mean_overlap,
        "same_boundaries": ag.same_boundaries,
    }
    # TOML has no null: a measure that cannot be computed (no aligned findings) is left out.
    return {
        "aligned": len(ag.pairs),
        "only_a": len(ag.only_a),
        "only_b": len(ag.only_b),
        **{k: round(v, 4) for k, v in measures.items() if v is not None},
        "disagreements": [
            {
                "file": name,
                "kind": "category" if a.category != b.category else "boundaries",
                "a_category": a.category,
                "b_category": b.category,
                "a_span": [a.start, a.end],
                "b_span": [b.start, b.end],
                "text": a.text,
            }
            for name, a, b in ag.pairs
            if a.category != b.category or overlap(a, b) < 0.9
        ]
        + [
            {"file": name, "kind": "only_a", "a_category": f.category, "text": f.text}
            for name, f in ag.only_a
        ]
        + [
            {"file": name, "kind": "only_b", "b_category": f.category, "text": f.text}
            for name, f in ag.only_b
        ],
        "unpaired_files": ag.unpaired_files,
    }
