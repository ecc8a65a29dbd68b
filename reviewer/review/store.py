"""Saving review files so that no crash, full disk or second reviewer can lose work.

Every write goes to a temporary file first and is renamed over the target, so the target is
always either the old or the new version.  The previous version is kept as ``<name>.bak``, a
lock file stops two reviewers writing the same review, and an autosave journal lets a crashed
session be recovered.  All ``OSError``s leave this module as :class:`StoreError` whose message
is a single line a reviewer can act on.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import re
import shutil
import socket
import stat
import sys
import tempfile
import time
import weakref
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import Any

from reviewer.errors import ReviewerError
from reviewer.review import guard

__all__ = [
    "Journal",
    "Lock",
    "LockHeld",
    "LockUnreadable",
    "OpLog",
    "PendingWrite",
    "StoreError",
    "atomic_write",
    "backup_path",
    "journal_path",
    "lock_path",
    "oplog_path",
    "write_aside",
]

_SAVE_AS = "choose another folder with save-as"


def _read_umask() -> int:
    # os.umask can only be read by setting it; done once, at import, before any threads.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()

# errno -> (what is wrong, what to do); anything else falls back to the OS wording.
_ADVICE: dict[int, tuple[str, str]] = {
    errno.EACCES: ("permission denied", _SAVE_AS),
    errno.EPERM: ("operation not permitted", _SAVE_AS),
    errno.EROFS: ("the disk is read-only", _SAVE_AS),
    errno.ENOSPC: ("the disk is full", "free some space or " + _SAVE_AS),
    errno.ENOENT: ("the folder does not exist", "create it or " + _SAVE_AS),
    errno.ENOTDIR: ("a part of the path is not a folder", _SAVE_AS),
    errno.EISDIR: ("it is a folder", "choose a file name with save-as"),
    errno.ENAMETOOLONG: ("the name is too long", "choose a shorter name with save-as"),
    errno.EIO: ("the disk reported an input/output error", "check the disk or " + _SAVE_AS),
}
if hasattr(errno, "EDQUOT"):
    _ADVICE[errno.EDQUOT] = ("the disk quota is exceeded", "free some space or " + _SAVE_AS)


class StoreError(ReviewerError):
    """A file operation failed; ``str()`` is one line saying what is wrong and what to do."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(_one_line(message))
        self.path = path

    def __str__(self) -> str:
        return str(self.args[0])


class LockHeld(StoreError):
    """Another running reviewer holds the lock on this review."""

    def __init__(self, message: str, path: Path, owner_pid: int | None) -> None:
        super().__init__(message, path)
        self.owner_pid = owner_pid


class LockUnreadable(StoreError):
    """Something is at the lock's path that cannot be read as a lock (another user's lock,
    a folder), or a stale lock in a folder that cannot lock files (so it cannot be taken
    over safely): nobody can tell whether a reviewer holds it, so the review is read-only."""


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _error(action: str, path: Path, exc: OSError) -> StoreError:
    what, todo = _ADVICE.get(exc.errno or -1, (exc.strerror or str(exc) or "unknown error", ""))
    todo = todo or "try again or " + _SAVE_AS
    return StoreError(f"cannot {action} {path}: {what}; {todo}", path)


def backup_path(path: Path | str) -> Path:
    """``letter.review.toml`` -> ``letter.review.toml.bak``: the version before the last save."""
    path = Path(path)
    return path.with_name(path.name + ".bak")


def lock_path(path: Path | str) -> Path:
    """``letter.review.toml`` -> ``letter.review.toml.lock``: who is editing the review."""
    path = Path(path)
    return path.with_name(path.name + ".lock")


def journal_path(path: Path | str) -> Path:
    """``letter.review.toml`` -> ``letter.review.toml.autosave``: unsaved work after a crash."""
    path = Path(path)
    return path.with_name(path.name + ".autosave")


