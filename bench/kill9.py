"""Kill the real reviewer with SIGKILL at random moments and count the edits that come back.

Each trial copies a sample letter into a fresh folder, starts ``python -m reviewer open`` on
a pseudo-terminal (with the default settings: a category key decides and goes on to the next
finding still to review), waits for the first screen, then makes edits as a person would:
category keys, and one merge (``m``) among them.  An edit counts as *made* once the app has
drawn what it does to the header's count ("3/14 reviewed": one more reviewed, or one finding
fewer after a merge).  At a random moment (between keys, right after a
key, or a few milliseconds into a ``ctrl+s`` save) the app is killed with ``kill -9``.

What each edit should leave is worked out by making the same edits, in the same order, on a
session of another copy of the letter (the app's rules: the cursor follows decide-and-advance,
stays on a merged finding).  The letter is then reopened the way a person would
(``ReviewSession.open`` and, if offered, restoring the unsaved work): the edits back are
those up to the latest state the reopened review equals; the made edits after it are lost.

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
MERGE_KEY = "m"


@dataclass
class Trial:
    made: int = 0
    back: int = 0
    in_flight: int = 0  # keys sent but not yet answered when the kill came
    during_save: bool = False
    restored: bool = False
    merged: bool = False  # a merge was among the edits made
    unrecognised: bool = False  # the reopened review equals no state the edits passed through


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


def _answered(fd: int, marker: bytes, limit: float) -> bool:
    """Read the app's output until ``marker`` (the header's count of reviewed findings the
    edit gives) is drawn, then until it is quiet; False when it is not drawn in time."""
    seen = b""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return False
        if not chunk:
            return False
        seen = seen[-200:] + chunk
        if marker in seen:
            _quiet(fd, 0.03, 2.0)
            return True
    return False


def _spawn(letter: Path) -> tuple[subprocess.Popen, int]:
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 140, 0, 0))
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="140", LINES="40")
    env["XDG_CONFIG_HOME"] = str(letter.parent / "config")  # the default settings and keys
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


def _state(session: ReviewSession) -> tuple[tuple[str, str], ...]:
    """What the edits change: each finding's category and words, in order."""
    return tuple((f.category, f.text) for f in session.findings)


class Model:
    """The same edits made on a session of another copy of the letter, with the app's
    cursor rules, so each made edit's expected state is known."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir()
        shutil.copyfile(LETTER, folder / LETTER.name)
        self.session = ReviewSession.open(folder / LETTER.name)
        self.cursor = 0
        self.states = [_state(self.session)]  # after 0, 1, 2... edits

    def can_merge(self) -> bool:
        s, i = self.session, self.cursor
        return i + 1 < len(s.findings) and not s.heading_between(i)

    def key_for_category(self, rng: random.Random) -> str:
        """A category key for the finding under the cursor, never its category now."""
        s, i = self.session, self.cursor
        category = rng.choice([c for c in CATEGORY_KEYS if c != s.findings[i].category])
        s.set_category(i, category)
        nxt = s.next_unreviewed(i)
        self.cursor = nxt if nxt is not None else i
        self.states.append(_state(s))
        return CATEGORY_KEYS[category]

    def key_for_merge(self) -> str:
        self.session.merge_next(self.cursor)  # the cursor stays on the merged finding
        self.states.append(_state(self.session))
        return MERGE_KEY

    def counted(self) -> bytes:
        """The header's count after the edits so far ("3/14 reviewed")."""
        s = self.session
        return f"{s.reviewed_count}/{len(s.findings)} reviewed".encode()

    def close(self) -> None:
        self.session.close()


def run_trial(rng: random.Random, folder: Path, n_findings: int) -> Trial:
    letter = folder / LETTER.name
    shutil.copyfile(LETTER, letter)
    model = Model(folder / "model")
    trial = Trial()
    proc, fd = _spawn(letter)
    try:
        if not _quiet(fd, 0.4, 20.0):
            raise RuntimeError("the reviewer did not draw its first screen")
        n_edits = rng.randint(1, n_findings - 2)
        merge_at = rng.randint(0, n_edits - 1)
        kill_after = rng.randint(1, n_edits)  # the edit after which the kill comes
        mode = rng.choice(["between", "right_after_key", "during_save", "after_pause"])
        trial.during_save = mode == "during_save"
        for i in range(n_edits):
            merging = i >= merge_at and not trial.merged and model.can_merge()
            count_before = model.counted()
            key = model.key_for_merge() if merging else model.key_for_category(rng)
            if model.counted() == count_before:
                break  # every finding is reviewed: the header would not tell this edit apart
            os.write(fd, key.encode())
            if i + 1 == kill_after and mode == "right_after_key":
                time.sleep(rng.uniform(0, 0.03))
                trial.in_flight = 1
                break
            if not _answered(fd, model.counted(), 10.0):
                trial.in_flight = 1  # not answered: the app may or may not have made it
                break
            trial.made += 1
            trial.merged = trial.merged or merging
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
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        os.close(fd)
        model.close()
    session = ReviewSession.open(letter)
    try:
        if session.report.journal_available:
            trial.restored = session.restore_journal()
        reopened = _state(session)
    finally:
        session.close(clean=True)
    matches = [j for j, state in enumerate(model.states) if state == reopened]
    if not matches:
        trial.unrecognised = True
    else:
        trial.back = min(trial.made, max(matches))
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
        n_findings = len(s.findings)
        s.close()
        trials: list[Trial] = []
        t0 = time.perf_counter()
        for k in range(args.trials):
            folder = Path(tmp) / f"t{k}"
            folder.mkdir()
            trials.append(run_trial(rng, folder, n_findings))
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
    print(f"| trials with a merge among the edits made | {sum(t.merged for t in trials)} |")
    merged_lost = sum(t.made - t.back for t in trials if t.merged)
    print(f"| edits lost in trials with a merge | {merged_lost} |")
    print(
        f"| reopened reviews equal to no state the edits passed through | "
        f"{sum(t.unrecognised for t in trials)} |"
    )
    print(f"| trials where unsaved work was restored | {sum(t.restored for t in trials)} |")
    print(f"| seconds | {time.perf_counter() - t0:.0f} |")
    return 0 if made == back and not any(t.unrecognised for t in trials) else 1


if __name__ == "__main__":
    sys.exit(main())
