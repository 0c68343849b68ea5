"""`load_demo` builds the promised region and is idempotent.

Every test loads the small region (`--scale small`, seconds) except one, which loads the full
region twice: the counts the README promises, and nothing changed by the second run."""

import logging
import re
from collections import Counter
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from accountability.models import (
    CouncilMeeting,
    DiscussionEntry,
    ImprovementPlan,
    Objection,
    Shortcoming,
)
from home.models import ContentPage, NewsPage, OperatorSettings
from monitoring.demo import EXPERT_ACCOUNTS
from monitoring.models import Checklist, ExpertAssignment, MonitoringRound
from registry.access import organisation_of
from results.models import AssessmentInput, RatingResult, RatingRevision
from schools.demo import DEMO_ACCOUNTS, SCALES, SMALL_KIND_PLAN, build_full_registry
from schools.management.commands.load_demo import DEMO_ADMIN_PASSWORD, DEMO_ADMIN_USERNAME
from schools.models import Municipality, Organisation, SchoolPage
from surveys.demo import VOLUMES
from surveys.models import Campaign, PaperBatch, Response


def load_demo(*args, scale="small"):
    out = StringIO()
    call_command("load_demo", "--scale", scale, *args, stdout=out)
    return out.getvalue()


# «[1/9] Реестр… создано: муниципалитетов 8, … (3 с)» or «… уже загружено (муниципалитетов 8, …)»
STAGE_LINE = re.compile(
    r"^\[(\d+)/(\d+)\] (.+?)… (создано: |уже загружено \()(.+?)\)?( \(\d+ с\))?$"
)


def stage_lines(output):
    """{stage title: (created?, {label: number})} from the command's progress lines."""
    stages = {}
    for line in output.splitlines():
        match = STAGE_LINE.match(line)
        if match:
            _number, _total, title, verb, figures, _seconds = match.groups()
            numbers = {}
            for part in figures.split(", "):
                label, number = part.rsplit(" ", 1)
                numbers[label] = int(number.replace("\u00a0", ""))
            stages[title] = (verb == "создано: ", numbers)
    return stages


def snapshot():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "municipalities": Municipality.objects.count(),
        "organisations": Organisation.objects.count(),
        "organisation_rows": sorted(
            Organisation.objects.values_list("code", "name", "address", "contingent_parents")
        ),
        "users": get_user_model().objects.count(),
        "campaigns": Campaign.objects.count(),
        "responses": Response.objects.count(),
        "inputs": AssessmentInput.objects.count(),
        "rating_revisions": sorted(RatingRevision.objects.values_list("year", "status")),
        "ratings": RatingResult.objects.count(),
        "checklists": Checklist.objects.count(),
        "expert_assignments": ExpertAssignment.objects.count(),
        "images": get_image_model().objects.count(),
        "shortcomings": Shortcoming.objects.count(),
        "plans": sorted(ImprovementPlan.objects.values_list("year", "status")),
        "objections": Objection.objects.count(),
        "discussion_entries": DiscussionEntry.objects.count(),
        "council_meetings": CouncilMeeting.objects.count(),
    }


def kind_counts():
    return Counter(Organisation.objects.values_list("kind", flat=True))


class FullDemoTests(TestCase):
    def test_full_region_keeps_the_readme_promises_and_a_second_run_changes_nothing(self):
        load_demo("--with-accounts", scale="full")
        first = snapshot()

        # README, "What the demo contains".
        self.assertEqual(first["municipalities"], 8)
        self.assertEqual(
            kind_counts(), {"school": 60, "preschool": 35, "college": 10, "additional": 15}
        )
        this_year = timezone.localdate().year
        past_responses = Response.objects.filter(campaign__year__lt=this_year).count()
        self.assertTrue(65_000 <= past_responses <= 80_000, past_responses)
        # Schools and colleges every autumn, kindergartens and centres every other spring.
        seasons = Counter(
            (campaign.year, tuple(campaign.kinds)) for campaign in Campaign.objects.all()
        )
        autumn, spring = ("school", "college"), ("preschool", "additional")
        self.assertEqual(
            seasons,
            Counter(
                [(year, autumn) for year in range(this_year - 3, this_year + 1)]
                + [(this_year - 3, spring), (this_year - 1, spring)]
            ),
        )
        self.assertEqual(Campaign.objects.get(year=this_year).kinds, list(autumn))
        # Each year's ratings hold the kinds its list held, each kind ranked on its own.
        last_year = RatingResult.objects.public().filter(year=this_year - 1)
        self.assertEqual(set(last_year.values_list("kind", flat=True)), {*autumn, *spring})
        self.assertEqual(last_year.filter(kind="preschool", rank=1).count(), 1)
        self.assertEqual(last_year.filter(kind="school", rank=1).count(), 1)
        published = RatingRevision.objects.published().values_list("year", flat=True)
        self.assertEqual(len(set(published)), 3)
        self.assertEqual(len(published), 4)  # the last year republished once
        self.assertTrue(RatingRevision.objects.filter(status="draft").exists())
        self.assertEqual(MonitoringRound.objects.count(), 2)
        for monitoring_round in MonitoringRound.objects.all():
            self.assertEqual(monitoring_round.organisations.count(), 40)
        self_assessments = Checklist.objects.filter(source=Checklist.Source.SELF)
        # Of the first 30 organisations, those on this year's list (schools and colleges).
        self.assertEqual(self_assessments.count(), 21)
        self.assertEqual(
            set(self_assessments.values_list("status", flat=True)),
            {"draft", "returned", "submitted", "accepted"},
        )
        self.assertEqual(NewsPage.objects.live().count(), 10)

        load_demo("--with-accounts", scale="full")
        self.assertEqual(snapshot(), first)


class SmallDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.output = load_demo("--with-accounts")

    def test_small_region_is_a_slice_of_the_full_one_with_every_kind(self):
        self.assertEqual(Municipality.objects.count(), len(SMALL_KIND_PLAN["school"]))
        self.assertEqual(kind_counts(), {kind: sum(plan) for kind, plan in SMALL_KIND_PLAN.items()})
        _municipalities, full = build_full_registry()
        full_rows = {row["code"]: (row["name"], row["address"]) for row in full}
        for code, name, address in Organisation.objects.values_list("code", "name", "address"):
            self.assertRegex(code, r"^\d{10}$")
            self.assertEqual(full_rows[code], (name, address))
        self.assertTrue(Organisation.objects.filter(short_name__contains="Гимназия").exists())
        # A school page for every organisation.
        self.assertEqual(SchoolPage.objects.count(), Organisation.objects.count())

    def test_small_region_has_the_same_pages_as_the_full_one(self):
        self.assertEqual(NewsPage.objects.live().count(), 10)
        self.assertTrue(ContentPage.objects.live().filter(slug="metodika").exists())
        self.assertTrue(ContentPage.objects.live().filter(slug="voprosy").exists())
        # The methodology opens with what happens in a year, not a decorative striped banner.
        methodology = self.client.get("/metodika/").content.decode()
        self.assertIn("Как проходит оценка", methodology)
        self.assertNotIn("<img", methodology.split("<main", 1)[1])
        self.assertFalse(get_image_model().objects.filter(title__startswith="Демо: баннер"))
        self.assertTrue(OperatorSettings.objects.exclude(name="").exists())

    def test_small_region_rates_schools_and_leaves_the_smallest_unrated(self):
        cap = VOLUMES["small"].max_respondents
        # The cap bounds the generated online answers; the demo's typed paper sheets come on top.
        online = Response.objects.filter(mode="online")
        per_school = Counter(online.values_list("campaign", "organisation", "audience"))
        self.assertLessEqual(max(per_school.values()), cap)
        smallest = min(
            Organisation.objects.all(),
            key=lambda org: (org.contingent_parents + org.contingent_students, org.code),
        )
        public = RatingResult.objects.public()
        self.assertEqual(public.values("year").distinct().count(), 3)
        for year in public.values_list("year", flat=True).distinct():
            statuses = dict(public.filter(year=year).values_list("organisation", "status"))
            with self.subTest(year=year):
                self.assertEqual(statuses.pop(smallest.pk), "insufficient_data")
                self.assertIn("rated", statuses.values())

    def test_every_demo_account_signs_in_and_reaches_its_place(self):
        organisations = list(Organisation.objects.order_by("code"))
        # The coordinator works in the cabinet's workspace of their municipality.
        places = {DEMO_ADMIN_USERNAME: "/admin/", "editor": "/admin/"}
        accounts = [(DEMO_ADMIN_USERNAME, DEMO_ADMIN_PASSWORD)]
        accounts += [(username, password) for username, password, _, _ in DEMO_ACCOUNTS]
        accounts += [(username, password) for username, password, _ in EXPERT_ACCOUNTS]
        for username, password in accounts:
            with self.subTest(username=username):
                if username != DEMO_ADMIN_USERNAME:
                    self.assertIn(f"{username} / {password}", self.output)
                self.assertTrue(self.client.login(username=username, password=password))
                response = self.client.get(places.get(username, "/cabinet/"))
                self.assertEqual(response.status_code, 200)
                self.client.logout()
        # The school logins each have their own organisation and self-assessment in the
        # status the README names.
        # school3 works at a kindergarten, assessed last spring and not on this year's list:
        # nothing is asked of it this year, and its cabinet says why.
        statuses = {"school1": "draft", "school2": "returned", "school3": None}
        for username, _password, role, index in DEMO_ACCOUNTS:
            if role != "staff":
                continue
            user = get_user_model().objects.get(username=username)
            self.assertEqual(organisation_of(user), organisations[index])
            report = Checklist.objects.filter(
                organisation=organisations[index], source=Checklist.Source.SELF
            ).first()
            self.assertEqual(report and report.status, statuses[username])
        self.client.login(username="school3", password="noko-demo-school")
        self.assertContains(self.client.get("/cabinet/"), "нет в перечне организаций для оценки")
        for username, _password, _name in EXPERT_ACCOUNTS:
            self.assertTrue(
                ExpertAssignment.objects.filter(expert__user__username=username).exists()
            )

    def test_each_stage_says_what_it_created_as_the_database_counts_it(self):
        stages = stage_lines(self.output)
        self.assertEqual(len(stages), 9)
        self.assertTrue(all(created for created, _numbers in stages.values()))
        directory = SchoolPage.objects.count() + 1  # the organisations' index page
        self.assertEqual(
            stages["Реестр"][1],
            {
                "муниципалитетов": Municipality.objects.count(),
                "организаций": Organisation.objects.count(),
                "страниц организаций": directory,
            },
        )
        # Every page under the home page is counted once, by one of the two stages.
        under_home = Page.objects.filter(depth__gt=2).count()
        self.assertEqual(stages["Страницы сайта"][1], {"страниц": under_home - directory})
        self.assertEqual(stages["Профили организаций"][1], {"профилей": SchoolPage.objects.count()})
        online = stages["Анкетирование"][1]
        paper = stages["Бумажные анкеты и интервью"][1]
        self.assertEqual(online["кампаний"], Campaign.objects.count())
        self.assertEqual(paper["пачек"], PaperBatch.objects.count())
        self.assertEqual(online["анкет"] + paper["анкет"], Response.objects.count())
        self.assertEqual(stages["Рейтинги"][1]["редакций"], RatingRevision.objects.count())
        self.assertEqual(stages["Чек-листы"][1], {"чек-листов": Checklist.objects.count()})
        self.assertEqual(stages["Итоги оценки"][1]["недостатков"], Shortcoming.objects.count())
        self.assertIn("Демо-регион загружен", self.output)

    def test_a_second_run_says_already_loaded_with_what_is_there_and_creates_nothing(self):
        before = snapshot()
        output = load_demo("--with-accounts")
        self.assertEqual(snapshot(), before)
        stages = stage_lines(output)
        self.assertEqual(len(stages), 9)
        self.assertFalse([title for title, (created, _numbers) in stages.items() if created])
        self.assertNotIn("создано", output)
        self.assertIn("Демо-регион уже загружен", output)
        # «уже загружено» with the figures the database holds, not zeros.
        self.assertEqual(stages["Реестр"][1]["организаций"], Organisation.objects.count())
        self.assertEqual(stages["Анкетирование"][1]["кампаний"], Campaign.objects.count())
        self.assertNotIn(" 0", output.split("Демо-регион")[0])

    def test_every_demo_module_knows_every_scale(self):
        self.assertEqual(set(VOLUMES), set(SCALES))


