"""Shortcomings derived from the evidence: each source on a known fixture built with the real
checklist flow and the real computation, re-derivation, the assessment list and the policy."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from accountability import shortcomings
from accountability.models import Criterion, Shortcoming, ShortcomingChange
from monitoring.models import ChecklistAnswer, ChecklistItem
from monitoring.services import apply_to_inputs
from registry.tests.factories import OrganisationFactory
from results.indicators import policy_lines
from results.models import MethodologyVersion, RatingRevision
from results.services import compute_year, publish_year

from .factories_shortcomings import (
    EVIDENCE_URL,
    YEAR,
    accepted_self_checklist,
    checklist_template,
    computed_year,
    editor,
    imported,
)

pytestmark = pytest.mark.django_db


def rows(organisation):
    return {row.source_key: row for row in Shortcoming.objects.filter(organisation=organisation)}


def item(text):
    return ChecklistItem.objects.get(template__year=YEAR, text=text)


@pytest.fixture
def checked_school():
    """Worked-example inputs, then an accepted self-assessment in which the «Документы»
    page (with the checked address) and drinking water are missing."""
    inputs = imported()
    accepted_self_checklist(
        inputs.organisation,
        checklist_template(),
        {
            "Подраздел «Документы»": ("страница не открывается", EVIDENCE_URL),
            "Питьевая вода": ("", ""),
        },
    )
    return inputs.organisation


def test_an_unmet_checklist_item_is_a_shortcoming_with_its_evidence_link(checked_school):
    computed_year()
    report = shortcomings.derive(checked_school, YEAR)
    found = rows(checked_school)
    documents = found[f"item:{item('Подраздел «Документы»').pk}"]
    assert documents.source == Shortcoming.Source.CHECKLIST
    assert (documents.indicator, documents.criterion) == ("1.1", Criterion.OPENNESS)
    assert (
        documents.text
        == "На официальном сайте нет сведений: подраздел «Документы» (/sveden/document)"
    )
    assert documents.derived_text == documents.text and not documents.edited
    assert documents.evidence == "нет (самообследование школы): страница не открывается"
    assert documents.evidence_url == EVIDENCE_URL
    water = found[f"item:{item('Питьевая вода').pk}"]
    assert (water.indicator, water.criterion) == ("2.1", Criterion.COMFORT)
    assert water.text == "Не обеспечено условие комфортности: питьевая вода"
    assert water.evidence == "нет (самообследование школы)" and water.evidence_url == ""
    # Present items are no shortcoming; the stand part (2 of 2) gives nothing either.
    assert f"item:{item('Подраздел «Основные сведения»').pk}" not in found
    assert not any(row.text.startswith("На информационном стенде") for row in found.values())
    assert report.organisations == 1 and report.created == len(found)


def test_a_photo_is_the_evidence_link_when_no_address_was_checked(checked_school):
    photo = get_image_model().objects.create(title="стенд", file=get_test_image_file())
    water = item("Питьевая вода")
    ChecklistAnswer.objects.filter(item=water).update(photo=photo)
    computed_year()
    shortcomings.derive(checked_school, YEAR)
    row = rows(checked_school)[f"item:{water.pk}"]
    assert row.evidence_url == reverse("wagtailimages:edit", args=[photo.pk])


def test_questions_below_the_threshold_are_shortcomings_and_at_the_threshold_are_not():
    # Worked example: q7 75 %, q12 85 %, q13 88 % are below 90 %; q4 (126 of 140) and
    # q5 (180 of 200) are exactly 90 %; q2 93.75 %, q8 95 %, q14 91 % are above.
    organisation = imported().organisation
    computed_year()
    shortcomings.derive(organisation, YEAR)
    survey = {
        key: row
        for key, row in rows(organisation).items()
        if row.source == Shortcoming.Source.SURVEY
    }
    assert set(survey) == {"q:q7", "q:q12", "q:q13"}
    assert survey["q:q7"].evidence == "удовлетворены 75 % (9 из 12; порог 90 %)"
    assert survey["q:q7"].criterion == Criterion.ACCESSIBILITY and survey["q:q7"].indicator == "3.3"
    assert "доступностью услуг для инвалидов" in survey["q:q7"].text
    assert survey["q:q12"].evidence == "готовы рекомендовать 85 % (170 из 200; порог 90 %)"
    assert "рекомендовать" in survey["q:q12"].text
    assert survey["q:q13"].indicator == "5.2" and "расписание" in survey["q:q13"].text


def test_the_threshold_is_the_methodology_versions_policy():
    MethodologyVersion.objects.filter(code="noko-2019").update(satisfaction_threshold_percent=80)
    organisation = imported().organisation
    computed_year()
    shortcomings.derive(organisation, YEAR)
    survey = [row for row in rows(organisation).values() if row.source == Shortcoming.Source.SURVEY]
    assert [row.source_key for row in survey] == ["q:q7"]
    assert survey[0].evidence.endswith("порог 80 %)")


def test_a_question_nobody_was_asked_is_skipped():
    organisation = imported(values={"disabled": 0, "disabled_satisfied": 0}).organisation
    computed_year()
    shortcomings.derive(organisation, YEAR)
    assert "q:q7" not in rows(organisation)


def test_an_indicator_at_100_yields_nothing():
    full = {
        "stand_items": 14,
        "site_items": 50,
        "distance_channels": 4,
        "comfort_conditions": 5,
        "territory_conditions": 5,
        "service_conditions": 6,
        "disabled_satisfied": 12,
        "recommend": 200,
        "schedule_satisfied": 200,
    }
    organisation = imported(values=full).organisation
    computed_year()
    result = RatingRevision.objects.get(year=YEAR).results.get()
    assert (result.p1_1, result.p1_2, result.p2_1, result.p3_1, result.p3_2) == (100,) * 5
    report = shortcomings.derive(organisation, YEAR)
    assert report.created == 0 and not Shortcoming.objects.exists()


def test_imported_inputs_yield_one_shortcoming_per_indicator_from_the_counts():
    organisation = imported().organisation
    computed_year()
    shortcomings.derive(organisation, YEAR)
    generic = {
        key: row
        for key, row in rows(organisation).items()
        if row.source == Shortcoming.Source.INDICATOR
    }
    assert set(generic) == {
        "indicator:1.1",
        "indicator:1.2",
        "indicator:2.1",
        "indicator:3.1",
        "indicator:3.2",
    }
    stand_and_site = generic["indicator:1.1"]
    assert "на информационном стенде размещено 12 из 14" in stand_and_site.text
    assert "на официальном сайте размещено 44 из 50" in stand_and_site.text
    assert "показатель 1.1 — 86,86 из 100" in stand_and_site.text
    channels = generic["indicator:1.2"]
    assert channels.text.startswith(
        "Дистанционных способов взаимодействия обеспечено 3 из 4 необходимых "
        "(показатель 1.2 — 90 из 100)"
    )
    assert "электронная почта" in channels.text and channels.evidence == "3 из 4"
    assert generic["indicator:3.1"].criterion == Criterion.ACCESSIBILITY


def test_a_checklist_with_no_no_answers_for_a_short_input_falls_back_to_the_counts(
    checked_school,
):
    # The template lists one distance channel, answered «есть»: 30 points, nothing to name.
    computed_year()
    shortcomings.derive(checked_school, YEAR)
    channels = rows(checked_school)["indicator:1.2"]
    assert channels.text.startswith("Дистанционных способов взаимодействия обеспечено 1 из 4")


def test_rederiving_keeps_the_operators_wording_and_decisions_and_marks_stale_rows(
    checked_school,
):
    computed_year()
    shortcomings.derive(checked_school, YEAR)
    user = editor()
    water_key = f"item:{item('Питьевая вода').pk}"
    documents_key = f"item:{item('Подраздел «Документы»').pk}"
    found = rows(checked_school)
    shortcomings.edit(found[water_key], "Нет питьевого фонтанчика в рекреации", user)
    shortcomings.dismiss(found["q:q13"], "Расписание утверждено учредителем", user)
    added = shortcomings.add(checked_school, YEAR, "4.1", "Грубость вахтёра", user)
    # The school fixes the «Документы» page and an editor changes the threshold: the
    # page's shortcoming and q13 (88 %) are no longer shown by the evidence.
    ChecklistAnswer.objects.filter(item=item("Подраздел «Документы»")).update(present=True)
    apply_to_inputs(checked_school, YEAR)
    MethodologyVersion.objects.filter(code="noko-2019").update(satisfaction_threshold_percent=86)
    computed_year()
    report = shortcomings.derive(checked_school, YEAR, user=user)
    again = rows(checked_school)
    assert again[water_key].text == "Нет питьевого фонтанчика в рекреации"
    assert again[water_key].derived_text == "Не обеспечено условие комфортности: питьевая вода"
    assert again[documents_key].stale and again["q:q13"].stale
    assert again["q:q13"].status == Shortcoming.Status.DISMISSED
    assert not again["q:q7"].stale and not again[water_key].stale
    assert again[added.source_key].text == "Грубость вахтёра" and not again[added.source_key].stale
    assert report.stale == 2 and report.created == 0
    stale_entry = ShortcomingChange.objects.filter(shortcoming=again[documents_key]).first()
    assert stale_entry.action == ShortcomingChange.Action.DERIVED
    assert stale_entry.changes == {"stale": [False, True]} and stale_entry.user == user
    # Deriving once more with nothing new changes nothing and writes nothing.
    entries = ShortcomingChange.objects.count()
    assert shortcomings.derive(checked_school, YEAR) == shortcomings.DeriveReport(organisations=1)
    assert ShortcomingChange.objects.count() == entries
    # The page breaks again: the same row comes back, not a twin.
    ChecklistAnswer.objects.filter(item=item("Подраздел «Документы»")).update(present=False)
    apply_to_inputs(checked_school, YEAR)
    computed_year()
    shortcomings.derive(checked_school, YEAR)
    assert not rows(checked_school)[documents_key].stale
    assert Shortcoming.objects.filter(source_key=documents_key).count() == 1


def test_an_unedited_wording_follows_the_data():
    organisation = imported().organisation
    computed_year()
    shortcomings.derive(organisation, YEAR)
    organisation.assessment_inputs.update(site_items=45)
    computed_year()
    report = shortcomings.derive(organisation, YEAR)
    row = rows(organisation)["indicator:1.1"]
    assert "45 из 50" in row.text and row.text == row.derived_text
    assert report.updated == 1
    change = ShortcomingChange.objects.filter(shortcoming=row).first()
    assert set(change.changes) == {"derived_text", "text", "evidence"}


def test_only_organisations_on_the_years_list_are_derived():
    listed, left_out = imported().organisation, imported().organisation
    computed_year(listed=[listed])
    report = shortcomings.derive_year(YEAR)
    assert report.organisations == 1
    assert Shortcoming.objects.filter(organisation=listed).exists()
    assert not Shortcoming.objects.filter(organisation=left_out).exists()
    # Asked directly, the one left out is skipped too.
    assert shortcomings.derive(left_out, YEAR).skipped == [left_out.code]
    assert not Shortcoming.objects.filter(organisation=left_out).exists()


def test_the_draft_is_preferred_to_the_published_revision():
    organisation = imported().organisation
    computed_year()
    publish_year(YEAR)
    assert shortcomings.year_revision(YEAR).status == RatingRevision.Status.PUBLISHED
    shortcomings.derive(organisation, YEAR)
    assert "indicator:1.2" in rows(organisation)
    organisation.assessment_inputs.update(distance_channels=4)
    compute_year(YEAR)  # a correction: the next revision's draft
    assert shortcomings.year_revision(YEAR).status == RatingRevision.Status.DRAFT
    shortcomings.derive(organisation, YEAR)
    assert rows(organisation)["indicator:1.2"].stale


def test_a_year_not_yet_computed_is_refused_in_russian():
    organisation = OrganisationFactory()
    with pytest.raises(ValidationError, match="ещё не рассчитан"):
        shortcomings.derive(organisation, YEAR)
    with pytest.raises(ValidationError, match="ещё не рассчитан"):
        shortcomings.derive_year(YEAR)


def test_positions_follow_the_methodology_order():
    organisation = imported().organisation
    computed_year()
    shortcomings.derive(organisation, YEAR)
    ordered = list(
        Shortcoming.objects.filter(organisation=organisation).values_list("indicator", flat=True)
    )
    assert ordered == ["1.1", "1.2", "2.1", "3.1", "3.2", "3.3", "5.1", "5.2"]


def test_the_command_derives_a_year_or_one_organisation(capsys):
    first, second = imported().organisation, imported().organisation
    computed_year()
    call_command("derive_shortcomings", "--year", str(YEAR), "--organisation", first.code)
    assert Shortcoming.objects.filter(organisation=first).exists()
    assert not Shortcoming.objects.filter(organisation=second).exists()
    call_command("derive_shortcomings", "--year", str(YEAR))
    assert Shortcoming.objects.filter(organisation=second).exists()
    assert "Организаций: 2" in capsys.readouterr().out


def test_the_policy_lines_state_the_satisfaction_threshold():
    imported()
    computed_year()
    revision = RatingRevision.objects.get(year=YEAR)
    lines = {line.label: line.value for line in policy_lines(revision.applied_policies)}
    assert lines["Порог удовлетворённости для недостатков, %"] == "90"
