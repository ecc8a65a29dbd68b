"""Every change a session can make goes through `ReviewSession.apply` and is in the crash
journal when it returns: run over every registered change (not a hand-made list), a change
method that bypasses the path is refused, and a real kill -9 after a merge loses nothing."""

from __future__ import annotations

import ast
import inspect
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from reviewer.review import annotation
from reviewer.review.session import CHANGES, ReviewSession, change
from reviewer.review.store import lock_path
from tests.conftest import ROOT, SAMPLES

HARTLEPOOL = "hartlepool_2011-03_ucra.txt"
REPO = ROOT


@pytest.fixture
def letter(tmp_path: Path) -> Path:
    dest = tmp_path / HARTLEPOOL
    dest.write_bytes((SAMPLES / HARTLEPOOL).read_bytes())
    return dest


def _send_report(folder: Path) -> Path:
    """An area SEND report: its findings have a responsible body."""
    from tests.family_docs import SEND

    dest = folder / "westmoor_send_area.txt"
    dest.write_text(SEND, encoding="utf-8")
    return dest


def crash(s: ReviewSession) -> None:
    """End a session as kill -9 would: no autosave, no save, no clean close; its lock stale."""
    s.oplog.close()
    lock_path(s.review_path).write_text("999999999\n" + os.uname().nodename + "\ngone\n")


def _restore_after_crash(s: ReviewSession) -> None:
    """The change `restore_journal`: take back work another session left behind."""
    s.set_note(0, "left by a crashed session")
    crash(s)
    t = ReviewSession.open(s.letter.path)
    t.restore_journal()
    s.__dict__.update(t.__dict__)  # carry on as the session that restored the work


def _split_at_a_sentence(s: ReviewSession) -> None:
    i = next(k for k in range(len(s.findings)) if s.split_point(k) is not None)
    s.split(i)


# One example of each registered change; a new change without one fails the test below.
# Those in ON_SEND_REPORT are made on an area SEND report, the others on a letter.
ON_SEND_REPORT = {"set_responsible"}
EXAMPLES: dict[str, Callable[[ReviewSession], object]] = {
    "set_responsible": lambda s: s.set_responsible(0, "The health board alone"),
    "set_category": lambda s: s.set_category(0, "development"),
    "confirm": lambda s: s.confirm(0),
    "edit_text": lambda s: s.edit_text(0, "A wording the reviewer typed."),
    "set_note": lambda s: s.set_note(1, "a note"),
    "toggle_theme": lambda s: s.toggle_theme(0, "recording"),
    "set_themes": lambda s: s.set_themes(0, ["recording", "supervision"]),
    "delete": lambda s: s.delete(2),
    "merge_next": lambda s: s.merge_next(0, across_heading=True),
    "split": _split_at_a_sentence,
    "add": lambda s: s.add(0, s.findings[0].start - 2),
    "promote": lambda s: s.promote(next(p.start for p in s.segments if p.kind == "paragraph")),
    "rebound": lambda s: s.rebound(s.findings[0].start, s.findings[0].end - 3),
    "move_edge": lambda s: s.move_edge(0, "end", "word", -1),
    "snap": lambda s: (s.move_edge(0, "end", "word", -1), s.snap(0)),
    "set_metadata": lambda s: s.set_metadata({"authority": "Changed council"}),
    "set_review_note": lambda s: s.set_review_note("the whole letter"),
    "set_review_status": lambda s: s.set_review_status("complete"),
    "undo": lambda s: s.undo(),  # takes back the note made before the save
    "redo": lambda s: (s.set_note(0, "done again"), s.undo(), s.redo()),
    "restore_journal": _restore_after_crash,
}


def _saved_form(s: ReviewSession) -> tuple:
    r = s.review
    return (
        [annotation.finding_toml(f) for f in r.findings],
        r.letter,
        r.status,
        r.note,
    )


def test_every_registered_change_has_an_example() -> None:
    assert set(EXAMPLES) == set(CHANGES), (
        "give each change registered with @change an example in EXAMPLES"
    )


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_every_change_is_in_the_crash_journal_when_it_returns(letter: Path, name: str) -> None:
    if name in ON_SEND_REPORT:
        letter = _send_report(letter.parent)
    s = ReviewSession.open(letter)
    s.set_note(3, "saved before")
    s.save()  # the journal then starts from the saved file
    before = _saved_form(s)
    EXAMPLES[name](s)
    want = _saved_form(s)
    assert want != before, f"the example of {name} changed nothing"
    crash(s)  # no autosave timer ever ran

    t = ReviewSession.open(letter)
    try:
        assert t.report.journal_available and not t.read_only
        assert t.restore_journal()
        assert _saved_form(t) == want
    finally:
        t.close()


