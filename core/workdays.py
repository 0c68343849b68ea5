"""Working days of the Russian production calendar, for deadlines counted in working days.

A day is non-working when it is a Saturday or a Sunday, a statutory holiday (ТК РФ ст. 112:
1–8 January, 23 February, 8 March, 1 and 9 May, 12 June, 4 November), the working day a
holiday falling on a weekend moves to (ст. 112 ч. 2, the January holidays excepted), or a
day off transferred by the government's yearly decree (a weekday made a day off, a Saturday
made a working day). The statutory days, the weekend rule and the decrees of past years come
from the ``holidays`` package (its RU calendar, kept up to date by its maintainers, pinned in
requirements.txt); a transfer announced after the pinned release is configured with the
setting ``PRODUCTION_CALENDAR_CHANGES`` ("2028-05-04:off", "2028-11-06:work"), which wins
over the package.

Deadlines follow ГК РФ ст. 191 and 193: a period of ``n`` working days starts on the day after
its start date, and a deadline never ends on a non-working day.
"""

import datetime
import functools

import holidays
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

OFF, WORK = "off", "work"
# A long period: no calendar has this many non-working days in a row, so a loop past it
# means a broken configuration rather than a long holiday.
MAX_DAYS_IN_A_ROW_OFF = 31


def parse_changes(entries):
    """{date: True for a working day, False for a day off} from "YYYY-MM-DD:off|work"."""
    changes = {}
    for entry in entries:
        day, _sep, kind = entry.strip().partition(":")
        try:
            date = datetime.date.fromisoformat(day.strip())
        except ValueError as error:
            raise ImproperlyConfigured(
                f"PRODUCTION_CALENDAR_CHANGES: {entry!r} is not YYYY-MM-DD:off|work"
            ) from error
        kind = kind.strip().lower()
        if kind not in (OFF, WORK):
            raise ImproperlyConfigured(
                f"PRODUCTION_CALENDAR_CHANGES: {entry!r} must end with :off or :work"
            )
        changes[date] = kind == WORK
    return changes


@functools.lru_cache(maxsize=64)
def _calendar(year):
    # One calendar per year: the package fills a year's holidays and transfers on demand.
    return holidays.country_holidays("RU", years=year)


@functools.lru_cache(maxsize=8)
def _changes(entries):
    return parse_changes(entries)


def configured_changes():
    return _changes(tuple(getattr(settings, "PRODUCTION_CALENDAR_CHANGES", ()) or ()))


def is_working_day(day):
    changed = configured_changes().get(day)
    if changed is not None:
        return changed
    calendar = _calendar(day.year)
    if day in calendar:
        return False
    if day in calendar.weekend_workdays:
        return True
    return day.weekday() < 5


def next_working_day(day):
    """``day`` itself when it is a working day, else the first working day after it."""
    for _step in range(MAX_DAYS_IN_A_ROW_OFF):
        if is_working_day(day):
            return day
        day += datetime.timedelta(days=1)
    raise ImproperlyConfigured(f"No working day within a month after {day:%Y-%m-%d}")


def add_working_days(start, n):
    """The last day of a period of ``n`` working days that begins after ``start``.

    ``n = 0`` gives ``start`` itself, or the next working day when ``start`` is not one."""
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    for _counted in range(n):
        day = next_working_day(day + datetime.timedelta(days=1))
    return next_working_day(day)
