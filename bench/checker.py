"""The website checker over a region's worth of sites on this machine, timed (issue #20).

A separate process serves ``--sites`` school sites from one asyncio loop, each on its own
loopback port (so each is its own host to the checker, with its own connections): pages of
30–80 KB with a real site's header, menus, news column and footer, in the shapes the fixture
sites take — every subsection at /sveden/<slug>, .html variants behind an index page, a
platform's transliterated menu with no /sveden/, a one-page «Сведения», placeholders — plus
slow sites (every answer 0.2–1 s late), sites whose «Сведения» answer 500, sites that accept
connections and never answer, and ports nothing listens on. This process then checks them all
the way a monitoring round does (``monitoring.site_checks``): ``checker.check_site`` with the
whole current norm from a thread pool of ``--concurrency`` threads, each site read by one
thread one page at a time.

    .venv/bin/python bench/checker.py [--sites 2000] [--concurrency 16] [--timeout 10]

Prints sites per second, the total, pages read and the verdicts; nothing is written.
"""

import argparse
import asyncio
import multiprocessing
import os
import random
import socket
import statistics
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _words(text):
    return tuple(text.split())


KINDS = (
    # (kind, share of sites)
    ("standard", 0.50),
    ("html_variants", 0.10),
    ("platform", 0.10),
    ("one_page", 0.07),
    ("placeholders", 0.07),
    ("slow", 0.08),
    ("server_errors", 0.04),
    ("never_answers", 0.02),
    ("refuses", 0.02),
)
WORDS = _words(
    "школа учащиеся родители педагоги урок олимпиада конкурс проект класс программа "
    "районный этап победитель призёр экскурсия музей библиотека спортивный зал соревнования "
    "весна осень выпускники экзамен подготовка кружок секция творчество концерт праздник "
    "неделя науки встреча ветераны патриотическое воспитание безопасность дорожного "
    "движения родительское собрание итоги четверти расписание каникулы здоровье питание "
    "столовая"
)
TRANSLIT = {
    "common": "osnovnye-svedeniya",
    "struct": "struktura-i-organy-upravleniya",
    "document": "dokumenty",
    "education": "obrazovanie",
    "eduStandarts": "obrazovatelnye-standarty",
    "managers": "rukovodstvo",
    "employees": "pedagogicheskiy-sostav",
    "objects": "materialno-tehnicheskoe-obespechenie",
    "grants": "stipendii",
    "paid_edu": "platnye-uslugi",
    "budget": "finansovo-hozyaystvennaya-deyatelnost",
    "vacant": "vakantnye-mesta",
    "inter": "mezhdunarodnoe-sotrudnichestvo",
    "catering": "organizatsiya-pitaniya",
}


# --- the sites -----------------------------------------------------------------------------


def _filler(rng, words):
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _news(rng, count):
    """News teasers, one string each."""
    items = []
    for n in range(count):
        items.append(
            f'<article class="news-item"><h3><a href="/news/{n}">{_filler(rng, 6)}</a></h3>'
            f'<time datetime="2025-0{1 + n % 9}-1{n % 10}">1{n % 10}.0{1 + n % 9}.2025</time>'
            f"<p>{_filler(rng, 60)}</p><p>{_filler(rng, 45)}</p></article>"
        )
    return items


def _menu(subsections, href):
    return "".join(f'<li><a href="{href(s)}">{s.title}</a></li>' for s in subsections)


def _section_body(subsection, rng, placeholder=False):
    if placeholder:
        return "<p>Раздел находится в стадии наполнения.</p>"
    rows = []
    for item in subsection.items[:12]:
        value = f"{_filler(rng, 5)} № {rng.randint(1, 999)}"
        rows.append(f'<tr><td>{item.label}</td><td itemprop="{item.itemprop}">{value}</td></tr>')
    return f'<table class="sved">{"".join(rows)}</table><p>{_filler(rng, 80)}</p>'


