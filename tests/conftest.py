"""App fixtures: sample letters copied into tmp_path, and no user keymap from the real home."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_letters"
SHARED = ROOT.parent / "shared"


def segment_file(path: Path):
    """Read and segment a letter file as `reviewer segment` does: (letter, document)."""
    from reviewer.segment.families import segment_text
    from reviewer.sources.read import read_letter

    letter = read_letter(path)
    return letter, segment_text(letter.text)


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the real ~/.config/reviewer/keymap.toml."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.fixture(autouse=True)
def _timers_wait_for_the_test(monkeypatch: pytest.MonkeyPatch) -> None:
    """The header's flash and the crash journal's timer do not run out on their own while a
    test reads the screen, however slow the machine: a test of either sets its own times
    (`monkeypatch` the flash, the app's AUTOSAVE_* attributes) and waits for the outcome."""
    from reviewer.tui.app import ReviewApp
    from reviewer.tui.screens import review as review_screen

    monkeypatch.setattr(review_screen, "FLASH_SECONDS", 600.0)
    monkeypatch.setattr(ReviewApp, "AUTOSAVE_DELAY", 600.0)
    monkeypatch.setattr(ReviewApp, "AUTOSAVE_MAX_WAIT", 600.0)


@pytest.fixture
def copy_letter(tmp_path: Path) -> Callable[..., Path]:
    """Copy a sample letter into tmp_path (under a fixed name if given); return the copy."""

    def copy(name: str = "hartlepool_2011-03_ucra.txt", as_name: str | None = None) -> Path:
        folder = tmp_path / "letters"
        folder.mkdir(exist_ok=True)
        target = folder / (as_name or name)
        shutil.copyfile(SAMPLES / name, target)
        return target

    return copy


@pytest.fixture
def letter(copy_letter) -> Path:
    return copy_letter()


@pytest.fixture
def make_app():
    """A ReviewApp on a letter, without the user's keymap; sessions are closed afterwards."""
    from reviewer.review.session import ReviewSession
    from reviewer.tui.app import ReviewApp

    sessions = []

    def make(letter_path: Path, keymap="default", settings=None, **open_kw) -> ReviewApp:
        session = ReviewSession.open(letter_path, **open_kw)
        sessions.append(session)
        return ReviewApp(session, keymap, user_keymap=False, settings=settings)

    yield make
    for s in sessions:
        s.close(clean=False)


@pytest.fixture
def make_queue_app():
    """A ReviewApp over a queue of letters (as `reviewer open DIR` makes it)."""
    from reviewer.review.queue import LetterQueue
    from reviewer.review.session import ReviewSession
    from reviewer.tui.app import ReviewApp

    apps = []

    def make(paths, keymap="default", settings=None) -> ReviewApp:
        queue = LetterQueue.from_paths(paths)
        queue.index = queue.first_unfinished()
        session = ReviewSession.open(queue.current.letter)
        app = ReviewApp(session, keymap, user_keymap=False, queue=queue, settings=settings)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.session.close(clean=False)


@pytest.fixture
def report_letter(tmp_path: Path) -> Path:
    """The constructed SIF report of test_report.py as a text file (detected as a report)."""
    from tests.segment.test_report import SIF

    folder = tmp_path / "reports"
    folder.mkdir(exist_ok=True)
    path = folder / "northdale_2016.txt"
    path.write_text(SIF, encoding="utf-8")
    return path
