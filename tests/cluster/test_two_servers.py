"""The portal as two app servers and one task worker over shared PostgreSQL, Redis and
OpenSearch: what a visitor does on one server holds on the other, shared limits are shared,
background work runs in the worker, and what each process remembers on its own goes stale for
at most PROCESS_MEMO_SECONDS.

One test, five steps in the order of a campaign, over one set of data: starting the
processes costs more than all the steps together.
"""

import re
import time
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import nested_form_data

from core.permissions import editors_group
from registry.tests.factories import OrganisationFactory
from results.models import RatingRevision
from results.tests.factories import AssessmentInputFactory
from schools.models import Organisation, SchoolPage
from schools.provisioning import add_staff_member
from schools.tests.test_school_pages import school_page_form_data
from surveys.models import Campaign, Response
from surveys.services import REASON_BURST
from surveys.tests.factories import CampaignFactory
from surveys.tests.test_questionnaire import answers

pytestmark = [
    pytest.mark.cluster,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

YEAR = 2025
PASSWORD = "cluster-test-password"
NEW_INTRO = "Школа с бассейном и обсерваторией."
# Beyond the memo bound: a request in flight and a busy machine.
MEMO_MARGIN_SECONDS = 2
DEGRADED_SEARCH_NOTICE = "упрощённом режиме"


def server_password(raw):
    """A password hash the servers accept. The test settings hash with MD5, which production's
    hashers do not know; PBKDF2 with few iterations is quick to make here, and the server
    upgrades it to its full cost at the first sign-in."""
    hasher = PBKDF2PasswordHasher()
    return hasher.encode(raw, hasher.salt(), iterations=1000)


def make_user(username):
    return get_user_model().objects.create(username=username, password=server_password(PASSWORD))


def hidden(html, name):
    """The value of the form field ``name`` as the server rendered it."""
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no {name} field in the page"
    return unescape(match.group(1))


def poll(check, seconds, interval=0.2):
    """``check()`` once it is truthy, or its last value when ``seconds`` have passed."""
    deadline = time.monotonic() + seconds
    while not (value := check()) and time.monotonic() < deadline:
        time.sleep(interval)
    return value


def sign_in(client, base, username):
    login = client.get(f"{base}/admin/login/")
    response = client.post(
        f"{base}/admin/login/",
        {
            "username": username,
            "password": PASSWORD,
            "next": "/admin/",
            "csrfmiddlewaretoken": hidden(login.text, "csrfmiddlewaretoken"),
        },
        follow=False,
    )
    assert response.status_code == 302, f"{username} could not sign in on {base}"


def questionnaire_url(base, organisation):
    return f"{base}/survey/{organisation.code}/parents/"


def answer_questionnaire(client, base, organisation):
    """Open the questionnaire on ``base`` and send it; the response to the POST."""
    url = questionnaire_url(base, organisation)
    form = client.get(url)
    assert form.status_code == 200 and "form_token" in form.text, form.text[:2000]
    return client.post(
        url,
        {
            **answers(q15="Больше кружков"),
            "form_token": hidden(form.text, "form_token"),
            "csrfmiddlewaretoken": hidden(form.text, "csrfmiddlewaretoken"),
        },
        follow=False,
    )


def school_edit_data(page, csrf_token, **fields):
    """What the page edit form posts for a school's profile (as schools/tests send it)."""
    return nested_form_data(school_page_form_data(page, csrfmiddlewaretoken=csrf_token, **fields))


def test_two_servers_and_a_worker_share_one_portal(cluster):
    timings = {}
    mark = time.monotonic()

    def lap(name):
        nonlocal mark
        now = time.monotonic()
        timings[name] = round(now - mark, 1)
        mark = now

    a, b = cluster.a, cluster.b
    school = OrganisationFactory(
        name="Муниципальное автономное общеобразовательное учреждение «Гимназия Северное сияние»",
        short_name="Гимназия Северное сияние",
    )
    other = OrganisationFactory(short_name="Лицей на Озёрной")
    page = SchoolPage.objects.get(organisation=school)
    staff = make_user("school_staff")
    add_staff_member(school, staff)
    editor = make_user("editor")
    editor.groups.add(editors_group())
    campaign = CampaignFactory()
    AssessmentInputFactory(organisation=school, year=YEAR)
    AssessmentInputFactory(organisation=other, year=YEAR)
    lap("data")

    # 1. The school's staff edit their page on A and submit it for moderation; an editor
    # approves on B with the session they opened on A; both servers show the new text.
    staff_client = cluster.client("203.0.113.2")
    sign_in(staff_client, a, staff.username)
    edit_path = reverse("wagtailadmin_pages:edit", args=[page.pk])
    form = staff_client.get(f"{a}{edit_path}")
    assert form.status_code == 200
    submitted = staff_client.post(
        f"{a}{edit_path}",
        school_edit_data(
            page,
            hidden(form.text, "csrfmiddlewaretoken"),
            intro=NEW_INTRO,
            **{"action-submit": "1"},
        ),
        follow=False,
    )
    assert submitted.status_code == 302, submitted.text[:3000]
    page = SchoolPage.objects.get(pk=page.pk)
    assert page.current_workflow_state.status == "in_progress"
    assert NEW_INTRO not in cluster.client().get(f"{b}{page.url}").text

    editor_client = cluster.client("203.0.113.3")
    sign_in(editor_client, a, editor.username)
    review = editor_client.get(f"{b}{edit_path}")
    assert review.status_code == 200
    assert 'data-workflow-action-name="approve"' in review.text  # B offers the editor to approve
    task_state = page.current_workflow_state.current_task_state
    approve_path = reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]
    )
    approved = editor_client.post(
        f"{b}{approve_path}",
        {"comment": "", "csrfmiddlewaretoken": hidden(review.text, "csrfmiddlewaretoken")},
        follow=False,
    )
    assert approved.status_code in (200, 302), approved.text[:3000]
    assert SchoolPage.objects.get(pk=page.pk).intro == NEW_INTRO
    for base in (a, b):
        assert NEW_INTRO in cluster.client().get(f"{base}{page.url}").text, base
    lap("1 moderation")

    # 2. A respondent answers on A; the same browser is turned away on B, and the same form
    # sent again to B from a browser without the cookie stores nothing (the nonce is shared).
    respondent = cluster.client("203.0.113.10")
    form = respondent.get(questionnaire_url(a, school))
    token = hidden(form.text, "form_token")
    sent = respondent.post(
        questionnaire_url(a, school),
        {
            **answers(),
            "form_token": token,
            "csrfmiddlewaretoken": hidden(form.text, "csrfmiddlewaretoken"),
        },
    )
    assert sent.status_code == 200 and sent.url.endswith("/parents/thanks/")
    assert Response.objects.filter(organisation=school).count() == 1
    again = respondent.get(questionnaire_url(b, school))
    assert "Вы уже ответили" in again.text and "form_token" not in again.text
    replay = cluster.client("203.0.113.10")
    fresh = replay.get(questionnaire_url(b, school))
    replayed = replay.post(
        questionnaire_url(b, school),
        {
            **answers(),
            "form_token": token,
            "csrfmiddlewaretoken": hidden(fresh.text, "csrfmiddlewaretoken"),
        },
    )
    assert "Вы уже ответили" in replayed.text
    assert Response.objects.filter(organisation=school).count() == 1
    lap("2 answered once")

    # 3. Devices behind one address (a school's NAT) answer by turns on A and B: neither
    # server alone passes the limit, the shared Redis counter does, and what comes after
    # the limit is stored but held for review.
    seconds_left_in_hour = 3600 - time.time() % 3600
    if seconds_left_in_hour < 10:  # counters are per clock hour: do not straddle two
        time.sleep(seconds_left_in_hour + 0.5)
    before = Response.objects.order_by("-pk").values_list("pk", flat=True).first()
    for number in range(2 * cluster.survey_limit):
        device = cluster.client("198.51.100.23")
        sent = answer_questionnaire(device, (a, b)[number % 2], school)
        assert sent.status_code == 302 and sent.headers["Location"].endswith("/thanks/")
    burst = list(
        Response.objects.filter(organisation=school, pk__gt=before)
        .order_by("pk")
        .values_list("status", "flag_reason")
    )
    accepted = (Response.Status.ACCEPTED, "")
    held = (Response.Status.FLAGGED, REASON_BURST)
    assert burst == [accepted] * cluster.survey_limit + [held] * cluster.survey_limit
    lap("3 burst held")

    # 4. The editor starts the computation on A; the worker, not the web process, runs it;
    # the editor publishes, and both servers find the result by name.
    publication_url = f"{a}{reverse('results_publication')}"
    publication = editor_client.get(publication_url)
    assert publication.status_code == 200
    started = editor_client.post(
        f"{a}{reverse('results_compute', args=[YEAR])}",
        {"csrfmiddlewaretoken": hidden(publication.text, "csrfmiddlewaretoken")},
    )
    assert "запущен в фоне" in started.text

    def computation_finished():
        row = cluster.task_result("results.tasks.compute_year_task")
        return row if row and row[0] in ("SUCCESSFUL", "FAILED") else None

    done = poll(computation_finished, 30)
    assert done, f"not finished: {cluster.task_result('results.tasks.compute_year_task')}"
    status, value, workers = done
    assert status == "SUCCESSFUL" and workers == ["cluster-worker"], done
    assert value["rated"] == 2 and not value["invalid"], value
    assert RatingRevision.objects.get(year=YEAR).status == RatingRevision.Status.DRAFT
    lap("4a computed by the worker")

    # Publishing asks for confirmation on its own page, whose form carries the draft's token.
    confirmation = editor_client.get(f"{a}{reverse('results_publish', args=[YEAR])}")
    assert "Подтвердить и опубликовать" in confirmation.text
    published = editor_client.post(
        f"{a}{reverse('results_publish', args=[YEAR])}",
        {
            "note": "",
            "confirm": hidden(confirmation.text, "confirm"),
            "csrfmiddlewaretoken": hidden(confirmation.text, "csrfmiddlewaretoken"),
        },
    )
    assert published.status_code == 200 and "опубликован" in published.text
    assert RatingRevision.objects.get(year=YEAR).status == RatingRevision.Status.PUBLISHED

    def search(url):
        response = cluster.client().get(url)
        return response if school.short_name in response.text else None

    for base in (a, b):
        url = f"{base}/ratings/?q=Северное+сияние"
        # Poll: a search node makes new documents visible within its refresh interval.
        found = poll(lambda url=url: search(url), 10)
        assert found, f"{url} does not find {school.short_name!r}"
        assert other.short_name not in found.text
        assert DEGRADED_SEARCH_NOTICE not in found.text, "the search engine did not answer"
    lap("4b published and found")

    # 5. Each process remembers the open campaign and the organisations for
    # PROCESS_MEMO_SECONDS. With every process warm, close the campaign and deactivate an
    # organisation behind the servers' backs (the ORM: no signal reaches them). Both servers
    # may keep serving the questionnaires until the bound passes, and refuse from then on:
    # 410 for the closed campaign, 404 for the organisation.
    visitor = cluster.client("203.0.113.50")
    servers = {"A": a, "B": b}
    urls = {
        (server, organisation.short_name): questionnaire_url(base, organisation)
        for server, base in servers.items()
        for organisation in (school, other)
    }
    refusal = {key: 404 if key[1] == other.short_name else 410 for key in urls}
    for url in urls.values():
        assert visitor.get(url).status_code == 200
    Campaign.objects.filter(pk=campaign.pk).update(closes_at=timezone.now())
    Organisation.objects.filter(pk=other.pk).update(is_active=False)
    changed = time.monotonic()
    refused_after, stale = {}, set()
    bound = cluster.memo_seconds + MEMO_MARGIN_SECONDS
    while len(refused_after) < len(urls) and time.monotonic() - changed < bound:
        for key, url in urls.items():
            if key in refused_after:
                continue
            status = visitor.get(url).status_code
            if status == refusal[key]:
                refused_after[key] = round(time.monotonic() - changed, 2)
            else:
                # The remembered campaign (200); for the deactivated organisation also the
                # closed campaign seen before the organisation's memo ran out (410).
                assert status in (200, 410), (key, status)
                stale.add(key)
        time.sleep(0.1)
    missing = sorted(set(urls) - set(refused_after))
    assert not missing, f"still served {bound} s after the change: {missing}"
    # From then on every process of both servers refuses.
    for _ in range(4):
        for key, url in urls.items():
            assert visitor.get(url).status_code == refusal[key], key
    assert "Анкетирование закрыто" in visitor.get(questionnaire_url(b, school)).text
    lap("5 memo bound")

    cluster.alive()
    print(f"timings (s): {timings}")
    print(f"memo: refused after {refused_after}; stale answers seen from {sorted(stale)}")
