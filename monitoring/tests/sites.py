"""Local web servers that play school websites for the checker's tests (no test touches the
internet)."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SVEDEN = [
    ("/sveden/common", "Основные сведения", "fullName"),
    ("/sveden/struct", "Структура и органы управления", "structOrgUprav"),
    ("/sveden/document", "Документы", "ustavDocLink"),
]


APPEALS = (
    "<h1>Обращения граждан</h1><p>Письменные обращения принимает секретарь по будням с 9 до 17 "
    "часов; ответ даётся в течение 30 дней по закону № 59-ФЗ.</p>"
)
FAQ = (
    "<h1>Часто задаваемые вопросы</h1><h2>Когда начинается приём в первый класс?</h2>"
    "<p>Заявления принимаются с 1 апреля через портал Госуслуг.</p>"
)


def html(title, body, charset="utf-8"):
    return (
        f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title}</title></head>'
        f"<body>{body}</body></html>"
    ).encode(charset)


def complete_site():
    """Every subsection with its heading and microdata, every channel, the appeals section."""
    routes = {
        "/": (
            200,
            "text/html; charset=utf-8",
            html(
                "Школа №1",
                '<h1>Школа №1</h1><p>Телефон: <a href="tel:+78121234567">+7 (812) 123-45-67</a>'
                '</p><p><a href="mailto:school1@example.ru">school1@example.ru</a></p>'
                '<a href="/appeals/">Обращения граждан</a> <a href="/faq/">Часто задаваемые '
                'вопросы</a> <a href="/feedback/">Обратная связь</a> '
                '<a href="https://bus.gov.ru/info-card/123">Оценить нас на bus.gov.ru</a>',
            ),
        ),
        "/appeals": (200, "text/html", html("Обращения", APPEALS)),
        "/appeals/": (200, "text/html", html("Обращения", APPEALS)),
        "/faq/": (200, "text/html", html("FAQ", FAQ)),
        "/feedback/": (
            200,
            "text/html",
            html("Связь", "<form method=post><textarea name=text></textarea></form>"),
        ),
    }
    for path, heading, prop in SVEDEN:
        routes[path] = (
            200,
            "text/html; charset=utf-8",
            html(heading, f'<h2>{heading}</h2><p itemprop="{prop}">Сведения</p>'),
        )
    return routes


class Site:
    """A web server on 127.0.0.1 answering from ``routes``: {path: (status, type, body)} or
    {path: callable(handler)} for special behaviour."""

    def __init__(self, routes):
        self.routes = routes
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                route = site.routes.get(self.path.split("?")[0])
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Type", "text/html")
                    self.end_headers()
                    self.wfile.write(b"<h1>Not found</h1>")
                    return
                if callable(route):
                    route(self)
                    return
                status, content_type, body = route
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass  # the checker hanging up on a huge or slow page is expected

        self.server = Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def redirect_to(location, status=301):
    def respond(handler):
        handler.send_response(status)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return respond


def slow(seconds, body=b"<h1>late</h1>"):
    def respond(handler):
        time.sleep(seconds)
        try:
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html")
            handler.end_headers()
            handler.wfile.write(body)
        except OSError:
            pass

    return respond


def huge(megabytes, *, declare_length):
    """A page of ``megabytes``; ``respond.written`` counts the megabytes the client took
    before it hung up."""

    def respond(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        if declare_length:
            handler.send_header("Content-Length", str(megabytes * 1024 * 1024))
        handler.end_headers()
        chunk = b"<p>" + b"x" * (1024 * 1024 - 3)
        try:
            for _ in range(megabytes):
                handler.wfile.write(chunk)
                handler.wfile.flush()
                respond.written += 1
        except OSError:
            pass  # the checker stopped reading: as it should

    respond.written = 0
    return respond
