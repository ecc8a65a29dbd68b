"""Restoring a crashed session's unsaved work on big reviews: the question and the restore.

    python bench/restore.py [--sizes 2000,2MB,19MB] [--runs N] [--profile check|restore]
    python bench/restore.py --compare REF      # REF's tree, then this one, in one run

For each size it builds, in a temporary folder, the letter (the 2,000-finding letter of
`make_letters.big_letter`, or its findings repeated to 2 MB or 19 MB, as `run.py`'s app rows
do: about 18,000 and 178,000 findings) and its saved review. Then a session opens the review
as the reviewer does (writable, the crash journal's full record written as the app writes it
once the first screen is up), makes a few changes (categories, a confirmation, a note, a
deletion, a merge, the letter's note) and "crashes": the journal is left as it is, no save,
no clean close, the lock left behind by a process that is gone. With `--autosave` the UI's
timer wrote a snapshot midway (the common case: the journal then starts from the snapshot);
without, the journal holds its full record and every change (a crash within a second).

Timed, from a fresh copy of those files each run (median of `--runs`; wall and, in brackets,
this process's CPU time, which the goals are judged on, as other work on a shared machine
does not add to it):

- floor: ``ReviewSession.open`` of the same review with no crash files (a normal open),
  without the cyclic collector as ``reviewer open`` runs it until its first screen;
- check: inside ``ReviewSession.open`` with the crash files there, ``opening.recovery``, which
  decides whether to ask "restore the unsaved work?" (``report.journal_available``): what
  the question costs beyond a normal open (the difference of two opens of this size would
  be lost in their noise);
- restore: ``ReviewSession.restore_journal`` after "yes" (the objects made until then frozen
  out of collection, as the reviewer does once its first screen is up).

Each run checks that the question is asked and that the restored findings and head are the
ones the crashed session held (every finding's TOML compared), and a second scenario checks
that a crash with no unsaved change asks nothing. `--profile` prints where the time of the
check (the open with crash files) or of the restore goes in the largest size (cProfile with a
CPU timer, the costliest functions by internal and by cumulative time).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _tree_from_argv(argv: list[str]) -> Path:
    """The tree whose `reviewer` is measured: `--tree DIR`, else this script's."""
    if "--tree" in argv:
        return Path(argv[argv.index("--tree") + 1]).resolve()
    return ROOT


sys.path.insert(0, str(HERE))
sys.path.insert(0, str(_tree_from_argv(sys.argv)))

from make_letters import big_letter  # noqa: E402

GOAL_CHECK = 1.0  # seconds over a normal open, at any size
GOAL_RESTORE = 2.0


