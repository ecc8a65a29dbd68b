"""Reading and checking one very large review: a letter with 50,000 findings, a 42 MB file.

    python bench/big_review.py [--findings N] [--profile load|validate|open|app]

Builds, in a temporary folder, a letter of N one-paragraph findings and its review (each
finding with the reviewer's own wording beside the letter's, and a note), then times what
a person waits for: `annotation.load` (every command reads a review there),
`reviewer validate`, `ReviewSession.open` (read-only), and `reviewer open` up to its first
screen (writable session and app). The goal is under 5 s for each of the first three with
50,000 findings. `--profile` prints where the time of one of them goes (cProfile, the 15
costliest functions by cumulative time).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import io
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reviewer.model import Finding  # noqa: E402
from reviewer.review import annotation  # noqa: E402
from reviewer.sources.letter import sha256_of  # noqa: E402

WORDS = [
    *("leaders", "managers", "social", "workers", "children", "families", "assessment"),
    *("plans", "supervision", "oversight", "timely", "quality", "practice", "partners"),
    *("health", "education", "police", "records", "visits", "reviews", "carers"),
    *("placements", "understand", "improve", "ensure", "consistently", "effective"),
]


def build(folder: Path, n: int) -> tuple[Path, Path]:
    """A letter of `n` findings (one paragraph each) and its review, in `folder`."""
    rng = random.Random(7)
    paragraphs = []
    for i in range(n):
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(25, 40)))
        paragraphs.append(f"- Finding {i}: {words}.")
    text = "Areas for development\n\n" + "\n".join(paragraphs) + "\n"
    letter = folder / "big.txt"
    data = text.encode("utf-8")
    letter.write_bytes(data)
    findings = []
    at = text.index("- Finding 0")
    for i, para in enumerate(paragraphs):
        start, end = at + 2, at + len(para)
        own = text[start:end]
        findings.append(
            Finding(
                id=f"f{i:05d}",
                category="development",
                section="Areas for development",
                text=own.replace("ensure", "make sure"),
                start=start,
                end=end,
                status="corrected",
                auto_category="development",
                note="Checked against the case file; the wording is the reviewer's.",
                letter_text=own,
            )
        )
        at += len(para) + 1
    review = annotation.Review(
        letter.name, sha256_of(data), "utf-8", "ofsted_ucra", {}, findings, status="in_progress"
    )
    path = folder / "big.review.toml"
    path.write_text(annotation.dumps(review), encoding="utf-8")
    return letter, path


def timed(what: str, run, profile: bool) -> None:
    profiler = cProfile.Profile() if profile else None
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    run()
    if profiler:
        profiler.disable()
    took = time.perf_counter() - start
    print(f"{what}: {took:.2f} s")
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(15)
        print(out.getvalue())


async def first_screen(letter: Path, review: Path) -> None:
    """`reviewer open` up to its first screen: the session (writable) and the app."""
    from reviewer.review.session import ReviewSession
    from reviewer.tui.app import ReviewApp

    session = ReviewSession.open(letter, review)
    try:
        app = ReviewApp(session, "default", user_keymap=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
    finally:
        session.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--findings", type=int, default=50_000)
    ap.add_argument("--profile", choices=["load", "validate", "open", "app"])
    args = ap.parse_args(argv)
    from reviewer.corpus.validate import validate_files
    from reviewer.review.session import ReviewSession

    with tempfile.TemporaryDirectory() as tmp:
        letter, review = build(Path(tmp), args.findings)
        size, letter_size = review.stat().st_size / 1e6, letter.stat().st_size / 1e6
        print(f"{args.findings} findings, review file {size:.1f} MB, letter {letter_size:.1f} MB")
        timed("load", lambda: annotation.load(review), args.profile == "load")
        quiet = io.StringIO()

        def validate() -> None:
            with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
                validate_files([review])

        timed("validate", validate, args.profile == "validate")
        timed(
            "open",
            lambda: ReviewSession.open(letter, review, read_only=True),
            args.profile == "open",
        )
        timed(
            "app: first screen",
            lambda: asyncio.run(first_screen(letter, review)),
            args.profile == "app",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
