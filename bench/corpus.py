#!/usr/bin/env python3
"""Segment every document of a corpus and print what a user would get, family by family.

    python bench/corpus.py [DIR] [--jobs N]

DIR (default: the shared corpus beside the project) holds one folder per document family
(`report/`, `focused_visit/`, `jtai/`, `send_area/`, `letters/`) of PDFs, and optionally
`index.tsv` (id, family, year, ...) and `peer/ilacs_grades.csv` (another tool's grades for
the reports). For each family and publication year it prints: documents, failures, how
many were recognised as their family, documents without findings, mean findings, report
grades agreeing with the peer, and seconds per document (text extraction and segmentation
apart: median and max). Then every document without findings (with the reason the
reviewer gives), every failure and every grade disagreement, so a person can read the
document and decide. It reports; it is not a test.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import os
import re
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from reviewer.segment.families import segment_auto
from reviewer.segment.grades import GRADES
from reviewer.sources.read import read_letter

SCHEME_OF = {
    "report": "ofsted_ilacs",
    "focused_visit": "ofsted_focused_visit",
    "jtai": "ofsted_jtai",
    "send_area": "ofsted_send_area",
    "letters": "ofsted_ucra",
}
# The peer's columns and the judgement keys they stand for ("in_care" depends on the year).
PEER_COLUMNS = {
    "overall_effectiveness_grade": "overall_effectiveness",
    "impact_of_leaders_grade": "leaders",
    "help_and_protection_grade": "help_and_protection",
    "in_care_grade": "in_care",
    "care_leavers_grade": "care_leavers",
}
DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


@dataclass
class Result:
    id: str
    family: str
    year: str
    scheme: str = ""
    findings: int = 0
    judgements: dict = field(default_factory=dict)
    reason: str = ""
    error: str = ""
    extract: float = 0.0
    segment: float = 0.0


def run_one(job: tuple[str, str, str, str]) -> Result:
    path, doc_id, family, year = job
    out = Result(doc_id, family, year)
    try:
        t0 = time.perf_counter()
        letter = read_letter(path)
        t1 = time.perf_counter()
        doc, note = segment_auto(letter.text)
        t2 = time.perf_counter()
    except Exception as err:  # a report of failures, not a crash: every kind is counted
        out.error = " ".join(str(err).split())[:200] or type(err).__name__
        return out
    out.extract, out.segment = t1 - t0, t2 - t1
    out.scheme = doc.scheme
    out.findings = len(doc.findings)
    out.judgements = dict(doc.metadata.get("judgements", {}))
    if not doc.findings:
        out.reason = note  # why, in the words the reviewer is shown (its family's own)
    return out


def read_index(root: Path) -> dict[str, tuple[str, str]]:
    index = root / "index.tsv"
    if not index.is_file():
        return {}
    with index.open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(fh, delimiter="\t")
        return {row["id"]: (row["family"], row["year"]) for row in rows}


def read_peer(root: Path) -> dict[str, dict[str, str]]:
    peer = root / "peer" / "ilacs_grades.csv"
    if not peer.is_file():
        return {}
    with peer.open(encoding="utf-8", newline="") as fh:
        return {row["id"]: row for row in csv.DictReader(fh)}


def jobs_of(root: Path) -> list[tuple[str, str, str, str]]:
    index = read_index(root)
    jobs = []
    for family in SCHEME_OF:
        for path in sorted((root / family).glob("*.pdf")):
            fam, year = index.get(path.stem, (family, ""))
            if not year:
                m = re.search(r"_((?:19|20)\d\d)(?:-\d\d)?", path.stem)
                year = m.group(1) if m else "?"
            jobs.append((str(path), path.stem, family, year))
    return jobs


def peer_grades(row: dict[str, str], ours: dict[str, str], year: str) -> list[tuple[str, str, str]]:
    """(key, peer's grade, ours) for every field the peer gives a grade for."""
    out = []
    for column, key in PEER_COLUMNS.items():
        value = " ".join(row.get(column, "").lower().replace("_", " ").split())
        if value not in GRADES:
            continue
        if key == "in_care":
            key = (
                "children_in_care"
                if "children_in_care" in ours
                else (
                    "children_in_care_and_care_leavers"
                    if "children_in_care_and_care_leavers" in ours or year < "2023"
                    else "children_in_care"
                )
            )
        out.append((key, GRADES[value], ours.get(key, "-")))
    return out


def seconds(values: list[float]) -> str:
    if not values:
        return "-"
    return f"{statistics.median(values):.2f}/{max(values):.2f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args(argv)
    root: Path = args.dir
    if not root.is_dir():
        print(f"{root}: no such folder; give the corpus folder (one folder per family)")
        return 2
    jobs = jobs_of(root)
    if not jobs:
        print(f"{root}: no PDFs in any of {', '.join(SCHEME_OF)}")
        return 2
    peer = read_peer(root)
    started = time.perf_counter()
    with multiprocessing.Pool(max(1, args.jobs)) as pool:
        results = list(pool.imap_unordered(run_one, jobs, chunksize=1))
    wall = time.perf_counter() - started
    results.sort(key=lambda r: (list(SCHEME_OF).index(r.family), r.year, r.id))

    groups: dict[tuple[str, str], list[Result]] = defaultdict(list)
    for r in results:
        groups[(r.family, r.year)].append(r)
        groups[(r.family, "all")].append(r)
    disagreements: list[tuple[str, str, str, str]] = []
    header = (
        f"{'family':<14}{'year':>5}{'docs':>6}{'fail':>6}{'recog':>7}{'none':>6}{'mean':>7}"
        f"{'grades agree':>15}{'extract s med/max':>19}{'segment s med/max':>19}"
    )
    print(header)
    print("-" * len(header))
    order = list(SCHEME_OF)
    for (family, year), rs in sorted(
        groups.items(), key=lambda kv: (order.index(kv[0][0]), kv[0][1] == "all", kv[0][1])
    ):
        ok = [r for r in rs if not r.error]
        recognised = sum(1 for r in ok if r.scheme == SCHEME_OF[family])
        none = sum(1 for r in ok if not r.findings)
        mean = statistics.mean(r.findings for r in ok) if ok else 0.0
        agree = total = 0
        for r in ok:
            if r.id not in peer:
                continue
            for key, theirs, ours in peer_grades(peer[r.id], r.judgements, r.year):
                total += 1
                agree += theirs == ours
                if theirs != ours and year == "all":
                    disagreements.append((r.id, key, theirs, ours))
        grades = f"{agree}/{total} {100 * agree / total:.1f}%" if total else "-"
        print(
            f"{family:<14}{year:>5}{len(rs):>6}{len(rs) - len(ok):>6}{recognised:>7}{none:>6}"
            f"{mean:>7.1f}{grades:>15}{seconds([r.extract for r in ok]):>19}"
            f"{seconds([r.segment for r in ok]):>19}"
        )
        if year == "all":
            print()
    print(f"{len(results)} documents in {wall:.1f} s on {args.jobs} processes")

    empty = [r for r in results if not r.error and not r.findings]
    print(f"\nDocuments without findings ({len(empty)}):")
    for r in empty:
        print(f"  {r.family}/{r.id}: {r.reason or 'no reason given'} (scheme {r.scheme})")
    failed = [r for r in results if r.error]
    print(f"\nFailures ({len(failed)}):")
    for r in failed:
        print(f"  {r.family}/{r.id}: {r.error}")
    print(f"\nGrades disagreeing with the peer ({len(disagreements)}):")
    for doc_id, key, theirs, ours in disagreements:
        print(f"  {doc_id}: {key}: peer {theirs!r}, reviewer {ours!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
