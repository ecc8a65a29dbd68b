"""CPU time per change in a review session, with the crash journal written on every change.

A keystroke in the reviewer runs one session correction; since every correction now
appends to the crash journal before it returns, this measures what that costs, on the
bundled letter (14 findings) and on the synthetic 2,000-finding letter, and what one
autosave snapshot (the 1 s timer) and one save cost.

    python bench/change_cost.py [--five-mb]

``--five-mb`` adds a 5 MB letter with no line feed (the bundled letter repeated, its lines
ended by carriage returns only), which segments into about 12,000 findings.

Run it against an older checkout (``PYTHONPATH=that/checkout``) for the figures before.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_letters import big_letter  # noqa: E402

from reviewer.review.session import ReviewSession  # noqa: E402

CHANGES = 400


def _cpu_per_change(session: ReviewSession) -> list[float]:
    n = len(session.findings)
    cats = ["development", "strength"]
    out = []
    for k in range(CHANGES):
        t = time.process_time()
        session.set_category(k % n, cats[k % 2])
        out.append(time.process_time() - t)
    return out


def _one(letter: Path) -> tuple[str, int, float, float, float, float]:
    s = ReviewSession.open(letter)
    s.save()  # the first save of a new review, then the figures of a review being worked on
    s.close()
    s = ReviewSession.open(letter)
    first = time.process_time()
    s.set_note(0, "first change after opening")
    first = time.process_time() - first
    per = _cpu_per_change(s)
    t = time.process_time()
    s.autosave()
    snap = time.process_time() - t
    t = time.process_time()
    s.save()
    save = time.process_time() - t
    s.close()
    return letter.name, len(s.findings), first, statistics.median(per), snap, save


def _five_mb(folder: Path) -> Path:
    base = (ROOT / "sample_letters" / "hartlepool_2011-03_ucra.txt").read_text(encoding="utf-8")
    one = base.replace("\n", "\r") + "\r"
    path = folder / "five_mb_one_line.txt"
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write((one * (5_000_000 // len(one) + 1))[:5_000_000])
    return path


def main() -> int:
    five = "--five-mb" in sys.argv[1:]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        small = folder / "hartlepool.txt"
        shutil.copyfile(ROOT / "sample_letters" / "hartlepool_2011-03_ucra.txt", small)
        big = folder / "big.txt"
        big.write_text(big_letter(2000), encoding="utf-8")
        print("| letter | findings | first change ms | median change ms | autosave ms | save ms |")
        print("|---|---|---|---|---|---|")
        letters = [small, big] + ([_five_mb(folder)] if five else [])
        for letter in letters:
            name, n, first, median, snap, save = _one(letter)
            print(
                f"| {name} | {n} | {first * 1e3:.2f} | {median * 1e3:.3f} | "
                f"{snap * 1e3:.1f} | {save * 1e3:.1f} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
