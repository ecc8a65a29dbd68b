"""The UI thread's CPU for each key a reviewer presses, on letters of growing size.

    .venv/bin/python bench/every_key.py                 # the 2,000-finding letter, 2 MB, 19 MB
    .venv/bin/python bench/every_key.py --mb 0.2 2      # chosen sizes (MB of letter text)
    .venv/bin/python bench/every_key.py --tree DIR      # the package of another checkout

For each size the big synthetic letter (`make_letters.big_letter`, its findings repeated)
is opened in the app, headless at 120x40, and each key below is pressed three times; the
table gives the median UI-thread CPU per press (`time.thread_time`: the autosave and the
crash journal's threads are left out, since they do not hold up the screen), beside an
empty Textual app's key measured in the same run (what the pilot itself costs). A key that
opens a dialog is timed to the dialog shown; escape, untimed, closes it. Edits alternate
with undo, so every press acts on a letter of the same size.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from make_letters import big_letter  # noqa: E402

# (key, what it does): a decision, moves, structural edits each followed by undo, dialogs
KEYS = (
    ("j", "next finding"),
    ("3", "category (decides, goes on)"),
    ("space", "confirm"),
    ("G", "last finding"),
    ("g", "first finding"),
    ("pagedown", "page of findings"),
    ("tab", "switch pane"),
    ("x", "delete"),
    ("u", "undo"),
    ("m", "merge with the next"),
    ("u", "undo"),
    ("right_parenthesis", "start a word later"),
    ("full_stop", "end a word later"),
    ("u", "undo"),
    ("w", "snap to sentences"),
    ("n", "note dialog"),
    ("e", "edit dialog"),
    ("t", "themes dialog"),
    ("M", "details dialog"),
    ("slash", "search dialog"),
)


async def _presses(app: Any, keys: tuple[tuple[str, str], ...], times: int) -> list[float]:
    """Median UI-thread CPU per key, in the order of `keys`."""
    out = []
    async with app.run_test(size=(120, 40)) as pilot:
        screen = getattr(app, "review_screen", None)
        while screen is not None and not screen.painted:
            await pilot.pause(0.01)
        await pilot.pause(0.3)
        depth = len(app.screen_stack)
        for key, _ in keys:
            cpu = []
            for _ in range(times):
                t0 = time.thread_time()
                await pilot.press(key)
                await pilot.pause()
                cpu.append(time.thread_time() - t0)
                while len(app.screen_stack) > depth:
                    await pilot.press("escape")
                    await pilot.pause()
            out.append(statistics.median(cpu))
    return out


def _empty_app() -> Any:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Empty(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("empty")

    return Empty()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, nargs="+", default=[0.2, 2.0, 19.0])
    ap.add_argument("--tree", type=Path, default=BENCH.parent, help="checkout to measure")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(args.tree.resolve()))
    from reviewer.review.session import ReviewSession
    from reviewer.tui.app import ReviewApp

    floor = statistics.median(asyncio.run(_presses(_empty_app(), (("j", ""),) * 5, 3)))
    base = big_letter()
    body = base.split("\n\n", 3)[-1]
    columns: list[tuple[str, list[float]]] = []
    with tempfile.TemporaryDirectory(prefix="reviewer-keys-") as tmp:
        for mb in args.mb:
            path = Path(tmp) / f"big-{mb:g}.txt"
            reps = max(1, int(mb * 1e6 // len(base)))
            path.write_text(base + ("\n\n" + body) * (reps - 1), encoding="utf-8")
            print(f"opening {path.name}", file=sys.stderr)
            session = ReviewSession.open(path)
            try:
                app = ReviewApp(session, "default", user_keymap=False)
                cpu = asyncio.run(_presses(app, KEYS, 3))
            finally:
                session.close(clean=False)
            columns.append((f"{len(session.findings):,} findings", cpu))
    head = ["key", "what", *(name for name, _ in columns)]
    rows = [
        [f"`{key}`", what, *(f"{c[i] * 1000:.1f} ms" for _, c in columns)]
        for i, (key, what) in enumerate(KEYS)
    ]
    empty = f"{floor * 1000:.1f} ms"
    rows.append(["(empty app)", "the pilot's own key", *(empty for _ in columns)])
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
