"""`reviewer fetch` against a local copy of the structure of Ofsted's reports site.

The copy (tests/ofsted_copy.py) serves, on 127.0.0.1 only, the site's structure as the
public scrapers read it in 2026: a search paged by `a.pagination__next`, council pages with
`ol.timeline > li.timeline__day` events, PDFs on a second host, a "Report not found" page
in place of a PDF, a reset connection, a 429 then success and a label no family has.
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from reviewer import cli
from reviewer.segment.fetch_table import site_families
from reviewer.segment.scheme import bundled
from reviewer.sources import fetch, ofsted_site, site_address
from tests.conftest import ROOT
from tests.ofsted_copy import OfstedCopy
from tests.pdf_maker import make_pdf

PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[OfstedCopy]:
    """The copy of the site, running; no proxy from the environment is used to reach it."""
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    copy = OfstedCopy().start()
    yield copy
    copy.stop()


def run_fetch(site: OfstedCopy, out: Path, *more: str) -> int:
    argv = ["fetch", "--site", site.site_url, "--out", str(out), "--pause", "0"]
    return cli.run([*argv, "--backoff", "0.01", *more])


def manifest(out: Path) -> list[dict[str, str]]:
    text = (out / fetch.MANIFEST).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text), delimiter="\t"))


# --- the site's pages -------------------------------------------------------------------


def test_a_label_gives_its_kind_date_and_family() -> None:
    families = site_families(bundled())
    kind, date = ofsted_site.split_label("Children's services focused visit, PDF - 3 April 2018")
    assert (kind, date) == ("children's services focused visit", dt.date(2018, 4, 3))
    assert ofsted_site.family_of(kind, families) == "focused_visit"
    kind, _ = ofsted_site.split_label("Children\u2019s services inspection, PDF - 07 July 2014")
    assert ofsted_site.family_of(kind, families) == "report"
    assert ofsted_site.family_of("Area SEND full inspection", families) == "send_area"
    assert ofsted_site.family_of("joint area child protection inspection", families) == "jtai"
    assert ofsted_site.family_of("children's homes inspection", families) is None
    assert (
        ofsted_site.family_of(
            "Children's Homes  inspection", {"homes": ["children's homes inspection"]}
        )
        == "homes"
    )
    assert ofsted_site.split_label("Annual letter, PDF") == ("annual letter", None)


def test_only_the_timeline_s_publication_links_are_documents() -> None:
    page = (
        "<nav><a class='publication-link' href='/x'><span class='nonvisual'>Guide, PDF - "
        "1 May 2020</span></a></nav><ol class='timeline'><li class='timeline__day'>"
        "<a class='publication-link' href='https://files.example/v1/file/9'>Focused visit"
        "<span class='nonvisual'>Children&#39;s services focused visit, PDF - 3 April 2018"
        "</span></a><ol><li>nested</li></ol></li></ol>"
    )
    found = ofsted_site.parse_council_page(page, "https://site.example/provider/44/1")
    assert [(p.url, p.kind, p.published) for p in found] == [
        (
            "https://files.example/v1/file/9",
            "children's services focused visit",
            dt.date(2018, 4, 3),
        )
    ]


def test_a_search_page_lists_councils_and_its_next_page() -> None:
    page = (
        '<a href="/provider/44/80426">Barnsley</a><a href="/provider/44/80426">again</a>'
        '<a href="/provider/1/5">a school</a><a class="pagination__next" href="?start=100">n</a>'
    )
    found = ofsted_site.parse_search(page, "https://site.example/search?start=0")
    assert [(c.urn, c.name) for c in found.councils] == [("80426", "Barnsley")]
    assert found.next_url == "https://site.example/search?start=100"


# --- the client -------------------------------------------------------------------------


def test_a_429_waits_as_retry_after_asks_then_succeeds(site: OfstedCopy) -> None:
    waits: list[float] = []
    client = fetch.Client(pause=0, backoff=0.5, sleep=waits.append)
    body, _ = client.get(f"{site.files_url}/v1/file/102")
    assert body.startswith(b"%PDF-")
    assert waits == [1.0]  # Retry-After: 1 is longer than the first backoff
    assert site.seen["/v1/file/102"] == 2


def test_a_reset_connection_is_tried_again(site: OfstedCopy) -> None:
    waits: list[float] = []
    client = fetch.Client(pause=0, backoff=0.25, sleep=waits.append)
    body, _ = client.get(f"{site.files_url}/v1/file/104")
    assert body.startswith(b"%PDF-") and waits == [0.25]


@pytest.mark.parametrize("status", [403, 500, 502, 503])
def test_a_403_or_5xx_is_tried_again(site: OfstedCopy, status: int) -> None:
    site.councils[1].docs[0].behaviour = f"fail_once:{status}"
    waits: list[float] = []
    client = fetch.Client(pause=0, backoff=0.25, sleep=waits.append)
    body, _ = client.get(f"{site.files_url}/v1/file/201")
    assert body.startswith(b"%PDF-") and waits == [0.25]


def test_a_404_is_not_tried_again(site: OfstedCopy) -> None:
    client = fetch.Client(pause=0, sleep=lambda s: None)
    with pytest.raises(fetch.FetchError, match="404"):
        client.get(f"{site.files_url}/v1/file/nothing")
    assert site.seen["/v1/file/nothing"] == 1


def test_retries_grow_and_end_in_one_error(site: OfstedCopy) -> None:
    for doc in site.councils[0].docs:
        doc.behaviour = "busy_once"
    waits: list[float] = []
    client = fetch.Client(pause=0, backoff=2, retries=0, sleep=waits.append)
    with pytest.raises(fetch.FetchError, match="429"):
        client.get(f"{site.files_url}/v1/file/101")
    assert fetch._retry_after("120") == 120 and fetch._retry_after("99999") == 300


def test_requests_are_paced_and_name_the_tool(site: OfstedCopy) -> None:
    waits: list[float] = []
    now = [100.0]
    client = fetch.Client(pause=1.5, sleep=waits.append, clock=lambda: now[0])
    client.get(f"{site.files_url}/v1/file/101")
    client.get(f"{site.files_url}/v1/file/201")
    assert waits == [1.5]
    assert site.user_agents == {fetch.USER_AGENT} and "reviewer/" in fetch.USER_AGENT


def test_a_proxy_from_the_environment_is_used(
    site: OfstedCopy, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The copy answers as a proxy would; the host named is never looked up.
    monkeypatch.setenv("http_proxy", site.site_url)
    client = fetch.Client(pause=0)
    body, _ = client.get("http://reports.ofsted.invalid/provider/44/80486")
    assert b"Barking and Dagenham" in body
    assert site.requests == ["http://reports.ofsted.invalid/provider/44/80486"]


# --- the command ------------------------------------------------------------------------


def test_fetch_saves_pdfs_by_the_corpus_names_with_a_manifest(
    site: OfstedCopy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "ofsted"
    status = run_fetch(site, out, "--authority", "Barnsley")
    err = capsys.readouterr().err
    assert sorted(p.name for p in out.glob("*.pdf")) == [
        "barnsley_2018-04-03_report.pdf",
        "barnsley_2023-07-14_jtai.pdf",
        "barnsley_2024-12-05_focused_visit.pdf",
    ]
    # The "Report not found" page is named, and no .pdf (nor a partial file) is left of it.
    assert "barnsley_2023-05-31_send_area.pdf: not a PDF (an HTML page 'Report not found" in err
    assert not list(out.glob("*send_area*")) and not list(out.glob(".*"))
    assert status == 2
    assert '1 document of labels not fetched: "children\'s homes inspection" (1)' in err
    assert f"connecting to {site.site_url.split('//')[1]}" in err
    assert f"connecting to {site.files_url.split('//')[1]}" in err
    rows = manifest(out)
    assert [r["file"] for r in rows] == [
        "barnsley_2024-12-05_focused_visit.pdf",
        "barnsley_2018-04-03_report.pdf",
        "barnsley_2023-07-14_jtai.pdf",
    ]
    first = rows[0]
    assert (first["urn"], first["council"], first["family"], first["published"]) == (
        "80426",
        "Barnsley",
        "focused_visit",
        "2024-12-05",
    )
    assert first["url"] == f"{site.files_url}/v1/file/101"
    data = (out / first["file"]).read_bytes()
    assert int(first["size"]) == len(data) and data.startswith(b"%PDF-")
    assert first["label"] == "Children's services focused visit, PDF - 5 December 2024"
    assert first["fetched_at"] and len(first["sha256"]) == 64
    # Not on a terminal: a line per document.
    assert "fetched barnsley_2024-12-05_focused_visit.pdf (1 kB)" in err
    assert "failed  barnsley_2023-05-31_send_area.pdf" in err


def test_a_file_already_there_is_never_overwritten(
    site: OfstedCopy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "ofsted"
    out.mkdir()
    mine = out / "barnsley_2024-12-05_focused_visit.pdf"
    mine.write_bytes(make_pdf([["my own copy"]]))
    run_fetch(site, out, "-a", "Barnsley", "--family", "focused_visit")
    assert mine.read_bytes() == make_pdf([["my own copy"]])
    rows = manifest(out)
    assert [r["file"] for r in rows] == ["barnsley_2024-12-05_focused_visit-2.pdf"]


def test_a_file_saved_but_not_recorded_is_recorded_again(
    site: OfstedCopy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "ofsted"
    real = fetch.record

    def stopped(*args: object) -> None:
        raise KeyboardInterrupt  # after the file was saved, before its row was written

    monkeypatch.setattr(fetch, "record", stopped)
    assert run_fetch(site, out, "-a", "Barnsley", "--family", "focused_visit") == 130
    monkeypatch.setattr(fetch, "record", real)
    run_fetch(site, out, "-a", "Barnsley", "--family", "focused_visit")
    assert [p.name for p in out.glob("*.pdf")] == ["barnsley_2024-12-05_focused_visit.pdf"]
    assert [r["file"] for r in manifest(out)] == ["barnsley_2024-12-05_focused_visit.pdf"]


def test_on_a_terminal_a_progress_bar_shows(
    site: OfstedCopy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    monkeypatch.setattr("sys.stderr", screen)
    run_fetch(site, tmp_path / "o", "-a", "Barnsley", "--family", "focused_visit", "jtai")
    shown = screen.getvalue()
    assert "2/2" in shown and "\u2501" in shown  # the bar, complete
    assert "fetched barnsley_2023-07-14_jtai.pdf" in shown


def test_the_first_line_names_the_proxy(
    site: OfstedCopy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    # The copy is the proxy: it refuses the tunnel, so nothing leaves the machine.
    monkeypatch.setenv("https_proxy", site.site_url)
    argv = ["fetch", "-a", "Barnsley", "--out", str(tmp_path), "--retries", "0"]
    status = cli.run([*argv, "--site", "https://reports.ofsted.invalid", "--dry-run"])
    err = capsys.readouterr().err
    proxy = site.site_url.removeprefix("http://")
    assert err.startswith(
        f"reviewer: fetch: asking https://reports.ofsted.invalid through the proxy {proxy},"
    )
    assert status == 2 and "check the address, your connection or proxy" in err


def test_a_second_run_fetches_only_what_is_new(
    site: OfstedCopy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "ofsted"
    run_fetch(site, out, "--authority", "80426", "--family", "focused_visit", "report")
    assert len(manifest(out)) == 2
    site.councils[0].docs.append(
        ofsted_copy_doc("106", "Children's services focused visit, PDF - 2 February 2026")
    )
    site.requests.clear()
    capsys.readouterr()
    assert run_fetch(site, out, "-a", "Barnsley", "--family", "focused_visit", "report") == 0
    assert site.requests == ["/provider/44/80426", "/v1/file/106"]
    assert "fetched 1 of 1 new documents" in capsys.readouterr().err
    assert len(manifest(out)) == 3


def ofsted_copy_doc(file_id: str, label: str):
    from tests.ofsted_copy import Doc

    return Doc(file_id, label)


def test_dry_run_lists_and_saves_nothing(
    site: OfstedCopy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "ofsted"
    assert run_fetch(site, out, "-a", "Barnsley", "--since", "2023-06-01", "--dry-run") == 0
    printed = capsys.readouterr()
    assert printed.out.splitlines()[0].startswith(
        "would fetch barnsley_2024-12-05_focused_visit.pdf  Children's services focused visit"
    )
    assert "barnsley_2023-07-14_jtai.pdf" in printed.out
    assert "2018" not in printed.out and "send_area" not in printed.out
    assert not out.exists()
    assert not any(r.startswith("/v1/file") for r in site.requests)


def test_all_pages_through_the_search(
    site: OfstedCopy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_fetch(site, tmp_path / "o", "--all", "--dry-run") == 0
    out = capsys.readouterr().out
    # Councils of the second page: named as the register names them, else as the site does.
    assert "st-helens_2016-03-07_report.pdf" in out
    assert "barking-and-dagenham_2025-04-29_focused_visit.pdf" in out
    assert sum(1 for r in site.requests if r.startswith("/search")) == 2
    assert "/provider/44/9999999" in site.requests


def test_a_stop_keeps_what_was_fetched_and_a_rerun_resumes(
    site: OfstedCopy,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "ofsted"
    real = fetch.fetch_document
    calls = []

    def stopped_at_second(client, doc, folder):
        calls.append(doc.file_name)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(client, doc, folder)

    monkeypatch.setattr(fetch, "fetch_document", stopped_at_second)
    assert run_fetch(site, out, "-a", "Barnsley") == 130
    assert "stopped: 1 documents fetched are kept" in capsys.readouterr().err
    assert [r["file"] for r in manifest(out)] == ["barnsley_2024-12-05_focused_visit.pdf"]
    monkeypatch.setattr(fetch, "fetch_document", real)
    site.requests.clear()
    run_fetch(site, out, "-a", "Barnsley")
    assert "/v1/file/101" not in site.requests
    assert len(manifest(out)) == 3


def test_a_stop_mid_write_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "x.pdf"

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(fetch.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        fetch._atomic_write(target, make_pdf([["x"]]))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["-a", "Atlantis"], "'Atlantis' is no council in the register"),
        (["-a", "Barnsley", "--since", "2020-13-01"], "--since 2020-13-01: give a date"),
        (["-a", "Barnsley", "--site", "reports"], "--site reports: give the site's address"),
        (["-a", "Barnsley", "-F", "homes"], "--family homes: no scheme's [fetch] table names it"),
    ],
)
def test_bad_input_is_one_line(
    site: OfstedCopy, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv, message
) -> None:
    assert cli.run(["fetch", "--out", str(tmp_path), *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_a_family_s_labels_come_from_the_schemes_fetch_tables(
    site: OfstedCopy, tmp_path: Path
) -> None:
    """A label the schemes give no family is fetched once a `[fetch]` table names it."""
    client = fetch.Client(pause=0, retries=0)
    barnsley = [fetch.Council("80426", "Barnsley")]
    families = site_families(bundled())
    plan = fetch.plan(client, site.site_url, barnsley, tmp_path, families)
    assert "children's homes inspection" in plan.unknown
    families["homes"] = ("children's homes inspection",)
    plan = fetch.plan(client, site.site_url, barnsley, tmp_path, families, ["homes"])
    assert [d.file_name for d in plan.new] == ["barnsley_2019-05-01_homes.pdf"]
    assert not plan.unknown


def test_fetch_help_says_where_it_connects(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.run(["fetch", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert site_address.DEFAULT_SITE in text and site_address.FILES_HOST in text
    assert "proxy" in text and "[fetch]" in text


def test_an_unreachable_site_is_one_line(tmp_path: Path, capsys) -> None:
    status = cli.run(
        ["fetch", "-a", "Barnsley", "--site", "http://127.0.0.1:9", "--out", str(tmp_path)]
        + ["--retries", "0", "--pause", "0"]
    )
    err = capsys.readouterr().err
    assert status == 2 and "cannot connect" in err and "check the address" in err


def test_open_fetch_opens_the_council_s_documents(
    site: OfstedCopy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reviewer.tui.app import ReviewApp

    opened = []
    monkeypatch.setattr(site_address, "DEFAULT_SITE", site.site_url)
    monkeypatch.setattr(site_address, "DEFAULT_PAUSE", 0.0)
    monkeypatch.setattr(site_address, "DEFAULT_BACKOFF", 0.01)
    monkeypatch.setattr(ReviewApp, "run", lambda app: opened.append(app.queue))
    out = tmp_path / "docs"
    assert cli.run(["open", "--fetch", "--authority", "Barnsley", "--fetch-dir", str(out)]) == 0
    (queue,) = opened
    assert sorted(item.letter.name for item in queue.items) == [
        "barnsley_2018-04-03_report.pdf",
        "barnsley_2023-07-14_jtai.pdf",
        "barnsley_2024-12-05_focused_visit.pdf",
    ]


def test_only_fetch_asks_the_network() -> None:
    """No other module imports an HTTP client (`serve` listens with aiohttp's server)."""
    network = {
        "urllib.request",
        "http.client",
        "urllib3",
        "requests",
        "httpx",
        "aiohttp.client",
        "aiohttp.ClientSession",
        "aiohttp.request",
    }
    users = set()
    for path in (ROOT / "reviewer").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            if any(n in network for n in names):
                users.add(path.relative_to(ROOT).as_posix())
    assert users == {"reviewer/sources/fetch.py"}


def test_segment_reads_the_fetched_folder_as_any_other(
    site: OfstedCopy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "ofsted"
    run_fetch(site, out, "-a", "Barnsley")
    reviews = tmp_path / "reviews"
    assert cli.run(["segment", str(out), "--out-dir", str(reviews), "-j", "1"]) == 0
    assert "segmented 3 of 3 letters" in capsys.readouterr().err  # the manifest is no letter
    assert len(list(reviews.glob("barnsley_*.review.toml"))) == 3
