"""``manage.py derive_shortcomings --year Y [--organisation CODE]``: derive the year's
shortcomings (or one organisation's) from the year's result and accepted checklists."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accountability.shortcomings import derive, derive_year
from registry.models import Organisation


class Command(BaseCommand):
    help = gettext_lazy(
        "Выявить недостатки организаций года по данным: показатели ниже 100 баллов, пункты "
        "принятых чек-листов, вопросы анкеты ниже порога удовлетворённости. Правки оператора "
        "сохраняются."
    )

    def add_arguments(self, parser):
        parser.description = str(self.help)  # argparse wraps the text with re: a str, not lazy
        parser.add_argument("--year", type=int, required=True, help=_("год оценки"))
        parser.add_argument(
            "--organisation", metavar="CODE", help=_("код одной организации (по умолчанию все)")
        )

    def handle(self, *args, year, organisation=None, **options):
        try:
            if organisation:
                found = Organisation.objects.filter(code=organisation.strip()).first()
                if found is None:
                    raise CommandError(
                        _("Организация с кодом «%(code)s» не найдена.") % {"code": organisation}
                    )
                report = derive(found, year)
            else:
                report = derive_year(year)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            _(
                "Организаций: %(organisations)s; новых недостатков: %(created)s; обновлено: "
                "%(updated)s; больше не подтверждаются: %(stale)s; пропущено: %(skipped)s."
            )
            % report.as_dict()
        )
