"""Category schemes: heading recognition by fuzzy match, and clear errors for bad files."""

from __future__ import annotations

import pytest

from reviewer.segment.scheme import SchemeError, load_scheme


@pytest.fixture(scope="module")
def scheme():
    return load_scheme("ofsted_ucra")


@pytest.mark.parametrize(
    ("line", "category"),
    [
        ("Strengths", "strength"),
        ("STRENGTHS:", "strength"),
        ("Strenghts", "strength"),
        ("Areas for development", "development"),
        ("AREAS FOR DEVELOPMENT:", "development"),
        ("Area for development", "development"),
        ("Areas for developmnet", "development"),
        ("Areas for priority action", "priority_action"),
        ("| Strengths | |", "strength"),
    ],
)
def test_headings_match_despite_case_colons_and_typos(scheme, line, category):
    assert scheme.match_heading(line)[0] == category


@pytest.mark.parametrize(
    "line",
    [
        "The council has made progress on the areas for development identified in 2009.",
        "INVESTOR IN PEOPLE",
        "Yours sincerely",
        "Strong leadership is evident",
        "Dear Ms Bailey",
    ],
)
def test_ordinary_lines_are_not_headings(scheme, line):
    assert scheme.match_heading(line)[0] is None


def test_sentence_mentions(scheme):
    found = scheme.mentions(
        "From the evidence gathered, the following strengths and areas for development were "
        "also identified:"
    )
    assert set(found) == {"strength", "development"}
    found = scheme.mentions(
        "The service meets the requirements of statutory guidance in the following areas"
    )
    assert set(found) == {"satisfactory"}


def test_categories_are_data(scheme):
    assert [c.id for c in scheme.categories] == [
        "strength",
        "satisfactory",
        "development",
        "priority_action",
    ]
    assert [c.key for c in scheme.categories] == ["1", "2", "3", "4"]
    assert scheme.label_of("satisfactory") == "Meets requirements"


def test_scheme_by_path(tmp_path):
    p = tmp_path / "mine.toml"
    p.write_text(
        'id = "mine"\nlabel = "Mine"\n[[categories]]\nid = "good"\nlabel = "Good"\nkey = "g"\n'
        'colour = "#00ff00"\ncues = ["good things"]\n',
        encoding="utf-8",
    )
    s = load_scheme(p)
    assert s.id == "mine"
    assert s.match_heading("Good things:")[0] == "good"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('label = "x"\ncategories = []', "missing key 'id'"),
        ('id = "x"\nlabel = "x"\ncategories = []', "'categories' is empty"),
        (
            'id="x"\nlabel="x"\n[[categories]]\nid="a"\nlabel="A"\nkey="1"\ncolour="red"\ncues=["a"]',
            "colour 'red'",
        ),
        (
            'id="x"\nlabel="x"\n[[categories]]\nid="a"\nlabel="A"\nkey="1"\ncolour="#000000"\ncues=["a"]\n'
            '[[categories]]\nid="b"\nlabel="B"\nkey="1"\ncolour="#000000"\ncues=["b"]',
            "key '1' is already used",
        ),
        ("id = [", "not valid TOML"),
        (
            'id="x"\nlabel="x"\n[[categories]]\nid="a"\nlabel="A"\nkey="1"\ncolour="#000000"',
            "missing key 'cues'",
        ),
    ],
)
def test_malformed_scheme_is_a_clear_error(tmp_path, body, message):
    p = tmp_path / "bad.toml"
    p.write_text(body, encoding="utf-8")
    with pytest.raises(SchemeError) as err:
        load_scheme(p)
    assert message in str(err.value)
    assert "bad.toml" in str(err.value)
    assert "\n" not in str(err.value)


def test_unknown_scheme_name():
    with pytest.raises(SchemeError, match="unknown scheme 'nope'"):
        load_scheme("nope")
