"""Fixtures for curation: a local website on loopback for the link checker to visit."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

PAGE = b"<!doctype html><title>%s</title><p>Content.</p>"

# path -> (status, Location or None, page title). What a real catalogue link can turn into.
ROUTES = {
    "/ok": (200, None, b"Linear algebra"),
    "/old-home": (301, "/new-home", None),
    "/new-home": (200, None, b"Linear algebra, new home"),
    "/for-a-while": (302, "/ok", None),
    "/missing": (404, None, b"Not found"),
    "/gone": (410, None, b"Gone"),
    "/course": (302, "/pricing", None),
    "/pricing": (200, None, b"Pricing plans - choose a subscription"),
    "/broken": (500, None, b"Server error"),
}


class LinkSite(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests = []  # (method, path, user agent)

    def url(self, path):
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, send_body):
        self.server.requests.append((self.command, self.path, self.headers.get("User-Agent")))
        if self.path == "/slow":
            time.sleep(1)  # longer than the tests' timeout; nobody waits for it
            return
        if self.path == "/no-head" and self.command == "HEAD":
            status, location, title = 405, None, b"Method not allowed"
        else:
            status, location, title = ROUTES.get(self.path, (200, None, b"No HEAD needed"))
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        body = PAGE % title if title else b""
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def do_HEAD(self):
        self.answer(send_body=False)

    def do_GET(self):
        self.answer(send_body=True)


@pytest.fixture
def link_site(settings):
    """A site on 127.0.0.1: 200, 301, 302, 404, 410, 500, a timeout and a pricing page."""
    settings.LINK_CHECK_TIMEOUT = 0.3
    settings.LINK_CHECK_DELAY = 0
    site = LinkSite()
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    yield site
    site.shutdown()
    site.server_close()