def test_apply_by_name_is_the_same_as_the_method(letter: Path) -> None:
    s = ReviewSession.open(letter)
    try:
        s.apply("merge_next", 0, across_heading=True)
        assert s.undo_label == "merge"
        s.undo()
        s.merge_next(0, across_heading=True)
        assert s.undo_label == "merge"
    finally:
        s.close()


def test_a_change_method_that_bypasses_apply_is_refused(letter: Path) -> None:
    class Careless(ReviewSession):
        def retitle(self, i: int) -> None:  # not marked @change
            self._checkpoint("retitle")
            self._replace(i, note="lost in a crash")

        def renote(self, i: int) -> None:  # no undo step either
            self._replace(i, note="lost in a crash")

    s = Careless.open(letter)
    try:
        with pytest.raises(RuntimeError, match="@change"):
            s.retitle(0)
        with pytest.raises(RuntimeError, match="@change"):
            s.renote(0)
        assert s.findings[0].note == "" and not s.can_undo
    finally:
        s.close()


def test_a_change_registered_with_the_decorator_is_journaled(letter: Path) -> None:
    class Careful(ReviewSession):
        @change
        def mark_all(self) -> None:
            self._checkpoint("mark all")
            for i in range(len(self.findings)):
                self._replace(i, note="all")

    try:
        s = Careful.open(letter)
        s.mark_all()
        assert s.undo_label == "mark all"
        crash(s)
        t = ReviewSession.open(letter)
        t.restore_journal()
        assert {f.note for f in t.findings} == {"all"}
        t.close()
    finally:
        CHANGES.pop("mark_all", None)


_ALTERS = {"_checkpoint", "_replace", "_reshaping", "_restore"}


def test_every_public_method_that_alters_the_review_is_a_registered_change() -> None:
    """Read from the code: a public method that (directly or through private helpers) takes
    an undo step, replaces a finding, restores a state or assigns to the review must be
    marked @change."""
    # The session and the classes it is made of (the corrections are mixed in).
    body: list[ast.stmt] = []
    for part in ReviewSession.__mro__:
        if part.__module__.startswith("reviewer."):
            cls = ast.parse(textwrap.dedent(inspect.getsource(part))).body[0]
            assert isinstance(cls, ast.ClassDef)
            body += cls.body
    calls: dict[str, set[str]] = {}
    alters: set[str] = set()
    marked: set[str] = set()
    for node in body:
        if not isinstance(node, ast.FunctionDef):
            continue
        if any(isinstance(d, ast.Name) and d.id == "change" for d in node.decorator_list):
            marked.add(node.name)
        called = set()
        for sub in ast.walk(node):
            if (
                isinstance(sub, ast.Attribute)
                and isinstance(sub.value, ast.Name)
                and sub.value.id == "self"
            ):
                called.add(sub.attr)
            targets = []
            if isinstance(sub, (ast.Assign, ast.AugAssign, ast.Delete)):
                targets = sub.targets if isinstance(sub, (ast.Assign, ast.Delete)) else [sub.target]
            for t in targets:
                for part in ast.walk(t):
                    if (
                        isinstance(part, ast.Attribute)
                        and isinstance(part.value, ast.Attribute)
                        and part.value.attr == "review"
                    ):
                        alters.add(node.name)
        calls[node.name] = called
        if called & _ALTERS:
            alters.add(node.name)
    changed = True
    while changed:  # what calls a method that alters, alters
        changed = False
        for name, called in calls.items():
            if name not in alters and called & alters:
                alters.add(name)
                changed = True
    # Opening, saving and closing write the review's file fields, not its content.
    allowed = {"open", "save", "serialise", "apply", "autosave", "start_autosave", "__init__"}
    public = {n for n in alters if not n.startswith("_")} - allowed
    assert sorted(public - marked) == []
    assert marked == set(CHANGES) - {"mark_all"}


_KILLED_AFTER_A_MERGE = """
import sys
from reviewer.review.session import ReviewSession
s = ReviewSession.open(sys.argv[1])
s.merge_next(0, across_heading=True)
print(s.findings[0].text, flush=True)
sys.stdin.read()  # wait to be killed, before any autosave
"""


def test_a_merge_then_kill_9_before_the_autosave_comes_back(letter: Path) -> None:
    first_two = ReviewSession.open(letter, read_only=True)
    count = len(first_two.findings)
    child = subprocess.Popen(
        [sys.executable, "-c", _KILLED_AFTER_A_MERGE, str(letter)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        merged_text = child.stdout.readline().strip() if child.stdout else ""
        assert merged_text
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
        if child.stdout:
            child.stdout.close()
        if child.stdin:
            child.stdin.close()
    t = ReviewSession.open(letter)
    try:
        assert not t.read_only and t.report.journal_available
        assert t.restore_journal()
        assert len(t.findings) == count - 1
        assert t.findings[0].text == merged_text
    finally:
        t.close()
