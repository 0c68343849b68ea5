"""What a process remembers between requests, in one named place.

A few answers are needed on nearly every request and change rarely: the open campaign, an
organisation by its code, today's HMAC key, a prepared INSERT, a registered Redis script. Each
is a :class:`Memo` created at module level and registered here, so that a change signal or a
test forgets all of them with :func:`forget_all` instead of reaching into each module's private
dicts.

An entry stored with ``seconds`` expires on the monotonic clock: that bounds how long a change
made by another process or server takes to reach this one (tests/cluster proves it).
"""

import time

_MEMOS = []
MISSING = object()


class Memo:
    """A process-local dict of remembered answers, with an optional expiry per entry."""

    def __init__(self, name, *, max_entries=100_000):
        self.name = name
        # A bound, so that a flood of distinct keys (e.g. unknown organisation codes) never
        # grows the process without limit: past it the memo starts afresh.
        self.max_entries = max_entries
        self._entries = {}
        _MEMOS.append(self)

    def __repr__(self):
        return f"<Memo {self.name}: {len(self._entries)}>"

    def lookup(self, key):
        """The remembered value, or :data:`MISSING` if there is none or it expired."""
        entry = self._entries.get(key)
        if entry is None or (entry[0] is not None and entry[0] <= time.monotonic()):
            return MISSING
        return entry[1]

    def store(self, key, value, seconds=None):
        if len(self._entries) >= self.max_entries:
            self._entries.clear()
        expires = None if seconds is None else time.monotonic() + seconds
        self._entries[key] = (expires, value)
        return value

    def get(self, key, compute, seconds=None):
        """The remembered value of ``key``, computed (and remembered) when missing."""
        value = self.lookup(key)
        if value is MISSING:
            value = self.store(key, compute(), seconds)
        return value

    def forget(self):
        self._entries.clear()


def forget_all(**signal_kwargs):
    """Forget everything every memo of the process holds (usable as a signal receiver)."""
    for memo in _MEMOS:
        memo.forget()
