"""Two reviewers taking over one stale lock, one of them slowed in the middle.

Reviewer A finds the dead lock, takes the `.break` guard and is slowed just before it puts
its lock in place (a stalled network share, a paused process) for longer than a guard was
once thought to live. Reviewer B arrives meanwhile. Exactly one of them may end up editing;
the other is told, in one line, who has the review.
"""

from __future__ import annotations

import errno
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reviewer.review import guard
from reviewer.review.session import ReviewSession
from reviewer.review.store import Lock, LockUnreadable, lock_path
from tests.conftest import SAMPLES

REPO = Path(__file__).resolve().parents[2]
HARTLEPOOL = "hartlepool_2011-03_ucra.txt"

# Both reviewers end the same way: take the lock (or say why not) and hold it until told.
_HOLD = """
try:
    with Lock(sys.argv[1]):
        print("writable", flush=True)
        sys.stdin.readline()
except LockHeld as err:
    print(err, flush=True)
"""

# Reviewer A: stops just before it replaces the stale lock, says so, and goes on when told;
# then holds what it got until told to end.
_SLOWED = """
import os, sys
from reviewer.review.store import Lock, LockHeld
lock_file = sys.argv[1] + ".lock"
real_replace = os.replace
def replace(src, dst, *args, **kwargs):
    if os.fspath(dst) == lock_file:
        print("at-replace", flush=True)
        sys.stdin.readline()
    return real_replace(src, dst, *args, **kwargs)
os.replace = replace
"""

# Reviewer B: says each time it is turned away from the take-over to try again.
_SECOND = """
import sys
from reviewer.review.store import Lock, LockHeld
real = Lock._replace_stale
def replace_stale(self, force):
    taken = real(self, force)
    if taken is None:
        print("wait", flush=True)
    return taken
Lock._replace_stale = replace_stale
"""


def _reviewer(script: str, review: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, str(review)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )


def _say(p: subprocess.Popen[str], line: str = "go") -> None:
    assert p.stdin is not None
    p.stdin.write(line + "\n")
    p.stdin.flush()


def _hear(p: subprocess.Popen[str]) -> str:
    assert p.stdout is not None
    return p.stdout.readline().strip()


@pytest.mark.serial
def test_a_slowed_take_over_and_a_second_one_leave_exactly_one_writable(tmp_path: Path) -> None:
    review = tmp_path / "r.review.toml"
    lock = lock_path(review)
    lock.write_text(f"999999999\n{socket.gethostname()}\ngone\nstarted=\nboot=\n")
    guard = lock.with_name(lock.name + ".break")
    a = _reviewer(_SLOWED + _HOLD, review)
    b = None
    try:
        assert _hear(a) == "at-replace"
        # A has held the guard for a long time by now, as far as the file's age shows.
        assert guard.exists()
        long_ago = time.time() - 60
        os.utime(guard, (long_ago, long_ago))
        b = _reviewer(_SECOND + _HOLD, review)
        # B either gets through at once (taking A's guard) or is turned away while A works.
        heard_b = [_hear(b)]
        while heard_b[-1] == "wait" and heard_b.count("wait") < 3:
            heard_b.append(_hear(b))
        _say(a)  # A goes on
        answer_a = _hear(a)
        while heard_b[-1] == "wait":
            heard_b.append(_hear(b))
        answer_b = heard_b[-1]
        answers = [answer_a, answer_b]
        assert answers.count("writable") == 1, answers
        other = answer_b if answer_a == "writable" else answer_a
        winner = a if answer_a == "writable" else b
        assert f"another reviewer (pid {winner.pid}" in other and "\n" not in other
        assert lock.read_text().splitlines()[0] == str(winner.pid)
    finally:
        for p in (a, b):
            if p is None:
                continue
            if p.poll() is None:
                _say(p, "end")
            p.wait(timeout=30)
            for stream in (p.stdin, p.stdout):
                if stream is not None:
                    stream.close()
    assert not lock.exists() and not guard.exists()


def test_a_guard_left_by_a_killed_reviewer_does_not_stop_a_take_over(tmp_path: Path) -> None:
    review = tmp_path / "r.review.toml"
    lock = lock_path(review)
    lock.write_text(f"999999999\n{socket.gethostname()}\ngone\nstarted=\nboot=\n")
    lock.with_name(lock.name + ".break").write_text("")  # just made, held by nobody
    taker = Lock(review)
    assert taker.acquire()
    assert sorted(p.name for p in tmp_path.iterdir()) == [lock.name]
    taker.release()


def test_a_folder_that_cannot_lock_files_opens_read_only_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    letter = tmp_path / HARTLEPOOL
    letter.write_bytes((SAMPLES / HARTLEPOOL).read_bytes())
    review = letter.with_name(letter.name.removesuffix(".txt") + ".review.toml")
    lock = lock_path(review)
    lock.write_text(f"999999999\n{socket.gethostname()}\ngone\nstarted=\nboot=\n")

    def no_locks(fd: int) -> bool:
        raise guard.GuardUnsupported(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(guard, "_try_lock", no_locks)
    with pytest.raises(LockUnreadable):
        Lock(review).acquire()
    session = ReviewSession.open(letter)
    try:
        assert session.read_only
        reason = session.report.read_only_reason
        assert "cannot lock files (No locks available)" in reason and "\n" not in reason
    finally:
        session.close()
    assert lock.read_text().startswith("999999999")  # left as it was
