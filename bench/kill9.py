"""Kill the real reviewer with SIGKILL at random moments and count the edits that come back.

Each trial copies a sample letter into a fresh folder, starts ``python -m reviewer open`` on
a pseudo-terminal, waits for the first screen, then makes edits as a person would: a
category key on a finding, then ``j`` to the next one.  An edit counts as *made* once the
app has answered its key by redrawing the screen.  At a random moment (between keys, right
after a key, or a few milliseconds into a ``ctrl+s`` save) the app is killed with
``kill -9``.  The letter is then reopened the way a person would (``ReviewSession.open`` and,
if offered, restoring the unsaved work) and every made edit is looked for.

    python bench/kill9.py [--trials 120] [--seed 1]

It prints a table; it is not a test (timings depend on the machine).
"""

from __future__ import annotations

import argparse
import fcntl
import os
import random
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reviewer.review.session import ReviewSession  # noqa: E402

LETTER = ROOT / "sample_letters" / "hartlepool_2011-03_ucra.txt"
CATEGORY_KEYS = {"strength": "1", "satisfactory": "2", "development": "3", "priority_action": "4"}


@dataclass
class Trial:
    made: int = 0
    back: int = 0
    in_flight: int = 0  # keys sent but not yet answered when the kill came
    during_save: bool = False
    restored: bool = False


def _quiet(fd: int, settle: float, limit: float) -> bool:
    """Read the app's output until it has been quiet for ``settle`` s; True if any came."""
    got = False
    end = time.monotonic() + limit
    while time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], settle)
        if not ready:
            if got:
                return True
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return got
        if not chunk:
            return got
        got = True
    return got


def _spawn(letter: Path) -> tuple[subprocess.Popen, int]:
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 140, 0, 0))
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="140", LINES="40")
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "reviewer", "open", str(letter)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=letter.parent,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    return proc, master


def _expected_plan(rng: random.Random, autos: list[str], n_edits: int) -> list[str]:
    """A category for each of the first findings, never the one the machine gave."""
    plan = []
    for auto in autos[:n_edits]:
        plan.append(rng.choice([c for c in CATEGORY_KEYS if c != auto]))
    return plan


def run_trial(rng: random.Random, folder: Path, autos: list[str]) -> Trial:
    letter = folder / LETTER.name
    shutil.copyfile(LETTER, letter)
    trial = Trial()
    proc, fd = _spawn(letter)
    try:
        if not _quiet(fd, 0.4, 20.0):
            raise RuntimeError("the reviewer did not draw its first screen")
        plan = _expected_plan(rng, autos, rng.randint(1, len(autos) - 1))
        kill_after = rng.randint(1, len(plan))  # the edit after which the kill comes
        mode = rng.choice(["between", "right_after_key", "during_save", "after_pause"])
        trial.during_save = mode == "during_save"
        made: list[tuple[int, str]] = []
        for i, category in enumerate(plan):
            os.write(fd, CATEGORY_KEYS[category].encode())
            if i + 1 == kill_after and mode == "right_after_key":
                time.sleep(rng.uniform(0, 0.03))
                trial.in_flight = 1
                break
            if _quiet(fd, 0.03, 5.0):
                made.append((i, category))
            os.write(fd, b"j")
            _quiet(fd, 0.03, 5.0)
            if i + 1 == kill_after:
                break
        if mode == "during_save":
            os.write(fd, b"\x13")  # ctrl+s
            time.sleep(rng.uniform(0, 0.03))
        elif mode == "after_pause":
            time.sleep(rng.uniform(0.5, 2.5))  # across the autosave timer
        else:
            time.sleep(rng.uniform(0, 0.01))
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        trial.made = len(made)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        os.close(fd)
    session = ReviewSession.open(letter)
    try:
        if session.report.journal_available:
            trial.restored = session.restore_journal()
        findings = session.findings
        trial.back = sum(1 for i, category in made if findings[i].category == category)
    finally:
        session.close(clean=True)
    return trial


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--trials", type=int, default=120)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / "probe"
        probe.mkdir()
        shutil.copyfile(LETTER, probe / LETTER.name)
        s = ReviewSession.open(probe / LETTER.name)
        autos = [f.category for f in s.findings]
        s.close()
        trials: list[Trial] = []
        t0 = time.perf_counter()
        for k in range(args.trials):
            folder = Path(tmp) / f"t{k}"
            folder.mkdir()
            trials.append(run_trial(rng, folder, autos))
            lost = sum(t.made - t.back for t in trials)
            print(f"\rtrial {k + 1}/{args.trials}: lost {lost}", end="", file=sys.stderr)
        print(file=sys.stderr)
    made = sum(t.made for t in trials)
    back = sum(t.back for t in trials)
    saves = [t for t in trials if t.during_save]
    print("| figure | value |")
    print("|---|---|")
    print(f"| kills (SIGKILL) | {len(trials)} |")
    print(f"| of them during a save (ctrl+s) | {len(saves)} |")
    print(f"| edits made (answered by the app) | {made} |")
    print(f"| edits back after reopening | {back} |")
    print(f"| edits lost | {made - back} |")
    print(f"| edits lost in kills during a save | {sum(t.made - t.back for t in saves)} |")
    print(f"| trials where unsaved work was restored | {sum(t.restored for t in trials)} |")
    print(f"| seconds | {time.perf_counter() - t0:.0f} |")
    return 0 if made == back else 1


if __name__ == "__main__":
    sys.exit(main())