def _remove_quietly(path: str | Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable; platforms that cannot open folders simply skip this."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _keep_backup(path: Path) -> None:
    """Copy ``path`` to its .bak without ever leaving ``path`` missing or the .bak half written."""
    bak = backup_path(path)
    tmp = path.with_name(f".{bak.name}.{os.urandom(6).hex()}.tmp")
    try:
        try:
            os.link(path, tmp)
        except OSError:
            # Hard links are not available on every file system (FAT, some network shares).
            shutil.copy2(path, tmp)
        os.replace(tmp, bak)
    except BaseException:
        _remove_quietly(tmp)
        raise


def _clean_stale_temporaries(path: Path) -> None:
    """Remove the temporary files a save of ``path`` killed half-way left behind.

    Only names this module makes for ``path`` are touched; the lock keeps a second writer
    of the same review out, so none of them can belong to a save still running.
    """
    try:
        names = os.listdir(path.parent)
    except OSError:
        return
    for name in names:
        if _is_stale_temporary(name, path.name):
            _remove_quietly(path.parent / name)


def _is_stale_temporary(name: str, of: str) -> bool:
    """Whether ``name`` is one of the temporary names this module makes for the file ``of``."""
    prefix = "." + of + "."
    if not (name.startswith(prefix) and name.endswith(".tmp")):
        return False
    middle = name[len(prefix) : -len(".tmp")]
    return any(p.fullmatch(middle) for p in (_TEMP_NAME, _BAK_TEMP_NAME, _LOCK_TEMP_NAME))


_TEMP_NAME = re.compile(r"[a-z0-9_]{8}")  # tempfile.mkstemp's random part
_BAK_TEMP_NAME = re.compile(r"bak\.[0-9a-f]{12}")  # _keep_backup's
_LOCK_TEMP_NAME = re.compile(r"lock\.[0-9a-f]{16}")  # Lock._create's, killed before the link


def write_target(path: Path | str) -> Path:
    """Where writing ``path`` really lands: a symlink is written through, at its target."""
    path = Path(path)
    if path.is_symlink():
        return Path(os.path.realpath(path))
    return path


def atomic_write(
    path: Path | str, data: str | bytes, *, backup: bool = True, settle_later: bool = False
) -> None:
    """Replace ``path`` with ``data`` so that a crash at any moment leaves a complete file.

    ``str`` data is stored as UTF-8 exactly as given (no newline translation).  With ``backup``
    the version being replaced is kept as ``<name>.bak``.  A symlink stays a link: its target
    is replaced (atomically, in the target's folder).  Temporary files an earlier save killed
    half-way left are removed.  Raises :class:`StoreError`.

    With ``settle_later`` (one file of a batch that writes many), the file is not yet made
    durable and no earlier temporaries are swept: the batch calls :func:`settle` on all its
    files once at the end, which costs far less than two disk flushes and a folder listing
    for each file.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    pending = write_aside(path, (payload,), durable=not settle_later)
    pending.commit(backup=backup)
    if not settle_later:
        pending.settle()


class PendingWrite:
    """A file's new content, written whole under a temporary name beside it (see
    :func:`write_aside`): :meth:`commit` puts it in the file's place in one rename,
    :meth:`abandon` removes it. Writing (the slow part) and putting in place are apart, so
    another thread can write while the caller decides, at the last moment, whether it goes."""

    def __init__(self, path: Path, tmp: str) -> None:
        self.path = path
        self._tmp = tmp

    def commit(self, *, backup: bool = False) -> None:
        """Replace the file with the new content (the old kept as ``<name>.bak`` with
        ``backup``); the new content is then in place, though not yet durable against a power
        cut until :meth:`settle`. Raises :class:`StoreError`, the temporary file removed."""
        try:
            if backup and self.path.exists():
                _keep_backup(self.path)
            os.replace(self._tmp, self.path)
        except OSError as exc:
            self.abandon()
            raise _error("write", self.path, exc) from exc
        except BaseException:
            self.abandon()
            raise

    def settle(self) -> None:
        """Make the rename durable and sweep the temporaries earlier writes of the file
        that were killed half-way left."""
        _fsync_dir(self.path.parent)
        _clean_stale_temporaries(self.path)

    def abandon(self) -> None:
        """Drop the new content; the file stays as it was."""
        _remove_quietly(self._tmp)


def write_aside(path: Path | str, chunks: Iterable[bytes], *, durable: bool = True) -> PendingWrite:
    """Write the chunks, in order, to a temporary file beside ``path`` (through a symlink, at
    its target), with the file's permissions (a new file's from the umask), flushed to the
    disk when ``durable``; ``path`` itself is untouched until the result's
    :meth:`PendingWrite.commit`. Raises :class:`StoreError`, leaving nothing behind."""
    path = write_target(path)
    folder = path.parent
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix="." + path.name + ".", suffix=".tmp")
    except OSError as exc:
        raise _error("write", path, exc) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        try:
            mode = os.stat(path).st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o666 & ~_UMASK  # a new file: what the user's umask says, as open() would
        os.chmod(tmp, mode)
    except OSError as exc:
        _remove_quietly(tmp)
        raise _error("write", path, exc) from exc
    except BaseException:
        _remove_quietly(tmp)
        raise
    return PendingWrite(path, tmp)


def settle(paths: list[Path]) -> None:
    """Make files written with ``atomic_write(..., settle_later=True)`` durable and sweep the
    temporaries earlier saves of them that were killed half-way left, one folder listing
    each. Raises :class:`StoreError`.

    A batch of at least :data:`SYNCFS_FROM` files on a local disk's filesystem (Linux) is
    flushed with one ``syncfs`` of that filesystem, which writes every file's data and every
    folder's entries to the disk as flushing each file and folder would, at a fraction of
    the cost (a few hundred ``fsync`` calls each wait for a commit of the disk's journal);
    elsewhere, or for fewer files, each file and then each folder is flushed once."""
    targets = [write_target(p) for p in paths]
    by_folder: dict[Path, set[str]] = {}
    for target in targets:
        by_folder.setdefault(target.parent, set()).add(target.name)
    if len(targets) < SYNCFS_FROM or not _sync_filesystems(list(by_folder)):
        _fsync_each(targets)
        for folder in by_folder:
            _fsync_dir(folder)
    for folder, names in by_folder.items():
        try:
            found = os.listdir(folder)
        except OSError:
            continue
        for name in found:
            if name.startswith(".") and name.endswith(".tmp"):
                for written in names & _owners(name):
                    if _is_stale_temporary(name, written):
                        _remove_quietly(folder / name)


def _fsync_each(targets: list[Path]) -> None:
    """Flush each file to the disk (one that is gone since is skipped)."""
    for target in targets:
        try:
            fd = os.open(target, os.O_RDONLY)
        except FileNotFoundError:
            continue  # replaced or removed since; nothing of ours to flush
        except OSError as exc:
            raise _error("write", target, exc) from exc
        try:
            os.fsync(fd)
        except OSError as exc:
            raise _error("write", target, exc) from exc
        finally:
            os.close(fd)


# Fewer files than this are flushed one by one (`settle`): a few flushes cost less than
# waiting for everything else written to the filesystem.
SYNCFS_FROM = 32

# Filesystems of a local disk, whose syncfs(2) makes every file and folder on it durable as
# fsync(2) of each would. On others (network, FUSE) each file is flushed by itself.
_SYNCFS_TYPES = frozenset({"ext2", "ext3", "ext4", "xfs", "btrfs", "f2fs", "jfs"})


def _sync_filesystems(folders: list[Path]) -> bool:
    """Flush the filesystems holding `folders` (and so the files in them) with one
    ``syncfs`` each; False, having flushed nothing, where that is not known to do what
    flushing each file does (not Linux, no ``syncfs``, a filesystem not in
    :data:`_SYNCFS_TYPES`, a folder that cannot be looked at). Raises :class:`StoreError`
    when the disk reports an error."""
    syncfs = _syncfs_function()
    if syncfs is None:
        return False
    types = _mount_types()
    by_device: dict[int, Path] = {}
    for folder in folders:
        try:
            device = os.stat(folder).st_dev
        except OSError:
            return False
        if types.get(device) not in _SYNCFS_TYPES:
            return False
        by_device.setdefault(device, folder)
    for folder in by_device.values():
        try:
            fd = os.open(folder, os.O_RDONLY)
        except OSError as exc:
            raise _error("write", folder, exc) from exc
        try:
            failed = syncfs(fd)
        finally:
            os.close(fd)
        if failed:
            import ctypes

            code = ctypes.get_errno()
            if code in (errno.ENOSYS, errno.EPERM, errno.EACCES):
                return False  # not allowed here (a sandbox): each file is flushed instead
            raise _error("write", folder, OSError(code, os.strerror(code)))
    return True


def _syncfs_function() -> Any:
    """libc's ``syncfs`` (Linux), called with a folder's descriptor; None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).syncfs
    except (ImportError, OSError, AttributeError):
        return None


