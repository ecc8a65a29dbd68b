"""Keys pressed per finding, reviewing whole real letters by driving the app.

For each document the machine's findings are taken as right but for three: one has the
wrong category, one was cut in two by the machine (the truth is the two as one), and one
runs a sentence too far. A simulated reviewer, who knows the truth, goes through the
letter with the keys a person would press: a decision key for each finding, `m` to join
the two halves, the end-by-sentence key for the long one. The table gives keys per
reviewed finding; the goal is the truth's findings + 3, save included.

    .venv/bin/python bench/keys.py                     # one document of each family
    .venv/bin/python bench/keys.py DOC.pdf DOC2.txt    # these documents
    .venv/bin/python bench/keys.py --stay              # also with the 'advance' setting off

Documents come from the shared corpus beside the project when it is there, else the
bundled sample letters. Each is copied to a scratch folder: nothing is written beside it.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

from reviewer.review.session import ReviewSession  # noqa: E402
from reviewer.settings import Settings  # noqa: E402
from reviewer.tui.app import ReviewApp  # noqa: E402
from reviewer.tui.keymap import ACTIONS, split_keys  # noqa: E402

HAS_BOUNDS = any(a.id == "finding.end_sentence_previous" for a in ACTIONS)
CORPUS = ROOT.parent / "shared" / "corpus"
FAMILIES = ("focused_visit", "report", "jtai", "send_area")
# a sentence ends at . ! ? (and closing quotes or brackets) before a space
SENTENCE_END = re.compile(r"[.!?][\"”’)\]]*(?=\s)")


@dataclass(slots=True)
class Truth:
    """What the reviewer wants a finding to be: its span in the letter and its category."""

    start: int
    end: int
    category: str
    unit: str = ""  # for a finding that runs too far: "sentence" or "word"


@dataclass(slots=True)
class Result:
    document: str
    machine: int
    truth: int
    keys: int
    reached: bool


def earlier_sentence_end(text: str, start: int, end: int) -> int | None:
    """Where the finding would end a sentence earlier, if it has two or more sentences."""
    ends = [m.end() for m in SENTENCE_END.finditer(text, start, end - 1)]
    ends = [e for e in ends if e - start > 20]
    return ends[-1] if ends else None


def earlier_word_end(text: str, start: int, end: int) -> int | None:
    """Where the finding would end a word earlier."""
    words = text[start:end].rstrip()
    cut = max(words.rfind(" "), words.rfind("\n"))
    return start + len(words[:cut].rstrip()) if cut > 20 else None


def make_truth(session: ReviewSession, bounds: bool = True) -> list[Truth] | None:
    """The machine's findings with three wrong, spread through the letter; None when the
    letter has too few findings for three different corrections."""
    fs = [f for f in session.findings if f.anchor != "orphan"]
    n = len(fs)
    if n < 6:
        return None
    truth = [Truth(f.start, f.end, f.category) for f in fs]
    other = [c.id for c in session.scheme.categories]
    # 1. a wrong category, a quarter of the way in
    k = n // 4
    truth[k].category = next(c for c in other if c != fs[k].category)
    # 2. the machine cut one finding in two: the truth joins a pair of the same category
    pairs = [
        i
        for i in range(n // 2, n - 1)
        if fs[i].category == fs[i + 1].category
        and not session.heading_between(i)
        and i not in (k, k + 1)
    ]
    # 3. one finding runs a sentence too far (a word, where findings are one sentence)
    free = [i for i in range(n - 1, k, -1) if all(i not in (p, p + 1) for p in pairs[:1])]
    if not pairs or not free:
        return None
    j = pairs[0]
    if not bounds:  # this build has no end-by-sentence key: two corrections only
        truth[j].end = fs[j + 1].end
        del truth[j + 1]
        return truth
    for unit, cut_of in (("sentence", earlier_sentence_end), ("word", earlier_word_end)):
        cuts = [(i, cut_of(session.text, fs[i].start, fs[i].end)) for i in free]
        found = [(i, c) for i, c in cuts if c is not None]
        if found:
            m, cut = found[0]
            truth[m].end, truth[m].unit = cut, unit
            break
    else:
        return None
    truth[j].end = fs[j + 1].end
    del truth[j + 1]
    return truth


def first_key(app: ReviewApp, binding_id: str) -> str:
    keys = split_keys(app.keymap.get(binding_id, ""))
    if not keys:
        raise SystemExit(f"no key is bound to {binding_id}")
    return keys[0]


async def review_document(path: Path, advance: bool) -> Result | None:
    session = ReviewSession.open(path)
    truth = make_truth(session, bounds=HAS_BOUNDS)
    if truth is None:
        session.close()
        return None
    by_start = {t.start: t for t in truth}
    app = ReviewApp(session, "default", user_keymap=False, settings=Settings(advance=advance))
    keys = 0
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.pause()

        async def press(key: str) -> None:
            nonlocal keys
            keys += 1
            await pilot.press(key)

        for _ in range(4 * len(truth) + 20):
            s = app.session
            if s.reviewed_count == len(s.findings):
                break
            f = s.findings[app.review_screen.controller.current]
            t = by_start.get(f.start)
            if t is None:
                break  # the reviewer would not know what to do: the run is wrong
            if f.end < t.end:
                await press(first_key(app, "finding.merge"))
                continue
            if f.end > t.end:
                await press(first_key(app, f"finding.end_{t.unit}_previous"))
                continue
            if f.category != t.category:
                await press(first_key(app, f"finding.category.{t.category}"))
            else:
                await press(first_key(app, "finding.confirm"))
        await press(first_key(app, "app.save"))
        await pilot.pause()
        s = app.session
        got = [(f.start, f.end, f.category) for f in s.findings if f.anchor != "orphan"]
        want = [(t.start, t.end, t.category) for t in truth]
        reached = got == want and s.reviewed_count == len(s.findings) and not s.dirty
    return Result(path.name, session.review.machine_findings, len(truth), keys, reached)


def default_documents() -> list[list[Path]]:
    """Candidates by family, in order; the first two of each that allow three corrections
    are measured."""
    if CORPUS.is_dir():
        return [sorted((CORPUS / family).glob("*.pdf")) for family in FAMILIES]
    return [sorted((ROOT / "sample_letters").glob("*.txt"))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("documents", nargs="*", type=Path)
    ap.add_argument("--stay", action="store_true", help="also measure with 'advance' off")
    args = ap.parse_args(argv)
    groups = [args.documents] if args.documents else default_documents()
    per_group = len(args.documents) if args.documents else 2
    modes = [True, False] if args.stay else [True]
    print(
        "| document | mode | machine findings | truth findings | keys | goal (truth + 3) "
        "| keys per finding | reached the truth |"
    )
    print("|---|---|---|---|---|---|---|---|")
    totals = [0, 0]
    with tempfile.TemporaryDirectory() as scratch:
        for group in groups:
            measured = 0
            for doc in group:
                if measured >= per_group:
                    break
                for advance in modes:
                    result = asyncio.run(review_copy(doc, Path(scratch), advance))
                    if result is None:
                        break
                    report(result, advance)
                    if advance:
                        totals[0] += result.keys
                        totals[1] += result.truth
                else:
                    measured += 1
    if totals[1]:
        print(
            f"\nDecide-and-advance, all documents: {totals[0]} keys for {totals[1]} findings "
            f"({totals[0] / totals[1]:.2f} per finding)"
        )
    return 0


async def review_copy(doc: Path, scratch: Path, advance: bool) -> Result | None:
    folder = scratch / f"{doc.stem}-{advance}"
    folder.mkdir()
    copy = folder / doc.name
    shutil.copyfile(doc, copy)
    return await review_document(copy, advance)


def report(result: Result, advance: bool) -> None:
    goal = result.truth + 3
    mode = "decide-and-advance" if advance else "advance off"
    ok = "yes" if result.reached else "NO"
    over = "" if result.keys <= goal else " (over)"
    print(
        f"| {result.document} | {mode} | {result.machine} | {result.truth} | "
        f"{result.keys}{over} | {goal} | {result.keys / result.truth:.2f} | {ok} |"
    )


if __name__ == "__main__":
    raise SystemExit(main())
