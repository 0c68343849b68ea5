"""Build the demo region: registry, site content and demo accounts. Safe to run again.

``--scale small`` builds a slice of the region (a dozen organisations, a few dozen responses
each) with the same pages and accounts, for tests. A database keeps the scale it was first
built at: a later run at the other scale adds only the missing organisations and their pages.

The command prints one line per stage. The figures on it are counted in the database before
and after the stage, not taken from the loaders' own return values, so a line never claims
more or less than the stage really wrote; a stage that wrote nothing says «уже загружено»
with what the database holds, so a second `make run` does not read like an empty demo."""

import contextlib
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Page

from accountability.demo import load_follow_up
from accountability.models import CouncilMeeting, ImprovementPlan, Objection, Shortcoming
from core.sites import sync_default_site
from monitoring.demo import load_checklists, load_expert_accounts
from monitoring.models import Checklist
from registry.demo import load_assessment_lists
from registry.models import AssessmentListEntry
from results.demo import load_results
from results.models import RatingResult, RatingRevision
from schools.demo import SCALES, load_accounts, load_profiles, load_registry
from schools.demo_content import load_content
from schools.models import Municipality, Organisation, SchoolIndexPage, SchoolPage
from surveys.demo import load_campaigns, load_paper_batches
from surveys.models import Campaign, PaperBatch, Response, ResponseMode

DEMO_ADMIN_USERNAME = "admin"
DEMO_ADMIN_PASSWORD = "noko-demo-admin"

# Loggers that narrate every page saved and every rating computed: a few hundred lines during
# the load that the stage lines already sum up. Warnings and errors still come through.
QUIET_LOGGERS = ("wagtail", "modelsearch", "results", "accountability", "surveys", "monitoring")


@contextlib.contextmanager
def quiet_loggers(names=QUIET_LOGGERS, level=logging.WARNING):
    """Raise the level of ``names`` for the duration of the block only, so the command leaves
    the process's logging as it found it (tests and other commands keep their INFO lines)."""
    loggers = [logging.getLogger(name) for name in names]
    previous = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(level)
    try:
        yield
    finally:
        for logger, old_level in zip(loggers, previous, strict=True):
            logger.setLevel(old_level)


def site_pages():
    """Content, news and survey pages: everything under the home page but the directory."""
    return Page.objects.filter(depth__gt=2).not_type(SchoolIndexPage, SchoolPage).count()


def directory_pages():
    return SchoolIndexPage.objects.count() + SchoolPage.objects.count()


@dataclass(frozen=True)
class Stage:
    """One step of the load: what runs, and what to count (label, current number) around it."""

    title: str
    run: object
    counters: tuple


def stages(scale):
    return (
        Stage(
            "Реестр",
            lambda: load_registry(scale),
            (
                ("муниципалитетов", Municipality.objects.count),
                ("организаций", Organisation.objects.count),
                ("страниц организаций", directory_pages),
            ),
        ),
        Stage("Страницы сайта", load_content, (("страниц", site_pages),)),
        Stage(
            "Профили организаций",
            load_profiles,
            (("профилей", SchoolPage.objects.exclude(about="").count),),
        ),
        Stage(
            "Перечни для оценки",
            load_assessment_lists,
            (("записей", AssessmentListEntry.objects.count),),
        ),
        Stage(
            "Анкетирование",
            lambda: load_campaigns(scale),
            (
                ("кампаний", Campaign.objects.count),
                ("анкет", Response.objects.filter(mode=ResponseMode.ONLINE).count),
            ),
        ),
        Stage(
            "Бумажные анкеты и интервью",
            load_paper_batches,
            (
                ("пачек", PaperBatch.objects.count),
                ("анкет", Response.objects.exclude(mode=ResponseMode.ONLINE).count),
            ),
        ),
        # The last past year stays a draft: the next stages take it through its preliminary
        # stage and publish it.
        Stage(
            "Рейтинги",
            lambda: load_results(publish_last_past=False),
            (
                ("лет", RatingRevision.objects.values("year").distinct().count),
                ("редакций", RatingRevision.objects.count),
                ("результатов", RatingResult.objects.count),
            ),
        ),
        Stage("Чек-листы", load_checklists, (("чек-листов", Checklist.objects.count),)),
        Stage(
            "Итоги оценки",
            load_follow_up,
            (
                ("недостатков", Shortcoming.objects.count),
                ("планов", ImprovementPlan.objects.count),
                ("возражений", Objection.objects.count),
                ("заседаний совета", CouncilMeeting.objects.count),
            ),
        ),
    )


def figure(number):
    # A non-breaking space between thousands, as Russian text writes them (81 729).
    return f"{number:,}".replace(",", "\u00a0")


def counts_text(pairs):
    return ", ".join(f"{label} {figure(number)}" for label, number in pairs)


class Command(BaseCommand):
    help = "Загрузить демонстрационный регион (повторный запуск ничего не меняет)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=SCALES,
            default="full",
            help="Размер региона: full — 8 муниципалитетов и 120 организаций (по умолчанию), "
            "small — 3 муниципалитета и десяток организаций всех типов (для тестов).",
        )
        parser.add_argument(
            "--with-accounts",
            action="store_true",
            help="Создать демо-учётные записи и при DEBUG=False (не для рабочего сервера).",
        )

    def handle(self, *args, scale="full", with_accounts=False, **options):
        started = time.monotonic()
        all_stages = stages(scale)
        created_any = False
        with quiet_loggers(), transaction.atomic():
            site = sync_default_site()
            if site is not None:
                self.stdout.write(f"Адрес сайта: {site.root_url}/")
            for number, stage in enumerate(all_stages, start=1):
                created_any |= self.run_stage(number, len(all_stages), stage)
        if created_any:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Демо-регион загружен за {round(time.monotonic() - started)} с."
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS("Демо-регион уже загружен, ничего не изменено."))
        if settings.DEBUG or with_accounts:
            self.ensure_admin()
            for username, password, description in load_accounts() + load_expert_accounts():
                self.stdout.write(f"  {username} / {password} — {description}")
        else:
            self.stdout.write("Демо-учётные записи не созданы (DEBUG=False, нет --with-accounts).")

    def run_stage(self, number, total, stage):
        """Run one stage, printing its title first (a long stage is not a silent one) and
        what it created after; returns whether it created anything."""
        self.stdout.write(f"[{number}/{total}] {stage.title}… ", ending="")
        self.stdout.flush()
        before = [count() for _label, count in stage.counters]
        started = time.monotonic()
        stage.run()
        seconds = round(time.monotonic() - started)
        after = [count() for _label, count in stage.counters]
        labels = [label for label, _count in stage.counters]
        if after == before:
            self.stdout.write(f"уже загружено ({counts_text(zip(labels, after, strict=True))})")
            return False
        created = [now - then for now, then in zip(after, before, strict=True)]
        created = zip(labels, created, strict=True)
        self.stdout.write(f"создано: {counts_text(created)} ({seconds} с)")
        return True

    def ensure_admin(self):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=DEMO_ADMIN_USERNAME,
            defaults={
                "is_staff": True,
                "is_superuser": True,
                "email": "admin@example.com",
                "first_name": "Редактор",
                "last_name": "Оператора",
            },
        )
        if created:
            user.set_password(DEMO_ADMIN_PASSWORD)
            user.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"Вход в админку: {settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/admin/  "
                f"логин {DEMO_ADMIN_USERNAME}  "
                f"пароль {DEMO_ADMIN_PASSWORD}"
            )
        )
