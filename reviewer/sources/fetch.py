"""Fetch councils' documents from Ofsted's reports site into a folder: the one module of
`reviewer` that uses the network.

One request at a time, a pause between requests, a User-Agent naming the program and its
version; connection resets, 403, 429 (its Retry-After honoured) and 5xx are tried again
with a growing wait. Proxies come from the usual environment variables (`urllib`'s own
handling). A response that is not a PDF is reported and never saved. Each PDF is written
atomically and then recorded in the folder's manifest `fetched.tsv`, so a stop loses
nothing already fetched, and a second run fetches only what is new.
"""

from __future__ import annotations

import csv
import datetime as dt
import http.client
import os
import re
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from reviewer import __version__
from reviewer.errors import ReviewerError
from reviewer.sources import ofsted_site
from reviewer.sources.letter import sha256_of
from reviewer.sources.read import is_pdf
from reviewer.sources.site_address import DEFAULT_BACKOFF, DEFAULT_PAUSE, DEFAULT_RETRIES

SEARCH_PATH = (
    "/search?q=&location=&lat=&lon=&radius=&level_1_types=3&level_2_types%5B%5D=12&start=0&rows=100"
)
USER_AGENT = f"reviewer/{__version__} (reviewer fetch; one request at a time)"
MANIFEST = "fetched.tsv"
MANIFEST_FIELDS = (
    "urn",
    "council",
    "family",
    "label",
    "published",
    "url",
    "sha256",
    "size",
    "fetched_at",
    "file",
)
RETRY_STATUS = {403, 429, 500, 502, 503, 504}
RETRY_AFTER_MOST = 300.0  # seconds: a longer Retry-After is waited this long at most
MAX_PAGES = 1000  # a search that pages on and on is a site fault, not 100,000 councils


class FetchError(ReviewerError):
    """A page or file could not be had; the message says which and why."""


@dataclass(frozen=True, slots=True)
class Council:
    urn: str
    name: str

    @property
    def slug(self) -> str:
        """The council's word in file names: "St. Helens" -> "st-helens"."""
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-") or self.urn


@dataclass(frozen=True, slots=True)
class Document:
    council: Council
    family: str
    label: str
    published: dt.date
    url: str
    file_name: str


@dataclass
class Plan:
    """What the site holds for the councils asked for, and what of it is new."""

    new: list[Document] = field(default_factory=list)
    already: list[Document] = field(default_factory=list)
    unknown: Counter[str] = field(default_factory=Counter)  # label kind -> documents
    filtered: int = 0  # documents of families or dates not asked for


@dataclass(frozen=True, slots=True)
class Outcome:
    document: Document
    size: int = 0
    error: str = ""


class Client:
    """HTTP GETs one at a time, paced and retried; `sleep` and `clock` can be replaced."""

    def __init__(
        self,
        pause: float = DEFAULT_PAUSE,
        retries: int = DEFAULT_RETRIES,
        backoff: float = DEFAULT_BACKOFF,
        timeout: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        on_connect: Callable[[str], None] | None = None,
    ) -> None:
        self.pause, self.retries, self.backoff, self.timeout = pause, retries, backoff, timeout
        self.sleep, self.clock = sleep, clock
        self.on_connect = on_connect
        self.hosts: list[str] = []
        self.requests = 0
        self._last: float | None = None
        # build_opener's ProxyHandler reads http_proxy, https_proxy and no_proxy.
        self._opener = urllib.request.build_opener()

    def _wait_turn(self) -> None:
        if self._last is not None:
            left = self.pause - (self.clock() - self._last)
            if left > 0:
                self.sleep(left)

    def get(self, url: str) -> tuple[bytes, str]:
        """The body and content type at `url`; FetchError once the retries are spent."""
        host = urlsplit(url).netloc
        if host not in self.hosts:
            self.hosts.append(host)
            if self.on_connect is not None:
                self.on_connect(host)
        attempt = 0
        while True:
            self._wait_turn()
            request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
            wait = self.backoff * 2**attempt
            try:
                self.requests += 1
                with self._opener.open(request, timeout=self.timeout) as response:
                    body = response.read()
                    return body, response.headers.get("Content-Type", "")
            except urllib.error.HTTPError as err:
                why = f"the site answered {err.code} {err.reason}"
                if err.code not in RETRY_STATUS:
                    raise FetchError(f"{url}: {why}") from None
                wait = max(wait, _retry_after(err.headers.get("Retry-After")))
            except (
                urllib.error.URLError,
                http.client.HTTPException,
                ConnectionError,
                TimeoutError,
            ) as err:
                why = _reason(err)
            finally:
                self._last = self.clock()
            if attempt >= self.retries:
                raise FetchError(f"{url}: {why} (tried {attempt + 1} times)")
            attempt += 1
            self.sleep(wait)


