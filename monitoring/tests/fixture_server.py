"""Serves one fixture school site (``monitoring/tests/fixture_sites/<name>/``) on 127.0.0.1, the
way the site's own web server would, for the checker's accuracy test.

A site directory holds the site's files exactly as served (bytes on disk are the bytes on the
wire, so a cp1251 page is saved in cp1251):

- ``foo.html`` serves ``/foo.html``; ``sveden/common/index.html`` (or ``index.php``) serves
  ``/sveden/common`` and ``/sveden/common/``; ``sveden/index.php`` also serves
  ``/sveden/index.php``. Paths are case-sensitive, as on the Linux hosts school sites live on,
  and percent-encoded (Cyrillic) paths are decoded as UTF-8 before the lookup.
- ``_headers.json`` (optional): ``{"/path": {"status": 404, "content_type": "...",
  "location": "/elsewhere"}}`` — a status, a Content-Type or a redirect target for one path
  (with or without its trailing slash). A path with a status and no file gets a short page.
  A key with a query (``"/index.php?option=com_content&view=article&id=41"``, parameters in
  any order) answers only that query, and ``"file": "_pages/article-41.html"`` names the file
  it serves: the way a CMS without friendly URLs (Joomla, old PHP sites) serves every page
  from one script. Files under a folder whose name starts with ``_`` are served only so.
- ``_site.json``: ``{"description": "...", "behaviour": "normal" | "never_answers" | "refuses",
  "content_type": "text/html; charset=utf-8"}`` — ``content_type`` is what HTML files are
  served as unless ``_headers.json`` says otherwise (``text/html`` with no charset when a site
  declares its encoding only in a ``<meta>``). ``never_answers`` accepts connections and never
  answers; ``refuses`` is a port nothing listens on.
- ``expected.json`` is the inspector's answer for the test, never served; neither are the
  ``_*.json`` files.
"""

import json
import mimetypes
import threading
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.servers import SilentServer, closed_port

SITES = Path(__file__).resolve().parent / "fixture_sites"
NOT_SERVED = {"_headers.json", "_site.json", "expected.json"}
INDEXES = ("index.html", "index.php")
HTML_SUFFIXES = {"", ".html", ".htm", ".php"}
ERROR_PAGE = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>{status} {phrase}</title></head>'
    "<body><h1>{phrase}</h1><p>Apache Server at 127.0.0.1</p></body></html>"
)


def site_dirs():
    """Every fixture site's directory, by name."""
    return sorted(path for path in SITES.iterdir() if (path / "expected.json").is_file())


def site_settings(directory):
    settings_file = Path(directory) / "_site.json"
    return json.loads(settings_file.read_text("utf-8")) if settings_file.is_file() else {}


class FixtureSite:
    """``with FixtureSite(directory) as site:`` — the site answers at ``site.url``."""

    def __init__(self, directory):
        self.directory = Path(directory).resolve()
        self.settings = site_settings(self.directory)
        headers_file = self.directory / "_headers.json"
        headers = json.loads(headers_file.read_text("utf-8")) if headers_file.is_file() else {}
        self.headers = {_key(*path.partition("?")[::2]): answer for path, answer in headers.items()}
        self.behaviour = self.settings.get("behaviour", "normal")
        self.server = self.silent = None
        self.url = ""

    def __enter__(self):
        if self.behaviour == "never_answers":
            self.silent = SilentServer()
            self.url = self.silent.url
        elif self.behaviour == "refuses":
            self.url = f"http://127.0.0.1:{closed_port()}"
        else:
            self.server = _Server(("127.0.0.1", 0), _handler(self))
            threading.Thread(target=self.server.serve_forever, daemon=True).start()
            self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        return self

    def __exit__(self, *exc):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
        if self.silent is not None:
            self.silent.close()

    def answer(self, raw_path):
        """(status, headers, body) for a request path, as the site's server would send."""
        if not raw_path.isascii():  # raw UTF-8 in the request line, read by http.server as Latin-1
            raw_path = raw_path.encode("latin-1").decode("utf-8", "replace")
        parts = urllib.parse.urlsplit(raw_path)
        path = urllib.parse.unquote(parts.path, errors="replace")
        override = self.headers.get(_key(path, parts.query)) or self.headers.get(_key(path), {})
        file = self.routed_file(override["file"]) if "file" in override else self.file_for(path)
        if "location" in override:
            return override.get("status", 301), {"Location": override["location"]}, b""
        status = override.get("status", 200 if file else 404)
        if file is None:
            phrase = HTTPStatus(status).phrase
            body = ERROR_PAGE.format(status=status, phrase=phrase).encode()
            return status, {"Content-Type": "text/html; charset=utf-8"}, body
        content_type = override.get("content_type") or self.content_type(file)
        return status, {"Content-Type": content_type}, file.read_bytes()

    def file_for(self, path):
        """The file serving ``path``, or None; never anything outside the site directory."""
        relative = path.lstrip("/")
        target = (self.directory / relative).resolve()
        if target != self.directory and self.directory not in target.parents:
            return None
        if target.is_dir():
            return next((target / n for n in INDEXES if (target / n).is_file()), None)
        if path.endswith("/") or not target.is_file():
            return None
        if target.parent == self.directory and target.name in NOT_SERVED:
            return None
        if any(part.startswith("_") for part in target.relative_to(self.directory).parts[:-1]):
            return None  # routed pages (see _headers.json "file") have no address of their own
        return target

    def routed_file(self, relative):
        target = (self.directory / relative).resolve()
        return target if self.directory in target.parents and target.is_file() else None

    def content_type(self, file):
        if file.suffix.lower() in HTML_SUFFIXES:
            return self.settings.get("content_type", "text/html; charset=utf-8")
        return mimetypes.guess_type(file.name)[0] or "application/octet-stream"


def _key(path, query=""):
    """A path without its trailing slash, plus its query parameters in a stable order."""
    pairs = sorted(urllib.parse.parse_qsl(query, keep_blank_values=True))
    return (path.rstrip("/") or "/", tuple(pairs))


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client hanging up early is no news here


def _handler(site):
    class Handler(BaseHTTPRequestHandler):
        server_version = "Apache"
        sys_version = ""

        def do_GET(self):
            self.respond(with_body=True)

        def do_HEAD(self):
            self.respond(with_body=False)

        def respond(self, *, with_body):
            status, headers, body = site.answer(self.path)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if with_body:
                self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Handler
