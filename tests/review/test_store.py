"""Tests for reviewer.store: atomic saves, backups, locks and autosave journals."""

from __future__ import annotations

import errno
import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from reviewer.review import store
from reviewer.review.store import (
    Journal,
    Lock,
    LockHeld,
    StoreError,
    atomic_write,
    backup_path,
    journal_path,
    lock_path,
)

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture
def review(tmp_path: Path) -> Path:
    return tmp_path / "letter.review.toml"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_sibling_names(review: Path) -> None:
    assert backup_path(review).name == "letter.review.toml.bak"
    assert lock_path(review).name == "letter.review.toml.lock"
    assert journal_path(review).name == "letter.review.toml.autosave"
    assert backup_path(review).parent == review.parent


def test_atomic_write_creates_file(review: Path) -> None:
    atomic_write(review, "a = 1\n")
    assert review.read_text(encoding="utf-8") == "a = 1\n"
    assert not backup_path(review).exists()
    assert leftovers(review.parent) == []


def test_str_is_utf8_and_newlines_are_kept_exactly(review: Path) -> None:
    atomic_write(review, "caf\u00e9\r\nline\n")
    assert review.read_bytes() == "caf\u00e9\r\nline\n".encode()
    atomic_write(review, b"\x00\xff")
    assert review.read_bytes() == b"\x00\xff"


def test_second_write_keeps_backup(review: Path) -> None:
    atomic_write(review, "first\n")
    atomic_write(review, "second\n")
    assert review.read_text() == "second\n"
    assert backup_path(review).read_text() == "first\n"
    atomic_write(review, "third\n")
    assert backup_path(review).read_text() == "second\n"
    assert leftovers(review.parent) == []


def test_no_backup_when_disabled(review: Path) -> None:
    atomic_write(review, "first\n", backup=False)
    atomic_write(review, "second\n", backup=False)
    assert not backup_path(review).exists()


def test_existing_permissions_are_kept(review: Path) -> None:
    atomic_write(review, "first\n")
    os.chmod(review, 0o640)
    atomic_write(review, "second\n")
    assert review.stat().st_mode & 0o777 == 0o640


