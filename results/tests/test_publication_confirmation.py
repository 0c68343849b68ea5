"""Publishing a year's rating asks first: a summary of the draft against the published
revision on its own page, then a POST confirming that very draft. One click, a GET or a
confirmation of an older draft never publishes."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from registry.tests.factories import OrganisationFactory
from results.models import AssessmentInput, RatingRevision
from results.services import compute_year, publication_preview, publish_year
from schools.provisioning import add_staff_member

from .factories import AssessmentInputFactory

pytestmark = pytest.mark.django_db
YEAR = 2025
PUBLISH = reverse("results_publish", args=[YEAR])


@pytest.fixture
def draft():
    for name in ("Гимназия № 1", "Лицей № 2"):
        AssessmentInputFactory(year=YEAR, organisation__name=name)
    compute_year(YEAR)
    return RatingRevision.objects.get(year=YEAR, status="draft")


def published_years():
    return list(RatingRevision.objects.current().values_list("year", flat=True))


def test_the_publication_screen_links_to_the_confirmation_instead_of_publishing(
    client, editor, draft
):
    client.force_login(editor)
    html = client.get(reverse("results_publication")).content.decode()
    assert f'href="{PUBLISH}"' in html
    assert f'action="{PUBLISH}"' not in html


def test_a_get_shows_the_summary_and_never_publishes(client, editor, draft):
    client.force_login(editor)
    response = client.get(PUBLISH)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Организаций в черновике: 2" in html
    assert "первая публикация" in html
    assert "Подтвердить и опубликовать редакцию 1" in html
    assert published_years() == []


def test_a_post_without_the_confirmation_only_shows_the_summary(client, editor, draft):
    client.force_login(editor)
    response = client.post(PUBLISH, {"note": ""})
    assert response.status_code == 200
    assert "Подтвердить и опубликовать" in response.content.decode()
    assert published_years() == []


def test_the_confirmed_post_publishes(client, editor, draft):
    client.force_login(editor)
    token = client.get(PUBLISH).context["preview"].token
    response = client.post(PUBLISH, {"confirm": token, "note": ""}, follow=True)
    assert "Рейтинг 2025 года опубликован, редакция 1." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "published" and draft.published_by == editor


def test_a_confirmation_of_a_draft_recomputed_since_does_not_publish(client, editor, draft):
    client.force_login(editor)
    token = client.get(PUBLISH).context["preview"].token
    compute_year(YEAR)
    response = client.post(PUBLISH, {"confirm": token, "note": ""})
    assert response.status_code == 400
    assert "Черновик пересчитан" in response.content.decode()
    assert published_years() == []


def test_a_new_revision_summarises_changes_against_the_published_one(client, editor, draft):
    publish_year(YEAR, editor)
    first, second = AssessmentInput.objects.filter(year=YEAR).order_by("organisation__name")
    first.distance_channels = 0  # its total changes
    first.save()
    second.delete()  # no longer rated this year
    AssessmentInputFactory(year=YEAR, organisation__name="Школа № 3")
    compute_year(YEAR)

    client.force_login(editor)
    response = client.get(PUBLISH)
    html = response.content.decode()
    assert "Сейчас опубликована редакция 1" in html
    assert "Добавлено организаций: 1: Школа № 3" in html
    assert "Исключено организаций: 1: Лицей № 2" in html
    assert "Изменились балл или место: 1" in html
    change = response.context["preview"].changed[0]
    assert change.name == "Гимназия № 1" and change.total_before != change.total_after

    # The change note is still required, and its absence is said on the same page.
    token = response.context["preview"].token
    refused = client.post(PUBLISH, {"confirm": token, "note": " "})
    assert refused.status_code == 400
    assert "укажите, что изменилось" in refused.content.decode()
    assert RatingRevision.objects.current().get(year=YEAR).number == 1
    client.post(PUBLISH, {"confirm": token, "note": "Исправлены данные гимназии"})
    assert RatingRevision.objects.current().get(year=YEAR).number == 2


def test_the_preview_of_an_unchanged_recomputation_reports_no_changes(editor, draft):
    publish_year(YEAR, editor)
    compute_year(YEAR)
    preview = publication_preview(YEAR)
    assert (len(preview.added), len(preview.removed), preview.changed) == (0, 0, [])
    assert preview.unchanged == preview.organisations == 2


def test_without_a_draft_the_confirmation_sends_back_with_a_message(client, editor):
    client.force_login(editor)
    response = client.get(PUBLISH, follow=True)
    assert "нет рассчитанного черновика" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("results_publication")


def test_school_staff_can_neither_see_nor_confirm_a_publication(client, draft):
    user = get_user_model().objects.create_user("staff", password="x")
    add_staff_member(OrganisationFactory(), user)
    client.force_login(user)
    token = publication_preview(YEAR).token
    assert client.get(PUBLISH).status_code == 403
    assert client.post(PUBLISH, {"confirm": token}).status_code == 403
    assert published_years() == []
