"""What the registry tells the layers above it when organisations are created or changed.

Saving one organisation sends Django's ``post_save`` as usual. A registry import creates up to
thousands of organisations inside ``registering_in_bulk()``: their ``post_save`` receivers may
then defer the work (``defer_while_in_bulk``), and ``organisations_created_in_bulk`` carries the
whole list once the block ends, so that the portal provisions them together (pages, groups,
collections in a few dozen queries for the whole file instead of about fifty per row).
"""

import contextvars
from contextlib import contextmanager

from django.dispatch import Signal

# Sent with ``organisations``: the organisations created inside one ``registering_in_bulk()``.
organisations_created_in_bulk = Signal()

# Organisations created inside ``registering_in_bulk()``, waiting to be announced together.
_pending = contextvars.ContextVar("organisations_created_in_bulk", default=None)


@contextmanager
def registering_in_bulk():
    """Announce the organisations created inside the block together, when it ends without an
    error. Use it inside the transaction that creates them, so that either all of it is
    written or none."""
    pending = []
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    if pending:
        organisations_created_in_bulk.send(sender=None, organisations=pending)


def defer_while_in_bulk(organisation):
    """Queue a just-created ``organisation`` if a ``registering_in_bulk()`` block is open; say
    whether it did."""
    pending = _pending.get()
    if pending is None:
        return False
    pending.append(organisation)
    return True
