"""The operator's decisions on shortcomings: each one refused when it makes no sense, and
each one on the trail with who changed what."""

import pytest
from django.core.exceptions import ValidationError

from accountability import shortcomings
from accountability.models import Criterion, Shortcoming, ShortcomingChange
from accountability.publication import kept_shortcomings
from registry.tests.factories import OrganisationFactory
from results.services import publish_year

from .factories import ShortcomingFactory
from .factories_shortcomings import YEAR, computed_year, editor, imported

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return editor()


def derived(organisation, key, text="Не обеспечено условие комфортности: питьевая вода"):
    return ShortcomingFactory(
        organisation=organisation,
        year=YEAR,
        source=Shortcoming.Source.CHECKLIST,
        source_key=key,
        text=text,
        derived_text=text,
    )


def trail(row):
    return list(ShortcomingChange.objects.filter(shortcoming=row).order_by("pk"))


def test_editing_the_wording_marks_it_edited_and_records_old_and_new(user):
    row = derived(OrganisationFactory(), "item:1")
    shortcomings.edit(row, "  Нет кулера с питьевой водой  ", user)
    row.refresh_from_db()
    assert row.text == "Нет кулера с питьевой водой" and row.edited
    [entry] = trail(row)
    assert entry.action == ShortcomingChange.Action.EDITED and entry.user == user
    assert entry.changes == {
        "text": ["Не обеспечено условие комфортности: питьевая вода", "Нет кулера с питьевой водой"]
    }
    # The same wording again is no change and leaves no entry.
    shortcomings.edit(row, "Нет кулера с питьевой водой", user)
    assert len(trail(row)) == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [("   ", "Напишите формулировку"), ("x" * 2001, "Не больше 2000"), ("а\x00б", "управляющие")],
)
def test_a_bad_wording_is_refused_in_russian_and_nothing_changes(user, text, message):
    row = derived(OrganisationFactory(), "item:1")
    with pytest.raises(ValidationError) as refused:
        shortcomings.edit(row, text, user)
    assert message in " ".join(refused.value.message_dict["text"])
    row.refresh_from_db()
    assert not row.edited and not trail(row)


def test_dismissing_needs_a_reason(user):
    row = derived(OrganisationFactory(), "item:1")
    with pytest.raises(ValidationError) as refused:
        shortcomings.dismiss(row, " ", user)
    assert refused.value.message_dict["reason"] == [
        "Укажите причину, по которой недостаток снимается."
    ]
    row.refresh_from_db()
    assert row.status == Shortcoming.Status.ACTIVE and not trail(row)


def test_dismiss_and_restore_are_on_the_trail_and_decide_what_is_kept(user):
    organisation = OrganisationFactory()
    row = derived(organisation, "item:1")
    shortcomings.dismiss(row, "Кулер установлен в сентябре, есть фото", user)
    row.refresh_from_db()
    assert row.status == Shortcoming.Status.DISMISSED
    assert row.dismiss_reason == "Кулер установлен в сентябре, есть фото"
    assert not kept_shortcomings(organisation, YEAR).exists()
    with pytest.raises(ValidationError):
        shortcomings.dismiss(row, "ещё раз", user)
    shortcomings.restore(row, user)
    row.refresh_from_db()
    assert row.status == Shortcoming.Status.ACTIVE and row.dismiss_reason == ""
    assert list(kept_shortcomings(organisation, YEAR)) == [row]
    dismissed, restored = trail(row)
    assert dismissed.action == ShortcomingChange.Action.DISMISSED
    assert dismissed.reason == "Кулер установлен в сентябре, есть фото"
    assert dismissed.changes["status"] == ["active", "dismissed"]
    assert restored.action == ShortcomingChange.Action.RESTORED and restored.user == user
    assert restored.changes == {
        "status": ["dismissed", "active"],
        "dismiss_reason": ["Кулер установлен в сентябре, есть фото", ""],
    }
    with pytest.raises(ValidationError, match="уже включён"):
        shortcomings.restore(row, user)


