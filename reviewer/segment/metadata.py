"""Read the letter's metadata (who, when, which authority) from its blocks of text."""

from __future__ import annotations

import re

HONORIFIC = r"(?:Ms|Mr|Mrs|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Councillor|Cllr)\.?"
_NAME_WORD = r"[A-Z][A-Za-z'’\-]+"
_ROLE_START = {
    "her", "his", "divisional", "regional", "director", "senior", "lead", "head", "chief",
    "assistant", "deputy", "manager", "principal", "social", "hmi", "interim", "executive",
    "strategic", "service", "inspector", "ofsted", "additional", "national", "area",
}  # fmt: skip
_AUTHORITY_TAIL = re.compile(
    r"\b(?:Metropolitan\s+Borough|Borough|County|City|District)?\s*Council\b"
)
_BOROUGH_OF = re.compile(
    r"(?:London|Royal)\s+Borough\s+of\s+[A-Z][\w'’-]+(?:\s+(?:and|upon|on)\s+[A-Z][\w'’-]+)*"
)


# Small words a council's or area's name may hold in lower case.
_NAME_SMALL = {
    "and", "of", "the", "upon", "on", "with", "in", "le", "de", "&", "council", "county",
    "borough", "city", "district", "area", "local", "authority", "partnership",
}  # fmt: skip
_SENTENCE = re.compile(r"[a-z]{3,}[.!?]\s+[A-Z]|\b(?:This|These|We|Inspectors?)\s+[a-z]")


def as_name(value: str) -> str | None:
    """The authority as written, as a name: without a leading "the" ("the Royal Borough
    of Windsor and Maidenhead" is "Royal Borough of Windsor and Maidenhead"), or None
    when the words read as a sentence ("children's services This letter summarises the
    findings ...") rather than a name."""
    name = " ".join(value.split()).strip(" ,")
    name = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
    if not name or _SENTENCE.search(name):
        return None
    prose = [w for w in name.split() if w[:1].islower() and w.lower() not in _NAME_SMALL]
    return None if len(prose) >= 3 else name


def authority_from_title(title: str) -> str | None:
    """The authority as the title names it ("...within Westmoor Council children's services")."""
    m = re.search(r"\bwithin\s+(?:the\s+)?(.+?)\s+(?:council['’]s\s+)?children", title, re.I)
    return m.group(1).strip() if m else None


def place_from_title(title: str) -> str | None:
    """The place named in "...arrangements within Middlesbrough children's services"."""
    named = authority_from_title(title)
    if not named:
        return None
    place = re.sub(
        r"\s+(?:Metropolitan\s+)?(?:Borough|County|City|District)?\s*Council$", "", named
    )
    return place.strip() or None


def surname_from_salutation(salutation: str) -> str | None:
    m = re.match(rf"\s*Dear\s+(?:{HONORIFIC}\s+)?(.+?)[,:]?\s*$", salutation)
    if not m:
        return None
    words = m.group(1).split()
    return words[-1] if words else None


def parse_recipient(block: str, salutation: str, title: str) -> dict[str, str]:
    """Name, role and authority from the address block, whether on lines or run together."""
    out: dict[str, str] = {}
    lines = [ln.strip() for ln in block.splitlines() if ln.strip()]
    if not lines:
        return out
    surname = surname_from_salutation(salutation)
    flat = " ".join(" ".join(lines).split())
    name_end = 0
    m = re.match(rf"{HONORIFIC}\s+", flat)
    if surname:
        idx = flat.find(surname)
        if 0 <= idx < 80:
            name_end = idx + len(surname)
    if not name_end and m:
        nm = re.match(rf"{HONORIFIC}(?:\s+{_NAME_WORD}){{1,3}}", flat)
        name_end = nm.end() if nm else 0
    if not name_end and len(lines) > 1:
        name_end = len(lines[0])
    if name_end:
        out["recipient_name"] = flat[:name_end].strip(" ,")
    rest = flat[name_end:].strip(" ,")
    authority, auth_at = find_authority(rest, place_from_title(title))
    if authority:
        out["authority"] = authority
    if (
        len(lines) > 1
        and lines[0] == flat[:name_end].strip(" ,")
        and not lines[1].startswith(authority or "\0")
    ):
        out["recipient_role"] = lines[1].strip(" ,")
    elif authority and auth_at > 0:
        out["recipient_role"] = rest[:auth_at].strip(" ,")
    return out


def find_authority(text: str, place: str | None) -> tuple[str | None, int]:
    """The council's name in `text` and where it starts; the title's place name guides the start."""
    m = _BOROUGH_OF.search(text)
    if m:
        return m.group(0), m.start()
    if place:
        start = text.find(place)
        while start >= 0:
            tail = _AUTHORITY_TAIL.search(text, start + len(place))
            if tail and tail.start() - (start + len(place)) <= 1:
                return " ".join(text[start : tail.end()].split()), start
            if tail and re.fullmatch(r"[\sA-Za-z'’-]*", text[start + len(place) : tail.start()]):
                return " ".join(text[start : tail.end()].split()), start
            start = text.find(place, start + 1)
    tail = _AUTHORITY_TAIL.search(text)
    if tail:
        words = text[: tail.start()].split()
        head: list[str] = []
        for w in reversed(words[-3:]):
            if not w[:1].isupper() or w.endswith(","):
                break
            head.insert(0, w)
        if head:
            name = " ".join(head + text[tail.start() : tail.end()].split())
            return name, text.rfind(head[0], 0, tail.start())
    if place:
        return place, -1
    return None, -1


def parse_signature(block: str) -> dict[str, str]:
    lines = [" ".join(ln.split()) for ln in block.splitlines() if ln.strip()]
    if not lines:
        return {}
    if len(lines) >= 2:
        return {
            "inspector_name": lines[0].strip(" ,"),
            "inspector_role": ", ".join(lines[1:]).strip(" ,"),
        }
    words = lines[0].split()
    cut = next(
        (i for i, w in enumerate(words) if i >= 2 and w.lower().strip(",") in _ROLE_START), None
    )
    if cut is None:
        cut = min(2, len(words))
    out = {"inspector_name": " ".join(words[:cut]).strip(" ,")}
    if words[cut:]:
        out["inspector_role"] = " ".join(words[cut:]).strip(" ,")
    return out


_COPY_SPLIT = re.compile(r"(?<![,;])\s+(?=[A-Z][a-z'’-]+\s+(?:[A-Z]\.\s+)?[A-Z][A-Za-z'’-]+,)")


# How an entry of the copy list opens ("Andrew Spencer, ..."); other lines carry one on.
_COPY_ENTRY = re.compile(r"[A-Z][a-z'’-]+\s+(?:[A-Z]\.\s+)?[A-Z][A-Za-z'’-]+,")


def parse_copy_list(block: str) -> list[str]:
    """One entry per person, also when the extraction ran the entries together on one line."""
    entries: list[str] = []
    for line in block.splitlines():
        line = " ".join(line.split())
        if not line:
            continue
        if entries and not _COPY_ENTRY.match(line):
            entries[-1] = f"{entries[-1]} {line}"  # a wrapped entry goes on
        else:
            entries.append(line)
    out = []
    for line in entries:
        for part in _COPY_SPLIT.split(line):
            part = part.strip(" ,;")
            if part:
                out.append(part)
    return out