class DemoWithoutAccountsTests(TestCase):
    @override_settings(BASE_URL="https://noko.example.ru")
    def test_demo_pages_render_and_no_accounts_without_debug(self):
        wagtail_logger = logging.getLogger("wagtail")
        # assertNoLogs lowers the logger to INFO: the per-page lines would be caught here.
        with self.assertNoLogs("wagtail", level="INFO"):
            out = load_demo()
        self.assertEqual(wagtail_logger.level, logging.NOTSET)  # left as it was found
        self.assertLess(len(out.splitlines()), 15)
        # The people of the demo's story (who approved a plan, answered a proposal) exist
        # as records only: no password, so nobody can sign in as them.
        self.assertFalse(
            [user for user in get_user_model().objects.all() if user.has_usable_password()]
        )
        self.assertFalse(get_user_model().objects.filter(is_superuser=True).exists())
        self.assertIn("не созданы", out)
        # Every content page and every organisation page.
        pages = list(Page.objects.live().filter(depth__gte=2).specific())
        self.assertGreater(SchoolPage.objects.count(), 0)
        for page in pages:
            with self.subTest(page=page.title):
                self.assertEqual(self.client.get(page.url).status_code, 200)
        # The Site took the address the portal is deployed at (BASE_URL).
        self.assertIn("Адрес сайта: https://noko.example.ru/", out)
        sitemap = self.client.get("/sitemap.xml").content.decode()
        locations = re.findall(r"<loc>(.*?)</loc>", sitemap)
        self.assertGreater(len(locations), len(pages))
        self.assertEqual(
            [url for url in locations if not url.startswith("https://noko.example.ru/")], []
        )
