"""A guard file only one process at a time can hold: `<review>.lock.break`, under which a
stale lock is replaced.

The guard is held by the operating system's lock on the open file (`flock` on POSIX,
`msvcrt.locking` on Windows), not by the file being there: the system lets go of it when
its holder ends, however it ends, so no guard is ever left behind for others to judge by
its age, and no holder, however slow, ever loses its guard to another.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path


class GuardUnsupported(OSError):
    """The folder's file system does not lock files (some network shares)."""


def claim(path: Path) -> int | None:
    """The guard's open file, now held by this process; None when another process holds it.

    A holder removes the guard before it lets go, so a process that waited on a file the
    holder has just removed tries again rather than holding a file nobody else sees.
    Raises GuardUnsupported when the file system cannot lock, OSError when the file cannot
    be made."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
    try:
        if not _try_lock(fd):
            os.close(fd)
            return None
        here = os.fstat(fd)
        try:
            there = os.stat(path)
        except FileNotFoundError:
            there = None
    except BaseException:
        os.close(fd)
        raise
    if there is None or (there.st_dev, there.st_ino) != (here.st_dev, here.st_ino):
        release(path, fd)
        return None
    return fd


def release(path: Path, fd: int) -> None:
    """Remove the guard and let go of it (Windows: let go first, then remove if it can)."""
    if sys.platform == "win32":
        with contextlib.suppress(OSError):
            _unlock(fd)
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(path)
        return
    with contextlib.suppress(OSError):
        here, there = os.fstat(fd), os.stat(path)
        if (there.st_dev, there.st_ino) == (here.st_dev, here.st_ino):
            os.unlink(path)  # only this holder's file: one made afresh is another's
    os.close(fd)


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False  # held by another process
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import errno
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                return False
            raise GuardUnsupported(exc.errno, exc.strerror) from exc
        return True
