"""The web application behind `reviewer serve`: textual-serve's page, WebSocket and assets,
reachable only with the server's secret token and only from the server's own pages.

textual-serve opens its `/ws` WebSocket to any page that asks, so any web page open on the
machine could drive a reviewer. Here every route lives under `/<token>/` (a random token
printed when the server starts, as Jupyter does), so a URL without it gets nothing: no page,
no WebSocket, no assets. A request that carries an `Origin` other than the server's own is
refused, and the WebSocket needs one (browsers always send it). On this machine, a `Host`
that is not this machine's is refused too (a page whose name was pointed at 127.0.0.1).
The page is the package's own (reviewer/tui/web): it loads nothing from anywhere else, and
its addresses follow the name the browser reached the server by (`--host` beyond this
machine: the desk's name or address), never the address the server was bound to.

Every response carries a Content-Security-Policy (`POLICY`) that lets the page run only the
scripts served from the server itself: no inline script, no `eval`, nothing from elsewhere,
never inside another site's frame; and `nosniff`, `no-referrer`.

Only textual-serve's public API is used: its WebSocket and download handlers and its asset
folder; the page, the routes and the checks are this module's.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.server import Server

PAGE_DIR = Path(__file__).with_name("web")
LOCAL_NAMES = ("127.0.0.1", "localhost", "[::1]")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

# The two style elements textual.js writes itself (textual-serve 1.1): an empty one, and
# "h1{...}body{margin:0;padding:0}.textual-terminal{...}", allowed by their hashes so the
# console stays quiet. Another version's are refused, which costs nothing: page.css
# styles the page.
TEXTUAL_JS_STYLES = (
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
    "'sha256-03EiY9OLVCaCQVNKUgCYxdI11BJ8pKsqSKUlTlszVsE='",
)
# Scripts and styles only from the server (textual.js, the page's page.css), no inline
# script, no eval; the WebSocket back to the page's own server ('self' covers ws:).
POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        " ".join(("style-src 'self'", *TEXTUAL_JS_STYLES)),
        "font-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def own_origins(port: int, *, local: bool) -> frozenset[str] | None:
    """The origins of the server's own pages; None when any name of the machine serving
    beyond localhost may be used (the request's own `Host` then says it)."""
    if not local:
        return None
    return frozenset(f"http://{name}:{port}" for name in LOCAL_NAMES)


def guard(token: str, port: int, *, local: bool) -> Callable[..., Awaitable[web.StreamResponse]]:
    """An aiohttp middleware: the token first, then the `Host` and `Origin` checks."""
    expected = token.encode()
    origins = own_origins(port, local=local)

    @web.middleware
    async def check(request: web.Request, handler: Handler) -> web.StreamResponse:
        first = request.path.lstrip("/").partition("/")[0]
        if not hmac.compare_digest(first.encode(), expected):
            raise web.HTTPNotFound()
        own = origins if origins is not None else frozenset({f"http://{request.host}"})
        if f"http://{request.host}" not in own:
            raise web.HTTPForbidden(text="this reviewer answers only to this machine's names")
        origin = request.headers.get("Origin")
        is_socket = request.headers.get("Upgrade", "").lower() == "websocket"
        if (origin is None and is_socket) or (origin is not None and origin not in own):
            raise web.HTTPForbidden(text="refused: the request did not come from this reviewer")
        return await handler(request)

    return check


async def add_security_headers(request: web.Request, response: web.StreamResponse) -> None:
    """Every response, the refusals too: the policy and the other headers."""
    response.headers.update(SECURITY_HEADERS)


def page_context(request: web.Request, root: str, title: str) -> dict[str, object]:
    """What the page's template needs: addresses on the host the browser used."""
    try:
        font_size = min(48, max(6, int(request.query.get("fontsize", "16"))))
    except ValueError:
        font_size = 16
    socket = "wss" if request.secure else "ws"
    return {
        "font_size": font_size,
        "app_websocket_url": f"{socket}://{request.host}{root}/ws",
        "config": {"static": {"url": f"{root}/static/"}},
        "page_css": f"{root}/page.css",
        "application": {"name": title},
    }


def build_app(server: Server, token: str, port: int, *, local: bool) -> web.Application:
    """The page and textual-serve's handlers under `/<token>/`, behind `guard`, every
    response with `SECURITY_HEADERS`."""
    app = web.Application(middlewares=[guard(token, port, local=local)])
    app.on_response_prepare.append(add_security_headers)
    aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(PAGE_DIR))
    root = f"/{token}"

    async def to_page(request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound(f"{root}/")

    async def page(request: web.Request) -> web.StreamResponse:
        context = page_context(request, root, server.title)
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def page_css(request: web.Request) -> web.StreamResponse:
        return web.FileResponse(PAGE_DIR / "page.css")

    app.add_routes(
        [
            web.get(root, to_page),
            web.get(f"{root}/", page, name="index"),
            web.get(f"{root}/page.css", page_css, name="page_css"),
            web.get(f"{root}/ws", server.handle_websocket, name="websocket"),
            web.get(f"{root}/download/{{key}}", server.handle_download, name="download"),
            web.static(f"{root}/static", server.statics_path, name="static"),
        ]
    )
    return app
