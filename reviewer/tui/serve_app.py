"""The web application behind `reviewer serve`: textual-serve's page, WebSocket and assets,
reachable only with the server's secret token and only from the server's own pages.

textual-serve opens its `/ws` WebSocket to any page that asks, so any web page open on the
machine could drive a reviewer. Here every route lives under `/<token>/` (a random token
printed when the server starts, as Jupyter does), so a URL without it gets nothing: no page,
no WebSocket, no assets. A request that carries an `Origin` other than the server's own is
refused, and the WebSocket needs one (browsers always send it). On this machine, a `Host`
that is not this machine's is refused too (a page whose name was pointed at 127.0.0.1).
The page is the package's own (reviewer/tui/web): it loads nothing from anywhere else.

Only textual-serve's public API is used: its request handlers, asset folder and template
folder option; the routes and the checks are this module's.
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
        response = await handler(request)
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    return check


def build_app(server: Server, token: str, port: int, *, local: bool) -> web.Application:
    """textual-serve's handlers under `/<token>/`, behind `guard`."""
    app = web.Application(middlewares=[guard(token, port, local=local)])
    aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(PAGE_DIR))
    root = f"/{token}"

    async def to_page(request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound(f"{root}/")

    app.add_routes(
        [
            web.get(root, to_page),
            web.get(f"{root}/", server.handle_index, name="index"),
            web.get(f"{root}/ws", server.handle_websocket, name="websocket"),
            web.get(f"{root}/download/{{key}}", server.handle_download, name="download"),
            web.static(f"{root}/static", server.statics_path, name="static"),
        ]
    )
    return app