def proxy_for(url: str) -> str:
    """The proxy (host and port) the environment names for `url`, or '' for none."""
    parts = urlsplit(url)
    if urllib.request.proxy_bypass(parts.hostname or ""):
        return ""
    proxy = urllib.request.getproxies().get(parts.scheme, "")
    return urlsplit(proxy).netloc or proxy


def _reason(err: Exception) -> str:
    if isinstance(err, urllib.error.URLError):
        inner = err.reason
        return f"cannot connect ({inner.strerror if isinstance(inner, OSError) else inner})"
    if isinstance(err, http.client.RemoteDisconnected | ConnectionResetError):
        return "the connection was reset"
    if isinstance(err, TimeoutError):
        return "no answer in time"
    return f"the connection broke ({type(err).__name__})"


def _retry_after(value: str | None) -> float:
    """Seconds a Retry-After header asks for (a number of seconds or an HTTP date)."""
    if not value:
        return 0.0
    value = value.strip()
    if value.isdigit():
        return min(float(value), RETRY_AFTER_MOST)
    try:
        from email.utils import parsedate_to_datetime

        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return 0.0
    seconds = (when - dt.datetime.now(dt.UTC)).total_seconds()
    return min(max(seconds, 0.0), RETRY_AFTER_MOST)


def _text(body: bytes, content_type: str) -> str:
    charset = re.search(r"charset=([\w-]+)", content_type)
    try:
        return body.decode(charset.group(1) if charset else "utf-8", errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def council_url(site: str, urn: str) -> str:
    return f"{site.rstrip('/')}/provider/44/{urn}"


def search_councils(client: Client, site: str) -> Iterator[ofsted_site.Listing]:
    """Every council the site's search lists, page after page (a.pagination__next)."""
    url: str | None = site.rstrip("/") + SEARCH_PATH
    seen_pages: set[str] = set()
    while url and url not in seen_pages and len(seen_pages) < MAX_PAGES:
        seen_pages.add(url)
        body, ctype = client.get(url)
        page = ofsted_site.parse_search(_text(body, ctype), url)
        yield from page.councils
        url = page.next_url


def plan(
    client: Client,
    site: str,
    councils: Iterable[Council],
    out_dir: Path,
    families: Mapping[str, Iterable[str]],
    wanted: Iterable[str] | None = None,
    since: dt.date | None = None,
    on_council: Callable[[Council, int], None] | None = None,
) -> Plan:
    """The documents of the councils' timelines, of the `wanted` families (default: all)
    and published on or after `since`, split into new and already fetched (in the manifest,
    file present). `families` gives each family's labels on the site (the schemes'
    `[fetch]` tables); a document of a label none of them names is counted as unknown."""
    wanted = set(families if wanted is None else wanted)
    done = {row["url"] for row in read_manifest(out_dir) if (out_dir / row["file"]).is_file()}
    result = Plan()
    names: set[str] = set()
    for council in councils:
        body, ctype = client.get(council_url(site, council.urn))
        found = ofsted_site.parse_council_page(_text(body, ctype), council_url(site, council.urn))
        for pub in found:
            family = ofsted_site.family_of(pub.kind, families)
            if family is None or pub.published is None:
                result.unknown[pub.kind or pub.label or "(no label)"] += 1
                continue
            if family not in wanted or (since is not None and pub.published < since):
                result.filtered += 1
                continue
            name = _unique(f"{council.slug}_{pub.published.isoformat()}_{family}", names)
            doc = Document(council, family, pub.label, pub.published, pub.url, name)
            (result.already if pub.url in done else result.new).append(doc)
        if on_council is not None:
            on_council(council, len(found))
    return result


def _unique(stem: str, taken: set[str]) -> str:
    """`stem.pdf`, or `stem-2.pdf`... for a second document of a council, day and family."""
    name, n = f"{stem}.pdf", 1
    while name in taken:
        n += 1
        name = f"{stem}-{n}.pdf"
    taken.add(name)
    return name


def not_pdf_reason(body: bytes, content_type: str) -> str:
    """What came instead of a PDF, in a few words (an HTML page: its title)."""
    text = _text(body[:20000], content_type)
    title = re.search(r"<title[^>]*>(.*?)</title>", text, re.I | re.S)
    if title:
        words = " ".join(title.group(1).split())[:80]
        return f"an HTML page '{words}'"
    kind = content_type.split(";")[0].strip() or "no content type"
    return f"{len(body)} bytes of {kind}"


def fetch_document(client: Client, doc: Document, out_dir: Path) -> Outcome:
    """Download one document and, if it is a PDF, write it atomically and record it."""
    try:
        body, ctype = client.get(doc.url)
    except FetchError as err:
        return Outcome(doc, error=str(err))
    if not is_pdf(body):
        reason = not_pdf_reason(body, ctype)
        return Outcome(doc, error=f"{doc.file_name}: not a PDF ({reason}) at {doc.url}; not saved")
    try:
        doc = replace(doc, file_name=_free_name(out_dir, doc.file_name, body))
        target = out_dir / doc.file_name
        if not target.is_file():
            _atomic_write(target, body)
    except OSError as err:
        return Outcome(
            doc, error=f"{out_dir / doc.file_name}: cannot write ({err.strerror or err})"
        )
    record(out_dir, doc, body)
    return Outcome(doc, size=len(body))


def _free_name(out_dir: Path, name: str, body: bytes) -> str:
    """`name`, unless a different file has it (put there by hand, or another document of
    the same council, day and family): then `stem-2.pdf`, `stem-3.pdf`... A file with the
    same bytes is this document already (a stop came between saving and recording it)."""
    stem = name.removesuffix(".pdf")
    n = 1
    while (out_dir / name).is_file() and (out_dir / name).read_bytes() != body:
        n += 1
        name = f"{stem}-{n}.pdf"
    return name


def _atomic_write(target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _cell(value: str) -> str:
    """A manifest cell: one line, no tab, never a live spreadsheet formula."""
    value = " ".join(value.split())
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def record(out_dir: Path, doc: Document, body: bytes) -> None:
    """Append the document's row to the manifest, on disk before the next download."""
    path = out_dir / MANIFEST
    new = not path.exists() or path.stat().st_size == 0
    row = {
        "urn": doc.council.urn,
        "council": doc.council.name,
        "family": doc.family,
        "label": doc.label,
        "published": doc.published.isoformat(),
        "url": doc.url,
        "sha256": sha256_of(body),
        "size": str(len(body)),
        "fetched_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "file": doc.file_name,
    }
    with path.open("a", encoding="utf-8", newline="") as fh:
        if new:
            fh.write("\t".join(MANIFEST_FIELDS) + "\n")
        fh.write("\t".join(_cell(row[k]) for k in MANIFEST_FIELDS) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def read_manifest(out_dir: Path) -> list[dict[str, str]]:
    """The manifest's rows (none when there is none yet); a broken row is skipped."""
    path = out_dir / MANIFEST
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [r for r in rows if r.get("url") and r.get("file")]


def unknown_summary(unknown: Counter[str]) -> str:
    """'3 documents of labels not fetched: "x" (2), "y" (1)', or '' when there are none."""
    if not unknown:
        return ""
    total = sum(unknown.values())
    listed = ", ".join(f'"{kind}" ({n})' for kind, n in unknown.most_common())
    plural = "document" if total == 1 else "documents"
    return f"{total} {plural} of labels not fetched: {listed}"
