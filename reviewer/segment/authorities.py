"""England's local authorities with children's services, and which one a document means.

The register (`authorities.csv`, shipped with the program) holds for each council its
canonical name, the other names and spellings documents use (children's trusts among
them), the DfE LA code, the ONS (GSS) code, the Ofsted URN, the region and its ten
statistical neighbours (the DfE's list of the councils most like it, by LA code). These are
public facts; `python -m reviewer.segment.authorities CSV` rebuilds the register from a
table of local authorities in the layout of the ILACS scrape tool's `la_lookup.csv`.

Matching is over the names a document gives (its authority line, title, address): a
name is normalised (case, punctuation, "London Borough of", "Council"...), looked up
exactly, then found as whole words inside a longer line (the longest name wins, so
"North Somerset" is not "Somerset"), then fuzzily for extraction typos.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

FIELDS = ("name", "aliases", "la_code", "gss_code", "urn", "region", "la_type", "neighbours")
FUZZY_THRESHOLD = 90.0
FUZZY_TYPED = 82.0  # a name typed in the details form: small slips allowed

# Words that say what kind of body a council is, not which one.
_KIND_WORDS = re.compile(
    r"\b(?:the|london borough of|royal borough of|metropolitan borough of|borough of|"
    r"city of|county of|metropolitan|borough|city|county|district|council|"
    r"local authority|local area partnership|children'?s services|children'?s social care)\b"
)
# Names of trusts and companies that run a council's children's services (public facts).
TRUSTS = {
    "Birmingham": ["Birmingham Children's Trust"],
    "Doncaster": ["Doncaster Children's Services Trust"],
    "Sunderland": ["Together for Children"],
    "Slough": ["Slough Children First", "Slough Children's Services Trust"],
    "Sandwell": ["Sandwell Children's Trust"],
    "Worcestershire": ["Worcestershire Children First"],
    "Kingston upon Thames": ["Achieving for Children"],
    "Richmond upon Thames": ["Achieving for Children"],
    "North Northamptonshire": ["Northamptonshire Children's Trust"],
    "West Northamptonshire": ["Northamptonshire Children's Trust"],
}
SPELLINGS = {
    "Bournemouth, Christchurch and Poole": ["BCP"],
    "Kingston upon Hull": ["Hull", "Hull City"],
    "Southend-on-Sea": ["Southend"],
    "Stoke-on-Trent": ["Stoke"],
    "Durham": ["County Durham"],
    "Bedford Borough": ["Bedford"],
    "Herefordshire": ["County of Herefordshire"],
    "St. Helens": ["St Helens", "Saint Helens"],
    "Telford and Wrekin": ["Telford & Wrekin"],
}


@dataclass(frozen=True, slots=True)
class Authority:
    name: str
    aliases: tuple[str, ...]
    la_code: str
    gss_code: str
    urn: str
    region: str
    la_type: str
    neighbours: tuple[str, ...] = ()  # LA codes of its statistical neighbours, nearest first

    def letter_keys(self) -> dict[str, str]:
        """The `[letter]` keys a review records for this council."""
        keys = {
            "authority_name": self.name,
            "la_code": self.la_code,
            "gss_code": self.gss_code,
            "region": self.region,
        }
        return {k: v for k, v in keys.items() if v}


@dataclass(frozen=True, slots=True)
class Match:
    authority: Authority
    score: float  # 100 for an exact or whole-word match, the fuzzy score otherwise
    written: str  # the document's words that matched


def normalise(name: str) -> str:
    """Lower case, one spelling of quotes, "&" and "St.", and no words of kind."""
    text = name.lower().replace("’", "'").replace("&", " and ").replace("st.", "st")
    text = _KIND_WORDS.sub(" ", text)
    text = re.sub(r"[^a-z0-9' ]+", " ", text.replace("-", " "))
    text = text.replace("'s ", " ").replace("'", "")
    return " ".join(text.split())


@cache
def register() -> tuple[Authority, ...]:
    text = Path(__file__).with_name("authorities.csv").read_text("utf-8")
    return parse_register(text)


def parse_register(text: str) -> tuple[Authority, ...]:
    rows = csv.DictReader(io.StringIO(text))
    return tuple(
        Authority(
            name=row["name"],
            aliases=tuple(a for a in row["aliases"].split("|") if a),
            la_code=row["la_code"],
            gss_code=row["gss_code"],
            urn=row["urn"],
            region=row["region"],
            la_type=row["la_type"],
            neighbours=tuple(c for c in (row.get("neighbours") or "").split("|") if c),
        )
        for row in rows
    )


@cache
def _index() -> dict[str, tuple[Authority, ...]]:
    """Normalised name -> the councils it names (a trust may serve more than one)."""
    index: dict[str, list[Authority]] = {}
    for a in register():
        for written in (a.name, *a.aliases):
            key = normalise(written)
            if key and a not in index.setdefault(key, []):
                index[key].append(a)
    return {k: tuple(v) for k, v in index.items()}


@cache
def _longest_first() -> list[str]:
    return sorted(_index(), key=len, reverse=True)


def _one(key: str) -> Authority | None:
    found = _index().get(key, ())
    return found[0] if len(found) == 1 else None


def find(name: str) -> Match | None:
    """The council one written name means, or None when it names none (or several)."""
    key = normalise(name)
    if not key:
        return None
    exact = _one(key)
    if exact is not None:
        return Match(exact, 100.0, name)
    # a name inside: its whole words (a normalised name is words of [a-z0-9] between single
    # spaces, so a space either side, or an end, is exactly a word boundary)
    padded = f" {key} "
    for known in _longest_first():
        if len(known) >= 4 and f" {known} " in padded:
            one = _one(known)
            if one is not None:
                return Match(one, 100.0, name)
            break  # the longest name inside is ambiguous: a shorter one would be a guess
    # rapidfuzz loads only for a name no exact or longest-name look-up found: most
    # documents never need it, and importing the register should not pay for it
    from rapidfuzz import fuzz, process

    hit = process.extractOne(key, list(_index()), scorer=fuzz.ratio)
    if hit is not None and hit[1] >= FUZZY_THRESHOLD:
        one = _one(hit[0])
        if one is not None:
            return Match(one, float(hit[1]), name)
    return None


def match(names: Iterable[str]) -> Match | None:
    """The council the first of a document's names that names one means."""
    for name in names:
        found = find(name)
        if found is not None:
            return found
    return None


