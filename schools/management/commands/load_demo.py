"""Build the demo region: registry, site content and demo accounts. Safe to run again.

``--scale small`` builds a slice of the region (a dozen organisations, a few dozen responses
each) with the same pages and accounts, for tests. A database keeps the scale it was first
built at: a later run at the other scale adds only the missing organisations and their pages."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from accountability.demo import load_follow_up
from monitoring.demo import load_checklists, load_expert_accounts
from registry.demo import load_assessment_lists
from results.demo import load_results
from schools.demo import SCALES, load_accounts, load_profiles, load_registry
from schools.demo_content import load_content
from surveys.demo import load_campaigns, load_paper_batches

DEMO_ADMIN_USERNAME = "admin"
DEMO_ADMIN_PASSWORD = "noko-demo-admin"


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
        with transaction.atomic():
            municipalities, organisations = load_registry(scale)
            pages = load_content()
            profiles = load_profiles()
            listed = load_assessment_lists()
            campaigns = load_campaigns(scale)
            # Typed before the computation, so the current year's draft counts them.
            paper_sheets = load_paper_batches()
            # The last past year is published by the demo of what follows the numbers,
            # after its preliminary stage.
            rating_years = load_results(publish_last_past=False)
            checklists = load_checklists()
            follow_up_years = load_follow_up()
        self.stdout.write(
            f"Демо-регион: муниципалитетов создано {municipalities}, организаций {organisations}, "
            f"страниц {pages}, профилей школ заполнено {profiles}, "
            f"записей в перечнях для оценки {listed}, кампаний анкетирования {campaigns}, "
            f"бумажных анкет и интервью {paper_sheets}, "
            f"лет рейтинга рассчитано {rating_years}, "
            f"чек-листов {checklists}, лет с недостатками и планами {follow_up_years}."
        )
        if settings.DEBUG or with_accounts:
            self.ensure_admin()
            for username, password, description in load_accounts() + load_expert_accounts():
                self.stdout.write(f"  {username} / {password} — {description}")
        else:
            self.stdout.write("Демо-учётные записи не созданы (DEBUG=False, нет --with-accounts).")

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
