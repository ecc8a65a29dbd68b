"""Synthetic Ofsted inspection letters for the benchmarks.

`big_letter()` builds one very long letter (about 200 KB, 2,000 findings); `many_letters()`
writes a folder of ordinary-sized letters (about 6 KB, 10-20 findings each). The wording is
varied with a seeded `random.Random`, so the same arguments always give the same text and
every finding in a letter is unique.

Run as a script to print the big letter's size and its number of findings.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

SECTIONS = (
    ("strength", "Strengths"),
    (
        "satisfactory",
        "The service meets the requirements of statutory guidance in the following areas",
    ),
    ("development", "Areas for development"),
    ("priority_action", "Areas for priority action"),
)

_PLACES = (
    "Ashcombe", "Bramley Vale", "Carrow", "Dunmere", "Eastwick", "Fenbury", "Glenmoor",
    "Harwood", "Ingleby", "Kestow", "Langford", "Millbrook", "Northcote", "Oakhurst",
    "Penrose", "Queensford", "Redmarsh", "Stanbury", "Thornley", "Upwell", "Westmere",
)  # fmt: skip
_COUNCIL_KINDS = ("Borough Council", "County Council", "City Council", "Metropolitan Council")
_FIRST = (
    "Alison", "Brian", "Catherine", "David", "Eleanor", "Fiona", "Gareth", "Helen", "Ian",
    "Janet", "Keith", "Linda", "Martin", "Nadia", "Owen", "Patricia", "Rajesh", "Susan",
)  # fmt: skip
_LAST = (
    "Ashworth", "Bennett", "Clarke", "Dawson", "Ellis", "Fraser", "Gill", "Hughes", "Iqbal",
    "Jennings", "Kaur", "Lloyd", "Marsh", "Newton", "O'Neill", "Patel", "Quinn", "Rhodes",
)  # fmt: skip
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "September", "October",
    "November", "December",
)  # fmt: skip
_STREETS = ("Civic Centre", "County Hall", "Town Hall", "Council Offices", "Municipal Buildings")

_SUBJECTS = (
    "Managers", "Social workers", "The duty team", "Partner agencies", "Team leaders",
    "The out-of-hours service", "Front-line practitioners", "Senior managers",
    "Independent reviewing officers", "The contact centre", "Health visitors",
    "The referral and assessment team", "Newly qualified social workers", "Police colleagues",
    "Administrative staff", "The multi-agency panel", "School nurses", "Practice managers",
    "Early help workers", "The emergency duty team", "Child protection chairs",
)  # fmt: skip
_ACTIONS = {
    "strength": (
        "respond promptly to child protection concerns",
        "record clear and detailed analysis of risk",
        "work closely with families to agree realistic plans",
        "share information quickly and appropriately",
        "make consistently sound decisions about thresholds",
        "complete assessments of good quality within timescales",
        "seek and record the views of children and young people",
        "use supervision well to reflect on their practice",
        "attend strategy discussions reliably and contribute fully",
        "identify the diverse needs of children carefully",
    ),
    "satisfactory": (
        "follow the procedures set out in statutory guidance",
        "complete initial assessments within the required timescales",
        "record management decisions on case files",
        "hold strategy discussions when thresholds are met",
        "inform parents of referrals in accordance with guidance",
        "check previous records before deciding on further action",
        "maintain case records that are up to date",
        "transfer cases between teams in an orderly way",
        "carry manageable caseloads for their experience",
        "receive regular supervision that is recorded",
    ),
    "development": (
        "do not always record the reasons for decisions",
        "do not consistently include the views of fathers",
        "sometimes close cases without a full assessment",
        "do not routinely analyse the history of previous referrals",
        "vary in how well they set measurable objectives",
        "do not always send written feedback to referring agencies",
        "are not yet using the common assessment framework consistently",
        "do not always complete core assessments within timescales",
        "record chronologies that are often incomplete",
        "rarely evaluate the impact of the services provided",
    ),
    "priority_action": (
        "do not ensure that strategy discussions take place without delay",
        "leave some referrals unallocated for several weeks",
        "do not act promptly on concerns raised by partner agencies",
        "have not ensured that children at risk are seen quickly",
        "do not carry out statutory visits within required timescales",
        "have not resolved delays in the screening of contacts",
    ),
}
_QUALIFIERS = (
    "in most cases", "across the service", "in the cases sampled", "at all times",
    "in a timely way", "with good management oversight", "in line with local procedures",
    "for the great majority of children", "since the previous inspection", "in many cases",
    "throughout the assessment process", "including out of hours", "when risks escalate",
)  # fmt: skip
_EFFECTS = (
    "This ensures that children are protected from harm",
    "As a result, plans are focused on the needs of the child",
    "This means that risks are not always understood",
    "Consequently, families receive help at an early stage",
    "This leads to delay for some children",
    "This supports consistent and confident decision-making",
    "Managers monitor this through regular audits",
    "The impact of this on outcomes is not yet evaluated",
    "This has improved the quality of referrals received",
    "Staff report that this helps them to manage their workloads",
    "The council has recognised this and plans are in place to address it",
)  # fmt: skip
_INTRO = (
    "This letter summarises the findings of the recent unannounced inspection of contact, "
    "referral and assessment arrangements within local authority children's services in "
    "{council} which was conducted on {d1} and {d2} {month} {year}. The inspection was "
    "carried out under section 138 of the Education and Inspections Act 2006. It will "
    "contribute to the annual review of the performance of the authority's children's "
    "services, for which Ofsted will award a rating later in the year. I would like to "
    "thank all of the staff we met for their assistance in undertaking this inspection.",
    "The inspection sampled the quality and effectiveness of contact, referral and "
    "assessment arrangements and their impact on minimising any child abuse and neglect. "
    "Inspectors considered a range of evidence, including: electronic case records; "
    "supervision files and notes; observation of social workers and senior practitioners "
    "undertaking referral and assessment duties; and other information provided by staff "
    "and managers. Inspectors also spoke to a range of staff including managers, social "
    "workers, other practitioners and administrative staff.",
    "The inspection identified areas of strength and areas of practice that met "
    "requirements, with some areas for development.",
    "The {n} areas for development identified at the previous inspection of contact, "
    "referral and assessment arrangements in {prev_month} {prev_year} have been addressed.",
)
_AFTER = (
    "The areas for development identified above will be specifically considered in any "
    "future inspection of services to safeguard children within your area."
)


def _sentence(rng: random.Random, category: str, long: bool) -> str:
    words = [rng.choice(_SUBJECTS), rng.choice(_ACTIONS[category]), rng.choice(_QUALIFIERS)]
    if long:
        other = rng.choice([s for s in _SUBJECTS if s != words[0]])
        words[-1] += ","
        words += [rng.choice(("and", "while")), other[0].lower() + other[1:]]
        words += [rng.choice(_ACTIONS[category]), rng.choice(_QUALIFIERS)]
    return " ".join(words) + "."


def _finding(rng: random.Random, category: str, long: bool, taken: set[str]) -> str:
    """One finding of one or two sentences, different from every text in `taken`."""
    while True:
        text = _sentence(rng, category, long)
        if rng.random() < (0.6 if long else 0.12):
            text += " " + rng.choice(_EFFECTS) + "."
        if text not in taken:
            taken.add(text)
            return text


def _letter(
    rng: random.Random, counts: dict[str, int], long: bool, intro_paragraphs: int = 4
) -> str:
    place = rng.choice(_PLACES)
    council = f"{place} {rng.choice(_COUNCIL_KINDS)}"
    year = rng.choice((2010, 2011, 2012))
    m = rng.randrange(len(_MONTHS) - 1)
    day = rng.randint(2, 26)
    title_who, first, last = rng.choice(("Ms", "Mr", "Mrs")), rng.choice(_FIRST), rng.choice(_LAST)
    insp = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
    out = [
        "Aviation House",
        "125 Kingsway",
        "London WC2B 6SE",
        "",
        "T 0300 123 1231",
        "enquiries@ofsted.gov.uk",
        "www.ofsted.gov.uk",
        "",
        "",
        f"{day + 2} {_MONTHS[m + 1]} {year}",
        "",
        f"{title_who} {first} {last}",
        "Director of Children's Services",
        council,
        rng.choice(_STREETS),
        place,
        f"{place[:2].upper()}{rng.randint(1, 9)} {rng.randint(1, 9)}{rng.choice('ABDEFG')}Q",
        "",
        f"Dear {title_who} {last}",
        "",
        "Annual unannounced inspection of contact, referral and assessment arrangements "
        f"within {council} children's services",
        "",
    ]
    fields = {
        "council": council,
        "d1": day - 1,
        "d2": day,
        "month": _MONTHS[m],
        "year": year,
        "n": rng.choice(("two", "three", "four", "five")),
        "prev_month": rng.choice(_MONTHS),
        "prev_year": year - 1,
    }
    for para in _INTRO[:intro_paragraphs]:
        out += [para.format(**fields), ""]
    out += ["From the evidence gathered, the following features of the service were identified:"]
    taken: set[str] = set()
    for cat, heading in SECTIONS:
        n = counts.get(cat, 0)
        if not n:
            continue
        out += ["", heading, ""]
        out += ["- " + _finding(rng, cat, long, taken) for _ in range(n)]
    if not counts.get("priority_action"):
        out += ["", "There are no areas for priority action arising from this inspection."]
    out += [
        "",
        _AFTER,
        "",
        "Yours sincerely",
        "",
        insp,
        "Her Majesty's Inspector",
        "",
        f"Copy: {rng.choice(_FIRST)} {rng.choice(_LAST)}, Chief Executive, {council}",
        f"{rng.choice(_FIRST)} {rng.choice(_LAST)}, Department for Education",
        "",
    ]
    return "\n".join(out)


def big_letter(n_findings: int = 2000, seed: int = 2011) -> str:
    """One letter of about 100 characters per finding (about 200 KB for 2,000 findings)."""
    rng = random.Random(seed)
    q = n_findings // 4
    counts = {
        "strength": q,
        "satisfactory": q,
        "development": q,
        "priority_action": n_findings - 3 * q,
    }
    return _letter(rng, counts, long=False)


def many_letters(folder: str | Path, n: int, seed: int = 1) -> list[Path]:
    """Write `n` ordinary letters (about 6 KB, 10-20 findings each) into `folder`."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for i in range(n):
        total = rng.randint(10, 20)
        pa = rng.choice((0, 0, 1, 2))
        dev = rng.randint(1, 4)
        rest = max(2, total - pa - dev)
        st = rng.randint(1, rest - 1)
        counts = {
            "strength": st,
            "satisfactory": rest - st,
            "development": dev,
            "priority_action": pa,
        }
        text = _letter(random.Random(rng.random()), counts, long=True)
        path = folder / f"letter_{i:05d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> int:
    """Print the sizes and finding counts of the generated letters."""
    import tempfile

    from reviewer.segment.families import segment_text
    from reviewer.segment.scheme import load_scheme

    scheme = load_scheme()
    text = big_letter()
    doc = segment_text(text, scheme)
    print(f"big letter: {len(text.encode()) / 1000:.0f} KB, {len(doc.findings)} findings")
    with tempfile.TemporaryDirectory() as tmp:
        paths = many_letters(tmp, 20)
        sizes = [p.stat().st_size for p in paths]
        found = [len(segment_text(p.read_text(encoding="utf-8"), scheme).findings) for p in paths]
    print(
        f"20 letters: {min(sizes) / 1000:.1f}-{max(sizes) / 1000:.1f} KB, "
        f"{min(found)}-{max(found)} findings"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
