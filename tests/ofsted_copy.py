"""A local copy of the structure of Ofsted's reports site, served on 127.0.0.1, for
`reviewer fetch`'s tests and for trying the command by hand.

The structure is the site's as the public scrapers of it read it in 2026 (the search of
local authority children's services paged by `a.pagination__next`, links to
`/provider/44/<URN>`; a council's page with `ol.timeline > li.timeline__day` events, each
with an `a.publication-link` and its `span.nonvisual` label; the PDFs on another host).
The councils, dates and documents here are made up for the tests; the PDFs are real,
small ones. Nothing here reaches outside the machine.

By hand: `python -m tests.ofsted_copy [--port 8765] [--many N]` serves the site and
prints its address (the files are served on the next port).
"""

from __future__ import annotations

import argparse
import html
import socket
import struct
import threading
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tests.pdf_maker import make_pdf

SEARCH = "/search"
NOT_FOUND_PAGE = (
    "<!DOCTYPE html><html><head><title>Report not found - Ofsted</title></head>"
    "<body><h1>Report not found</h1></body></html>"
)


@dataclass
class Doc:
    file_id: str
    label: str
    behaviour: str = "pdf"  # pdf | not_found | reset_once | busy_once | fail_once:<status>


@dataclass
class Council:
    urn: str
    name: str
    docs: list[Doc] = field(default_factory=list)


def standard_councils() -> list[Council]:
    """Two pages of search results; Barnsley's timeline has one document of each kind of
    trouble the site gives."""
    return [
        Council(
            "80426",
            "Barnsley",
            [
                Doc("101", "Children's services focused visit, PDF - 5 December 2024"),
                Doc("102", "Children's services inspection, PDF - 3 April 2018", "busy_once"),
                Doc("103", "Children\u2019s homes inspection, PDF - 1 May 2019"),
                Doc(
                    "104",
                    "Joint area child protection inspection, PDF - 14 July 2023",
                    "reset_once",
                ),
                Doc("105", "Area SEND full inspection, PDF - 31 May 2023", "not_found"),
            ],
        ),
        Council(
            "80486",
            "Barking and Dagenham",
            [Doc("201", "Children's services focused visit, PDF - 29 April 2025")],
        ),
        Council(
            "80560",
            "St Helens",
            [Doc("301", "Single inspection of LA children's services, PDF - 7 March 2016")],
        ),
        Council("9999999", "A council the register does not know", []),
    ]


def many_councils(n: int) -> list[Council]:
    """The standard councils, with Barnsley given `n` more focused visits (for a demo)."""
    councils = standard_councils()
    for i in range(n):
        day = 1 + i % 28
        month = ["January", "March", "June", "September", "November"][i % 5]
        councils[0].docs.append(
            Doc(f"9{i:03d}", f"Children's services focused visit, PDF - {day} {month} {2010 + i}")
        )
    return councils


