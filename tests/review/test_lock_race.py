"""Locks under pressure: several reviewers that find the same dead lock at the same instant
leave exactly one of them writable; a lock that cannot be read means read-only."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reviewer.review.session import ReviewSession
from reviewer.review.store import Lock, LockUnreadable, lock_path
from tests.conftest import ROOT, SAMPLES

REPO = ROOT
HARTLEPOOL = "hartlepool_2011-03_ucra.txt"

# A reviewer process: for each "review-path start-time" line, wait until that instant, take
# the lock, say whether it got it, and hold it until the next line. Its folder is as slow as
# a network share: each removal, link or rename takes 20 ms, so the openers' steps interleave.
_OPENER = """
import os, sys, time
from reviewer.review.store import Lock
def slow(call):
    def slowly(*args, **kwargs):
        time.sleep(0.02)
        return call(*args, **kwargs)
    return slowly
os.unlink, os.link, os.replace = slow(os.unlink), slow(os.link), slow(os.replace)
held = None
for line in sys.stdin:
    if held is not None:
        held.release()
        held = None
    path, at = line.rsplit(" ", 1)
    while time.time() < float(at):
        pass
    lock = Lock(path)
    got = lock.acquire()
    if got:
        held = lock
    print("writable" if got else "read-only", flush=True)
"""


def _stale_lock(review: Path) -> None:
    lock_path(review).write_text(f"999999999\n{socket.gethostname()}\ngone\nstarted=\nboot=\n")


@pytest.mark.serial
def test_five_openers_on_a_stale_lock_leave_exactly_one_writable(tmp_path: Path) -> None:
    openers = [
        subprocess.Popen(
            [sys.executable, "-c", _OPENER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        for _ in range(5)
    ]
    writable_counts = []
    try:
        for trial in range(30):
            review = tmp_path / f"r{trial}.review.toml"
            _stale_lock(review)
            at = time.time() + 0.15
            for p in openers:
                assert p.stdin is not None
                p.stdin.write(f"{review} {at}\n")
                p.stdin.flush()
            answers = [p.stdout.readline().strip() for p in openers if p.stdout is not None]
            assert set(answers) <= {"writable", "read-only"}, answers
            writable_counts.append(answers.count("writable"))
    finally:
        for p in openers:
            if p.stdin:
                p.stdin.close()
            p.wait(timeout=30)
            if p.stdout:
                p.stdout.close()
    assert writable_counts == [1] * 30


def test_a_lock_taken_over_from_a_dead_reviewer_is_whole(tmp_path: Path) -> None:
    review = tmp_path / "r.review.toml"
    _stale_lock(review)
    lock = Lock(review)
    assert lock.acquire()
    assert lock.path.read_text().splitlines()[0] == str(os.getpid())
    assert [p.name for p in tmp_path.iterdir()] == [lock.path.name]  # nothing left beside it
    lock.release()
    assert not lock.path.exists()


@pytest.fixture
def letter(tmp_path: Path) -> Path:
    dest = tmp_path / HARTLEPOOL
    dest.write_bytes((SAMPLES / HARTLEPOOL).read_bytes())
    return dest


def test_a_folder_at_the_lock_path_means_read_only_naming_it(letter: Path) -> None:
    review = letter.with_name(letter.name.removesuffix(".txt") + ".review.toml")
    lock_path(review).mkdir()
    with pytest.raises(LockUnreadable):
        Lock(review).acquire()
    s = ReviewSession.open(letter)
    try:
        assert s.read_only
        assert lock_path(review).name in s.report.read_only_reason
        assert "\n" not in s.report.read_only_reason
        assert s.lock_owner == ""
    finally:
        s.close()
    assert lock_path(review).is_dir()  # left as it was


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_a_lock_of_another_user_that_cannot_be_read_means_read_only(letter: Path) -> None:
    review = letter.with_name(letter.name.removesuffix(".txt") + ".review.toml")
    _stale_lock(review)
    os.chmod(lock_path(review), 0)
    try:
        s = ReviewSession.open(letter)
        try:
            assert s.read_only
            assert lock_path(review).name in s.report.read_only_reason
        finally:
            s.close()
    finally:
        os.chmod(lock_path(review), 0o644)


def test_a_lock_that_cannot_be_read_means_read_only(
    letter: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As another user's mode-0600 lock reads for us (the test may run as root, who reads all)."""
    review = letter.with_name(letter.name.removesuffix(".txt") + ".review.toml")
    _stale_lock(review)
    real_open = open

    def refuse_the_lock(file, *args, **kwargs):
        if str(file) == str(lock_path(review)):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", refuse_the_lock)
    s = ReviewSession.open(letter)
    try:
        assert s.read_only
        reason = s.report.read_only_reason
        assert lock_path(review).name in reason and "permission denied" in reason
    finally:
        s.close()
    monkeypatch.undo()
    assert lock_path(review).read_text().startswith("999999999")  # not removed
