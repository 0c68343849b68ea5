"""A circuit breaker: after a service fails, leave it alone for a while instead of waiting on it
at every call.

A service that accepts connections and never answers is worse than one that is down: each call
waits its whole timeout, and a page that makes twenty calls waits twenty times. After a failure
the breaker stays open for ``retry_seconds``, during which callers skip the service at once;
then one call tries again. It logs one line when the service fails and one when it answers
again, not a traceback per call.

State is per process, on purpose: each process finds out for itself at the cost of one
timeout, and nothing shared is needed to know that the shared thing is broken.
"""

import logging
import time

logger = logging.getLogger(__name__)


class CircuitBreaker:
    def __init__(self, name, retry_seconds):
        self.name = name
        self.retry_seconds = retry_seconds  # a number, or a callable returning one
        self.open_until = 0.0
        self.failing = False

    def is_open(self):
        return time.monotonic() < self.open_until

    def failed(self, error):
        seconds = self.retry_seconds() if callable(self.retry_seconds) else self.retry_seconds
        self.open_until = time.monotonic() + seconds
        if not self.failing:
            self.failing = True
            logger.warning(
                "%s did not answer (%s: %s); not asked again for %s s",
                self.name,
                type(error).__name__,
                error,
                seconds,
            )

    def succeeded(self):
        if self.failing:
            self.failing = False
            logger.warning("%s answers again", self.name)

    def reset(self):
        self.open_until = 0.0
        self.failing = False