class OfstedCopy:
    """The site on one port and its files on another, each in a thread; what was asked is
    logged (`requests`, `user_agents`) and each trouble happens as `Doc.behaviour` says."""

    def __init__(
        self, councils: list[Council] | None = None, page_size: int = 2, port: int = 0
    ) -> None:
        self.councils = councils if councils is not None else standard_councils()
        self.page_size = page_size
        self.requests: list[str] = []
        self.user_agents: set[str] = set()
        self.seen: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.site = ThreadingHTTPServer(("127.0.0.1", port), self._handler(self._site_page))
        self.files = ThreadingHTTPServer(
            ("127.0.0.1", port + 1 if port else 0), self._handler(self._file)
        )
        self.threads = [
            threading.Thread(target=s.serve_forever, args=(0.05,), daemon=True)
            for s in (self.site, self.files)
        ]

    @property
    def site_url(self) -> str:
        return f"http://127.0.0.1:{self.site.server_address[1]}"

    @property
    def files_url(self) -> str:
        return f"http://127.0.0.1:{self.files.server_address[1]}"

    def start(self) -> OfstedCopy:
        for t in self.threads:
            t.start()
        return self

    def stop(self) -> None:
        for s in (self.site, self.files):
            s.shutdown()
            s.server_close()

    def _handler(self, route):
        copy = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                with copy.lock:
                    copy.requests.append(self.path)
                    copy.user_agents.add(self.headers.get("User-Agent", ""))
                    copy.seen[self.path] += 1
                    times = copy.seen[self.path]
                route(self, times)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler

    @staticmethod
    def _send(handler, status: int, body: bytes, ctype: str, headers=()) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", ctype)
        handler.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            handler.send_header(k, v)
        handler.end_headers()
        handler.wfile.write(body)

    def _site_page(self, handler, times: int) -> None:
        # A proxy is asked for the whole address: answer for the site's path in it.
        parts = urlsplit(handler.path)
        if parts.path == SEARCH:
            start = int(parse_qs(parts.query).get("start", ["0"])[0])
            return self._send(handler, 200, self._search(start).encode(), "text/html")
        if parts.path.startswith("/provider/44/"):
            urn = parts.path.rsplit("/", 1)[-1]
            council = next((c for c in self.councils if c.urn == urn), None)
            if council is not None:
                return self._send(handler, 200, self._council(council).encode(), "text/html")
        self._send(handler, 404, NOT_FOUND_PAGE.encode(), "text/html")

    def _search(self, start: int) -> str:
        shown = self.councils[start : start + self.page_size]
        items = "".join(
            f'<li class="search-result"><h3><a href="/provider/44/{c.urn}">'
            f"{html.escape(c.name)}</a></h3><p>Local authority</p></li>"
            for c in shown
        )
        more = ""
        if start + self.page_size < len(self.councils):
            nxt = (
                "/search?q=&location=&lat=&lon=&radius=&level_1_types=3&level_2_types%5B%5D=12"
                f"&amp;start={start + self.page_size}&amp;rows={self.page_size}"
            )
            more = f'<a class="pagination__next" href="{nxt}">Next page</a>'
        return f"<html><body><ul class='results-list'>{items}</ul>{more}</body></html>"

    def _council(self, council: Council) -> str:
        days = "".join(
            '<li class="timeline__day"><p class="timeline__date">'
            f"<time>{html.escape(d.label.rsplit(' - ', 1)[-1])}</time></p>"
            '<div class="event"><a class="publication-link" '
            f'href="{self.files_url}/v1/file/{d.file_id}">'
            f"{html.escape(d.label.split(',')[0])}"
            f'<span class="nonvisual">{html.escape(d.label)}</span></a></div></li>'
            for d in council.docs
        )
        # A publication link outside the timeline (a page's other furniture) is not an event.
        return (
            "<html><body><nav><a class='publication-link' href='/about'>About"
            "<span class='nonvisual'>Guide, PDF - 1 January 2020</span></a></nav>"
            f"<h1>{html.escape(council.name)}</h1><ol class='timeline'>{days}</ol></body></html>"
        )

    def _file(self, handler, times: int) -> None:
        file_id = handler.path.rsplit("/", 1)[-1]
        found = [(c, d) for c in self.councils for d in c.docs if d.file_id == file_id]
        if not found:
            return self._send(handler, 404, NOT_FOUND_PAGE.encode(), "text/html")
        council, doc = found[0]
        if doc.behaviour == "not_found":
            return self._send(handler, 200, NOT_FOUND_PAGE.encode(), "text/html; charset=utf-8")
        if doc.behaviour == "reset_once" and times == 1:
            # Close with a TCP reset, before any answer.
            handler.connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
            )
            handler.connection.close()
            handler.close_connection = True
            return None
        if doc.behaviour == "busy_once" and times == 1:
            body = b"<html><body>Too many requests</body></html>"
            return self._send(handler, 429, body, "text/html", [("Retry-After", "1")])
        if doc.behaviour.startswith("fail_once:") and times == 1:
            status = int(doc.behaviour.partition(":")[2])
            return self._send(handler, status, b"<html>trouble</html>", "text/html")
        body = make_pdf([[council.name, doc.label, "Lorem findings of the copy site."]])
        self._send(handler, 200, body, "application/pdf")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--many", type=int, default=0, help="extra documents for Barnsley")
    args = ap.parse_args()
    copy = OfstedCopy(many_councils(args.many), port=args.port).start()
    print(f"site {copy.site_url}  files {copy.files_url}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        copy.stop()


if __name__ == "__main__":
    main()
