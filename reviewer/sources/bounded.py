"""Run one risky step (reading a PDF) in a child process with its memory and time bounded.

A PDF's compressed streams can inflate a thousand times over: a 1.6 MB file whose streams
hold 400 MB of text operators took a process past 6 GB. In-process, nothing can stop that
short of the machine running out of memory, taking the reviewer (and every other letter of
a queue or batch) with it. So on POSIX systems the step runs in a forked child (a copy of
this process, so nothing has to be loaded or sent to it) whose address space may grow by
`memory_budget` bytes and whose CPU time is limited; the parent waits at most `wall_seconds`
for its answer. A child that goes over dies, and the caller gets :class:`Exceeded`, saying
which bound it was, instead of the process going down.

Forking costs a few milliseconds, against the tens to hundreds a PDF takes to read. For a
batch of documents, `run_each` pays that once per worker instead of once per document: each
worker process is forked once with the same bounds and runs one document after another, and
a worker that goes over a bound is ended (its document gets :class:`Exceeded`) and replaced.
Where there is no `fork` (Windows), steps run in this process, unbounded.
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
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple, TypeVar

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


class Bounds(NamedTuple):
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
    if not can_bound() or _in_bounded_worker:
        return step(*args)  # unbounded, or bounded already (a worker of `run_each`)
    return start_bounded(step, *args, bounds=bounds).result()


class Pending:
    """A step started in a bounded child (`start_bounded`), its answer not collected yet."""

    def __init__(self, pid: int, answers: int, bounds: Bounds) -> None:
        self.pid = pid
        self._answers = answers
        self._bounds = bounds
        self._started = time.monotonic()

    def result(self) -> Any:
        """The step's result, or the exception it raised, or :class:`Exceeded`; waits for it
        (at most what is left of the bounds' wall-clock time since the start)."""
        bounds = self._bounds
        left = bounds.wall_seconds - (time.monotonic() - self._started)
        try:
            payload, finished = _collect(self._answers, left)
        finally:
            os.close(self._answers)
        pid = self.pid
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
        raise _gone_over(pid, kind, bounds)

    def cancel(self) -> None:
        """The answer is not wanted: the child is ended (and reaped later), unread."""
        with contextlib.suppress(OSError):
            os.close(self._answers)
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        _exiting.append(self.pid)


def start_bounded(step: Callable[..., Any], *args: Any, bounds: Bounds | None = None) -> Pending:
    """``step(*args)`` started in a bounded child, while this process goes on; its answer is
    `Pending.result`. Only where `can_bound`."""
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
    return Pending(pid, read_end, bounds)


def _gone_over(pid: int, kind: str, bounds: Bounds) -> Exceeded:
    """The bound a child that gave no answer (`kind`: "memory" or "died") went over, once it
    has ended: processor time if the kernel stopped it for that, else memory (MemoryError,
    or a library that ends the process when an allocation fails)."""
    _, status = os.waitpid(pid, 0)
    if kind != "memory" and os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGXCPU:
        return Exceeded("time", f"{bounds.cpu_seconds} s processor")
    return Exceeded("memory", bounds.memory_text)


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
    """Everything the child writes, and whether it finished within the time (what it wrote
    in time is read even when the reader comes late)."""
    chunks: list[bytes] = []
    deadline = time.monotonic() + wall_seconds
    while True:
        left = deadline - time.monotonic()
        ready, _, _ = select.select([fd], [], [], max(left, 0.0))
        if not ready:
            if left <= 0:
                return b"", False
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
    # Never above a limit this process was given (a bounded child's own child, say): only
    # the superuser may raise a hard limit.
    cpu = _within(resource.RLIMIT_CPU, bounds.cpu_seconds + 1)
    resource.setrlimit(resource.RLIMIT_CPU, (min(bounds.cpu_seconds, cpu), cpu))
    size = _address_space()
    if size is not None:
        limit = _within(resource.RLIMIT_AS, size + bounds.memory_budget)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _within(which: int, wanted: int) -> int:
    """`wanted`, or the hard limit of `which` this process has when that is lower."""
    import resource

    _, hard = resource.getrlimit(which)
    return wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)