def letter_text(size: str) -> str:
    """The 2,000-finding letter, or its findings repeated to `size` ("2MB", "19MB")."""
    base = big_letter(2000)
    if size == "2000":
        return base
    mb = int(size.removesuffix("MB"))
    body = base.split("\n\n", 3)[-1]
    reps = max(1, int(mb * 1e6 // len(base)))
    return base + ("\n\n" + body) * (reps - 1)


def crash_files(review: Path) -> list[Path]:
    """The files a crashed session leaves beside its review (journal, snapshot, lock)."""
    return [review.with_name(review.name + s) for s in (".journal", ".autosave", ".lock")]


def abandon(session) -> None:
    """End a session as kill -9 would: no save, no clean close, its lock left behind by a
    process that no longer runs."""
    session.crash.settle()
    session.crash.snapshots.settle()
    session.oplog.close()
    lock = session.review_path.with_name(session.review_path.name + ".lock")
    lock.write_text("999999999\n" + socket.gethostname() + "\ngone\n")
    session.lock = None


def make_case(folder: Path, size: str, autosave: bool = False) -> dict:
    """The letter, its saved review and a crashed session's files, kept in `folder/kept`."""
    from reviewer.review import annotation
    from reviewer.review.session import ReviewSession

    folder.mkdir(parents=True)
    letter = folder / "big_letter.txt"
    letter.write_text(letter_text(size), encoding="utf-8")
    s = ReviewSession.open(letter)
    s.save()
    s.close()
    # The person's session: the full record written as the app does once the screen is up.
    s = ReviewSession.open(letter)
    s.prepare_journal()
    s.crash.settle()
    n = len(s.findings)
    for i in (1, n // 3, n - 5):
        s.set_category(i, "development")
    s.confirm(n // 2)
    if autosave:  # the UI's timer wrote a snapshot; the journal goes on from it
        s.autosave("")
    s.set_note(n // 4, "typed a moment before the crash")
    s.delete(n // 5)
    s.merge_next(n // 6)
    s.set_review_note("unsaved note on the letter")
    want = (
        [annotation.finding_toml(f) for f in s.findings],
        (s.review.letter, s.review.status, s.review.note),
    )
    review = s.review_path
    abandon(s)
    del s
    gc.collect()
    kept = folder / "kept"
    kept.mkdir()
    for p in crash_files(review):
        if p.exists():
            shutil.copy2(p, kept / p.name)
    return {"letter": letter, "review": review, "kept": kept, "findings": n, "want": want}


def lay_crash(case: dict) -> None:
    """The crashed session's files as it left them (a fresh copy each run)."""
    for p in crash_files(case["review"]):
        p.unlink(missing_ok=True)
        kept = case["kept"] / p.name
        if kept.exists():
            shutil.copy2(kept, p)


def clear_crash(case: dict) -> None:
    for p in crash_files(case["review"]):
        p.unlink(missing_ok=True)


class Clock:
    """Wall and CPU seconds of one stretch (CPU: this process's, which other work on a busy
    machine does not add to)."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def opened(letter: Path):
    """`ReviewSession.open` as `reviewer open` runs it: without the cyclic collector, which
    the reviewer holds until its first screen (see `reviewer.startup`)."""
    from reviewer.review.session import ReviewSession

    gc.disable()
    try:
        return ReviewSession.open(letter)
    finally:
        gc.enable()


def measure(case: dict, runs: int) -> dict:
    from reviewer.review import annotation, opening

    # The check itself, inside the open: `opening.recovery` (its name in every tree).
    recovery, checks = opening.recovery, []

    def timed_recovery(*args, **kwargs):
        with Clock() as c:
            found = recovery(*args, **kwargs)
        checks.append(c)
        return found

    opening.recovery = timed_recovery
    floor, check, restore = [], [], []
    for _ in range(runs):
        clear_crash(case)
        gc.collect()
        with Clock() as c:
            s = opened(case["letter"])
        floor.append(c)
        assert not s.report.journal_available
        s.close()
        del s  # each step starts with no other session's findings alive
        gc.collect()

        lay_crash(case)
        checks.clear()
        with Clock() as c:
            s = opened(case["letter"])
        check.append(checks[-1])
        assert s.report.journal_available and not s.read_only, "the question is not asked"
        gc.freeze()  # as the reviewer does once its first screen is up
        with Clock() as c:
            assert s.restore_journal()
        restore.append(c)
        gc.unfreeze()
        got = (
            [annotation.finding_toml(f) for f in s.findings],
            (s.review.letter, s.review.status, s.review.note),
        )
        assert got == case["want"], "the restored review is not the crashed session's"
        s.close(clean=False)
        del s, got
    # A crash with nothing unsaved (the journal holds the saved review): no question.
    clear_crash(case)
    s = opened(case["letter"])
    s.prepare_journal()
    s.crash.settle()
    abandon(s)
    del s
    gc.collect()
    checks.clear()
    s = opened(case["letter"])
    same = checks[-1]
    assert not s.report.journal_available, "asked although nothing was unsaved"
    s.close()
    opening.recovery = recovery

    def med(clocks: list[Clock], what: str) -> float:
        return statistics.median(getattr(c, what) for c in clocks)

    return {
        f"{k}_{what}": med(v, what)
        for k, v in (("floor", floor), ("check", check), ("restore", restore), ("same", [same]))
        for what in ("wall", "cpu")
    }


def profile(case: dict, what: str) -> None:
    from reviewer.review.session import ReviewSession

    lay_crash(case)
    gc.collect()
    prof = cProfile.Profile(time.process_time)
    if what == "check":
        prof.enable()
        s = ReviewSession.open(case["letter"])
        prof.disable()
    else:
        s = ReviewSession.open(case["letter"])
        prof.enable()
        s.restore_journal()
        prof.disable()
    s.close(clean=False)
    for key in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats(key).print_stats(14)
        text = out.getvalue()
        print(f"\n-- profile of the {what}, by {key} (CPU seconds) --")
        print(text[text.find("   ncalls") :].rstrip())


def s_(x: float) -> str:
    return f"{x:.2f} s"


def run(args: argparse.Namespace) -> int:
    sizes = args.sizes.split(",")
    print(f"reviewer from {_tree_from_argv(sys.argv)}", file=sys.stderr)
    rows = []
    with tempfile.TemporaryDirectory(prefix="restore-bench-") as tmp:
        case = None
        for size in sizes:
            t0 = time.perf_counter()
            case = make_case(Path(tmp) / size, size, args.autosave)
            print(f"{size}: built in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
            m = measure(case, args.runs)
            mb = case["review"].stat().st_size / 1e6
            ok = m["check_cpu"] <= GOAL_CHECK and m["restore_cpu"] <= GOAL_RESTORE
            rows.append(
                f"| {case['findings']:,} findings ({mb:.1f} MB review) "
                + "".join(
                    f"| {s_(m[v + '_wall'])} ({s_(m[v + '_cpu'])}) "
                    for v in ("floor", "check", "restore", "same")
                )
                + f"| {'ok' if ok else 'over'} |"
            )
        print(
            "| review | floor: open, no crash files | check in the open with crash files "
            "| restore after yes | check, crash with nothing unsaved | goal (check <= 1 s, "
            "restore <= 2 s, CPU) |"
        )
        print("|---|---|---|---|---|---|")
        print("\n".join(rows))
        print("\nwall seconds (CPU seconds of this process), median of the runs", flush=True)
        if args.profile and case is not None:
            profile(case, args.profile)
    return 0


def compare(ref: str, argv: list[str]) -> int:
    """REF's tree and then this one, each in a process of its own, one after the other."""
    with tempfile.TemporaryDirectory(prefix="restore-ref-") as tmp:
        tree = Path(tmp) / "tree"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), ref],
            check=True,
            capture_output=True,
        )
        try:
            for label, where in ((ref, tree), ("this tree", ROOT)):
                print(f"\n### {label}\n", flush=True)
                env = dict(os.environ, PYTHONPATH=str(where))
                cmd = [sys.executable, str(HERE / "restore.py"), "--tree", str(where), *argv]
                subprocess.run(cmd, check=True, env=env)
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                capture_output=True,
            )
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="2000,2MB,19MB")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--profile", choices=["check", "restore"])
    ap.add_argument(
        "--autosave",
        action="store_true",
        help="crash after an autosave: a snapshot and a journal that goes on from it",
    )
    ap.add_argument("--tree", help="the tree whose reviewer package is measured")
    ap.add_argument("--compare", metavar="REF", help="measure REF's tree, then this one")
    args = ap.parse_args(argv)
    if args.compare:
        rest = [a for a in argv if a not in ("--compare", args.compare)]
        return compare(args.compare, rest)
    return run(args)


if __name__ == "__main__":
    raise SystemExit(main())
