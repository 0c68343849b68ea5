"""Registry import of 2,000 organisations from XLSX (issue #3), timed.

Writes a 2,000-row registry in the exchange format (realistic Russian names, 14
municipalities) to a temporary folder, migrates a fresh database and times
``import_registry``: the check alone (what the admin preview runs), the first import (each
organisation saved through Organisation.save(), so with its page, staff group and collection
unless --without-provisioning), and a re-import of the same file, which must change nothing.

    .venv/bin/python bench/import_orgs.py            # a SQLite file in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_import \
        .venv/bin/python bench/import_orgs.py [--rows 2000] [--without-provisioning]

A PostgreSQL database is created if missing and then dropped; one that already exists must
be empty (it is used and left as it is). Settings are bench/settings_bench.py (production).
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent

MUNICIPALITIES = [
    ("Приозёрский муниципальный округ", "Приозёрск"),
    ("Городской округ Каменск", "Каменск"),
    ("Лесогорский муниципальный район", "Лесогорск"),
    ("Озёрный муниципальный округ", "Озёрный"),
    ("Городской округ Светлогорье", "Светлогорье"),
    ("Березниковский муниципальный район", "Березники"),
    ("Сосновский муниципальный округ", "Сосновка"),
    ("Городской округ Заречный", "Заречный"),
    ("Верхнереченский муниципальный район", "Верхнеречье"),
    ("Ключевской муниципальный округ", "Ключи"),
    ("Городской округ Новоборск", "Новоборск"),
    ("Полянский муниципальный район", "Поляны"),
    ("Тихвинский муниципальный округ", "Тихвинка"),
    ("Городской округ Солнечногорск", "Солнечногорск"),
]
STREETS = [
    "Ленина",
    "Школьная",
    "Мира",
    "Советская",
    "Гагарина",
    "Молодёжная",
    "Садовая",
    "Центральная",
    "Лесная",
    "Набережная",
    "Пушкина",
    "Октябрьская",
]
NAMESAKES = [
    "А. С. Пушкина",
    "М. В. Ломоносова",
    "Ю. А. Гагарина",
    "Л. Н. Толстого",
    "А. П. Чехова",
    "Героя Советского Союза И. Н. Кожедуба",
]
KINDS = ["school"] * 50 + ["preschool"] * 35 + ["college"] * 5 + ["additional"] * 10


def inn(rng):
    """A ten-digit ИНН of a legal entity with a valid check digit."""
    digits = [5, 5] + [rng.randint(0, 9) for _ in range(7)]
    weights = [2, 4, 10, 3, 5, 9, 4, 6, 8]
    digits.append(sum(w * d for w, d in zip(weights, digits, strict=True)) % 11 % 10)
    return "".join(map(str, digits))


def organisation_row(number, rng, codes):
    from anyascii import anyascii
    from django.utils.text import slugify

    municipality, town = MUNICIPALITIES[number % len(MUNICIPALITIES)]
    kind = rng.choice(KINDS)
    if kind == "school":
        short = f"МБОУ СОШ № {number}"
        name = (
            f"Муниципальное бюджетное общеобразовательное учреждение «Средняя "
            f"общеобразовательная школа № {number}"
        )
        name += f" имени {rng.choice(NAMESAKES)}»" if number % 4 == 0 else "»"
        pupils = (rng.randint(150, 1100), rng.randint(30, 260))
    elif kind == "preschool":
        short = f"МБДОУ детский сад № {number}"
        name = (
            f"Муниципальное бюджетное дошкольное образовательное учреждение «Детский сад "
            f"№ {number} «{rng.choice(['Солнышко', 'Ромашка', 'Берёзка', 'Теремок'])}»»"
        )
        pupils = (0, 0)
    elif kind == "college":
        short = f"ГБПОУ «Колледж № {number}»"
        name = (
            "Государственное бюджетное профессиональное образовательное учреждение "
            f"«Многопрофильный колледж № {number} г. {town}»"
        )
        pupils = (0, rng.randint(300, 1500))
    else:
        short = f"МБУ ДО ДДТ № {number}"
        name = (
            f"Муниципальное бюджетное учреждение дополнительного образования «Дом детского "
            f"творчества № {number}»"
        )
        pupils = (rng.randint(200, 900), rng.randint(50, 300))
    code = inn(rng)
    while code in codes:
        code = inn(rng)
    codes.add(code)
    address = f"г. {town}, ул. {rng.choice(STREETS)}, д. {rng.randint(1, 120)}"
    website = f"https://org{number}.{slugify(anyascii(town))}.example"
    return [code, name, short, kind, municipality, address, website, *pupils]


def registry_xlsx(rows, path):
    from openpyxl import Workbook

    from registry.resources import COLUMNS

    rng = random.Random(2026)
    codes = set()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Реестр")
    sheet.append(COLUMNS)
    for number in range(1, rows + 1):
        sheet.append(organisation_row(number, rng, codes))
    workbook.save(path)


def ensure_postgres_database(database_url, *, reuse=False):
    """Create the database if missing; True when this run created it (and so drops it).
    An existing database must be empty, unless ``reuse`` (a seeded one is wanted)."""
    import psycopg

    name = urlparse(database_url).path.lstrip("/")
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            with psycopg.connect(database_url) as target:
                tables = target.execute(
                    "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
                ).fetchone()[0]
            if tables and not reuse:
                sys.exit(f"Database {name} is not empty; give an empty or a missing one.")
            return False
        conn.execute(f'CREATE DATABASE "{name}"')
        return True


def drop_postgres_database(database_url):
    import psycopg

    name = urlparse(database_url).path.lstrip("/")
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def timed(label, action):
    from django.db import connection

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        report = action()
        elapsed = time.perf_counter() - started
    assert report.ok, report.error_lines()[:5]
    print(f"{label:<24} {elapsed:7.2f} s {queries:8d} queries   {report.summary()}")
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument(
        "--without-provisioning",
        action="store_true",
        help="disconnect the post-save provisioning (page, group, collection) to time the "
        "import alone",
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="noko-bench-import-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("MEDIA_ROOT", str(workdir / "media"))
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings_bench")
    database_url = os.environ["DATABASE_URL"]
    created_database = database_url.startswith("postgres") and ensure_postgres_database(
        database_url
    )
    sys.path.insert(0, str(ROOT))
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.db.models.signals import post_save

        from registry.models import Organisation
        from registry.registry_import import import_registry

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"{connection.vendor}, migrated in {time.perf_counter() - started:.1f} s")
        if args.without_provisioning:
            post_save.disconnect(sender=Organisation, dispatch_uid="schools.provision_organisation")
            print("post-save provisioning disconnected: the import alone")

        path = workdir / "registry.xlsx"
        registry_xlsx(args.rows, path)
        print(f"{args.rows} rows, {path.stat().st_size / 1024:.0f} KiB XLSX")
        timed("check (admin preview)", lambda: import_registry(path, dry_run=True))
        timed("first import", lambda: import_registry(path))
        timed("re-import (no-op)", lambda: import_registry(path))
    finally:
        from django.db import connections

        connections.close_all()
        if created_database:
            drop_postgres_database(database_url)


if __name__ == "__main__":
    main()
