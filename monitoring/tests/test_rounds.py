"""Monitoring rounds: the checker pre-fills the round's checklists with evidence (never over
an editor's confirmation), the command and the admin start it, and the справка's figures on
a known fixture."""

from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from core.permissions import editors_group
from monitoring import services
from monitoring.models import Checklist, ChecklistAnswer, MonitoringRound
from monitoring.report import build_report
from monitoring.site_checks import check_round
from registry.tests.factories import MunicipalityFactory, OrganisationFactory

from .factories import UserFactory, small_template
from .sites import Site, complete_site, html

pytestmark = pytest.mark.django_db


@pytest.fixture
def template():
    return small_template(2026)


def test_check_round_prefills_with_evidence_and_keeps_confirmed_answers(template):
    routes = complete_site()
    routes["/sveden/document"] = (200, "text/html", html("Прочее", "<h2>Прочее</h2>"))
    with Site(complete_site()) as good, Site(routes) as partial:
        full = OrganisationFactory(website=good.url)
        half = OrganisationFactory(website=partial.url + "/index.html")
        broken = OrganisationFactory(website="")
        monitoring_round = MonitoringRound.objects.create(template=template, title="I квартал")
        monitoring_round.organisations.set([full, half, broken])
        seen = []
        assert check_round(monitoring_round.pk, progress=lambda d, t, o: seen.append(d)) == 3

        monitoring_round.refresh_from_db()
        assert monitoring_round.sites_checked == 3 and seen == [1, 2, 3]
        assert monitoring_round.status == MonitoringRound.Status.OPEN
        assert monitoring_round.check_finished_at is not None

        def answers(organisation):
            checklist = Checklist.objects.get(round=monitoring_round, organisation=organisation)
            return {a.item.text: a for a in checklist.answers.select_related("item")}

        found = answers(full)
        assert found["Подраздел «Документы»"].present is True
        assert found["Телефон"].present is True
        common = found["Подраздел «Основные сведения»"]
        assert common.pre_filled and common.evidence_status == 200
        assert common.evidence_url == good.url + "/sveden/common"
        assert len(common.evidence_hash) == 64 and "Основные сведения" in common.evidence_text
        assert found["Питьевая вода"].present is None  # no automatic check: left to people
        assert answers(half)["Подраздел «Документы»"].present is False
        assert "заголовка" in answers(half)["Подраздел «Документы»"].evidence_problem
        assert all(a.present is False for a in answers(broken).values() if a.item.auto_check)

        # An editor overrides one finding; a later check leaves it alone.
        overridden = answers(half)["Подраздел «Документы»"]
        ChecklistAnswer.objects.filter(pk=overridden.pk).update(present=True, confirmed=True)
        check_round(monitoring_round.pk)
        assert answers(half)["Подраздел «Документы»"].present is True


def test_check_sites_command(template):
    with pytest.raises(CommandError, match="Нет открытых раундов"):
        call_command("check_sites")
    with Site(complete_site()) as site:
        monitoring_round = MonitoringRound.objects.create(template=template, title="II квартал")
        monitoring_round.organisations.set([OrganisationFactory(website=site.url)])
        out = StringIO()
        call_command("check_sites", "--round", str(monitoring_round.pk), stdout=out)
    assert "[1/1]" in out.getvalue() and "Проверено сайтов: 1" in out.getvalue()
    with pytest.raises(CommandError, match="не найден"):
        call_command("check_sites", "--round", "999999")


def test_editor_starts_the_check_from_the_admin_and_confirms(client, template):
    editor = UserFactory(is_staff=True)
    editor.groups.add(editors_group())
    client.force_login(editor)
    with Site(complete_site()) as site:
        school = OrganisationFactory(website=site.url)
        monitoring_round = MonitoringRound.objects.create(template=template, title="III квартал")
        monitoring_round.organisations.set([school])
        response = client.post(reverse("monitoring_round_check", args=[monitoring_round.pk]))
    assert response.status_code == 302
    page = client.get(reverse("monitoring_round", args=[monitoring_round.pk])).content.decode()
    assert "Проверено сайтов: 1 из 1" in page
    checklist = Checklist.objects.get(round=monitoring_round)
    # The editor confirms the pre-filled answers, completes the manual ones and accepts.
    data = {}
    for answer in checklist.answers.all():
        data[f"item-{answer.item_id}-present"] = "yes" if answer.present else "no"
        data[f"item-{answer.item_id}-note"] = ""
    data["submit"] = "1"
    client.post(reverse("monitoring_checklist", args=[checklist.pk]), data)
    assert ChecklistAnswer.objects.filter(checklist=checklist, confirmed=True).count() == 8
    client.post(reverse("monitoring_checklist_transition", args=[checklist.pk, "accept"]))
    checklist.refresh_from_db()
    assert checklist.status == Checklist.Status.ACCEPTED
    assert school.assessment_inputs.get(year=2026).site_items == 2


