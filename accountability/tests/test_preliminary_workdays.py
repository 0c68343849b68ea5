"""Deadlines in working days on the Russian production calendar (core/workdays.py).

The dates are those of the government's decrees on the transfer of days off: for 2025 (ПП РФ
от 04.10.2024 № 1335: 4 January → 2 May, 5 January → 31 December, 23 February → 8 May,
8 March → 13 June, Saturday 1 November working → 3 November off), for 2026 (3 January →
9 January, 4 January → 31 December; 8 March and 9 May fall on weekends and move to Monday by
ТК РФ ст. 112), and for 2024 (Saturdays 27 April, 2 November and 28 December working).
"""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from core.workdays import add_working_days, is_working_day, parse_changes

D = datetime.date


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2025, 1, 8), False),  # statutory New Year holidays, 1–8 January
        (D(2025, 1, 9), True),
        (D(2025, 2, 24), True),  # 23 February 2025 was a Sunday, moved by the decree to 8 May
        (D(2025, 5, 2), False),  # transferred from Saturday 4 January
        (D(2025, 5, 8), False),  # transferred from Sunday 23 February
        (D(2025, 6, 13), False),  # transferred from Saturday 8 March
        (D(2025, 11, 1), True),  # a Saturday made working
        (D(2025, 11, 3), False),
        (D(2025, 12, 31), False),  # transferred from Sunday 5 January
        (D(2026, 1, 9), False),  # transferred from Saturday 3 January
        (D(2026, 3, 9), False),  # 8 March 2026 is a Sunday: Monday off
        (D(2026, 5, 11), False),  # 9 May 2026 is a Saturday: Monday off
        (D(2026, 6, 12), False),
        (D(2026, 11, 4), False),
        (D(2024, 12, 28), True),  # a Saturday made working
        (D(2025, 12, 6), False),  # an ordinary Saturday
    ],
)
def test_the_calendar_knows_holidays_transfers_and_working_saturdays(day, working):
    assert is_working_day(day) is working


def test_a_deadline_across_the_new_year_holidays_resumes_after_them():
    # 31 December 2025 and 1–11 January 2026 are days off.
    assert add_working_days(D(2025, 12, 30), 1) == D(2026, 1, 12)
    # Ten working days from 25 December 2025: 26, 29, 30 December, then 12–16 and 19–20 January.
    assert add_working_days(D(2025, 12, 25), 10) == D(2026, 1, 20)


def test_a_deadline_across_the_may_holidays_skips_both_breaks():
    # 2025: 1–4 May and 8–11 May are days off.
    assert add_working_days(D(2025, 4, 30), 1) == D(2025, 5, 5)
    assert add_working_days(D(2025, 4, 30), 4) == D(2025, 5, 12)
    # 2026: 1–3 May, and 9 May (a Saturday) moves to Monday 11 May.
    assert add_working_days(D(2026, 4, 30), 1) == D(2026, 5, 4)
    assert add_working_days(D(2026, 5, 8), 1) == D(2026, 5, 12)


def test_a_transferred_working_saturday_counts():
    assert add_working_days(D(2025, 10, 31), 1) == D(2025, 11, 1)
    # Then 2 November (Sunday), 3 November (transferred) and 4 November (holiday) are off.
    assert add_working_days(D(2025, 10, 31), 2) == D(2025, 11, 5)
    # 2024: Saturday 28 December worked, then 30 and 31 December and 1–8 January were off.
    assert add_working_days(D(2024, 12, 27), 1) == D(2024, 12, 28)
    assert add_working_days(D(2024, 12, 27), 2) == D(2025, 1, 9)


def test_a_period_starting_on_a_weekend_counts_from_monday():
    # ГК РФ ст. 191: the period begins the day after its start.
    assert add_working_days(D(2025, 12, 6), 1) == D(2025, 12, 8)
    assert add_working_days(D(2025, 12, 7), 10) == D(2025, 12, 19)
    assert add_working_days(D(2025, 12, 5), 10) == D(2025, 12, 19)


def test_no_working_days_ends_on_the_start_or_the_next_working_day():
    assert add_working_days(D(2025, 12, 5), 0) == D(2025, 12, 5)
    assert add_working_days(D(2026, 1, 3), 0) == D(2026, 1, 12)
    with pytest.raises(ValueError):
        add_working_days(D(2025, 12, 5), -1)


@override_settings(PRODUCTION_CALENDAR_CHANGES=["2025-12-08:off", "2025-12-13:work"])
def test_a_transfer_announced_later_is_configured_and_wins():
    assert not is_working_day(D(2025, 12, 8))
    assert is_working_day(D(2025, 12, 13))
    assert add_working_days(D(2025, 12, 5), 1) == D(2025, 12, 9)
    assert add_working_days(D(2025, 12, 12), 1) == D(2025, 12, 13)


@pytest.mark.parametrize("entry", ["2025-13-01:off", "2025-12-08", "2025-12-08:holiday"])
def test_a_malformed_calendar_change_is_refused_with_its_text(entry):
    with pytest.raises(ImproperlyConfigured, match="PRODUCTION_CALENDAR_CHANGES"):
        parse_changes([entry])
