"""A decision key does bounded work: what it changes is repainted, not the whole table."""

from __future__ import annotations

from pathlib import Path

SIZE = (120, 40)


def long_letter(tmp_path: Path, n: int) -> Path:
    bullets = "\n".join(f"- Finding number {i} is about the work of the service." for i in range(n))
    text = (
        "Dear Ms Example\n\nAnnual unannounced inspection of contact, referral and assessment "
        "arrangements within Testshire County Council children's services\n\n"
        f"Strengths\n\n{bullets}\n"
    )
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    return path


async def test_stepping_down_scrolls_the_table_once_every_half_screen(tmp_path, make_app):
    """A cursor that leaves the table's view comes back in the middle of it, so keys that
    decide and advance scroll (and repaint) the table once every half screen, not each time."""
    app = make_app(long_letter(tmp_path, 200))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        table = app.review_screen.table
        visible = table.scrollable_content_region.height - 1
        tops = []
        for _ in range(visible + visible // 2):
            await pilot.press("space")
            await pilot.pause()
            tops.append(table.scroll_offset.y)
            row = table.cursor_row
            assert app.review_screen.controller.current == row
            assert tops[-1] <= row < tops[-1] + visible  # the cursor is always in view
        assert len(set(tops)) == 2  # one scroll on the way
        assert table.cursor_row - tops[-1] < visible  # and it stays in view after it
        # going back up past the top brings the cursor back to the middle too
        await pilot.press("g")
        await pilot.pause()
        assert table.scroll_offset.y == 0 and table.cursor_row == 0
        await pilot.press("G")
        await pilot.pause()
        assert table.cursor_row == 199
        assert table.scroll_offset.y <= 199 < table.scroll_offset.y + visible


async def test_a_step_that_does_not_scroll_the_letter_repaints_only_its_rows(
    tmp_path, make_app, monkeypatch
):
    """Confirming a finding and going on to the next draws again the letter's rows of the
    two findings (the one left and the one reached), not every row on screen; the letter
    scrolls only once every few keys."""
    from reviewer.tui.widgets.letter_view import LetterView
    from tests.waiting import started

    drawn: list[int] = []
    real = LetterView.render_line

    def counting(self, y):
        drawn.append(y)
        return real(self, y)

    monkeypatch.setattr(LetterView, "render_line", counting)
    app = make_app(long_letter(tmp_path, 200))
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        view = app.review_screen.letter
        quiet = 0
        fs = app.session.findings
        for step in range(30):
            top = view.scroll_offset.y
            drawn.clear()
            await pilot.press("space")
            await pilot.pause()
            if view.scroll_offset.y == top:
                rows = {
                    row - top
                    for f in (fs[step], fs[step + 1])
                    for row in range(view.rows.row_of(f.start), view.rows.row_of(f.end - 1) + 1)
                }
                assert drawn and set(drawn) <= rows, (sorted(set(drawn)), sorted(rows))
                quiet += 1
        assert quiet >= 20


# The reviewer in a child process: a big fresh letter is shown, the crash journal's full record
# is written off the key's path, then one key; the child says what the journal held before and
# after the key and waits to be killed.
_FIRST_KEY_THEN_KILLED = """
import asyncio, os, sys
from reviewer.review.session import ReviewSession
from reviewer.review.store import oplog_path
from reviewer.tui.app import ReviewApp
from tests.waiting import started, wait_until

async def main():
    s = ReviewSession.open(sys.argv[1])
    app = ReviewApp(s, "default", user_keymap=False)
    journal = oplog_path(s.review_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await wait_until(pilot, lambda: journal.exists() and not s.crash.preparing, "the record")
        before = journal.stat().st_size
        at = app.review_screen.controller.current
        await pilot.press("3")
        after = journal.stat().st_size
        found = s.findings[at]
        os.write(1, f"{before} {after} {at} {found.category} {found.status}\\n".encode())
        sys.stdin.read()  # killed here, before any snapshot

asyncio.run(main())
"""


def test_first_key_on_a_big_fresh_letter_appends_only_its_change_and_survives_kill_9(tmp_path):
    """The journal's full record (every finding) is on disk before the first key, so the key
    appends one finding's line; a kill -9 just after that key still gives it back."""
    import signal
    import subprocess
    import sys

    from bench.make_letters import big_letter
    from reviewer.review.session import ReviewSession
    from tests.conftest import ROOT

    letter = tmp_path / "big_letter.txt"
    letter.write_text(big_letter(2000), encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, "-c", _FIRST_KEY_THEN_KILLED, str(letter)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        line = child.stdout.readline().split() if child.stdout else []
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
        for pipe in (child.stdout, child.stdin):
            if pipe:
                pipe.close()
    assert len(line) == 5, f"the child said {line!r}"
    before, after, at = int(line[0]), int(line[1]), int(line[2])
    assert line[3] == "development"
    assert before > 300_000  # the full record: 2,000 findings' TOML, written before the key
    assert 0 < after - before < 2_000  # the key wrote one finding's line, not the record

    t = ReviewSession.open(letter)
    try:
        assert t.report.journal_available and not t.read_only
        assert t.restore_journal()
        assert t.findings[at].category == "development"
        assert t.findings[at].status == line[4]
    finally:
        t.close()
