"""Speed benchmarks for `reviewer`, printed as a Markdown table.

Run from the project root:

    .venv/bin/python bench/run.py           # full run
    .venv/bin/python bench/run.py --quick   # smaller counts, a smoke run
    .venv/bin/python bench/run.py --only session   # benchmarks whose name contains "session"
    .venv/bin/python bench/run.py --compare HEAD~1  # the same on a git ref and here, with ratios

Each benchmark is a function registered with `@benchmark`; it gets a `Context` and returns
`Row`s. To add a row (for example for `export` or `stats`), write another such function.
All generated files live in a temporary folder that is removed at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from make_letters import big_letter, many_letters  # noqa: E402

if TYPE_CHECKING:  # the app is imported where it is measured: Textual takes 0.2 s to import
    from textual.app import App, ComposeResult

    from reviewer.tui.app import ReviewApp


@dataclass(slots=True)
class Row:
    """One line of the results table; `ok` is None when there is nothing to judge."""

    benchmark: str
    figure: str
    goal: str
    ok: bool | None
    # The row's headline figure in seconds, for `--compare`; None where there is none.
    seconds: float | None = None
    # What `--compare` matches rows by; the benchmark's name where that has no counts in it.
    key: str = ""

    def __post_init__(self) -> None:
        self.key = self.key or self.benchmark

    @property
    def result(self) -> str:
        return "n/a" if self.ok is None else ("ok" if self.ok else "over")


@dataclass
class Context:
    """What the benchmarks share: the run size, a scratch folder and the scheme."""

    quick: bool
    tmp: Path
    # The folder whose `reviewer` package is measured (`--code`); None: the installed one.
    code: Path | None = None
    _cache: dict = field(default_factory=dict)

    def command(self) -> list[str]:
        """How to run the `reviewer` command being measured."""
        exe = Path(sys.executable).with_name("reviewer")
        if self.code is None and exe.exists():
            return [str(exe)]
        return [sys.executable, "-m", "reviewer"]

    def n(self, full: int, quick: int) -> int:
        return quick if self.quick else full

    @property
    def scheme(self):
        if "scheme" not in self._cache:
            from reviewer.segment.scheme import load_scheme

            self._cache["scheme"] = load_scheme()
        return self._cache["scheme"]

    @property
    def big_text(self) -> str:
        if "big" not in self._cache:
            self._cache["big"] = big_letter(2000)
        return self._cache["big"]

    @property
    def env(self) -> dict[str, str]:
        """Environment for subprocesses: bytecode cached under the scratch folder.

        Python then writes no `__pycache__` into the repository, even when
        PYTHONDONTWRITEBYTECODE is set, and the runs still use compiled bytecode, as an
        installed tool would.
        """
        env = dict(os.environ)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(self.tmp / "pycache")
        if self.code is not None:
            paths = [str(self.code), env.get("PYTHONPATH", "")]
            env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
        return env

    def big_path(self, name: str) -> Path:
        """The big letter written to a fresh folder of its own (reviews are saved beside it)."""
        folder = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=self.tmp))
        path = folder / "big_letter.txt"
        path.write_text(self.big_text, encoding="utf-8")
        return path


Benchmark = Callable[[Context], list[Row]]
BENCHMARKS: list[Benchmark] = []


def benchmark(fn: Benchmark) -> Benchmark:
    """Register a benchmark; they run in the order they are defined."""
    BENCHMARKS.append(fn)
    return fn


# -- helpers -------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms" if seconds < 0.1 else f"{seconds * 1000:.0f} ms"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    """Seconds taken by each of `runs` calls."""
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def load_average() -> str:
    """The 1, 5 and 15 minute load averages: other work on the machine skews the figures."""
    if not hasattr(os, "getloadavg"):
        return "?"
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# -- benchmarks ----------------------------------------------------------------------------


# The package `reviewer.segment` itself loads nothing; segmenting needs this module and all
# it imports.
SEGMENTER = "import reviewer.segment.families"


@benchmark
def import_time(ctx: Context) -> list[Row]:
    """`python -c "import reviewer.segment.families"` (what segmenting a letter loads: the
    engine, its readers and the schemes' code) minus `python -c pass`, median of 5.

    Measured with bytecode cached (see `Context.env`); the figure also gives the time
    without any cache, when every module is compiled from source.
    """
    runs = ctx.n(5, 3)

    def median_run(code: str, env: dict[str, str]) -> float:
        took = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True, cwd=ctx.tmp, env=env)
            took.append(time.perf_counter() - t0)
        return statistics.median(took)

    def cost(env: dict[str, str]) -> float:
        return max(0.0, median_run(SEGMENTER, env) - median_run("pass", env))

    cold_env = dict(ctx.env, PYTHONDONTWRITEBYTECODE="1")
    cold_env["PYTHONPYCACHEPREFIX"] = str(ctx.tmp / "no-pycache")
    cold = cost(cold_env)
    subprocess.run([sys.executable, "-c", SEGMENTER], check=True, env=ctx.env)
    warm = cost(ctx.env)
    figure = f"{ms(warm)} ({ms(cold)} without bytecode cache)"
    return [Row("import the segmenter", figure, "< 100 ms", warm < 0.1, warm)]


@benchmark
def sample_letters(ctx: Context) -> list[Row]:
    """Segment each sample letter in process: median of 50 runs after one warm-up."""
    from reviewer.segment.families import segment_text
    from reviewer.sources.read import read_letter

    runs = ctx.n(50, 10)
    rows = []
    for path in sorted(((ctx.code or ROOT) / "sample_letters").glob("*.txt")):
        text = read_letter(path).text
        n = len(segment_text(text, ctx.scheme).findings)
        took = statistics.median(timed(partial(segment_text, text, ctx.scheme), runs))
        name = f"segment {path.name} ({n} findings)"
        rows.append(Row(name, ms(took), "< 5 ms", took < 0.005, took, f"segment {path.name}"))
    return rows


@benchmark
def batch_cli(ctx: Context) -> list[Row]:
    """`reviewer segment --out-dir` over generated letters, as a subprocess."""
    n = ctx.n(1000, 100)
    letters = ctx.tmp / "batch_letters"
    out = ctx.tmp / "batch_out"
    paths = many_letters(letters, n)
    base = ctx.command()
    warm = [*base, "segment", str(paths[0]), "--out-dir", str(ctx.tmp / "batch_warm")]
    subprocess.run(warm, capture_output=True, cwd=ctx.tmp, env=ctx.env)  # caches bytecode
    cmd = [*base, "segment", *map(str, paths), "--out-dir", str(out)]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ctx.tmp, env=ctx.env)
    took = time.perf_counter() - t0
    written = len(list(out.glob("*.review.toml")))
    goal_s = 10.0 * n / 1000
    name = f"`reviewer segment --out-dir`, {n} letters"
    if proc.returncode != 0 or written != n:
        err = (proc.stderr.strip().splitlines() or ["no message"])[-1]
        return [Row(name, f"failed (exit {proc.returncode}, {written} written): {err}", "", False)]
    figure = f"{took:.2f} s ({n / took:.0f} letters/s, {cores()} cores)"
    return [Row(name, figure, f"< {goal_s:g} s on 2 cores", took < goal_s, took)]


@benchmark
def big_segment(ctx: Context) -> list[Row]:
    """Segment the big letter in process: median of 5 runs after one warm-up."""
    from reviewer.segment.families import segment_text

    text = ctx.big_text
    n = len(segment_text(text, ctx.scheme).findings)
    took = statistics.median(timed(lambda: segment_text(text, ctx.scheme), ctx.n(5, 3)))
    size = len(text.encode()) / 1000
    name = f"segment big letter ({size:.0f} KB, {n} findings)"
    return [Row(name, ms(took), "< 500 ms", took < 0.5, took, "segment big letter")]


@benchmark
def review_session(ctx: Context) -> list[Row]:
    """ReviewSession on the big letter: open, then corrections with autosave."""
    from reviewer.review.session import ReviewSession

    path = ctx.big_path("session")
    opens = []
    for _ in range(ctx.n(3, 1)):
        t0 = time.perf_counter()
        s = ReviewSession.open(path, scheme=ctx.scheme)
        opens.append(time.perf_counter() - t0)
        s.close()
    s = ReviewSession.open(path, scheme=ctx.scheme)
    cats = [c.id for c in ctx.scheme.categories]
    nf = len(s.findings)
    per, saves = [], []
    try:
        for k in range(ctx.n(200, 20)):
            i = (k * 7919) % nf  # spread over the whole letter
            cat = cats[(cats.index(s.findings[i].category) + 1) % len(cats)]
            t0 = time.perf_counter()
            s.set_category(i, cat)
            s.confirm(i)
            t1 = time.perf_counter()
            s.autosave()
            t2 = time.perf_counter()
            per.append(t2 - t0)
            saves.append(t2 - t1)
    finally:
        s.close()
    open_s = statistics.median(opens)
    med, high = statistics.median(per), p95(per)
    journal = f"; autosave alone median {ms(statistics.median(saves))}"
    return [
        Row(
            f"ReviewSession.open big letter ({nf} findings)",
            ms(open_s),
            "< 1 s",
            open_s < 1,
            open_s,
            "ReviewSession.open big letter",
        ),
        Row(
            f"correction (set_category + confirm + autosave), {len(per)} on the big letter",
            f"median {ms(med)}, p95 {ms(high)}{journal}",
            "p95 < 50 ms",
            high < 0.05,
            high,
        ),
    ]


def _make_app(letter: Path) -> ReviewApp:
    """The reviewer app on a letter, with the default keys (the user's keymap left out)."""
    from reviewer.review.session import ReviewSession
    from reviewer.tui.app import ReviewApp

    return ReviewApp(ReviewSession.open(letter), "default", user_keymap=False)


async def _drive_app(
    make: Callable[[], App[Any]], presses: int
) -> tuple[float, dict[str, list[float]], dict[str, list[float]], int]:
    """Seconds to the first screen, seconds per keypress (press + pause) for each key, the
    process time each took, and how many findings the app's session reports as reviewed
    afterwards (-1 for an app without a session)."""
    t0, c0 = time.perf_counter(), time.process_time()
    app = make()
    per: dict[str, list[float]] = {"3": [], "space": []}
    cpu: dict[str, list[float]] = {"3": [], "space": []}
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            first = time.perf_counter() - t0
            cpu["first"] = [time.process_time() - c0]
            for _ in range(presses):
                for key, times in per.items():
                    t1, c1 = time.perf_counter(), time.process_time()
                    await pilot.press(key)
                    await pilot.pause()
                    times.append(time.perf_counter() - t1)
                    cpu[key].append(time.process_time() - c1)
    finally:
        session = getattr(app, "session", None)  # the empty app has none
        if session is not None:
            session.close()
    reviewed = session.reviewed_count if session is not None else -1
    return first, per, cpu, reviewed


def _empty_app() -> App[Any]:
    """A one-widget Textual app: what the pilot itself costs per keypress (its floor)."""
    from textual.app import App
    from textual.widgets import Static

    class Empty(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("empty")

    return Empty()


@benchmark
def app_ui(ctx: Context) -> list[Row]:
    """Headless Textual app on the big letter: first screen, then correction keystrokes.

    `pilot.press` and `pilot.pause` wait for the process to go idle in 20 ms steps, so every
    keypress costs about 60 ms even in an empty app. The keypress row is judged on each key's
    median net of that floor (the floor is measured with an empty app in the same run).
    """
    names = ("app: time to first screen, big letter", "app: per keypress (`3`, `space`)")
    goals = ("<= 500 ms", "median < 50 ms per key, net of floor")
    presses = ctx.n(100, 20)
    letter = ctx.big_path("app")
    try:
        _, floor_per, floor_cpu, _ = asyncio.run(_drive_app(_empty_app, presses))
        first, per, cpu, reviewed = asyncio.run(
            asyncio.wait_for(_drive_app(lambda: _make_app(letter), presses), 600)
        )
    except Exception as err:  # noqa: BLE001 - an unfinished app must not stop the other rows
        msg = f"error: {type(err).__name__}: {err}".replace("|", "/").splitlines()[0][:120]
        return [Row(n, msg, g, None) for n, g in zip(names, goals, strict=True)]
    floor = statistics.median(floor_per["3"] + floor_per["space"])
    net = {k: max(0.0, statistics.median(v) - floor) for k, v in per.items()}
    first_cpu = cpu.pop("first")[0]
    floor_cpu.pop("first")
    cpu_floor = statistics.median(floor_cpu["3"] + floor_cpu["space"])
    cpu_net = {k: max(0.0, statistics.median(v) - cpu_floor) for k, v in cpu.items()}
    every = per["3"] + per["space"]
    figure = (
        f"median {ms(statistics.median(every))}, p95 {ms(p95(every))}; net of pilot floor "
        f"{ms(floor)}: `3` {ms(net['3'])}, `space` {ms(net['space'])}"
    )
    if reviewed >= 0:
        figure += f"; {reviewed} findings reviewed after"
    cpu_figure = (
        f"`3` {ms(cpu_net['3'])}, `space` {ms(cpu_net['space'])} (empty app {ms(cpu_floor)})"
    )
    return [
        Row(names[0], f"{ms(first)} ({ms(first_cpu)} CPU)", goals[0], first <= 0.5, first),
        Row(
            f"{names[1]} x{presses} each, wall clock",
            figure,
            goals[1],
            max(net.values()) < 0.05,
            max(net.values()),
        ),
        Row(
            f"{names[1]}: CPU time per key, net of an empty app",
            cpu_figure,
            "median <= 16 ms per key (a frame at 60 Hz)",
            max(cpu_net.values()) <= 0.016,
            max(cpu_net.values()),
        ),
    ]


# One first screen of the big letter in a process of its own, as the `app_ui` row measures
# it (Textual already loaded, the clock started before the reviewer's modules are): it
# prints the seconds and the process's CPU seconds.
_FIRST_SCREEN = """
import asyncio, sys, time
import textual.app

async def main():
    t0, c0 = time.perf_counter(), time.process_time()
    from reviewer.review.session import ReviewSession
    from reviewer.tui.app import ReviewApp

    session = ReviewSession.open(sys.argv[1])
    app = ReviewApp(session, "default", user_keymap=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        print(time.perf_counter() - t0, time.process_time() - c0)
    session.close()

asyncio.run(main())
"""


@benchmark
def app_first_screen(ctx: Context) -> list[Row]:
    """The `app_ui` row's first screen of the 2,000-finding letter, in fresh processes (each
    on a fresh copy of the letter, bytecode cached by a first run not counted): the median
    of several, where the `app_ui` row is one run and moves with the machine's load."""
    runs = ctx.n(7, 3)
    walls, cpus = [], []
    for k in range(runs + 1):
        letter = ctx.big_path(f"first-{k}")
        out = subprocess.run(
            [sys.executable, "-c", _FIRST_SCREEN, str(letter)],
            capture_output=True,
            text=True,
            cwd=ctx.tmp,  # not the project's folder, which `-c` would put first on the path
            env=ctx.env,
            timeout=120,
            check=True,
        ).stdout.split()
        if k:
            walls.append(float(out[0]))
            cpus.append(float(out[1]))
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    return [
        Row(
            f"app: time to first screen, big letter, median of {runs} fresh processes",
            f"{ms(wall)} ({ms(cpu)} CPU); fastest {ms(min(walls))}",
            "<= 500 ms",
            wall <= 0.5,
            wall,
            "app: time to first screen, big letter, fresh processes",
        )
    ]


async def _drive_keys(
    make: Callable[[], App[Any]], keys: tuple[str, ...], presses: int
) -> tuple[float, dict[str, list[float]]]:
    """Seconds to the first screen painted, and the process time of each press of each key."""
    t0 = time.perf_counter()
    app = make()
    cpu: dict[str, list[float]] = {k: [] for k in keys}
    async with app.run_test(size=(120, 40)) as pilot:
        screen = getattr(app, "review_screen", None)
        while screen is not None and not screen.painted:
            await pilot.pause(0.01)
        await pilot.pause()
        first = time.perf_counter() - t0
        for _ in range(presses):
            for key in keys:
                c1 = time.process_time()
                await pilot.press(key)
                await pilot.pause()
                cpu[key].append(time.process_time() - c1)
    return first, cpu


def _autosave_on_the_ui_thread(session: Any, runs: int) -> tuple[float, float]:
    """Median CPU time and wall time the calling (UI) thread spends on an autosave after a
    change: what the screen stalls for. A snapshot written on a thread of its own is waited
    for between runs, outside the time taken. Every finding's TOML is cached first, as the
    crash journal's full record does after the first paint."""
    session.prepare_journal()
    session.crash.settle()
    start = getattr(session, "start_autosave", None)  # older trees: autosave does it all
    wait = getattr(session, "wait_for_autosave", None)
    cats = [c.id for c in session.scheme.categories]
    fs = session.findings
    cpu, wall = [], []
    for k in range(runs):
        i = (k * 7919) % len(fs)
        session.set_category(i, cats[(cats.index(fs[i].category) + 1) % len(cats)])
        c0, t0 = time.thread_time(), time.perf_counter()
        (start or session.autosave)(position=fs[i].id)
        cpu.append(time.thread_time() - c0)
        wall.append(time.perf_counter() - t0)
        if wait is not None:
            wait()
    return statistics.median(cpu), statistics.median(wall)


@benchmark
def app_big_letters(ctx: Context) -> list[Row]:
    """The app on letters of 2 MB and 19 MB (the big letter's findings repeated): first
    screen once the session is open, and CPU per key (`j`, then a category key `3`), net of
    an empty app. Opening the session (segmenting) is timed on its own, and so is the UI
    thread's share of an autosave (before the app runs, on the same session)."""
    from reviewer.review.session import ReviewSession
    from reviewer.tui.app import ReviewApp

    keys = ("j", "3")
    presses = ctx.n(20, 5)
    _, floor_cpu = asyncio.run(_drive_keys(_empty_app, keys, presses))
    floor = statistics.median(floor_cpu["j"] + floor_cpu["3"])
    base = ctx.big_text
    body = base.split("\n\n", 3)[-1]
    rows = []
    for mb in (2, 19):
        path = ctx.big_path(f"big-{mb}")
        reps = max(1, int(mb * 1e6 // len(base)))
        path.write_text(base + ("\n\n" + body) * (reps - 1), encoding="utf-8")
        name = f"app: {mb} MB letter"
        t0 = time.perf_counter()
        session = ReviewSession.open(path)
        opened = time.perf_counter() - t0
        try:
            save_cpu, save_wall = _autosave_on_the_ui_thread(session, ctx.n(5, 2))
        except Exception as err:  # noqa: BLE001 - the other rows still run
            msg = f"error: {type(err).__name__}: {err}".replace("|", "/").splitlines()[0][:120]
            rows.append(Row(f"{name}: autosave", msg, "", None))
        else:
            rows.append(
                Row(
                    f"{name}: autosave, UI-thread time after a change",
                    f"median {ms(save_cpu)} CPU ({ms(save_wall)} wall)",
                    "< 16 ms CPU",
                    save_cpu < 0.016,
                    save_cpu,
                    f"{name}: autosave UI thread",
                )
            )
        try:
            first, cpu = asyncio.run(
                _drive_keys(
                    lambda s=session: ReviewApp(s, "default", user_keymap=False), keys, presses
                )
            )
        except Exception as err:  # noqa: BLE001 - an unfinished app must not stop the other rows
            msg = f"error: {type(err).__name__}: {err}".replace("|", "/").splitlines()[0][:120]
            rows.append(Row(name, msg, "", None))
            continue
        finally:
            session.close(clean=False)
        net = {k: max(0.0, statistics.median(v) - floor) for k, v in cpu.items()}
        rows.append(
            Row(
                f"{name}: first screen after the session is open",
                f"{ms(first)} (session open {ms(opened)}, {len(session.findings)} findings)",
                "< 2 s",
                first < 2,
                first,
                f"{name}: first screen",
            )
        )
        rows.append(
            Row(
                f"{name}: CPU per key, net of an empty app",
                f"`j` {ms(net['j'])}, `3` {ms(net['3'])} (empty app {ms(floor)})",
                "median < 16 ms per key",
                max(net.values()) < 0.016,
                max(net.values()),
                f"{name}: CPU per key",
            )
        )
    return rows


def _tmux_seconds(
    ctx: Context, command: list[str], folder: Path, done: Callable[[str], bool]
) -> float:
    """Seconds from starting `command` in a new 120x40 tmux terminal until `done` holds for
    the text it has written (escape sequences left out); a tmux server of its own, ended
    after.

    The terminal's output goes to a file as it comes (`pipe-pane`), read every 2 ms. Asking
    tmux for the screen every few ms instead (a `capture-pane` process each time) took a
    third of a core or more, which on two cores slowed a program using both more than one
    using one. The command waits for a signal, sent once the output is piped: the clock
    starts with the signal.
    """
    import re
    import shlex
    import shutil
    import uuid

    tmux = shutil.which("tmux")
    assert tmux is not None
    sock = f"reviewer-bench-{uuid.uuid4().hex[:8]}"
    out = folder / f"{sock}.out"
    out.touch()
    channel = f"go-{sock}"
    line = (
        f"{shlex.quote(tmux)} -L {sock} wait-for {channel}; "
        f"cd {shlex.quote(str(folder))} && {shlex.join(command)}; sleep 30"
    )
    escapes = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-_])")
    try:
        subprocess.run(
            [tmux, "-L", sock, "new-session", "-d", "-x", "120", "-y", "40", line],
            check=True,
            env=ctx.env,
        )
        pipe = f"cat >> {shlex.quote(str(out))}"
        subprocess.run([tmux, "-L", sock, "pipe-pane", "-o", pipe], check=True)
        t0 = time.perf_counter()
        subprocess.run([tmux, "-L", sock, "wait-for", "-S", channel], check=True)
        with out.open("rb") as stream:
            written = ""
            while True:
                written += stream.read().decode("utf-8", "replace")
                if done(escapes.sub("", written)):
                    return time.perf_counter() - t0
                if time.perf_counter() - t0 > 60:
                    raise TimeoutError(f"nothing expected after 60 s: {written[-200:]!r}")
                time.sleep(0.002)
    finally:
        subprocess.run([tmux, "-L", sock, "kill-server"], capture_output=True)


@benchmark
def first_screen_tmux(ctx: Context) -> list[Row]:
    """`reviewer open` on a real letter (a bundled one, not reviewed yet) in tmux, from launch
    to its first screen (the header and the findings table shown), against
    `python -c "import textual.app"` measured the same way; median of 5 each."""
    import shutil

    name = "first screen of a real letter from launch, in tmux"
    if shutil.which("tmux") is None:
        return [Row(name, "not available: no tmux", "", None)]
    sample = (ctx.code or ROOT) / "sample_letters" / "hartlepool_2011-03_ucra.txt"
    runs = ctx.n(5, 2)
    textual_cmd = [sys.executable, "-c", "import textual.app; print('IMPORTED')"]
    ours, floor = [], []
    for k in range(runs + 1):  # the first of each only warms the bytecode cache
        folder = ctx.tmp / f"first_screen_{k}"
        folder.mkdir()
        shutil.copy(sample, folder / sample.name)
        took = _tmux_seconds(
            ctx,
            [*ctx.command(), "open", sample.name],
            folder,
            lambda shown: "reviewed" in shown and "Category" in shown,
        )
        imported = _tmux_seconds(ctx, textual_cmd, folder, lambda shown: "IMPORTED" in shown)
        if k:
            ours.append(took)
            floor.append(imported)
    first, base = statistics.median(ours), statistics.median(floor)
    figure = f"{ms(first)} against {ms(base)} for `import textual.app`: +{ms(first - base)}"
    goal = "<= import textual.app + 100 ms"
    return [Row(name, figure, goal, first - base <= 0.1, first, name)]


# -- running -------------------------------------------------------------------------------


def _cli(ctx: Context, *args: str) -> tuple[float, subprocess.CompletedProcess]:
    base = ctx.command()
    t0 = time.perf_counter()
    proc = subprocess.run([*base, *args], capture_output=True, text=True, cwd=ctx.tmp, env=ctx.env)
    return time.perf_counter() - t0, proc


def _review_folder(ctx: Context) -> tuple[Path, int]:
    """Review files for generated letters, made once and shared by the export/stats rows."""
    if "reviews" not in ctx._cache:
        n = ctx.n(1000, 100)
        letters = ctx.tmp / "many_letters"
        out = ctx.tmp / "many_reviews"
        paths = many_letters(letters, n)
        _cli(ctx, "segment", *map(str, paths), "--out-dir", str(out))
        ctx._cache["reviews"] = (out, len(list(out.glob("*.review.toml"))))
    return ctx._cache["reviews"]


@benchmark
def export_and_stats(ctx: Context) -> list[Row]:
    """`reviewer export` (CSV and JSONL) and `reviewer stats` over many review files."""
    folder, n = _review_folder(ctx)
    rows = []
    goal = 5.0 * n / 1000
    for label, args in (
        ("export --format csv", ("export", str(folder), "-o", str(ctx.tmp / "x.csv"))),
        (
            "export --format jsonl",
            ("export", str(folder), "-f", "jsonl", "-o", str(ctx.tmp / "x.jsonl")),
        ),
        ("stats", ("stats", str(folder))),
    ):
        _cli(ctx, *args)  # warm the page cache and bytecode
        took, proc = _cli(ctx, *args)
        name = f"`reviewer {label}`, {n} review files"
        if proc.returncode != 0:
            rows.append(Row(name, f"failed: {proc.stderr.strip()[-120:]}", "", False))
            continue
        rows.append(
            Row(name, f"{took:.2f} s ({n / took:.0f} files/s)", f"< {goal:g} s", took < goal, took)
        )
    return rows


@benchmark
def reanchor_big(ctx: Context) -> list[Row]:
    """Re-anchoring 2,000 findings after a heading is inserted at the top of the big letter."""
    from reviewer.review.anchor import Anchor, reanchor
    from reviewer.segment.families import segment_text

    try:
        from reviewer.review.annotation import context_of
    except ImportError:  # older trees kept it with the anchoring code
        from reviewer.review.anchor import context_of  # type: ignore[attr-defined,no-redef]

    text = ctx.big_text
    doc = segment_text(text, ctx.scheme)
    anchors = [
        Anchor(f.text, f.start, f.end, *context_of(text, f.start, f.end)) for f in doc.findings
    ]
    changed = "A new heading\n\n" + text
    took = statistics.median(timed(lambda: reanchor(anchors, changed), ctx.n(3, 1)))
    name = f"re-anchor {len(anchors)} findings after an insertion (big letter)"
    rows = [Row(name, ms(took), "< 2 s", took < 2.0, took, "re-anchor big letter")]
    # The big letter's findings repeated to 2 MB: every finding's words occur 9 times, which
    # made the work grow with the square of the size (findings times copies).
    body = text.split("\n\n", 3)[-1]
    reps = max(1, int(2e6 // len(text)))
    big = text + ("\n\n" + body) * (reps - 1)
    doc = segment_text(big, ctx.scheme)
    anchors = [
        Anchor(f.text, f.start, f.end, *context_of(big, f.start, f.end)) for f in doc.findings
    ]
    changed = "A new heading\n\n" + big
    took = statistics.median(timed(lambda: reanchor(anchors, changed), 1))
    name = f"re-anchor {len(anchors)} findings after an insertion (2 MB letter)"
    rows.append(Row(name, ms(took), "< 5 s", took < 5.0, took, "re-anchor 2 MB letter"))
    return rows


REPORTS = Path(__file__).resolve().parents[2] / "shared" / "ilacs" / "reports"


@benchmark
def reports(ctx: Context) -> list[Row]:
    """Inspection reports (PDF): extract one (once) and segment it (median of 5 after one
    run that is not counted: a family's patterns are compiled at its first document);
    100 through `segment --out-dir`; PDFium (the extractor used) against pypdf (the
    fallback)."""
    pdfs = sorted(REPORTS.glob("*.pdf"))
    if not pdfs:
        return [Row("inspection reports (PDF)", "not available: no reports found", "", None)]
    from reviewer.segment.families import segment_auto
    from reviewer.sources.pdf import extract_text

    rows = []
    for pdf in pdfs:
        data = pdf.read_bytes()
        t0 = time.perf_counter()
        text = extract_text(data, pdf.name)
        extracted = time.perf_counter() - t0
        doc, _ = segment_auto(text)
        segmented = statistics.median(timed(partial(segment_auto, text), 5))
        rows.append(
            Row(
                f"extract (PDFium) + segment {pdf.name} ({len(doc.findings)} items)",
                f"{extracted:.2f} s + {ms(segmented)}",
                "< 2 s",
                extracted + segmented < 2.0,
                extracted + segmented,
                f"extract (PDFium) + segment {pdf.name}",
            )
        )
    from reviewer.sources.pdf import pypdf_pages

    for pdf in pdfs:  # the fallback extractor, for comparison (bench/extract.py: all)
        t0 = time.perf_counter()
        pypdf_pages(pdf.read_bytes(), pdf.name)
        took = time.perf_counter() - t0
        rows.append(Row(f"pypdf extraction {pdf.name}", f"{took:.3f} s", "", None, took))
    n = ctx.n(100, 10)
    folder = ctx.tmp / "reports_in"
    folder.mkdir(exist_ok=True)
    paths = []
    for i in range(n):
        src = pdfs[i % len(pdfs)]
        dst = folder / f"{src.stem}_{i:03d}.pdf"
        dst.write_bytes(src.read_bytes())
        paths.append(str(dst))
    took, proc = _cli(ctx, "segment", *paths, "--out-dir", str(ctx.tmp / "reports_out"))
    written = len(list((ctx.tmp / "reports_out").glob("*.review.toml")))
    name = f"`reviewer segment --out-dir`, {n} reports (PDF)"
    goal = 60.0 * n / 100
    if proc.returncode != 0 or written != n:
        rows.append(Row(name, f"failed (exit {proc.returncode}, {written} written)", "", False))
    else:
        rows.append(
            Row(
                name,
                f"{took:.1f} s ({took / n:.2f} s per report, {cores()} cores)",
                f"< {goal:g} s",
                took < goal,
                took,
                "`reviewer segment --out-dir`, reports (PDF)",
            )
        )
    return rows


CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@benchmark
def corpus_pdfs(ctx: Context) -> list[Row]:
    """`reviewer segment --out-dir` over the shared corpus's PDFs against the bare PDFium
    extraction of the same files (`bench/bare_pdfium.py`), both as commands on the same
    cores, one after the other, the best of three runs each (the floor and ours taking
    turns); then (full run) the corpus five times over under other names (symlinks), about
    1,000 documents, the better of two runs each (one run each read this machine's drift:
    the bare floor alone took from 10.1 s to 12.8 s from one run to the next)."""
    pdfs = sorted(CORPUS.glob("*/*.pdf"))
    if not pdfs:
        return [Row("segment --out-dir, shared corpus", "not available: no corpus", "", None)]
    jobs = cores()
    rows = []
    for copies in (1,) if ctx.quick else (1, 5):
        files = [str(p) for p in pdfs]
        if copies > 1:
            folder = ctx.tmp / f"corpus_x{copies}"
            folder.mkdir()
            files = []
            for k in range(copies):
                for p in pdfs:
                    link = folder / f"{p.parent.name}_{p.stem}_{k}.pdf"
                    link.symlink_to(p)
                    files.append(str(link))
        bare_cmd = [sys.executable, str(BENCH / "bare_pdfium.py"), "--jobs", str(jobs), *files]
        bare, ours = [], []
        failed = ""
        for run_no in range(3 if copies == 1 else 2):
            t0 = time.perf_counter()
            subprocess.run(bare_cmd, check=True, capture_output=True, cwd=ctx.tmp, env=ctx.env)
            bare.append(time.perf_counter() - t0)
            out = ctx.tmp / f"corpus_out_{copies}_{run_no}"
            took, proc = _cli(ctx, "segment", *files, "--out-dir", str(out), "-j", str(jobs))
            ours.append(took)
            written = len(list(out.glob("*.review.toml")))
            if written != len(files):
                last = (proc.stderr.strip().splitlines() or ["no message"])[-1]
                failed = f"failed (exit {proc.returncode}, {written} written): {last[:100]}"
        name = f"`segment --out-dir`, {len(files)} shared-corpus PDFs, against bare PDFium"
        key = f"segment --out-dir, shared corpus x{copies}, against bare PDFium"
        if failed:
            rows.append(Row(name, failed, "", False, None, key))
            continue
        ratio = min(ours) / min(bare)
        figure = (
            f"{min(ours):.1f} s against {min(bare):.1f} s bare: {ratio:.2f}x "
            f"({jobs} cores, {len(files) / min(ours):.0f} documents/s)"
        )
        rows.append(Row(name, figure, "<= 1.3x bare", ratio <= 1.3, min(ours), key))
    return rows


def table(rows: list[Row]) -> str:
    """The rows as a Markdown table with aligned columns."""
    head = ("benchmark", "figure", "goal", "result")
    cells = [head] + [(r.benchmark, r.figure, r.goal, r.result) for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(4)]

    def line(c) -> str:
        return "| " + " | ".join(x.ljust(w) for x, w in zip(c, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(head), rule] + [line(c) for c in cells[1:]])


def run(args: argparse.Namespace) -> tuple[list[Row], str]:
    """Run the chosen benchmarks; the rows and a line saying how the run went."""
    chosen = [b for b in BENCHMARKS if b.__name__ == args.only] or [
        b for b in BENCHMARKS if not args.only or args.only in b.__name__
    ]
    code = Path(args.code).resolve() if args.code else None
    if code is not None:  # measure that tree's package, with this file's benchmarks
        sys.path.insert(0, str(code))
    import reviewer

    log(f"measuring the package in {Path(reviewer.__file__).parent.parent.name}")
    rows: list[Row] = []
    load_before = load_average()
    with tempfile.TemporaryDirectory(prefix="reviewer-bench-") as tmp:
        ctx = Context(args.quick, Path(tmp), code)
        for bench in chosen:
            log(f"{bench.__name__} ...")
            t0 = time.perf_counter()
            try:
                rows += bench(ctx)
            except Exception as err:  # noqa: BLE001 - an older tree may lack an API: say so
                msg = f"error: {type(err).__name__}: {err}".replace("|", "/").splitlines()[0]
                rows.append(Row(bench.__name__, msg[:120], "", None))
            log(f"{bench.__name__} done in {time.perf_counter() - t0:.1f}s")
    mode = "quick" if args.quick else "full"
    how = (
        f"{mode} run, Python {sys.version.split()[0]}, {cores()} cores, "
        f"load average before {load_before}, after {load_average()}"
    )
    return rows, how


def compare(ref: str, args: argparse.Namespace) -> int:
    """Run the benchmarks on the git ref `ref` and on the working tree in this run, and print
    both figures side by side with their ratio.

    Each benchmark runs on the ref and then at once on the working tree, before the next
    benchmark: a machine whose speed drifts over the minutes of a whole run (a shared one
    does) then moves both columns of a row alike, instead of one half of the run. With
    `--rounds N` each side runs N times, the side that goes first alternating, and each row
    keeps its fastest run: the side that always ran second no longer bears alone what the
    run before it left behind."""
    chosen = [b.__name__ for b in BENCHMARKS if not args.only or args.only in b.__name__]
    with tempfile.TemporaryDirectory(prefix="reviewer-bench-ref-") as tmp:
        tree = Path(tmp) / "tree"
        made = subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), ref],
            capture_output=True,
            text=True,
        )
        if made.returncode != 0:
            print(f"bench: cannot check out {ref!r}: {made.stderr.strip()}", file=sys.stderr)
            return 2
        before: dict[str, dict] = {}
        after: dict[str, dict] = {}
        sides = ((tree, before), (ROOT, after))
        try:
            for name in chosen:
                for round_no in range(args.rounds):
                    # ref first, then the working tree first: whatever the run before
                    # leaves behind (a machine slowed by a long run) falls on both sides
                    for code, side in sides if round_no % 2 == 0 else sides[::-1]:
                        where = ref if code == tree else "the working tree"
                        log(f"=== {name} on {where} (round {round_no + 1}) ===")
                        cmd = [sys.executable, str(Path(__file__).resolve()), "--json"]
                        cmd += ["--code", str(code), "--only", name]
                        cmd += ["--quick"] if args.quick else []
                        out = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=True)
                        for row in json.loads(out.stdout)["rows"]:
                            side[row["key"]] = _better(side.get(row["key"]), row)
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                capture_output=True,
            )
    rounds = f", the faster of {args.rounds} rounds each" if args.rounds > 1 else ""
    print(f"reviewer benchmarks: {ref} against the working tree (load {load_average()}{rounds})\n")
    print(compare_table(ref, before, after))
    return 0