def by_code(code: str) -> Authority | None:
    """A council by DfE LA code, GSS code or URN."""
    code = code.strip().upper()
    return next((a for a in register() if code in (a.la_code, a.gss_code.upper(), a.urn)), None)


def neighbours_of(council: Authority) -> list[Authority]:
    """The council's statistical neighbours in the register, nearest first."""
    found = (by_code(code) for code in council.neighbours)
    return [a for a in found if a is not None]


def search(query: str, limit: int = 5) -> list[Authority]:
    """The councils a person typing ``query`` may mean, best first: an LA code, GSS code or
    URN picks its council; otherwise names (and other spellings) holding the typed words,
    then names close to them (small typos allowed)."""
    query = query.strip()
    if not query:
        return []
    coded = by_code(query)
    if coded is not None:
        return [coded]
    key = normalise(query) or query.lower()
    from rapidfuzz import fuzz  # loaded when a person first searches, not at import

    scored: dict[Authority, float] = {}
    for known, councils in _index().items():
        if known.startswith(key):
            score = 200.0 - len(known)  # the shortest name that starts so is the best guess
        elif f" {key}" in f" {known}":
            score = 150.0 - len(known)
        else:
            # A whole name typed with a slip beats a shorter name found inside it.
            score = fuzz.ratio(key, known)
            if len(key) >= 4:
                score = max(score, fuzz.partial_ratio(key, known) - 5.0)
            if score < FUZZY_TYPED:
                continue
        for a in councils:
            scored[a] = max(scored.get(a, 0.0), score)
    return sorted(scored, key=lambda a: (-scored[a], a.name))[:limit]


def build_register(lookup_csv: str) -> str:
    """The register's CSV text from a local authority table (la_lookup.csv layout)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in csv.DictReader(io.StringIO(lookup_csv.lstrip("\ufeff"))):
        ons = row["local_authority_ons_name"].strip()
        name = re.sub(r"^(.*), City of$", r"\1", ons)
        utla = row.get("utla23nm", "").strip()
        if utla.lower() == name.lower():
            name = utla  # its casing: "Kingston upon Hull", not "Kingston Upon Hull"
        aliases = [ons, row.get("utla23nm", ""), row.get("ltla23nm", "")]
        aliases += [a.strip() for a in row.get("also_known_as", "").strip("[]").split(",")]
        aliases += TRUSTS.get(name, []) + SPELLINGS.get(name, []) + SPELLINGS.get(ons, [])
        unique = [a for a in dict.fromkeys(a.strip() for a in aliases) if a and a != name]
        writer.writerow(
            {
                "name": name,
                "aliases": "|".join(unique),
                "la_code": row["la_code"].strip(),
                "gss_code": row["la_code_new"].strip(),
                "urn": row["urn"].strip(),
                "region": row["region_name"].strip(),
                "la_type": row.get("ons_la_type", "").strip(),
                "neighbours": "|".join(
                    c.strip() for c in row.get("stat_neighbours", "").split(",") if c.strip()
                ),
            }
        )
    return out.getvalue()


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m reviewer.segment.authorities LA_LOOKUP.csv", file=sys.stderr)
        return 2
    source = Path(argv[0])
    target = Path(__file__).with_name("authorities.csv")
    target.write_text(build_register(source.read_text(encoding="utf-8-sig")), encoding="utf-8")
    print(f"wrote {target.name}: {len(parse_register(target.read_text('utf-8')))} councils")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