def fill(monitoring_round, organisation, present):
    checklist = services.checklist_for(
        organisation, monitoring_round.template, Checklist.Source.MONITORING, round=monitoring_round
    )
    for answer in checklist.answers.select_related("item"):
        answer.present = present.get(answer.item.text, False)
        answer.save()
    return checklist


def test_spravka_figures_on_a_known_fixture(client, template):
    north = MunicipalityFactory(name="Северный округ")
    south = MunicipalityFactory(name="Южный округ")
    a = OrganisationFactory(name="Школа А", municipality=north)
    b = OrganisationFactory(name="Школа Б", municipality=north)
    c = OrganisationFactory(name="Школа В", municipality=south)
    site, docs, phone = "Подраздел «Основные сведения»", "Подраздел «Документы»", "Телефон"
    first = MonitoringRound.objects.create(template=template, title="I квартал")
    first.organisations.set([a, b, c])
    fill(first, a, {site: True})
    fill(first, b, {site: True, docs: True, phone: True})
    fill(first, c, {})
    second = MonitoringRound.objects.create(template=template, title="II квартал")
    second.organisations.set([a, b, c])
    fill(second, a, {site: True, docs: True, phone: True})
    fill(second, b, {site: True, docs: True})
    fill(second, c, {phone: True})

    report = build_report(second)
    assert report.previous_round == first
    rows = {row.organisation.name: row for row in report.rows}
    # Monitored items: the two /sveden/ subsections and the phone.
    assert (rows["Школа А"].present, rows["Школа А"].total) == (3, 3)
    assert rows["Школа А"].percent == Decimal("100.0")
    assert rows["Школа А"].previous_percent == Decimal("33.3")
    assert rows["Школа А"].change == Decimal("66.7")
    assert sorted(rows["Школа А"].fixed) == sorted([docs, phone])
    assert rows["Школа Б"].percent == Decimal("66.7") and rows["Школа Б"].lost == [phone]
    assert rows["Школа Б"].missing == [phone]
    assert rows["Школа В"].percent == Decimal("33.3")
    municipalities = {g.name: g for g in report.municipalities}
    assert municipalities["Северный округ"].percent == Decimal("83.3")  # (1 + 2/3) / 2
    assert municipalities["Южный округ"].percent == Decimal("33.3")
    assert report.region.percent == Decimal("66.7")  # (1 + 2/3 + 1/3) / 3

    editor = UserFactory(is_staff=True)
    editor.groups.add(editors_group())
    client.force_login(editor)
    page = client.get(reverse("monitoring_round_report", args=[second.pk])).content.decode()
    assert "83,3" in page and "+66,7" in page and "Школа В" in page
    xlsx = client.get(reverse("monitoring_round_report_xlsx", args=[second.pk]))
    sheet = load_workbook(BytesIO(xlsx.content)).active
    rows = {r[1]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Школа А"][5] == 100 and rows["Школа Б"][8] == phone


def test_checking_a_closed_round_again_keeps_it_closed(template):
    with Site(complete_site()) as site:
        monitoring_round = MonitoringRound.objects.create(
            template=template, title="Архивный раунд", status=MonitoringRound.Status.CLOSED
        )
        monitoring_round.organisations.set([OrganisationFactory(website=site.url)])
        assert check_round(monitoring_round.pk) == 1
    monitoring_round.refresh_from_db()
    assert monitoring_round.status == MonitoringRound.Status.CLOSED
    assert monitoring_round.sites_checked == 1