def _better(kept: dict | None, row: dict) -> dict:
    """Of two runs' rows of one benchmark, the faster (a row without seconds: the first)."""
    if kept is None:
        return row
    if kept.get("seconds") is None or row.get("seconds") is None:
        return kept
    return row if row["seconds"] < kept["seconds"] else kept


def compare_table(ref: str, before: dict[str, dict], after: dict[str, dict]) -> str:
    """Rows matched by key: the figure on `ref`, on the working tree, and after/before."""
    keys = list(before) + [k for k in after if k not in before]
    cells = [("benchmark", ref, "working tree", "ratio", "goal")]
    for key in keys:
        a, b = before.get(key), after.get(key)
        ratio = ""
        if a and b and a.get("seconds") and b.get("seconds") is not None:
            ratio = f"{b['seconds'] / a['seconds']:.2f}x"
        cells.append(
            (
                key,
                a["figure"] if a else "-",
                b["figure"] if b else "-",
                ratio,
                (b or a or {}).get("goal", ""),
            )
        )
    widths = [max(len(c[i]) for c in cells) for i in range(5)]

    def line(c: tuple[str, ...]) -> str:
        return "| " + " | ".join(x.ljust(w) for x, w in zip(c, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(cells[0]), rule] + [line(c) for c in cells[1:]])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller counts for a smoke run")
    ap.add_argument("--only", help="run only benchmarks whose function name contains this")
    ap.add_argument(
        "--compare",
        metavar="REF",
        help="run on the git ref REF and on the working tree, and print both with the ratio",
    )
    ap.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="with --compare: run each benchmark this many times on each side, the side that "
        "goes first alternating (REF, tree, tree, REF...), and keep each row's fastest",
    )
    ap.add_argument("--json", action="store_true", help="print the rows as JSON")
    ap.add_argument("--code", help=argparse.SUPPRESS)  # the tree to measure (for --compare)
    args = ap.parse_args(argv)
    if args.compare:
        return compare(args.compare, args)
    rows, how = run(args)
    if args.json:
        print(json.dumps({"run": how, "rows": [asdict(r) for r in rows]}))
    else:
        print(f"reviewer benchmarks ({how})\n")
        print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
