"""What the first screen of a letter loads: only what it shows. The code for other commands,
other dialogs and other kinds of file loads when first used, so opening a letter stays fast
(bench/run.py times it; this guards that nothing slides back into the start-up path)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reviewer.sources import bounded

ROOT = Path(__file__).parents[2]

# Run in a fresh interpreter: what `reviewer open LETTER` imports up to its first paint.
_SCRIPT = """
import asyncio, sys
from pathlib import Path
from reviewer import cli
from reviewer.review.session import ReviewSession
from reviewer.settings import load_or_defaults

settings, _ = load_or_defaults()
keymap = cli.chosen_keymap(cli.build_parser().parse_args(["open", sys.argv[1]]), settings)
session = ReviewSession.open(Path(sys.argv[1]))
from reviewer.tui.app import ReviewApp

async def main():
    app = ReviewApp(session, keymap, user_keymap=False, settings=settings)
    async with app.run_test(size=(120, 40)) as pilot:
        while not app.review_screen.painted:
            await pilot.pause(0.01)
asyncio.run(main())
session.close(clean=False)
loaded = sorted(sys.modules)
import json
print(json.dumps(loaded))
"""

NOT_AT_START = {
    "reviewer.review.anchor": "re-anchoring, for a letter changed under its review",
    "reviewer.review.queue": "several letters",
    "reviewer.review.search": "searching",
    "reviewer.sources.ofsted_site": "fetch's page reader",
    "reviewer.sources.fetch": "fetch",
    "html.parser": "fetch's page reader",
    "pypdfium2": "PDF reading, for a text letter",
    "reviewer.corpus.history": "the council history",
    "reviewer.tui.screens.history": "the council history pane",
    "reviewer.tui.screens.overview": "the queue overview",
    "reviewer.tui.screens.help": "the keys' help",
    "reviewer.tui.screens.edit": "the text editor",
    "textual.widgets._footer": "Textual's footer (the key bar draws the keys)",
    "reviewer.tui.screens.metadata": "the details form",
    "reviewer.tui.screens.category": "the category dialog",
    "reviewer.tui.screens.confirm": "the questions (quit, leave, restore, merge)",
    "tomli_w": "writing TOML: the first save or autosave",
    "reviewer.segment.grades": "a report's grades, for a letter",
    "reviewer.review.details": "the details form, and a report's judgements in the header",
    "json": "the crash journal's lines, written after the first paint",
    "encodings.utf_8_sig": "a codec only for a text letter with a byte-order mark",
}


def loaded_by_first_screen(script: str, letter: Path, tmp_path: Path) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", script, str(letter)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert out.returncode == 0, out.stderr[-2000:]
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert "reviewer.tui.widgets.key_bar" in loaded  # the script did reach the first screen
    return loaded


def test_the_first_screen_of_a_text_letter_loads_only_what_it_shows(copy_letter, tmp_path):
    loaded = loaded_by_first_screen(_SCRIPT, copy_letter(), tmp_path)
    early = {m: why for m, why in NOT_AT_START.items() if m in loaded}
    assert not early, f"loaded before the first screen: {early}"


# `reviewer open` on a new letter: the letter read and segmented in a head start's child,
# this process loading the screen meanwhile (see cmd_open).
_HEAD_START_SCRIPT = _SCRIPT.replace(
    "session = ReviewSession.open(Path(sys.argv[1]))",
    """from reviewer.review import head_start
head_start._two_cores = lambda: True  # the test machine may have one core
started = head_start.HeadStart.begin(Path(sys.argv[1]))
assert started is not None
made = started.take(Path(sys.argv[1]))
assert made is not None
session = ReviewSession.open(Path(sys.argv[1]), made=made)""",
)

NOT_WITH_A_HEAD_START = {
    "reviewer.segment.engine": "the segmenter, run in the head start's child",
    "reviewer.segment.families": "the families' readers",
    "reviewer.segment.envelope": "the letter's envelope reader",
    "reviewer.segment.spec": "the engine's scheme tables and the family titles' patterns",
    "reviewer.dates": "the segmenter's date patterns",
    "reviewer.segment.reflow": "the letter's flowed display, made in the child",
    "reviewer.segment.lines": "the segmenter's lines",
    "reviewer.review.boundaries": "moving a finding's edge",
    "reviewer.review.reanchor": "re-anchoring, for a changed letter",
    "reviewer.segment.authorities": "the council register, read in the child",
    "reviewer.segment.details": "the scheme's details form tables",
    "reviewer.segment.fetch_table": "the scheme's fetch table",
    "reviewer.review.council": "a document's council, for the details form and the history",
    "rapidfuzz": "fuzzy matching, for the segmenter",
    "hashlib": "hashing: the letter's in the child, the crash journal's at its first write",
    "secrets": "random tokens (the lock's come from os.urandom)",
    "getpass": "the reviewer's name, for a new review (made in the child)",
}


@pytest.mark.skipif(not bounded.can_bound(), reason="no fork here: no head start")
def test_with_a_head_start_the_screen_does_not_load_the_segmenter(copy_letter, tmp_path):
    assert "session = ReviewSession.open(Path(sys.argv[1]), made=made)" in _HEAD_START_SCRIPT
    loaded = loaded_by_first_screen(_HEAD_START_SCRIPT, copy_letter(), tmp_path)
    early = {m: why for m, why in {**NOT_AT_START, **NOT_WITH_A_HEAD_START}.items() if m in loaded}
    assert not early, f"loaded before the first screen: {early}"
