"""Files written as a batch (`atomic_write(..., settle_later=True)`) are settled once at
the end: flushed, and the temporaries of earlier killed saves of them swept away."""

from __future__ import annotations

import ctypes
import errno
import os
import sys
from pathlib import Path

import pytest

from reviewer.review import store
from reviewer.review.store import StoreError, atomic_write, settle


def test_a_batch_written_then_settled_leaves_complete_files_and_no_stale_temporaries(
    tmp_path: Path,
) -> None:
    stale = [
        tmp_path / ".a.review.toml.ab12cd_3.tmp",
        tmp_path / ".b.review.toml.bak.0123456789ab.tmp",
    ]
    unrelated = [tmp_path / ".other.review.toml.ab12cd_3.tmp", tmp_path / "notes.tmp"]
    for p in stale + unrelated:
        p.write_text("half")
    (tmp_path / "b.review.toml").write_text("old")
    written = [tmp_path / "a.review.toml", tmp_path / "b.review.toml"]
    for p in written:
        atomic_write(p, f"new {p.name}", settle_later=True)
    assert all(p.exists() for p in stale)  # not swept file by file
    settle(written)
    assert [p.read_text() for p in written] == ["new a.review.toml", "new b.review.toml"]
    assert (tmp_path / "b.review.toml.bak").read_text() == "old"
    assert not any(p.exists() for p in stale)
    assert all(p.exists() for p in unrelated)


def test_settling_a_file_removed_since_is_no_error(tmp_path: Path) -> None:
    path = tmp_path / "gone.review.toml"
    atomic_write(path, "x", settle_later=True)
    path.unlink()
    settle([path])


# -- a big batch on a local disk: one syncfs of the filesystem instead of a flush a file ----


def _batch(folder: Path, n: int) -> list[Path]:
    written = [folder / f"letter_{i}.review.toml" for i in range(n)]
    for p in written:
        atomic_write(p, f"review {p.name}", settle_later=True)
    return written


def _local_disk(monkeypatch: pytest.MonkeyPatch, folder: Path) -> list[int]:
    """Make `folder`'s filesystem count as a local disk's, with a stand-in syncfs that
    records the device of each descriptor it is given."""
    synced: list[int] = []

    def syncfs(fd: int) -> int:
        synced.append(os.fstat(fd).st_dev)
        return 0

    monkeypatch.setattr(store, "_syncfs_function", lambda: syncfs)
    monkeypatch.setattr(store, "_mount_types", lambda: {os.stat(folder).st_dev: "ext4"})
    return synced


def _count_fsyncs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = os.fsync

    def fsync(fd: int) -> None:
        calls.append(fd)
        real(fd)

    monkeypatch.setattr(store.os, "fsync", fsync)
    return calls


def test_a_big_batch_on_a_local_disk_is_flushed_by_one_syncfs_of_its_filesystem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    written = _batch(tmp_path, store.SYNCFS_FROM - 4) + _batch(other, 4)
    stale = tmp_path / ".letter_0.review.toml.ab12cd_3.tmp"
    stale.write_text("half")
    synced = _local_disk(monkeypatch, tmp_path)
    fsyncs = _count_fsyncs(monkeypatch)
    settle(written)
    assert synced == [os.stat(tmp_path).st_dev]  # two folders, one filesystem: one call
    assert fsyncs == []
    assert not stale.exists()  # temporaries are still swept


def test_a_small_batch_or_an_unknown_filesystem_is_flushed_file_by_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced = _local_disk(monkeypatch, tmp_path)
    fsyncs = _count_fsyncs(monkeypatch)
    settle(_batch(tmp_path, store.SYNCFS_FROM - 1))
    assert synced == []
    assert len(fsyncs) == store.SYNCFS_FROM - 1 + 1  # each file, then the folder
    monkeypatch.setattr(store, "_mount_types", lambda: {os.stat(tmp_path).st_dev: "nfs4"})
    fsyncs.clear()
    settle(_batch(tmp_path, store.SYNCFS_FROM))
    assert synced == []
    assert len(fsyncs) == store.SYNCFS_FROM + 1


def test_a_disk_error_reported_by_syncfs_is_a_one_line_store_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _local_disk(monkeypatch, tmp_path)
    monkeypatch.setattr(store, "_syncfs_function", lambda: lambda fd: -1)
    monkeypatch.setattr(ctypes, "get_errno", lambda: errno.EIO)
    with pytest.raises(StoreError, match="input/output error") as caught:
        settle(_batch(tmp_path, store.SYNCFS_FROM))
    assert "\n" not in str(caught.value)


def test_syncfs_refused_by_the_system_falls_back_to_flushing_each_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _local_disk(monkeypatch, tmp_path)
    monkeypatch.setattr(store, "_syncfs_function", lambda: lambda fd: -1)
    monkeypatch.setattr(ctypes, "get_errno", lambda: errno.ENOSYS)
    fsyncs = _count_fsyncs(monkeypatch)
    settle(_batch(tmp_path, store.SYNCFS_FROM))
    assert len(fsyncs) == store.SYNCFS_FROM + 1


def test_the_mount_list_gives_each_devices_filesystem_type(tmp_path: Path) -> None:
    mountinfo = tmp_path / "mountinfo"
    mountinfo.write_text(
        "22 27 0:21 / /proc rw,relatime - proc proc rw\n"
        "27 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw\n"
        "40 27 8:17 /data /mnt/with\\040space rw master:2 propagate_from:3 - xfs /dev/sdb1 rw\n"
        "broken line\n"
    )
    assert store._mount_types(str(mountinfo)) == {
        os.makedev(0, 21): "proc",
        os.makedev(254, 0): "ext4",
        os.makedev(8, 17): "xfs",
    }
    assert store._mount_types(str(tmp_path / "missing")) == {}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="syncfs is Linux's")
def test_on_linux_the_real_syncfs_and_mount_list_are_found(tmp_path: Path) -> None:
    assert store._syncfs_function() is not None
    assert store._mount_types()  # the kernel's list of mounts is read
    written = _batch(tmp_path, store.SYNCFS_FROM)
    settle(written)  # whichever way this filesystem is flushed, the files are whole
    assert [p.read_text() for p in written] == [f"review {p.name}" for p in written]
