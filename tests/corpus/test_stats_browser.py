"""The statistics pages in a real headless browser (Debian's chromium): they render, charts
and all. Skipped only where no chromium is installed."""

from __future__ import annotations

import pytest

from reviewer.corpus import neighbours, stats, stats_page
from reviewer.segment import authorities
from tests.browser import BROWSER
from tests.corpus.test_history_browser import run_browser
from tests.corpus.test_stats_pages import two_families

pytestmark = pytest.mark.skipif(BROWSER is None, reason="no chromium installed")


def test_the_stats_page_renders_its_charts_in_a_browser(tmp_path):
    page = tmp_path / "stats.html"
    page.write_text(stats_page.to_html(stats.compute(two_families())), "utf-8")
    dom = run_browser(tmp_path, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-500:]
    html = dom.stdout
    assert html.count("<svg") == 4
    # bars: the grade (1), the focused visits' improvement (1), the report's two categories
    assert html.count('class="bar"') == 4
    assert html.count('class="cell"') == 1  # one topic in the one year with topics
    for heading in ("Grades by year and framework", "Most frequent topics by year"):
        assert heading in html
    shot = tmp_path / "stats.png"
    done = run_browser(tmp_path, f"--screenshot={shot}", "--window-size=1200,1600", page.as_uri())
    assert done.returncode == 0, done.stderr[-500:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000


def test_the_neighbours_page_renders_in_a_browser(tmp_path):
    bexley = authorities.by_code("303")
    assert bexley is not None
    page = tmp_path / "neighbours.html"
    page.write_text(stats_page.neighbours_html(neighbours.compare(two_families(), bexley)), "utf-8")
    dom = run_browser(tmp_path, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-500:]
    assert dom.stdout.count('class="doc"') == 3 and "Havering" in dom.stdout
