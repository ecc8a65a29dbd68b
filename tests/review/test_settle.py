"""Files written as a batch (`atomic_write(..., settle_later=True)`) are settled once at
the end: flushed, and the temporaries of earlier killed saves of them swept away."""

from __future__ import annotations

from pathlib import Path

from reviewer.review.store import atomic_write, settle


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
