"""PostgreSQL advisory locks: the one place where their keys are chosen.

Two writers that must not interleave (two registry imports; two imports, computations or
publications of one year) each take a transaction-level advisory lock inside their
transaction: the second waits until the first commits or rolls back, and the lock ends with
the transaction, so no path can forget to release it (security.md case 26). SQLite allows one
writing transaction at a time anyway, so there these helpers do nothing.

The keys are arbitrary constants of ours. They live side by side here so that two locks can
never share a key by accident; PostgreSQL keeps one-key (bigint) and two-key (int, int) locks
apart, so the registry's key cannot collide with a year's either.
"""

from django.db import DEFAULT_DB_ALIAS, connections

# Taken by every registry import (one bigint key).
REGISTRY_LOCK_KEY = 7_100_2026_3
# Taken by every save of a survey campaign (one bigint key).
CAMPAIGNS_LOCK_KEY = 7_100_2026_4
# With the year as the second key: one lock per year's inputs and results.
YEAR_LOCK_NAMESPACE = 5_201_905


def lock_registry(using=DEFAULT_DB_ALIAS):
    """Serialise registry imports; call it inside the import's transaction.

    Two imports at once must leave one file's data, never a mix."""
    _lock_until_commit(using, REGISTRY_LOCK_KEY)


def lock_campaigns(using=DEFAULT_DB_ALIAS):
    """Serialise saves of survey campaigns; call it inside the save's transaction.

    Whether two campaigns overlap is checked in Python against the saved ones: two editors
    saving overlapping campaigns at once would each pass without it."""
    _lock_until_commit(using, CAMPAIGNS_LOCK_KEY)


def lock_year(year, using=DEFAULT_DB_ALIAS):
    """Serialise writers of one year's inputs and results; call it inside their transaction.

    The second import, computation or publication of a year waits for the first to commit,
    so a computation never reads inputs half-imported and a publication never freezes a draft
    half-recomputed."""
    _lock_until_commit(using, YEAR_LOCK_NAMESPACE, year)


def _lock_until_commit(using, *key):
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    placeholders = ", ".join(["%s"] * len(key))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_advisory_xact_lock({placeholders})", key)
