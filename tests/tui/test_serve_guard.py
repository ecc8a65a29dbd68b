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
        for link in links:
            assert link.startswith(f"http://127.0.0.1:{PORT}/{TOKEN}/static/"), link
        assert f'data-session-websocket-url="ws://127.0.0.1:{PORT}/{TOKEN}/ws"' in page
        for asset in ("css/xterm.css", "js/textual.js", "fonts/RobotoMono-VariableFont_wght.ttf"):
            response = await c.get(f"/{TOKEN}/static/{asset}", headers=HOST)
            assert response.status == 200, asset


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


def test_the_address_printed_has_the_token_and_the_tab_command_has_no_shell_left():
    assert page_url("127.0.0.1", 8000, "abc") == "http://127.0.0.1:8000/abc/"
    assert page_url("::1", 8000, "abc") == "http://[::1]:8000/abc/"
    assert open_command([]).startswith("exec ")
