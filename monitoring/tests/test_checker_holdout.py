"""The checker on school sites it was not tuned to (issue #20, «Done when»): it must find a
subsection wherever a person following the site's menu would, and say "placeholder" where a
person would, on sites other than the fixture set it was developed against.

``holdout_sites/`` holds such sites in the fixture format (see ``fixture_server``), written
without reading the checker and shaped unlike ``fixture_sites/``: Joomla query-string URLs, a
kindergarten page-constructor, a college with upper-case folders and tabs, a navbar-only menu
in older wordings, a one-page «Сведения» with an in-page contents list, off-site redirects to a
dead host. Their ``expected.json`` is what a careful inspector answers; when the checker
disagrees, the checker is to change, not the answer.
"""

from pathlib import Path

import pytest

from .fixture_server import site_dirs, site_settings
from .test_checker_accuracy import accuracy_report, answer_problems

HOLDOUT = Path(__file__).resolve().parent / "holdout_sites"


def holdout_dirs():
    return sorted(path for path in HOLDOUT.iterdir() if (path / "expected.json").is_file())


def test_the_holdout_sites_are_new_shapes_described_for_the_reader():
    sites = holdout_dirs()
    assert len(sites) >= 6, [site.name for site in sites]
    fixture_names = {site.name for site in site_dirs()}
    assert not fixture_names & {site.name for site in sites}
    for site in sites:
        assert site_settings(site).get("description"), f"{site.name}: no description"


def test_every_holdout_site_answers_every_item_of_the_norm():
    problems = [line for site in holdout_dirs() for line in answer_problems(site)]
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def test_the_checker_agrees_with_the_inspector_on_sites_it_was_not_tuned_to():
    report = accuracy_report(holdout_dirs(), "holdout sites")
    if report:
        pytest.fail(report, pytrace=False)
