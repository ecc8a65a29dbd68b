"""`stats` by family with typed JSON, its HTML page, a council beside its statistical
neighbours, and the history page's index and colours."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from reviewer.corpus import charts, history, neighbours, stats, stats_page
from reviewer.corpus.loading import Loaded
from reviewer.model import Finding
from reviewer.review.annotation import Review
from reviewer.segment import authorities
from tests.corpus.test_history import birmingham_history
from tests.family_docs import CORPUS


def finding(text: str, category: str = "improvement", themes=()) -> Finding:
    return Finding(
        id=f"f{abs(hash(text)) % 10**8}",
        category=category,
        section="",
        text=text,
        start=0,
        end=len(text),
        themes=tuple(themes),
    )


def doc(name: str, authority: str, when: dt.date, scheme: str, findings, **letter) -> Loaded:
    keys = {"authority": authority, "letter_date": when, **letter}
    sha = f"{abs(hash(name)):064d}"[-64:]
    return Loaded(Path(name), Review(name, sha, "utf-8", scheme, keys, list(findings)))


def two_families() -> list[Loaded]:
    """A focused visit and a report of one council in one year: both say "improvement"."""
    return [
        doc(
            "fv.review.toml",
            "Bexley",
            dt.date(2022, 5, 1),
            "ofsted_focused_visit",
            [finding("Improve supervision.", themes=["supervision"])] * 2,
        ),
        doc(
            "report.review.toml",
            "London Borough of Bexley",
            dt.date(2022, 11, 1),
            "ofsted_ilacs",
            [finding("Improve supervision of staff.", themes=["supervision"])] * 3
            + [finding("Leaders know their services.", "strength")],
            judgements={"overall_effectiveness": "Good", "leaders": "Good"},
        ),
        doc("none.review.toml", "Havering", dt.date(2021, 1, 1), "ofsted_focused_visit", []),
    ]


def test_stats_never_add_one_family_s_categories_to_another_s() -> None:
    s = stats.compute(two_families())
    data = stats.to_dict(s)
    groups = [(g["family"], g["authority"], g["year"], g["counts"]) for g in data["groups"]]
    assert groups == [
        ("Focused visit", "Bexley", 2022, {"improvement": 2}),
        ("Focused visit", "Havering", 2021, {}),
        ("ILACS", "Bexley", 2022, {"improvement": 3, "strength": 1}),
    ]
    families = {f["family"]: f for f in data["families"]}
    assert families["Focused visit"]["counts"] == {"improvement": 2}
    assert families["ILACS"]["counts"] == {"improvement": 3, "strength": 1}
    assert data["grades"] == [
        {
            "family": "ILACS",
            "framework": "ILACS (2018-2022)",
            "year": 2022,
            "judgement": "overall_effectiveness",
            "counts": {"Good": 1},
        }
    ]
    assert data["groups"][0]["la_code"] == "303"
    text = stats.to_text(s)
    assert "Focused visit: 2 documents" in text and "ILACS: 1 document\n" in text


def test_grades_are_counted_by_the_framework_they_were_given_under() -> None:
    sif = doc(
        "sif.review.toml",
        "Bexley",
        dt.date(2016, 3, 1),
        "ofsted_ilacs",
        [],
        judgements={"overall_effectiveness": "Inadequate", "lscb": "Good"},
    )
    data = stats.to_dict(stats.compute([sif, *two_families()]))
    grades = [(g["framework"], g["year"], g["counts"]) for g in data["grades"]]
    assert grades == [
        ("ILACS (2018-2022)", 2022, {"Good": 1}),
        ("Single inspection framework (2013-2018)", 2016, {"Inadequate": 1}),
    ]
    page = stats_page.to_html(stats.compute([sif, *two_families()]))
    assert page.index("Single inspection framework") < page.index("ILACS (2018-2022)")


def test_stats_json_is_typed_and_an_undated_year_is_null(capsys) -> None:
    undated = doc("u.review.toml", "Bexley", dt.date(2020, 1, 1), "ofsted_focused_visit", [])
    del undated.review.letter["letter_date"]
    data = stats.to_dict(stats.compute([undated]))
    assert data["groups"][0]["year"] is None
    assert "year" not in stats.without_missing(data)["groups"][0]


def test_the_stats_page_has_its_four_charts() -> None:
    page = stats_page.to_html(stats.compute(two_families()))
    for anchor in ("grades", "findings", "topics", "corrections"):
        assert f"id='{anchor}'" in page
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert page.count("<svg") == 4  # grades, two families' findings, topics
    assert "Focused visit: findings per category by year" in page
    assert f"fill='{charts.GRADE_COLOURS['Good']}'" in page
    assert "No reviewed documents yet" in page


def test_good_and_outstanding_are_different_hues() -> None:
    def hue(colour: str) -> float:
        r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
        import colorsys

        return colorsys.rgb_to_hsv(r, g, b)[0] * 360

    gap = abs(hue(charts.GRADE_COLOURS["Good"]) - hue(charts.GRADE_COLOURS["Outstanding"]))
    assert min(gap, 360 - gap) > 60


def test_the_history_page_has_an_index_and_says_1_document() -> None:
    councils = history.build(birmingham_history())
    page = history.to_html(councils)
    index = page[page.index("<nav class='index'>") : page.index("</nav>")]
    links = re.findall(r"href='#([^']+)'", index)
    assert len(links) == len(councils) == 2
    for link in links:
        assert f"id='{link}'" in page
    assert "1 document;" in page and "1 documents" not in page
    assert "1 document," in history.to_text(councils)


# -- statistical neighbours ------------------------------------------------------------------


def test_the_register_gives_each_council_its_ten_neighbours_in_order() -> None:
    bexley = authorities.by_code("303")
    assert bexley is not None
    nearest = authorities.neighbours_of(bexley)
    assert len(nearest) == 10
    assert [a.name for a in nearest[:2]] == ["Havering", "Bedford Borough"]
    with_neighbours = [a for a in authorities.register() if a.neighbours]
    assert len(with_neighbours) >= 150
    for a in with_neighbours:
        assert len(authorities.neighbours_of(a)) == len(a.neighbours) == 10, a.name


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not here")
def test_the_registers_neighbours_are_the_dfe_list() -> None:
    path = CORPUS / "peer" / "la_lookup.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8-sig")))
    for row in rows:
        a = authorities.by_code(row["la_code"])
        assert a is not None
        dfe = [c.strip() for c in row["stat_neighbours"].split(",") if c.strip()]
        assert list(a.neighbours) == dfe, a.name


def test_a_council_beside_its_neighbours_document_by_document() -> None:
    loaded = two_families() + [
        doc("h.review.toml", "Hartlepool", dt.date(2022, 1, 1), "ofsted_focused_visit", [])
    ]
    bexley = authorities.by_code("303")
    assert bexley is not None
    rows = neighbours.compare(loaded, bexley)
    assert [r.rank for r in rows] == list(range(11))
    assert rows[0].council.name == "Bexley" and rows[1].council.name == "Havering"
    assert [d.date for d in rows[0].documents] == [dt.date(2022, 5, 1), dt.date(2022, 11, 1)]
    assert rows[0].documents[1].counts == {"improvement": 3, "strength": 1}
    assert rows[0].recurring_topics == [("supervision", 2)]
    assert len(rows[1].documents) == 1
    assert all(d.file != "h.review.toml" for r in rows for d in r.documents)
    text = neighbours.to_text(rows)
    assert "neighbour 1: Havering (311, London)" in text
    assert "recurring topics: supervision (2 documents)" in text
    data = json.loads(neighbours.to_json(rows))
    assert data["councils"][0]["documents"][0]["date"] == "2022-05-01"
    page = stats_page.neighbours_html(rows)
    assert page.count("class='doc'") == 3 and "<script" not in page


def test_stats_neighbours_on_the_command_line(tmp_path: Path, capsys) -> None:
    from reviewer.cli import main
    from tests.corpus.test_dataset import SAMPLES, shutil

    shutil.copy(SAMPLES / "hartlepool_2011-03_ucra.txt", tmp_path / "h.txt")
    assert main(["segment", str(tmp_path / "h.txt"), "--out-dir", str(tmp_path / "r")]) == 0
    capsys.readouterr()
    assert main(["stats", str(tmp_path / "r"), "-a", "805", "--neighbours"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Hartlepool (805, North East) beside its 10 statistical neighbours")
    assert "2011-03-16  Unannounced" in out
    assert main(["stats", str(tmp_path / "r"), "-a", "Hartlepool", "-f", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["groups"][0]["la_code"] == "805"
    assert main(["stats", str(tmp_path / "r"), "-a", "Bexley"]) == 2
    assert "no document of Bexley" in capsys.readouterr().err
    assert main(["stats", str(tmp_path / "r"), "--neighbours"]) == 2
    assert "--authority" in capsys.readouterr().err
    assert main(["stats", str(tmp_path / "r"), "-a", "Nowhereshire"]) == 2
    assert "no council in the register" in capsys.readouterr().err
    page = tmp_path / "n.html"
    assert (
        main(
            ["stats", str(tmp_path / "r"), "-a", "Hartlepool", "--neighbours"]
            + ["-f", "html", "-o", str(page)]
        )
        == 0
    )
    assert "Hartlepool and its statistical neighbours" in page.read_text(encoding="utf-8")