def test_backup_without_hard_links(review: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    atomic_write(review, "first\n")
    monkeypatch.setattr(os, "link", no_links)
    atomic_write(review, "second\n")
    assert backup_path(review).read_text() == "first\n"
    assert review.read_text() == "second\n"


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_failure_mid_write_keeps_old_file(
    review: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    atomic_write(review, "old\n")
    atomic_write(review, "older is now backup\n")

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, failing, boom)
    with pytest.raises(StoreError) as info:
        atomic_write(review, "new\n")
    monkeypatch.undo()

    assert review.read_text() == "older is now backup\n"
    assert leftovers(review.parent) == []
    message = str(info.value)
    assert "\n" not in message
    assert str(review) in message
    assert "input/output error" in message
    assert info.value.path == review
    assert isinstance(info.value.__cause__, OSError)


def test_disk_full_message(review: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(StoreError, match="the disk is full; free some space"):
        atomic_write(review, "x")
    assert not review.exists()
    assert leftovers(review.parent) == []


def test_keyboard_interrupt_still_cleans_up(review: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    atomic_write(review, "old\n")

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(review, "new\n")
    monkeypatch.undo()
    assert review.read_text() == "old\n"
    assert leftovers(review.parent) == []


@pytest.mark.skipif(IS_ROOT, reason="root ignores folder permissions")
def test_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    target = folder / "letter.review.toml"
    os.chmod(folder, 0o500)
    try:
        with pytest.raises(StoreError) as info:
            atomic_write(target, "x")
    finally:
        os.chmod(folder, 0o700)
    message = str(info.value)
    assert message == (
        f"cannot write {target}: permission denied; choose another folder with save-as"
    )
    assert not target.exists()


def test_permission_denied_simulated(review: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    with pytest.raises(StoreError) as info:
        atomic_write(review, "x")
    assert str(info.value) == (
        f"cannot write {review}: permission denied; choose another folder with save-as"
    )


def test_missing_folder(tmp_path: Path) -> None:
    target = tmp_path / "nope" / "letter.review.toml"
    with pytest.raises(StoreError, match="the folder does not exist"):
        atomic_write(target, "x")


def test_message_is_one_line_even_with_odd_error_text() -> None:
    err = StoreError("first line\nsecond   line")
    assert str(err) == "first line second line"


# --- Lock -------------------------------------------------------------------------------------


@pytest.fixture
def sleeper():
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    yield proc
    proc.kill()
    proc.wait()


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_lock_acquire_and_release(review: Path) -> None:
    lock = Lock(review)
    assert not lock.held
    assert lock.acquire()
    assert lock.held
    assert lock.path == lock_path(review)
    lines = lock.path.read_text().splitlines()
    assert lines[0] == str(os.getpid())
    assert lines[1] == socket.gethostname()
    lock.release()
    assert not lock.held
    assert not lock.path.exists()
    lock.release()  # releasing twice is harmless


def test_acquire_twice_on_same_object(review: Path) -> None:
    lock = Lock(review)
    assert lock.acquire()
    content = lock.path.read_text()
    assert lock.acquire()
    assert lock.held
    assert lock.path.read_text() == content
    lock.release()
    assert not lock.path.exists()


def test_second_lock_in_same_process_is_refused(review: Path) -> None:
    first, second = Lock(review), Lock(review)
    assert first.acquire()
    assert not second.acquire()
    assert second.owner_pid == os.getpid()
    second.release()  # not ours: must not remove the file
    assert first.path.exists()
    first.release()
    assert second.acquire()
    second.release()


def test_lock_held_by_live_process(review: Path, sleeper: subprocess.Popen) -> None:
    lock_path(review).write_text(f"{sleeper.pid}\n{socket.gethostname()}\n")
    lock = Lock(review)
    assert lock.acquire() is False
    assert lock.owner_pid == sleeper.pid
    assert not lock.held
    lock.release()
    assert lock_path(review).read_text().startswith(str(sleeper.pid))


def test_lock_with_pid_only_counts_as_local(review: Path, sleeper: subprocess.Popen) -> None:
    lock_path(review).write_text(str(sleeper.pid))
    lock = Lock(review)
    assert not lock.acquire()
    assert lock.owner_pid == sleeper.pid


def test_stale_lock_is_taken_over(review: Path) -> None:
    pid = dead_pid()
    lock_path(review).write_text(f"{pid}\n{socket.gethostname()}\n")
    lock = Lock(review)
    assert lock.acquire()
    assert lock.held
    assert lock.path.read_text().splitlines()[0] == str(os.getpid())
    lock.release()
    assert not lock.path.exists()


def test_stale_lock_with_our_own_pid_is_taken_over(review: Path) -> None:
    # A crashed earlier run may have had the same pid (common in containers).
    lock_path(review).write_text(f"{os.getpid()}\n{socket.gethostname()}\nold-token\n")
    lock = Lock(review)
    assert lock.acquire()
    lock.release()


@pytest.mark.parametrize("content", ["", "not a pid\n", "-5\n", "0\n", "\x00\xff\xfe", "9" * 40])
def test_garbage_lock_is_taken_over(review: Path, content: str) -> None:
    lock_path(review).write_bytes(content.encode("utf-8", "surrogateescape"))
    lock = Lock(review)
    assert lock.acquire()
    assert lock.held
    lock.release()
    assert not lock.path.exists()


def test_lock_from_other_host_is_held_unless_forced(review: Path) -> None:
    lock_path(review).write_text(f"{dead_pid()}\nsome-other-machine\n")
    lock = Lock(review)
    assert not lock.acquire()
    assert lock.owner_host == "some-other-machine"
    assert lock.acquire(force=True)
    lock.release()


def test_release_only_removes_own_lock(review: Path, sleeper: subprocess.Popen) -> None:
    lock = Lock(review)
    assert lock.acquire()
    # Someone broke our lock and another reviewer took it.
    lock_path(review).write_text(f"{sleeper.pid}\n{socket.gethostname()}\n")
    lock.release()
    assert not lock.held
    assert lock_path(review).read_text().startswith(str(sleeper.pid))


def test_lock_context_manager(review: Path, sleeper: subprocess.Popen) -> None:
    with Lock(review) as lock:
        assert lock.held
        assert lock_path(review).exists()
    assert not lock_path(review).exists()

    lock_path(review).write_text(f"{sleeper.pid}\n")
    with pytest.raises(LockHeld) as info, Lock(review):
        pass
    assert info.value.owner_pid == sleeper.pid
    assert "\n" not in str(info.value)
    assert str(review) in str(info.value)


def test_lock_in_unwritable_place_raises_store_error(
    review: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = os.open

    def denied(path, flags, *args):  # type: ignore[no-untyped-def]
        if Path(path).parent == review.parent and flags & os.O_CREAT:  # the folder refuses
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", denied)
    with pytest.raises(StoreError, match="cannot create lock file .*permission denied"):
        Lock(review).acquire()


def test_pid_alive_on_dead_and_live(sleeper: subprocess.Popen) -> None:
    assert store._pid_alive(sleeper.pid)
    assert not store._pid_alive(dead_pid())


# --- Journal ----------------------------------------------------------------------------------


def test_journal_roundtrip(review: Path) -> None:
    journal = Journal(review)
    assert journal.path == journal_path(review)
    assert not journal.exists()
    assert journal.load() is None
    journal.save("findings = []\n")
    assert journal.exists()
    assert journal.load() == "findings = []\n"
    journal.save("findings = [1]\r\n")
    assert journal.load() == "findings = [1]\r\n"
    assert not backup_path(journal.path).exists()
    journal.discard()
    assert not journal.exists()
    assert journal.load() is None
    journal.discard()  # discarding twice is harmless
    assert leftovers(review.parent) == []


def test_journal_save_failure_is_store_error(review: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    journal = Journal(review)
    journal.save("v1")
    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(StoreError, match="autosave"):
        journal.save("v2")
    monkeypatch.undo()
    assert journal.load() == "v1"


def test_journal_not_utf8(review: Path) -> None:
    journal_path(review).write_bytes(b"\xff\xfe\x00")
    with pytest.raises(StoreError, match="not UTF-8"):
        Journal(review).load()


def test_new_files_follow_the_umask_and_old_files_keep_their_mode(tmp_path) -> None:
    from reviewer.review.store import _UMASK

    target = tmp_path / "new.review.toml"
    atomic_write(target, "a = 1\n")
    assert target.stat().st_mode & 0o777 == 0o666 & ~_UMASK
    target.chmod(0o640)
    atomic_write(target, "a = 2\n")
    assert target.stat().st_mode & 0o777 == 0o640
