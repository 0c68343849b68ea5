"""The checker against fixture school sites, item by item: every subsection of the current norm
and every contact check, on sites shaped like the ones schools really have (regional
platforms, CMS templates, one-page «Сведения», placeholders, old microdata, old encodings, a
site that never answers). Each site's ``expected.json`` is what a careful inspector would
answer (see ``fixture_server`` for the format); the test lists every disagreement at once.
"""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from monitoring import checker, norm

from .fixture_server import FixtureSite, site_dirs, site_settings

SUBSECTION_KEYS = (
    "common",
    "struct",
    "document",
    "education",
    "eduStandarts",
    "managers",
    "employees",
    "objects",
    "grants",
    "paid_edu",
    "budget",
    "vacant",
    "inter",
    "catering",
)
VERDICTS = {"present", "outdated", "placeholder", "absent", "unreachable"}
HOW_SUBSECTION = {"standard", "variant", "link", "same_page"}
HOW_CONTACT = {"home", "contacts", "common", "noko", "link"}


def expected_answers(directory):
    return json.loads((directory / "expected.json").read_text("utf-8"))


def all_keys():
    return set(SUBSECTION_KEYS) | set(norm.CONTACT_CHECKS) | {s.key for s in norm.standard_specs()}


def test_the_fixture_set_has_the_shapes_the_issue_asks_for():
    sites = site_dirs()
    assert len(sites) >= 12, [site.name for site in sites]
    behaviours = {site_settings(site).get("behaviour", "normal") for site in sites}
    assert "never_answers" in behaviours
    for site in sites:
        assert site_settings(site).get("description"), f"{site.name}: no description"


def test_every_fixture_site_answers_every_item_of_the_norm():
    problems = [line for site in site_dirs() for line in answer_problems(site)]
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def answer_problems(site):
    """Lines naming every item of the norm the site's expected.json leaves out or answers
    in a form the comparison cannot read."""
    problems = []
    expected = expected_answers(site)
    for key in sorted(all_keys() - set(expected)):
        problems.append(f"{site.name}: no expected answer for «{key}»")
    for key in sorted(set(expected) - all_keys()):
        problems.append(f"{site.name}: «{key}» is not an item of the norm")
    for key, answer in expected.items():
        allowed_how = HOW_SUBSECTION if key in SUBSECTION_KEYS else HOW_CONTACT
        if answer.get("verdict") not in VERDICTS:
            problems.append(f"{site.name}: {key}: unknown verdict {answer.get('verdict')!r}")
        elif answer["verdict"] in ("absent", "unreachable"):
            if "how" in answer:
                problems.append(f"{site.name}: {key}: «how» given for {answer['verdict']}")
        elif answer.get("how") not in allowed_how:
            how = answer.get("how")
            problems.append(f"{site.name}: {key}: «how» {how!r} is not one of {allowed_how}")
    return problems


def test_the_checker_agrees_with_the_inspector_on_every_fixture_site():
    report = accuracy_report(site_dirs(), "fixture sites")
    if report:
        pytest.fail(report, pytrace=False)


def accuracy_report(sites, kind):
    """One message listing every disagreement of the checker with the sites' expected answers
    (empty when it agrees on every item); the sites are checked side by side."""
    specs = {spec.key: spec for spec in norm.standard_specs()}
    with ThreadPoolExecutor(max_workers=4) as pool:
        reports = list(pool.map(lambda site: disagreements(site, specs), sites))
    problems = [line for report in reports for line in report]
    if not problems:
        return ""
    return (
        f"{len(problems)} disagreement(s) with the inspector on {len(sites)} {kind}:\n"
        + "\n".join(problems)
    )


def disagreements(site, specs):
    """Lines «site: item: expected …, got …» for every item the checker answers otherwise."""
    expected = expected_answers(site)
    try:
        with FixtureSite(site) as served:
            findings = checker.check_site(served.url, list(specs.values()))
    except Exception as error:  # one broken site must not hide the others' answers
        return [f"{site.name}: check_site raised {type(error).__name__}: {error}"]
    lines = []
    for key, answer in sorted(expected.items()):
        finding = findings.get(key)
        if finding is None:
            lines.append(f"{site.name}: {key}: expected {describe(answer)}, got no finding")
            continue
        got = {"verdict": finding.verdict, "how": finding.how_found}
        wrong = finding.verdict != answer["verdict"] or (
            "how" in answer and finding.how_found != answer["how"]
        )
        missing_wrong = False
        if "missing" in answer and key in specs:
            listed = set(answer["missing"])
            required = {item.itemprop for item in specs[key].norm_items if item.required}
            reported = {
                prop
                for prop, state in finding.items.items()
                if state == "missing" and (prop in required or prop in listed)
            }
            got["missing"] = sorted(reported)
            missing_wrong = reported != listed
        if wrong or missing_wrong:
            evidence = finding.problem or finding.matched
            lines.append(
                f"{site.name}: {key}: expected {describe(answer)}, got {describe(got)}"
                f" [{finding.url or '-'}{'; ' + evidence[:120] if evidence else ''}]"
            )
    return lines


def describe(answer):
    text = answer.get("verdict") or "-"
    if answer.get("how"):
        text += f" ({answer['how']})"
    if "missing" in answer:
        text += f" missing={sorted(answer['missing'])}"
    return text
