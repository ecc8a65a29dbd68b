"""PDF text extraction, pypdf against PDFium (pypdfium2), over the real corpus.

For every PDF: the time each extractor takes, the whole pipeline's time on its text
(extraction plus segmentation), and what its text does to the results (family recognised,
documents without findings, findings). Both extractors run in the same process on the same
file one after the other, so the machine's noise falls on both alike.

    python bench/extract.py [DIR] [--limit N]

PDFium is optional here (`pip install pypdfium2`); without it only pypdf is measured.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reviewer.segment.families import segment_auto  # noqa: E402
from reviewer.sources.pdf import pdfium_pages, pypdf_pages  # noqa: E402

EXPECTED = {
    "report": "ofsted_ilacs",
    "focused_visit": "ofsted_focused_visit",
    "jtai": "ofsted_jtai",
    "send_area": "ofsted_send_area",
}


def pypdf_text(data: bytes) -> str:
    return "\f".join(pypdf_pages(data, "bench"))


def pdfium_text(data: bytes) -> str:
    return "\f".join(pdfium_pages(data, "bench"))


@dataclass
class Tally:
    extract: list[float] = field(default_factory=list)
    pipeline: list[float] = field(default_factory=list)
    recognised: int = 0
    without: list[str] = field(default_factory=list)
    findings: int = 0
    failures: list[str] = field(default_factory=list)


def measure(path: Path, family: str, name: str, extract: Callable[[bytes], str], t: Tally) -> None:
    data = path.read_bytes()
    start = time.perf_counter()
    try:
        text = extract(data)
    except Exception as err:  # noqa: BLE001 - a bench reports every failure and goes on
        t.failures.append(f"{path.stem}: {type(err).__name__}")
        return
    mid = time.perf_counter()
    doc, _ = segment_auto(text)
    end = time.perf_counter()
    t.extract.append(mid - start)
    t.pipeline.append(end - start)
    t.recognised += doc.scheme == EXPECTED.get(family)
    t.findings += len(doc.findings)
    if not doc.findings:
        t.without.append(path.stem)


def ms(values: list[float], how: Callable[[list[float]], float]) -> str:
    return f"{1000 * how(values):.0f}" if values else "-"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "corpus"))
    ap.add_argument("--limit", type=int, default=0, help="PDFs per family (0: all)")
    ap.add_argument("--jobs", type=int, default=2, help="cores for the `segment --out-dir` run")
    args = ap.parse_args(argv)
    extractors: dict[str, Callable[[bytes], str]] = {"pypdf": pypdf_text}
    try:
        import pypdfium2  # noqa: F401

        extractors["pdfium"] = pdfium_text
    except ImportError:
        print("pypdfium2 is not installed: measuring pypdf only", file=sys.stderr)
    tallies = {(fam, name): Tally() for fam in EXPECTED for name in extractors}
    corpus = Path(args.corpus)
    for family in EXPECTED:
        pdfs = sorted((corpus / family).glob("*.pdf"))
        for path in pdfs[: args.limit or None]:
            for name, extract in extractors.items():
                measure(path, family, name, extract, tallies[family, name])
    head = (
        f"{'family':<14} {'extractor':<9} {'docs':>5} {'extract ms med/max':>19} "
        f"{'pipeline ms med/max':>20} {'recognised':>10} {'no findings':>11} {'findings':>9}"
    )
    print(head)
    print("-" * len(head))
    totals: dict[str, Tally] = {name: Tally() for name in extractors}
    for (family, name), t in tallies.items():
        total = totals[name]
        total.extract += t.extract
        total.pipeline += t.pipeline
        total.recognised += t.recognised
        total.without += t.without
        total.findings += t.findings
        total.failures += t.failures
        print(row(family, name, t))
    for name, t in totals.items():
        print(row("all", name, t))
    if "pdfium" in totals:
        print(whole_run(corpus, totals["pdfium"], args.limit, args.jobs))
    for name, t in totals.items():
        if t.failures:
            print(f"{name} failed on: {', '.join(t.failures)}")
        extract, pipeline = sum(t.extract), sum(t.pipeline)
        print(f"{name}: sum of extraction {extract:.1f} s, of the pipeline {pipeline:.1f} s")
    return 0


def whole_run(corpus: Path, pdfium: Tally, limit: int, jobs: int) -> str:
    """`reviewer segment --out-dir` over the same PDFs on `jobs` cores, against a floor: the
    bare PDFium extraction time of those documents, shared out over the same cores."""
    import tempfile

    from reviewer.corpus.batch import segment_many

    pdfs = [p for fam in EXPECTED for p in sorted((corpus / fam).glob("*.pdf"))[: limit or None]]
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        outcomes = segment_many(pdfs, Path(out), None, workers=jobs)
        took = time.perf_counter() - start
    floor = sum(pdfium.extract) / jobs
    failed = sum(1 for o in outcomes if o.error)
    return (
        f"segment --out-dir, {len(pdfs)} PDFs on {jobs} cores: {took:.1f} s "
        f"(floor: bare PDFium extraction / {jobs} cores = {floor:.1f} s; "
        f"{took / floor:.1f}x the floor; {failed} failed)"
    )


def row(family: str, name: str, t: Tally) -> str:
    ext = f"{ms(t.extract, statistics.median)}/{ms(t.extract, max)}"
    pipe = f"{ms(t.pipeline, statistics.median)}/{ms(t.pipeline, max)}"
    return (
        f"{family:<14} {name:<9} {len(t.extract):>5} {ext:>19} {pipe:>20} "
        f"{t.recognised:>10} {len(t.without):>11} {t.findings:>9}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