def _mount_types(mountinfo: str = "/proc/self/mountinfo") -> dict[int, str]:
    """Each mounted filesystem's device number (``st_dev``) and type, from the kernel's
    list of mounts; empty where it cannot be read."""
    types: dict[int, str] = {}
    try:
        with open(mountinfo, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError:
        return types
    for line in text.splitlines():
        # "36 35 98:0 /root /mnt rw,noatime master:1 - ext4 /dev/sda1 rw": the device is
        # the third field, the type the first after the lone "-".
        fields = line.split()
        try:
            major, minor = fields[2].split(":")
            kind = fields[fields.index("-", 6) + 1]
            types[os.makedev(int(major), int(minor))] = kind
        except (IndexError, ValueError):
            continue
    return types


def _owners(name: str) -> set[str]:
    """The file names a temporary ``.<file name>.<random part>.tmp`` may belong to."""
    inner = name[1 : -len(".tmp")]
    return {inner[:i] for i, c in enumerate(inner) if c == "."}


def _pid_alive(pid: int) -> bool:
    if os.name == "nt":
        # os.kill(pid, 0) would terminate the process on Windows; assume it is running.
        return True
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except OSError:
        # PermissionError: the process exists but belongs to another user.
        return True
    return True


def _proc_stat(pid: int) -> tuple[str, str] | None:
    """(state, start time in clock ticks since boot) of a process, where /proc tells it."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            raw = fh.read().decode("ascii", "replace")
    except OSError:
        return None
    # The command name, in parentheses, may itself hold spaces and parentheses.
    fields = raw[raw.rfind(")") + 2 :].split()
    if len(fields) < 20:
        return None
    return fields[0], fields[19]


def process_start(pid: int) -> str:
    """When a process started (so a reused pid tells itself apart), or "" where unknown."""
    stat = _proc_stat(pid)
    return stat[1] if stat else ""


def boot_id() -> str:
    """This boot of the machine: a lock written before a reboot belongs to no live process."""
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="utf-8") as fh:
            return fh.read().strip()
    except OSError:
        return ""


def process_alive(pid: int, started: str = "") -> bool:
    """Whether ``pid`` is a running process (not a zombie) that started at ``started``."""
    if not _pid_alive(pid):
        return False
    stat = _proc_stat(pid)
    if stat is None:
        return True  # no /proc here (or not allowed to look): the pid is all there is
    state, start = stat
    if state in ("Z", "X", "x"):
        return False  # a crashed reviewer not yet reaped by its parent
    return not started or start == started


# Lock files held by Lock objects of this process, so that a second Lock on the same review
# inside this process is refused instead of mistaking our own pid for a stale lock.
_HELD_HERE: dict[Path, str] = {}

# How long a reviewer waits for others taking over the same stale lock.
_TAKE_OVER_WAIT = 5.0


def _forget_held(key: Path, token: str) -> None:
    if _HELD_HERE.get(key) == token:
        del _HELD_HERE[key]


class Lock:
    """One writer per review: ``<review>.lock`` holds the pid and host of the reviewer editing it.

    The lock also records the process's start time and the machine's boot id, so a lock
    whose process is gone, is a zombie, is an unrelated process that got the same pid, or
    was written before a reboot, is stale and taken over.  A lock written on another host
    cannot be checked, so it counts as held; :meth:`take_over` takes it once the person
    confirms that reviewer is gone.
    """

    def __init__(self, review_path: Path | str) -> None:
        # A review reached through a symlink is locked where it really is, for every link.
        self.path = lock_path(write_target(review_path))
        self.owner_pid: int | None = None
        self.owner_host: str | None = None
        self._token = os.urandom(8).hex()
        self._held = False
        self._facts: dict[str, str] = {}

    @property
    def held(self) -> bool:
        return self._held

    def _key(self) -> Path:
        return Path(os.path.abspath(self.path))

    def _content(self) -> str:
        pid = os.getpid()
        return (
            f"{pid}\n{socket.gethostname()}\n{self._token}\n"
            f"started={process_start(pid)}\nboot={boot_id()}\n"
        )

    def _read(self) -> tuple[int | None, str | None, str | None]:
        """(pid, host, token) from the lock file; pid None means unreadable garbage.

        The ``key=value`` lines after them (process start time, boot id) land in
        ``self._facts``.
        """
        text = ""
        for attempt in range(2):
            try:
                with open(self.path, "rb") as fh:
                    text = fh.read(4096).decode("utf-8", "replace")
            except FileNotFoundError:
                return None, None, None
            except OSError as exc:
                what = _ADVICE.get(exc.errno or -1, (exc.strerror or str(exc),))[0]
                if exc.errno == errno.EISDIR:
                    what = "it is a folder"
                raise LockUnreadable(
                    f"cannot read the lock file {self.path} ({what}): another reviewer may "
                    "be editing this review; opened read-only",
                    self.path,
                ) from exc
            if text.strip() or attempt:
                break
            # An empty file may be a lock that its creator has not written yet.
            time.sleep(0.05)
        lines = text.splitlines()
        try:
            pid = int(lines[0].strip())
        except (IndexError, ValueError):
            return None, None, None
        if pid <= 0:
            return None, None, None
        host = lines[1].strip() if len(lines) > 1 else None
        token = lines[2].strip() if len(lines) > 2 else None
        self._facts = dict(line.strip().partition("=")[::2] for line in lines[3:] if "=" in line)
        return pid, host or None, token or None

    def _create(self) -> bool:
        """Make the lock file if there is none; False when something is at its path.

        The file is written whole under a temporary name and linked into place, so no other
        reviewer ever reads a lock half written (where links cannot be made, it is created
        exclusively and written).
        """
        tmp = self.path.with_name(f".{self.path.name}.{self._token}.tmp")
        try:
            self._write_new(tmp)
        except OSError as exc:
            raise _error("create lock file", self.path, exc) from exc
        try:
            os.link(tmp, self.path)
            return True
        except FileExistsError:
            return False
        except OSError:
            pass  # no hard links on this file system (FAT, some shares)
        finally:
            _remove_quietly(tmp)
        try:
            self._write_new(self.path)
        except FileExistsError:
            return False
        except OSError as exc:
            raise _error("create lock file", self.path, exc) from exc
        return True

    def _write_new(self, path: Path) -> None:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        try:
            os.write(fd, self._content().encode("utf-8"))
            os.fsync(fd)
        except OSError:
            os.close(fd)
            _remove_quietly(path)
            raise
        os.close(fd)

    def _check_a_file(self) -> None:
        """LockUnreadable when what is at the lock's path is not a lock file (a folder...)."""
        try:
            mode = os.lstat(self.path).st_mode
        except FileNotFoundError:
            return
        except OSError as exc:
            raise _error("read lock file", self.path, exc) from exc
        if not stat.S_ISREG(mode):
            what = "a folder" if stat.S_ISDIR(mode) else "not a file"
            raise LockUnreadable(
                f"the lock {self.path} is {what}: nobody can tell whether another reviewer "
                "is editing this review; opened read-only (remove it to edit)",
                self.path,
            )

    def _held_by_other(self) -> bool:
        """Whether the existing lock file belongs to a live reviewer other than this object."""
        pid, host, token = self._read()
        if pid is None:
            return False
        self.owner_pid, self.owner_host = pid, host
        if host is not None and host != socket.gethostname():
            return True  # no way to look at another machine's processes: take_over() decides
        boot, started = self._facts.get("boot", ""), self._facts.get("started", "")
        if boot and boot_id() and boot != boot_id():
            return False  # written before this machine last started
        if pid == os.getpid() and (not started or started == process_start(pid)):
            other = _HELD_HERE.get(self._key())
            return other is not None and other != self._token
        return process_alive(pid, started)

    def owner(self) -> str:
        """Who holds the lock, for messages: "pid 123 on host-a"."""
        who = f"pid {self.owner_pid}"
        return who + (f" on {self.owner_host}" if self.owner_host else "")

    def take_over(self) -> None:
        """Take the lock whoever holds it: for a lock the person knows is stale (a reviewer
        on another machine that crashed, say). Raises StoreError if the folder refuses."""
        if not self.acquire(force=True):
            raise StoreError(f"cannot take over {self.path}: it changed hands; try again")

    def held_elsewhere(self) -> bool:
        """Whether another live reviewer holds this lock; looks without taking it.

        Raises LockUnreadable when what is there cannot be read as a lock."""
        if not os.path.lexists(self.path):
            return False
        self._check_a_file()
        return self._held_by_other()

    def acquire(self, *, force: bool = False) -> bool:
        """Take the lock; False (with ``owner_pid`` set) when another reviewer holds it.

        A stale lock (its reviewer is gone) is taken over; with ``force`` any lock is. Raises
        LockUnreadable when something that cannot be read as a lock is at its path (unless
        ``force``), StoreError when the folder refuses the lock file.
        """
        if self._held:
            return True
        self.owner_pid = self.owner_host = None
        give_up = time.monotonic() + _TAKE_OVER_WAIT
        while True:
            got = self._create()
            if not got:
                if not force:
                    self._check_a_file()
                    if self._held_by_other():
                        return False
                taken = self._replace_stale(force)
                if taken is False:
                    return False
                got = bool(taken)
            if got:
                self._held = True
                self.owner_pid, self.owner_host = os.getpid(), socket.gethostname()
                _HELD_HERE[self._key()] = self._token
                # A Lock dropped without release() must not keep its review locked for
                # the rest of this process; its file then reads as a stale lock.
                weakref.finalize(self, _forget_held, self._key(), self._token)
                return True
            if time.monotonic() > give_up:
                raise StoreError(
                    f"cannot take over {self.path}: another reviewer keeps taking it over; "
                    "try again",
                    self.path,
                )

    def _replace_stale(self, force: bool) -> bool | None:
        """Put this lock in place of the stale lock file there (of any, with ``force``):
        True when it is ours now, False when a live reviewer holds the lock, None when
        there is nothing to replace or another reviewer is at it (try again).

        Several reviewers may find the same dead lock at once. Only the one that holds the
        guard ``<lock>.break`` may replace it, and it looks again first. The guard is held by
        the system's lock on the open file (see `guard`), which ends when its holder does:
        none is ever left behind, and none is taken from a holder however slow it is, so two
        reviewers are never both at it. The stale file is replaced by a rename, never
        removed, so the path is never empty for another reviewer to create its own lock in
        between.
        """
        guard_path = self.path.with_name(self.path.name + ".break")
        try:
            held = guard.claim(guard_path)
        except guard.GuardUnsupported as exc:
            raise LockUnreadable(
                f"cannot take over the stale lock {self.path}: this folder cannot lock files "
                f"({exc.strerror}); opened read-only (remove the lock file if no reviewer "
                "has the review open)",
                self.path,
            ) from exc
        except OSError as exc:
            raise _error("take over the stale lock file", self.path, exc) from exc
        if held is None:
            time.sleep(0.005)
            return None
        try:
            if not os.path.lexists(self.path):
                return None  # its reviewer closed it: create it afresh
            if not force:
                self._check_a_file()
                if self._held_by_other():
                    return False
            tmp = self.path.with_name(f".{self.path.name}.{self._token}.tmp")
            _remove_quietly(tmp)
            try:
                self._write_new(tmp)
                os.replace(tmp, self.path)
            except OSError as exc:
                _remove_quietly(tmp)
                raise _error("take over the stale lock file", self.path, exc) from exc
            return True
        finally:
            guard.release(guard_path, held)

    def release(self) -> None:
        """Remove the lock file, but only if it is still ours."""
        if not self._held:
            return
        self._held = False
        if _HELD_HERE.get(self._key()) == self._token:
            del _HELD_HERE[self._key()]
        pid, _host, token = self._read()
        if pid != os.getpid() or token != self._token:
            return
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise _error("remove lock file", self.path, exc) from exc

    def __enter__(self) -> Lock:
        if not self.acquire():
            who = self.owner()
            raise LockHeld(
                f"cannot edit {self.path.with_suffix('')}: another reviewer ({who}) has it open; "
                "close that reviewer or open this review read-only",
                self.path,
                self.owner_pid,
            )
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


class Journal:
    """Autosave snapshots of the annotations, kept until a clean quit discards them."""

    def __init__(self, review_path: Path | str) -> None:
        self.path = journal_path(review_path)

    def save(self, text: str) -> None:
        atomic_write(self.path, text, backup=False)

    def write_aside(self, chunks: Iterable[bytes]) -> PendingWrite:
        """A snapshot written beside the file, for the caller to put in its place (or drop)
        when it knows whether it should (see :func:`write_aside`)."""
        return write_aside(self.path, chunks)

    def load(self) -> str | None:
        try:
            return self.path.read_bytes().decode("utf-8")
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise _error("read autosave", self.path, exc) from exc
        except UnicodeDecodeError as exc:
            raise StoreError(
                f"cannot read autosave {self.path}: it is not UTF-8 text ({exc.reason}); "
                "move it aside and reopen the review",
                self.path,
            ) from exc

    def exists(self) -> bool:
        return self.path.is_file()

    def discard(self) -> None:
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise _error("remove autosave", self.path, exc) from exc


def oplog_path(path: Path | str) -> Path:
    """``letter.review.toml`` -> ``letter.review.toml.journal``: every change since the last
    autosave or save, appended as it is made."""
    path = Path(path)
    return path.with_name(path.name + ".journal")


@functools.cache
def json_line_encoder() -> Callable[[Any], str]:
    """JSON as an :class:`OpLog` line holds a value: compact, other scripts than ASCII as
    they are. json is loaded with the first line written, not for the first screen."""
    import json

    return functools.partial(json.dumps, ensure_ascii=False, separators=(",", ":"))


class OpLog:
    """An append-only file of JSON lines, one per change, written as the change is made.

    Each line reaches the operating system before the change returns, so killing the
    process loses nothing; :meth:`sync` (batched, by the caller's timer) makes the lines
    survive a power cut too.  A write that fails (disk full, folder read-only) does not stop
    the reviewer: :attr:`problem` says what is wrong, and the next change starts the file
    again from a full record.  The reader stops at the first line that is not whole.
    """

    def __init__(self, review_path: Path | str) -> None:
        self.path = oplog_path(review_path)
        self.problem = ""
        self._fd: int | None = None
        self._unsynced = False
        # Which file this is since the object was made (one more each time it is begun
        # afresh) and how many whole lines it has: where a snapshot's marker points.
        self.generation = 0
        self.lines = 0

    @property
    def active(self) -> bool:
        """Whether the file is open and its lines so far were all written."""
        return self._fd is not None

    def _failed(self, action: str, exc: OSError) -> None:
        self.problem = str(_error(action, self.path, exc))
        self.close()

    def start(self, first: dict) -> bool:
        """Begin the file afresh with ``first`` (a full record the later lines apply to)."""
        return self._open_afresh() and self.append(first)

    def start_in_pieces(self, pieces: Iterable[str]) -> bool:
        """Begin the file afresh with one line given in pieces (a long full record, each
        write short enough to let other threads run between them); a line cut short by a
        crash is ignored by the reader."""
        if not (self._open_afresh() and self._write(piece.encode() for piece in pieces)):
            return False
        self.lines += 1
        return True

    def append(self, entry: dict) -> bool:
        """Write one line; False (and :attr:`problem` set) when it could not be written."""
        if self._fd is None:
            return False
        line = json_line_encoder()(entry) + "\n"
        if not self._write((line.encode(),)):
            return False
        self.lines += 1
        return True

    def _open_afresh(self) -> bool:
        """Open the file emptied, for appending; False (and :attr:`problem`) if it cannot be."""
        self.close()
        self.generation += 1
        self.lines = 0
        try:
            self._fd = os.open(
                self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o644
            )
        except OSError as exc:
            self._failed("write the crash journal", exc)
            return False
        return True

    def _write(self, chunks: Iterable[bytes]) -> bool:
        """Write every chunk whole (a short write goes on with the rest); False (and
        :attr:`problem` set, the file closed) when it could not be written."""
        assert self._fd is not None
        try:
            for data in chunks:
                while data:
                    written = os.write(self._fd, data)
                    if not written:
                        raise OSError(errno.ENOSPC, "short write")
                    data = data[written:]
        except OSError as exc:
            self._failed("write the crash journal", exc)
            return False
        self._unsynced = True
        self.problem = ""
        return True

    def sync(self) -> None:
        """Make the lines written so far durable (for a power cut, not only a crash)."""
        if self._fd is None or not self._unsynced:
            return
        try:
            os.fsync(self._fd)
        except OSError as exc:
            self._failed("sync the crash journal", exc)
            return
        self._unsynced = False

    def close(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None

    def entries(self) -> list[dict]:
        """The whole lines of the file, in order; [] when it is missing or unreadable."""
        try:
            raw = self.path.read_bytes()
        except OSError:
            return []
        import json

        out = []
        for line in raw.split(b"\n"):
            try:
                entry = json.loads(line.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                break  # a line cut short by a power cut, and anything after it
            if not isinstance(entry, dict):
                break
            out.append(entry)
        return out

    def exists(self) -> bool:
        return self.path.is_file()

    def discard(self) -> None:
        self.close()
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise _error("remove crash journal", self.path, exc) from exc
