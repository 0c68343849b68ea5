"""The unsubscribe link (no login; GET only shows), the cabinet's subscriptions page, and
the editors' log in the admin with every other role kept out."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accountability.models import Objection
from accountability.tests.factories import ObjectionFactory
from notifications import services
from notifications.models import Category, SentNotification, Unsubscription

from .factories import TODAY, coordinator_of, days, editor, make_user, moment, school, staff_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent():
    """An answered objection mailed to one member of school A; the log row and the link."""
    a = school()
    member = staff_of(a)
    ObjectionFactory(
        organisation=a,
        status=Objection.Status.REJECTED,
        answer="Нет оснований.",
        decided_at=moment(TODAY),
    )
    services.send_due(TODAY)
    row = SentNotification.objects.get()
    page_url, one_click_url = services.unsubscribe_urls(row)
    return a, member, row, page_url.removeprefix("http://testserver"), one_click_url


def test_the_link_in_the_message_opens_the_page_without_login_and_get_changes_nothing(client, sent):
    _a, _member, row, page, _one_click = sent
    assert page in mail.outbox[0].body

    response = client.get(page)

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    content = response.content.decode()
    assert "Ответ на возражение" in content
    assert row.email not in content  # shown masked
    assert f"{row.email[0]}***@example.ru" in content
    assert not Unsubscription.objects.exists()


def test_post_unsubscribes_and_the_next_message_of_the_category_is_not_sent(sent):
    a, member, _row, page, _one_click = sent
    client = Client(enforce_csrf_checks=True)
    form = client.get(page)
    token = form.cookies["csrftoken"].value

    response = client.post(page, {"action": "unsubscribe", "csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert Unsubscription.objects.filter(
        email=member.email, user=member, category=Category.OBJECTION_ANSWERED
    ).exists()
    assert "Подписаться снова" in client.get(page).content.decode()

    ObjectionFactory(
        organisation=a,
        status=Objection.Status.ACCEPTED,
        decided_at=moment(TODAY + days(1)),
    )
    mail.outbox.clear()
    services.send_due(TODAY + days(1))
    assert mail.outbox == []


def test_the_page_resubscribes(client, sent):
    _a, _member, _row, page, _one_click = sent
    client.post(page, {"action": "unsubscribe"})
    client.post(page, {"action": "subscribe"})
    assert not Unsubscription.objects.exists()


def test_one_click_unsubscribes_by_post_without_a_csrf_token(sent):
    _a, member, _row, _page, one_click = sent
    client = Client(enforce_csrf_checks=True)
    path = one_click.removeprefix("http://testserver")
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Unsubscription.objects.filter(email=member.email).count() == 1
    # Twice is harmless.
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert Unsubscription.objects.count() == 1


def test_one_click_by_get_only_redirects_to_the_page(client, sent):
    _a, _member, _row, page, one_click = sent
    response = client.get(one_click.removeprefix("http://testserver"))
    assert response.status_code == 302 and response["Location"] == page
    assert not Unsubscription.objects.exists()


@pytest.mark.parametrize(
    "token",
    [
        "forged",
        # A well-formed token of another salt (the questionnaire's, say) is refused too.
        "eyJuIjoxfQ:1tQk0c:invalidsignatureinvalidsignatureinvalidsi",
    ],
)
def test_a_forged_token_is_404_and_changes_nothing(client, sent, token):
    page = reverse("notifications_unsubscribe", args=[token])
    assert client.get(page).status_code == 404
    assert client.post(page, {"action": "unsubscribe"}).status_code == 404
    one_click = reverse("notifications_unsubscribe_one_click", args=[token])
    assert client.post(one_click).status_code == 404
    assert not Unsubscription.objects.exists()


def test_a_token_of_a_deleted_log_row_is_404(client, sent):
    _a, _member, row, page, _one_click = sent
    row.delete()
    assert client.get(page).status_code == 404


# --- The cabinet's subscriptions ----------------------------------------------------------------


def test_staff_choose_their_categories_in_the_cabinet(client):
    member = staff_of(school())
    client.force_login(member)
    url = reverse("notifications_subscriptions")
    page = client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count('type="checkbox"') == len(Category.values)
    assert "private" in page["Cache-Control"] or "no-cache" in page["Cache-Control"]

    client.post(url, {"category": [Category.DEADLINE, Category.COVERAGE, "nonsense"]})

    left = set(Unsubscription.objects.filter(email=member.email).values_list("category", flat=True))
    assert left == set(Category.values) - {Category.DEADLINE, Category.COVERAGE}
    client.post(url, {"category": Category.values})
    assert not Unsubscription.objects.exists()


def test_the_subscriptions_page_asks_for_a_login(client):
    response = client.get(reverse("notifications_subscriptions"))
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- The editors' log ---------------------------------------------------------------------------

LOG = "/admin/notifications/log/"


def test_editors_read_and_filter_the_log(client, sent):
    _a, member, row, _page, _one_click = sent
    client.force_login(editor())
    response = client.get(LOG)
    assert response.status_code == 200
    assert member.email in response.content.decode()
    filtered = client.get(LOG, {"category": Category.DEADLINE})
    assert member.email not in filtered.content.decode()
    by_status = client.get(LOG, {"status": "sent", "day__gte": TODAY.isoformat()})
    assert member.email in by_status.content.decode()
    later = client.get(LOG, {"day__gte": (TODAY + days(1)).isoformat()})
    assert member.email not in later.content.decode()
    assert client.get(f"{LOG}inspect/{row.pk}/").status_code == 200
    assert LOG in client.get("/admin/").content.decode()  # the menu item


def test_nobody_edits_adds_or_deletes_log_rows(client, sent):
    _a, _member, row, _page, _one_click = sent
    client.force_login(editor())
    for url in (f"{LOG}new/", f"{LOG}edit/{row.pk}/", f"{LOG}delete/{row.pk}/"):
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        assert response.status_code != 200
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    assert client.get(f"{LOG}edit/{row.pk}/").status_code != 200
    assert SentNotification.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("role", ["anonymous", "staff", "other_staff", "coordinator"])
def test_school_staff_and_coordinators_never_see_the_log(client, sent, role):
    a, member, _row, _page, _one_click = sent
    people = {
        "staff": lambda: member,
        "other_staff": lambda: staff_of(school()),
        "coordinator": lambda: coordinator_of(a.municipality),
    }
    if role != "anonymous":
        client.force_login(people[role]())
    response = client.get(LOG)
    assert response.status_code in (302, 403)
    assert member.email not in response.content.decode()
    menu = client.get("/admin/")
    assert LOG not in menu.content.decode()