class SiteTemplates:
    """Page bodies per kind, built once; a site's own name is put in when served."""

    def __init__(self):
        from monitoring import norm

        self.norm = norm
        rng = random.Random(20)
        self.subsections = norm.SUBSECTIONS
        # The news column every page carries, longer on some pages: most of its 30–80 KB.
        self.news = _news(rng, 36)
        self.rng = rng
        self.footer = (
            '<footer class="site-footer"><p>620014, Свердловская область, г. Энск, '
            "ул. Школьная, д. 5</p><p>ИНН 6601234567 КПП 660101001 ОГРН 1026601234567 "
            "р/с 40702810900000001234</p></footer>"
        )
        self.pages = {}
        for kind in ("standard", "html_variants", "platform", "one_page", "placeholders"):
            self.pages[kind] = self._kind_pages(kind, rng)
        self.pages["slow"] = self.pages["standard"]
        self.pages["server_errors"] = self.pages["standard"]

    def _layout(self, title, main, menu):
        news = "".join(self.news[: self.rng.randint(12, 36)])
        return (
            '<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8">'
            f"<title>{title} — @@NAME@@</title>"
            '<script src="/js/bvi.min.js"></script></head><body>'
            '<header class="site-header"><a href="/">@@NAME@@</a>'
            '<span>Телефон: <a href="tel:+73432015505">+7 (343) 201-55-05</a></span>'
            '<a href="mailto:school@example.ru">school@example.ru</a>'
            '<button class="bvi-open">Версия для слабовидящих</button></header>'
            '<nav class="main-menu"><ul><li><a href="/">Главная</a></li>'
            f"{menu}"
            '<li><a href="/news/">Новости</a></li><li><a href="/appeals/">Обращения граждан</a>'
            '</li><li><a href="/faq/">Вопрос-ответ</a></li><li><a href="/contacts/">Контакты'
            "</a></li></ul></nav>"
            f'<main><h1>{title}</h1>{main}</main><aside class="news">{news}</aside>'
            '<a href="https://bus.gov.ru/info-card/123456">Оценить нас на bus.gov.ru</a>'
            f"{self.footer}</body></html>"
        )

    def _kind_pages(self, kind, rng):
        subsections = self.subsections
        if kind == "platform":
            hub = "/svedeniya/"

            def href(s):
                return f"/svedeniya/{TRANSLIT[s.key]}/"
        elif kind == "html_variants":
            hub = "/sveden/index.html"

            def href(s):
                return f"/sveden/{s.key.lower()}.html"
        elif kind == "one_page":
            hub = "/svedeniya.html"

            def href(s):
                return f"/svedeniya.html#{s.key}"
        else:
            hub = "/sveden/"

            def href(s):
                return s.standard_path + "/"

        top = f'<li><a href="{hub}">Сведения об образовательной организации</a></li>'
        submenu = f'<ul class="sveden-menu">{_menu(subsections, href)}</ul>'
        pages = {"/": self._layout("Главная", f"<p>{_filler(rng, 120)}</p>", top)}
        if kind == "one_page":
            sections = "".join(
                f'<h2 id="{s.key}">{s.title}</h2>{_section_body(s, rng)}' for s in subsections
            )
            pages[hub] = self._layout("Сведения об образовательной организации", sections, top)
        else:
            pages[hub] = self._layout(
                "Сведения об образовательной организации", submenu, top + submenu
            )
            for n, s in enumerate(subsections):
                placeholder = kind == "placeholders" and n % 3 == 0
                body = _section_body(s, rng, placeholder)
                pages[href(s).split("#")[0]] = self._layout(s.title, body, top + submenu)
        pages["/contacts/"] = self._layout(
            "Контакты", "<p>Телефон: (343) 201-55-05, e-mail school@example.ru</p>", top
        )
        pages["/appeals/"] = self._layout(
            "Обращения граждан",
            f"<p>{_filler(rng, 40)}</p><form method=post><textarea name=t></textarea></form>",
            top,
        )
        pages["/faq/"] = self._layout("Часто задаваемые вопросы", f"<p>{_filler(rng, 60)}</p>", top)
        return {path: body.encode() for path, body in pages.items()}


def site_kinds(count, seed=20):
    rng = random.Random(seed)
    kinds, weights = zip(*KINDS, strict=True)
    return [rng.choices(kinds, weights)[0] for _ in range(count)]


# --- the server process ----------------------------------------------------------------------


def serve(kinds, ready):
    """Run every site in one asyncio loop until terminated; sends the ports to ``ready``."""
    sys.path.insert(0, str(ROOT))
    templates = SiteTemplates()
    asyncio.run(_serve(kinds, templates, ready))


async def _serve(kinds, templates, ready):
    servers, ports, held = [], [], []
    for index, kind in enumerate(kinds):
        if kind == "refuses":
            # Bound and never listening: connections are refused, and no one else gets the port.
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            held.append(sock)
            ports.append(sock.getsockname()[1])
            continue
        handler = _handler(index, kind, templates)
        server = await asyncio.start_server(handler, "127.0.0.1", 0, backlog=64)
        servers.append(server)
        ports.append(server.sockets[0].getsockname()[1])
    ready.send(ports)
    await asyncio.Event().wait()  # serve until the bench terminates this process


