"""Pages with a cache that accepts connections and never answers (issue #13, security.md 34).

Seeds a small region in a throw-away SQLite test database, then times the home page, the
directory, the ratings and a questionnaire with the process-memory cache and with Redis at a
loopback socket that never answers, through the Django test client: median and worst of
``--requests`` requests per page, and the difference.

    .venv/bin/python bench/silent_cache.py --requests 20
"""

import argparse
import os
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def silent_socket():
    listener = socket.create_server(("127.0.0.1", 0))
    held = []

    def accept():
        while True:
            conn, _ = listener.accept()
            held.append(conn)

    threading.Thread(target=accept, daemon=True).start()
    return listener.getsockname()[1]


def seed():
    from home.tests.factories import site_home_page
    from results.services import compute_year, publish_year
    from results.tests.factories import AssessmentInputFactory
    from schools.models import SchoolPage
    from surveys.tests.factories import CampaignFactory

    site_home_page()
    rows = [AssessmentInputFactory(year=2025) for _ in range(30)]
    compute_year(2025)
    publish_year(2025)
    CampaignFactory()
    school = rows[0].organisation
    directory = SchoolPage.objects.get(organisation=school).get_parent().url
    return ["/", directory, "/ratings/", f"/survey/{school.code}/parents/"]


def timed(urls, requests):
    from core.cache import breaker

    breaker.reset()
    client = Client()
    figures = {}
    for url in urls:
        seconds = []
        for _ in range(requests):
            client.cookies.clear()
            started = time.perf_counter()
            response = client.get(url)
            seconds.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
        figures[url] = (statistics.median(seconds) * 1000, max(seconds) * 1000)
    return figures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        urls = seed()
        normal = timed(urls, args.requests)
        from core.cache import redis_cache

        port = silent_socket()
        with override_settings(CACHES={"default": redis_cache(f"redis://127.0.0.1:{port}/0")}):
            silent = timed(urls, args.requests)
        print(f"{'page':42} {'normal p50/max ms':>18} {'silent p50/max ms':>18} {'max extra':>9}")
        for url in urls:
            (n50, nmax), (s50, smax) = normal[url], silent[url]
            print(f"{url:42} {n50:8.1f}/{nmax:<8.1f} {s50:8.1f}/{smax:<8.1f} {smax - nmax:8.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
