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
        table = app.table
        visible = table.scrollable_content_region.height - 1
        tops = []
        for _ in range(visible + visible // 2):
            await pilot.press("space")
            await pilot.pause()
            tops.append(table.scroll_offset.y)
            row = table.cursor_row
            assert app.current == row
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