def _address_space() -> int | None:
    """This process's address space in bytes (Linux), else None: not bounded by memory."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            pages = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


# -- many steps: bounded workers, each paying for its fork and limits once ------------------

# True in a worker of `run_each`: its limits bound every step it runs, so `run_bounded`
# runs a step there as it is, without a child of its own.
_in_bounded_worker = False

_LENGTH = 8  # bytes of the length that goes before each message between parent and worker


def run_each(
    step: Callable[..., T],
    jobs: list[tuple[Any, ...]],
    workers: int,
    bounds: Bounds | None = None,
) -> Iterator[tuple[int, T | BaseException]]:
    """``step(*job)`` for each job, in up to `workers` bounded processes at once: yields
    ``(index of the job, its result or the exception it raised)`` as each finishes.

    Each worker is forked once and runs jobs one after another, with its address space
    bounded by the memory budget (set once) and each job's processor time bounded (the
    limit is moved on before each job); the parent waits at most `wall_seconds` for each
    answer. A job that goes over a bound yields :class:`Exceeded` and its worker, ended, is
    replaced, so the jobs after it go on. Jobs start in the order given. Where there is no
    `fork`, the jobs run here, one after another, unbounded.
    """
    if not can_bound():
        for i, job in enumerate(jobs):
            try:
                yield i, step(*job)
            except Exception as err:  # noqa: BLE001 - the caller gets it as the job's answer
                yield i, err
        return
    bounds = bounds or Bounds.default()
    waiting = list(range(len(jobs)))[::-1]  # popped from the end: the first job first
    idle: list[_Worker] = []
    busy: dict[int, tuple[_Worker, int, float]] = {}  # answer fd -> worker, job, deadline
    try:
        while waiting or busy:
            while waiting and len(busy) < workers:
                index = waiting.pop()
                worker = idle.pop() if idle else _Worker.start(step, bounds)
                try:
                    worker.send(jobs[index])
                except OSError:  # an idle worker ended from outside: a new one takes the job
                    worker.kill()
                    worker = _Worker.start(step, bounds)
                    worker.send(jobs[index])
                busy[worker.answers] = (worker, index, time.monotonic() + bounds.wall_seconds)
            first = min(deadline for _, _, deadline in busy.values())
            ready, _, _ = select.select(list(busy), [], [], max(0.0, first - time.monotonic()))
            for fd in ready:
                worker, index, _ = busy[fd]
                answer = worker.read()
                if answer is None:
                    continue  # part of an answer: the rest comes later
                del busy[fd]
                kind, value = answer
                if kind in ("ok", "raised"):
                    idle.append(worker)
                    yield index, value
                else:  # the worker ran out of memory, or died: it is ended, not reused
                    yield index, worker.end(bounds, kind)
            now = time.monotonic()
            for fd, (worker, index, deadline) in list(busy.items()):
                if deadline <= now:
                    del busy[fd]
                    worker.kill()
                    yield index, Exceeded("time", f"{bounds.wall_seconds:.0f} s")
    finally:
        for worker in idle:
            worker.stop()
        for worker, _, _ in busy.values():
            worker.kill()


class _Worker:
    """One forked worker of `run_each`: jobs go to it down one pipe, answers come back up
    another, each message a pickle after its length."""

    def __init__(self, pid: int, jobs: int, answers: int) -> None:
        self.pid = pid
        self.jobs = jobs
        self.answers = answers
        self._buffer = bytearray()

    @classmethod
    def start(cls, step: Callable[..., Any], bounds: Bounds) -> _Worker:
        _reap()
        job_read, job_write = os.pipe()
        answer_read, answer_write = os.pipe()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # as in `run_bounded`
            pid = os.fork()
        if pid == 0:  # the worker: never returns
            os.close(job_write)
            os.close(answer_read)
            _serve(step, bounds, job_read, answer_write)
        os.close(job_read)
        os.close(answer_write)
        return cls(pid, job_write, answer_read)

    def send(self, job: tuple[Any, ...]) -> None:
        _write_message(self.jobs, pickle.dumps(job))

    def read(self) -> tuple[str, Any] | None:
        """The answer, once it is all here; None while part of it is still to come;
        ``("died", None)`` when the worker ended without a whole answer."""
        chunk = os.read(self.answers, 1 << 20)
        if not chunk:
            return ("died", None)
        self._buffer += chunk
        if len(self._buffer) < _LENGTH:
            return None
        size = int.from_bytes(self._buffer[:_LENGTH], "big")
        if len(self._buffer) < _LENGTH + size:
            return None
        data = bytes(self._buffer[_LENGTH : _LENGTH + size])
        del self._buffer[: _LENGTH + size]
        try:
            answer: tuple[str, Any] = pickle.loads(data)
        except Exception:  # noqa: BLE001 - an answer that does not load is no answer
            return ("died", None)
        return answer

    def end(self, bounds: Bounds, kind: str) -> Exceeded:
        """Wait for a worker that ran out of memory or died; the bound it went over."""
        self._close()
        return _gone_over(self.pid, kind, bounds)

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self._close()
        os.waitpid(self.pid, 0)

    def stop(self) -> None:
        """No more jobs: the worker sees the end of its pipe and ends; reaped later."""
        self._close()
        _exiting.append(self.pid)

    def _close(self) -> None:
        for fd in (self.jobs, self.answers):
            with contextlib.suppress(OSError):
                os.close(fd)


def _serve(step: Callable[..., Any], bounds: Bounds, jobs: int, answers: int) -> None:
    """The worker's life: limits set once, then each job run and answered, until the
    parent closes the job pipe (or a job runs out of memory)."""
    global _in_bounded_worker
    status = 0
    gc.freeze()  # the parent's objects stay untouched (uncopied) by this process's collections
    faulthandler.disable()
    try:
        _quiet()
        _limit(bounds)
        _in_bounded_worker = True
        import resource

        _, cpu_hard = resource.getrlimit(resource.RLIMIT_CPU)
        reader = os.fdopen(jobs, "rb")
        while True:
            job = _read_message(reader)
            if job is None:
                break
            used = resource.getrusage(resource.RUSAGE_SELF)
            soft = int(used.ru_utime + used.ru_stime) + bounds.cpu_seconds
            if cpu_hard != resource.RLIM_INFINITY:
                soft = min(soft, cpu_hard)
            resource.setrlimit(resource.RLIMIT_CPU, (soft, cpu_hard))
            try:
                answer: tuple[str, Any] = ("ok", step(*job))
            except MemoryError:
                answer = ("memory", None)
            except Exception as err:  # noqa: BLE001 - the parent hands it to the caller
                answer = ("raised", err)
            try:
                data = pickle.dumps(answer)
            except Exception as err:  # noqa: BLE001 - an exception that does not pickle
                data = pickle.dumps(("raised", RuntimeError(f"{type(err).__name__}: {err}")))
            _write_message(answers, data)
            if answer[0] == "memory":
                break  # what is left of this process's memory is not to be trusted
    except BaseException:  # noqa: BLE001 - whatever happens, the worker must not go on
        status = 1
    finally:
        os._exit(status)


def _write_message(fd: int, data: bytes) -> None:
    view = memoryview(len(data).to_bytes(_LENGTH, "big") + data)
    while view:
        view = view[os.write(fd, view) :]


def _read_message(reader: Any) -> Any | None:
    head = reader.read(_LENGTH)
    if len(head) < _LENGTH:
        return None
    return pickle.loads(reader.read(int.from_bytes(head, "big")))
