"""Run one risky step (reading a PDF) in a child process with its memory and time bounded.

A PDF's compressed streams can inflate a thousand times over: a 1.6 MB file whose streams
hold 400 MB of text operators took a process past 6 GB. In-process, nothing can stop that
short of the machine running out of memory, taking the reviewer (and every other letter of
a queue or batch) with it. So on POSIX systems the step runs in a forked child (a copy of
this process, so nothing has to be loaded or sent to it) whose address space may grow by
`memory_budget` bytes and whose CPU time is limited; the parent waits at most `wall_seconds`
for its answer. A child that goes over dies, and the caller gets :class:`Exceeded`, saying
which bound it was, instead of the process going down.

Forking costs a few milliseconds, against the tens to hundreds a PDF takes to read. Where
there is no `fork` (Windows), the step runs in this process, unbounded.
"""

from __future__ import annotations

import contextlib
import faulthandler
import gc
import os
import pickle
import select
import signal
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")

MEMORY_BUDGET = 1 << 30  # bytes the child's address space may grow by
CPU_SECONDS = 30  # processor seconds the child may use
WALL_SECONDS = 90.0  # seconds the parent waits, for a child starved on a busy machine


class Exceeded(Exception):
    """The step went over a bound; `what` is "memory" or "time" (the child was ended)."""

    def __init__(self, what: str, limit: str) -> None:
        super().__init__(f"over the {limit} {what} limit")
        self.what = what
        self.limit = limit


@dataclass(frozen=True)
class Bounds:
    memory_budget: int
    cpu_seconds: int
    wall_seconds: float

    @classmethod
    def default(cls) -> Bounds:
        return cls(MEMORY_BUDGET, CPU_SECONDS, WALL_SECONDS)

    @property
    def memory_text(self) -> str:
        return f"{self.memory_budget / (1 << 20):.0f} MB"


def can_bound() -> bool:
    """Whether steps run bounded here (a POSIX system with fork)."""
    return hasattr(os, "fork") and sys.platform != "win32"


def run_bounded(step: Callable[..., T], *args: Any, bounds: Bounds | None = None) -> T:
    """``step(*args)`` in a bounded child: its result, or the exception it raised (which
    must pickle), or :class:`Exceeded` when it went over a bound."""
    if not can_bound():
        return step(*args)
    bounds = bounds or Bounds.default()
    _reap()
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12+ warns that forking a process with threads (the app has some) may
        # deadlock the child: this child only runs `step` and ends, and the wall-clock
        # limit ends it if it ever hangs.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _child(step, args, bounds, write_end)
    os.close(write_end)
    try:
        payload, finished = _collect(read_end, bounds.wall_seconds)
    finally:
        os.close(read_end)
    if not finished:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise Exceeded("time", f"{bounds.wall_seconds:.0f} s")
    try:
        kind, value = pickle.loads(payload)
    except Exception:  # noqa: BLE001 - a child that died mid-answer left no usable answer
        kind, value = "died", None
    if kind in ("ok", "raised"):
        # The child answered and is ending; it is reaped later, not waited for (taking
        # down a large process's memory takes a while).
        _exiting.append(pid)
        if kind == "raised":
            raise value
        return value
    _, status = os.waitpid(pid, 0)
    if kind != "memory" and os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGXCPU:
        raise Exceeded("time", f"{bounds.cpu_seconds} s processor")
    # MemoryError, or a library that ends the process when an allocation fails
    raise Exceeded("memory", bounds.memory_text)


_exiting: list[int] = []  # children that answered, to be reaped


def _reap() -> None:
    """Reap the children that answered and have ended since."""
    for pid in list(_exiting):
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:  # reaped already (by a handler of SIGCHLD, say)
            done = pid
        if done:
            _exiting.remove(pid)


def _collect(fd: int, wall_seconds: float) -> tuple[bytes, bool]:
    """Everything the child writes, and whether it finished within the time."""
    chunks: list[bytes] = []
    deadline = time.monotonic() + wall_seconds
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return b"", False
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            continue
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks), True
        chunks.append(chunk)


def _child(step: Callable[..., Any], args: tuple[Any, ...], bounds: Bounds, fd: int) -> None:
    status = 0
    gc.disable()  # a collection would touch, so copy, every page of the parent's objects
    faulthandler.disable()  # a child ended for memory is expected, not a crash to report
    try:
        _quiet()
        _limit(bounds)
        try:
            answer: tuple[str, Any] = ("ok", step(*args))
        except MemoryError:
            answer = ("memory", None)
        except Exception as err:  # noqa: BLE001 - the parent raises it again
            answer = ("raised", err)
        try:
            data = pickle.dumps(answer)
        except Exception as err:  # noqa: BLE001 - an exception that does not pickle
            data = pickle.dumps(("raised", RuntimeError(f"{type(err).__name__}: {err}")))
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.close(fd)  # the answer is complete: the parent goes on while this process ends
    except BaseException:  # noqa: BLE001 - whatever happens, the child must not go on
        status = 1
    finally:
        os._exit(status)


def _quiet() -> None:
    """The child's standard output and error go nowhere: a library's warnings written
    straight to the terminal would land on the reviewer's screen."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)


def _limit(bounds: Bounds) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a child ended for memory leaves no core
    resource.setrlimit(resource.RLIMIT_CPU, (bounds.cpu_seconds, bounds.cpu_seconds + 1))
    size = _address_space()
    if size is not None:
        limit = size + bounds.memory_budget
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _address_space() -> int | None:
    """This process's address space in bytes (Linux), else None: not bounded by memory."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            pages = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")
