"""What the Russian normaliser (core/russian_text.py) costs the search index, timed.

Migrates a fresh SQLite database in a temporary folder, adds 2,000 organisations with the
registry import's realistic names (bench/import_orgs.py; rows only, no pages), then times:
their normalised text, cold (the dictionary loaded first) and warm; indexing them all on the
database backend with and without the normalised field; building the vocabulary typos are
matched against; and reading a few queries.

    .venv/bin/python bench/search_index.py [--rows 2000]
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ["лицея", "гимназии Приозерского района", "СОШ 12", "школа №5", "гимназея", "детский са"]


def timed(label, function, repeat=1):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    figure = statistics.median(times)
    print(f"{label}: {figure * 1000:.1f} ms" if figure < 1 else f"{label}: {figure:.2f} s")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    folder = tempfile.mkdtemp(prefix="bench-search-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.pop("ELASTICSEARCH_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
    import django

    django.setup()
    from django.core.management import call_command
    from modelsearch.backends import get_search_backend

    from bench.import_orgs import organisation_row
    from core import russian_text, search
    from core.memo import forget_all
    from registry.models import Municipality, Organisation

    call_command("migrate", verbosity=0)
    rng, codes, rows = random.Random(2026), set(), []
    for number in range(1, args.rows + 1):
        rows.append(organisation_row(number, rng, codes))
    municipalities = {
        name: Municipality.objects.create(name=name, slug=f"m{index}")
        for index, name in enumerate(sorted({row[4] for row in rows}))
    }
    Organisation.objects.bulk_create(
        Organisation(
            code=code,
            name=name,
            short_name=short,
            kind=kind,
            municipality=municipalities[municipality],
            address=address,
        )
        for code, name, short, kind, municipality, address, *_rest in rows
    )
    organisations = list(Organisation.get_indexed_objects())
    print(f"{len(organisations)} organisations, {len(municipalities)} municipalities")

    timed(
        "normalised text, cold (dictionary loaded)",
        lambda: [o.normalised_text() for o in organisations],
    )
    timed("normalised text, warm", lambda: [o.normalised_text() for o in organisations], repeat=3)
    russian_text.lemma.cache_clear()
    timed("normalised text, lemmas forgotten", lambda: [o.normalised_text() for o in organisations])

    engine = get_search_backend()

    def index_afresh():
        engine.reset_indexes()
        engine.add_bulk(Organisation, organisations)

    fields = Organisation.search_fields
    Organisation.search_fields = [
        field for field in fields if getattr(field, "field_name", "") != search.NORMALISED_FIELD
    ]
    try:
        timed("index on the database backend, without the normalised field", index_afresh)
    finally:
        Organisation.search_fields = fields
    timed("index on the database backend, with it", index_afresh)

    forget_all()
    vocabulary = timed("vocabulary built", search.vocabulary)
    print(f"vocabulary: {len(vocabulary.written)} written forms, {len(vocabulary.lemmas)} lemmas")
    queryset = Organisation.objects.filter(is_active=True)
    for query in QUERIES:
        found = timed(
            f"query «{query}» read and answered",
            lambda query=query: len(search.search(queryset, query).results),
            repeat=5,
        )
        print(f"    {found} found; terms {search.query_terms(query)}")


if __name__ == "__main__":
    main()