def _handler(index, kind, templates):
    pages = templates.pages.get(kind, {})
    name = f"МБОУ «СОШ № {index + 1}»".encode()
    rng = random.Random(index)

    async def handle(reader, writer):
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                if kind == "never_answers":
                    await asyncio.sleep(3600)
                    return
                path = head.split(b" ", 2)[1].decode("latin-1").split("?")[0]
                if kind == "slow":
                    await asyncio.sleep(rng.uniform(0.2, 1.0))
                body = pages.get(path) or pages.get(path + "/")
                status = b"200 OK"
                if kind == "server_errors" and (path.startswith("/sveden") and path != "/sveden/"):
                    body, status = b"<h1>Internal Server Error</h1>", b"500 Internal Server Error"
                elif body is None:
                    body, status = b"<h1>Not Found</h1>", b"404 Not Found"
                else:
                    body = body.replace(b"@@NAME@@", name)
                writer.write(
                    b"HTTP/1.1 " + status + b"\r\nContent-Type: text/html; charset=utf-8\r\n"
                    b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    return handle


# --- the checking side -----------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--timeout", type=float, default=10.0)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    import logging

    logging.getLogger("httpx").setLevel(logging.WARNING)
    from monitoring import checker, crawler, norm

    kinds = site_kinds(args.sites)
    receive, send = multiprocessing.Pipe(duplex=False)
    server = multiprocessing.Process(target=serve, args=(kinds, send), daemon=True)
    server.start()
    ports = receive.recv()
    sizes = [len(b) for b in SiteTemplates().pages["standard"].values()]
    print(
        f"{args.sites} sites on ports {min(ports)}–{max(ports)}: {dict(Counter(kinds))}; "
        f"page sizes {min(sizes) // 1024}–{max(sizes) // 1024} KB"
    )

    specs = norm.standard_specs()
    reads = Counter()
    original = crawler.fetch

    def counted(url, **kwargs):
        reads[threading.get_ident()] += 1
        return original(url, **kwargs)

    crawler.fetch = counted
    verdicts, durations, per_kind, how = Counter(), [], {}, {}
    started = time.perf_counter()
    cpu_started = time.process_time()
    with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
        futures = {}
        for index, port in enumerate(ports):
            futures[pool.submit(_timed, checker.check_site, port, specs, args.timeout)] = index
        for done, future in enumerate(as_completed(futures), start=1):
            index = futures[future]
            findings, seconds = future.result()
            durations.append(seconds)
            per_kind.setdefault(kinds[index], []).append(seconds)
            verdicts.update(f.verdict for f in findings.values())
            how.setdefault(kinds[index], Counter()).update(
                f.how_found for key, f in findings.items() if key not in norm.CONTACT_CHECKS
            )
            if done % 250 == 0:
                elapsed = time.perf_counter() - started
                print(f"  {done} sites in {elapsed:.0f} s ({done / elapsed:.2f} sites/s)")
    total = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    server.terminate()  # the never-answering sites' handlers would wait out their hour
    server.join(5)

    pages = sum(reads.values())
    print(f"concurrency {args.concurrency}, timeout {args.timeout:g} s, {os.cpu_count()} CPUs")
    print(
        f"TOTAL {args.sites} sites in {total:.1f} s = {args.sites / total:.2f} sites/s; "
        f"{pages} pages ({pages / total:.0f} pages/s); checker CPU {cpu:.0f} s"
    )
    ordered = sorted(durations)
    print(
        f"site seconds: median {statistics.median(ordered):.2f}, "
        f"p95 {ordered[int(len(ordered) * 0.95)]:.2f}, max {ordered[-1]:.1f}"
    )
    for kind, seconds in sorted(per_kind.items()):
        found = ", ".join(f"{h or '-'} {n}" for h, n in how[kind].most_common())
        print(
            f"  {kind:14} {len(seconds):5} sites, median {statistics.median(seconds):6.2f} s"
            f" (subsections: {found})"
        )
    print("verdicts:", dict(verdicts.most_common()))


def _timed(check_site, port, specs, timeout):
    started = time.perf_counter()
    findings = check_site(f"http://127.0.0.1:{port}", specs, timeout=timeout)
    return findings, time.perf_counter() - started


if __name__ == "__main__":
    main()
