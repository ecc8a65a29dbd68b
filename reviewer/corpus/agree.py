"""`reviewer agree`: how far two reviewers agree on the same letters.

Both reviews must be of the same letter. Findings are aligned by where they lie in it:
findings that overlap one to one are pairs (categories compared with Cohen's kappa, spans by
their overlap); one finding of one reviewer overlapping several of the other's is a split
(or merge) disagreement, reported as such. Findings with no place in the letter (orphans)
are aligned by text (rapidfuzz). Every disagreement is listed.
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from reviewer.model import Finding
from reviewer.review.annotation import Review

MATCH = 80.0


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
        span_pairs, splits, rest_a, rest_b = align_spans(ra.findings, rb.findings)
        pairs, only_a, only_b = align(rest_a, rest_b)
        pairs = sorted(span_pairs + pairs, key=lambda p: p[0].start)
        out.splits.extend((name, xs, ys) for xs, ys in splits)
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
        f"{_fmt(ag.same_boundaries)}; split or merged differently: {len(ag.splits)}",
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
    for name, xs, ys in ag.splits:
        lines.append(f"{name}: {_split_words(xs, ys)}: {xs[0].text[:60]}")
    for name, f in ag.only_a:
        lines.append(f"{name}: only in A [{f.category}]: {f.text[:70]}")
    for name, f in ag.only_b:
        lines.append(f"{name}: only in B [{f.category}]: {f.text[:70]}")
    return "\n".join(lines) + "\n"


def _split_words(xs: list[Finding], ys: list[Finding]) -> str:
    if len(xs) == 1:
        return f"split: A has 1 finding where B has {len(ys)}"
    if len(ys) == 1:
        return f"split: B has 1 finding where A has {len(xs)}"
    return f"split differently: A has {len(xs)} findings where B has {len(ys)}"


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
        "splits": len(ag.splits),
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
            {
                "file": name,
                "kind": "split",
                "what": _split_words(xs, ys),
                "a_ids": [f.id for f in xs],
                "b_ids": [f.id for f in ys],
                "a_spans": [[f.start, f.end] for f in xs],
                "b_spans": [[f.start, f.end] for f in ys],
                "text": xs[0].text,
            }
            for name, xs, ys in ag.splits
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