def test_merging_keeps_one_with_new_wording_and_points_the_others_to_it(user):
    organisation = OrganisationFactory()
    water = derived(organisation, "item:1")
    rest = derived(organisation, "item:2", "Не обеспечено условие комфортности: зона отдыха")
    toilets = derived(organisation, "item:3", "Не обеспечено условие комфортности: туалеты")
    shortcomings.merge(
        water, [water, rest, toilets], user, text="Нет зоны отдыха с водой и туалетов"
    )
    for row in (water, rest, toilets):
        row.refresh_from_db()
    assert water.status == Shortcoming.Status.ACTIVE and water.edited
    assert water.text == "Нет зоны отдыха с водой и туалетов"
    assert (rest.status, rest.merged_into, toilets.merged_into) == ("merged", water, water)
    assert list(kept_shortcomings(organisation, YEAR)) == [water]
    [target_entry] = trail(water)
    assert target_entry.action == ShortcomingChange.Action.MERGED
    assert target_entry.changes == {
        "merged": [[], [rest.pk, toilets.pk]],
        "text": [
            "Не обеспечено условие комфортности: питьевая вода",
            "Нет зоны отдыха с водой и туалетов",
        ],
    }
    assert trail(rest)[0].changes == {
        "status": ["active", "merged"],
        "merged_into": [None, water.pk],
    }
    # A merged one comes back on its own.
    shortcomings.restore(rest, user)
    rest.refresh_from_db()
    assert rest.status == Shortcoming.Status.ACTIVE and rest.merged_into is None


def test_merging_is_refused_across_organisations_without_others_or_into_a_dismissed_one(user):
    organisation = OrganisationFactory()
    water = derived(organisation, "item:1")
    rest = derived(organisation, "item:2")
    elsewhere = derived(OrganisationFactory(), "item:1")
    with pytest.raises(ValidationError, match="одной организации"):
        shortcomings.merge(water, [elsewhere], user)
    with pytest.raises(ValidationError, match="хотя бы один"):
        shortcomings.merge(water, [water], user)
    shortcomings.dismiss(rest, "дубль", user)
    with pytest.raises(ValidationError, match="Снятые"):
        shortcomings.merge(water, [rest], user)
    with pytest.raises(ValidationError, match="во включённый"):
        shortcomings.merge(rest, [water], user)
    water.refresh_from_db()
    elsewhere.refresh_from_db()
    assert water.status == elsewhere.status == Shortcoming.Status.ACTIVE
    assert not ShortcomingChange.objects.filter(action=ShortcomingChange.Action.MERGED).exists()


def test_the_operator_adds_one_the_evidence_does_not_show(user):
    organisation = OrganisationFactory()
    first = shortcomings.add(organisation, YEAR, "4.2", "Жалобы на грубость педагога", user)
    second = shortcomings.add(
        organisation, YEAR, "2.1", "Нет навигации", user, evidence="обход 12.11"
    )
    assert first.source == Shortcoming.Source.OPERATOR and first.source_key.startswith("operator:")
    assert first.criterion == Criterion.COURTESY and second.criterion == Criterion.COMFORT
    assert second.position == first.position + 1 >= shortcomings.OPERATOR_POSITION_BASE
    assert second.evidence == "обход 12.11"
    [entry] = trail(first)
    assert entry.action == ShortcomingChange.Action.ADDED and entry.user == user
    with pytest.raises(ValidationError) as refused:
        shortcomings.add(organisation, YEAR, "2.2", "Ожидание", user)
    assert "indicator" in refused.value.message_dict
    assert Shortcoming.objects.count() == 2


def test_wording_may_still_be_corrected_after_publication_and_stays_on_the_trail(user):
    organisation = imported().organisation
    computed_year()
    publish_year(YEAR)
    shortcomings.derive(organisation, YEAR)
    row = Shortcoming.objects.get(organisation=organisation, source_key="q:q7")
    shortcomings.edit(row, "Родители детей с инвалидностью недовольны доступностью", user)
    row.refresh_from_db()
    assert row.edited and trail(row)[-1].action == ShortcomingChange.Action.EDITED
