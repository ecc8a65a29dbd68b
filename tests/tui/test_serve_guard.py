"""`reviewer serve`'s web application: nothing without the token, nothing for other origins.

These run against the aiohttp application in this process (no browser, no reviewer started:
a refused request never reaches textual-serve's handlers); tests/tui/test_serve_browser.py shows
the same from a real browser.
"""

from __future__ import annotations

import re

import pytest

pytest.importorskip("textual_serve")

from aiohttp.test_utils import TestClient, TestServer  # noqa: E402
from textual_serve.server import Server  # noqa: E402

from reviewer.tui.serve import open_command, page_url  # noqa: E402
from reviewer.tui.serve_app import build_app  # noqa: E402

TOKEN = "k3y-Of-this-serve"
PORT = 8123


def client(*, local: bool = True) -> TestClient:
    server = Server(
        "exec false", host="127.0.0.1", port=PORT, public_url=f"http://127.0.0.1:{PORT}"
    )
    return TestClient(TestServer(build_app(server, TOKEN, PORT, local=local), port=PORT))


HOST = {"Host": f"127.0.0.1:{PORT}"}
SOCKET = {
    **HOST,
    "Upgrade": "websocket",
    "Connection": "Upgrade",
    "Sec-WebSocket-Version": "13",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
}


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/ws",
        "/static/js/textual.js",
        "/static/fonts/RobotoMono-VariableFont_wght.ttf",
        "/download/x",
        "/k3y-Of-this-serv/",
        "/K3Y-OF-THIS-SERVE/",
        f"/x/{TOKEN}/",
    ],
)
async def test_without_the_token_nothing_is_served(path):
    async with client() as c:
        response = await c.get(path, headers=HOST)
        assert response.status == 404
        assert "textual" not in (await response.text()).lower()


async def test_with_the_token_the_page_loads_nothing_from_elsewhere():
    async with client() as c:
        response = await c.get(f"/{TOKEN}/", headers=HOST)
        assert response.status == 200
        page = await response.text()
        assert response.headers["Referrer-Policy"] == "no-referrer"
        links = re.findall(r"""(?:\bsrc=|\bhref=|url\()["']([^"']+)""", page)
        assert links, page
        for link in links:  # on the server the page came from, whatever its name
            assert link.startswith(f"/{TOKEN}/"), link
        assert f'data-session-websocket-url="ws://127.0.0.1:{PORT}/{TOKEN}/ws"' in page
        for asset in ("css/xterm.css", "js/textual.js", "fonts/RobotoMono-VariableFont_wght.ttf"):
            response = await c.get(f"/{TOKEN}/static/{asset}", headers=HOST)
            assert response.status == 200, asset
        response = await c.get(f"/{TOKEN}/page.css", headers=HOST)
        assert response.status == 200 and "@font-face" in await response.text()


@pytest.mark.parametrize(
    "origin", ["http://evil.example", f"http://127.0.0.1:{PORT + 1}", "null", "https://127.0.0.1"]
)
async def test_a_websocket_from_another_origin_is_refused(origin):
    async with client() as c:
        response = await c.get(f"/{TOKEN}/ws", headers={**SOCKET, "Origin": origin})
        assert response.status == 403


async def test_a_websocket_without_an_origin_is_refused():
    async with client() as c:
        assert (await c.get(f"/{TOKEN}/ws", headers=SOCKET)).status == 403


async def test_the_page_for_another_origin_or_host_is_refused():
    async with client() as c:
        page = f"/{TOKEN}/"
        assert (await c.get(page, headers={**HOST, "Origin": "http://evil.example"})).status == 403
        # a name of another site pointed at this machine (DNS rebinding)
        assert (await c.get(page, headers={"Host": f"evil.example:{PORT}"})).status == 403
        for name in ("localhost", "[::1]"):
            headers = {"Host": f"{name}:{PORT}", "Origin": f"http://{name}:{PORT}"}
            assert (await c.get(page, headers=headers)).status == 200


async def test_serving_beyond_this_machine_takes_the_name_it_was_reached_by():
    async with client(local=False) as c:
        page = f"/{TOKEN}/"
        headers = {"Host": f"desk-7:{PORT}", "Origin": f"http://desk-7:{PORT}"}
        assert (await c.get(page, headers=headers)).status == 200
        headers = {"Host": f"desk-7:{PORT}", "Origin": "http://evil.example"}
        assert (await c.get(page, headers=headers)).status == 403
        assert (await c.get("/", headers={"Host": f"desk-7:{PORT}"})).status == 404


def _policy(header: str) -> dict[str, list[str]]:
    directives = (d.split() for d in header.split(";") if d.strip())
    return {d[0]: d[1:] for d in directives}


@pytest.mark.parametrize(
    ("path", "headers", "status"),
    [
        (f"/{TOKEN}/", HOST, 200),
        (f"/{TOKEN}/static/js/textual.js", HOST, 200),
        ("/", HOST, 404),
        (f"/{TOKEN}/", {**HOST, "Origin": "http://evil.example"}, 403),
        (f"/{TOKEN}/ws", SOCKET, 403),
    ],
)
async def test_every_response_forbids_scripts_not_served_by_the_reviewer(path, headers, status):
    async with client() as c:
        response = await c.get(path, headers=headers)
        assert response.status == status
        policy = _policy(response.headers["Content-Security-Policy"])
        assert policy["default-src"] == ["'none'"]
        assert policy["script-src"] == ["'self'"]  # no inline script, no eval, no other host
        assert policy["style-src"][0] == "'self'" and "'unsafe-inline'" not in policy["style-src"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["connect-src"] == ["'self'"] and policy["base-uri"] == ["'none'"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"


async def test_the_page_has_no_inline_script_or_style():
    async with client() as c:
        page = await (await c.get(f"/{TOKEN}/", headers=HOST)).text()
        scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page, re.S)
        assert scripts and all("src=" in attrs and not body.strip() for attrs, body in scripts)
        assert not re.search(r"\son[a-z]+\s*=", page)  # no inline event handlers either
        assert "<style" not in page and "style=" not in page


@pytest.mark.parametrize(("local", "name"), [(True, "localhost"), (False, "desk-7")])
async def test_the_page_talks_to_the_name_the_browser_used(local, name):
    """Served beyond this machine (`--host 0.0.0.0`), the page is reached by the desk's
    name or address, never by the address the server was bound to."""
    async with client(local=local) as c:
        headers = {"Host": f"{name}:{PORT}"}
        page = await (await c.get(f"/{TOKEN}/", headers=headers)).text()
        assert f'data-session-websocket-url="ws://{name}:{PORT}/{TOKEN}/ws"' in page
        assert "127.0.0.1" not in page


def test_the_address_printed_has_the_token_and_the_tab_command_has_no_shell_left():
    assert page_url("127.0.0.1", 8000, "abc") == "http://127.0.0.1:8000/abc/"
    assert page_url("::1", 8000, "abc") == "http://[::1]:8000/abc/"
    assert open_command([]).startswith("exec ")
