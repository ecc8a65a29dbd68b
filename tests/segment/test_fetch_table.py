"""A scheme's `[fetch]` table: the word `reviewer fetch` files the family's documents under,
and the labels Ofsted's reports site gives them. Family knowledge lives in the scheme files,
so a new or renamed label is a change to one scheme, not to the fetcher."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.segment.fetch_table import FetchTableError, site_families
from reviewer.segment.scheme import SchemeError, bundled, load_scheme

_MINIMAL = (
    'id="x"\nlabel="x"\n[[categories]]\nid="a"\nlabel="A"\nkey="1"\ncolour="#000000"\ncues=["a"]\n'
)


def test_the_bundled_schemes_name_the_site_s_labels_of_each_family() -> None:
    families = site_families(bundled())
    assert set(families) == {"report", "focused_visit", "jtai", "send_area", "ucra"}
    assert "children's services focused visit" in families["focused_visit"]
    assert "single inspection of local authority children's services" in families["report"]
    assert "joint targeted area inspection" in families["jtai"]
    assert families["send_area"] == ("area send full inspection",)
    assert load_scheme("ofsted_ilacs").fetch.family == "report"


def test_a_scheme_file_s_fetch_table_is_read(tmp_path: Path) -> None:
    p = tmp_path / "homes.toml"
    p.write_text(
        _MINIMAL + '[fetch]\nfamily = "homes"\nlabels = ["Children\'s homes inspection"]\n',
        encoding="utf-8",
    )
    scheme = load_scheme(p)
    assert scheme.fetch is not None
    assert (scheme.fetch.family, scheme.fetch.labels) == ("homes", ("children's homes inspection",))
    assert site_families([scheme]) == {"homes": ("children's homes inspection",)}


def test_a_scheme_without_a_fetch_table_is_not_fetched(tmp_path: Path) -> None:
    p = tmp_path / "plain.toml"
    p.write_text(_MINIMAL, encoding="utf-8")
    scheme = load_scheme(p)
    assert scheme.fetch is None
    assert site_families([scheme]) == {}


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('fetch = "report"', "'fetch' must be a table"),
        ('[fetch]\nlabels = ["a"]', "[fetch]: 'family' must be"),
        ('[fetch]\nfamily = "Focused Visit"\nlabels = ["a"]', "[fetch]: 'family' must be"),
        ('[fetch]\nfamily = "homes"', "[fetch]: 'labels' must be a list"),
        ('[fetch]\nfamily = "homes"\nlabels = "a"', "[fetch]: 'labels' must be a list"),
        ('[fetch]\nfamily = "homes"\nlabels = ["a", " "]', "[fetch]: 'labels' must be a list"),
        ('[fetch]\nfamily = "homes"\nlabels = ["a"]\nlabel = "b"', "[fetch]: unknown key 'label'"),
    ],
)
def test_a_malformed_fetch_table_is_a_one_line_error(
    tmp_path: Path, table: str, message: str
) -> None:
    p = tmp_path / "bad.toml"
    # A top-level key goes before the first table; a table after the categories.
    body = _MINIMAL + table if table.startswith("[") else table + "\n" + _MINIMAL
    p.write_text(body + "\n", encoding="utf-8")
    with pytest.raises(SchemeError) as err:
        load_scheme(p)
    assert message in str(err.value)
    assert "bad.toml" in str(err.value)
    assert "\n" not in str(err.value)


def test_two_schemes_claiming_one_label_or_one_family_is_an_error(tmp_path: Path) -> None:
    def scheme(name: str, family: str, label: str):
        p = tmp_path / f"{name}.toml"
        p.write_text(
            _MINIMAL.replace('id="x"', f'id="{name}"')
            + f'[fetch]\nfamily = "{family}"\nlabels = ["{label}"]\n',
            encoding="utf-8",
        )
        return load_scheme(p)

    with pytest.raises(FetchTableError, match="'homes inspection'.*a.toml.*b.toml"):
        site_families(
            [scheme("a", "homes", "homes inspection"), scheme("b", "care", "Homes  Inspection")]
        )
    with pytest.raises(FetchTableError, match="family 'homes'.*a.toml.*c.toml"):
        site_families([scheme("a", "homes", "one"), scheme("c", "homes", "two")])
