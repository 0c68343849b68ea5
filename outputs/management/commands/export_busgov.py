"""``manage.py export_busgov --year Y --kind school|preschool|college|additional
--format xlsx|csv|xml [--output FILE]``: the file of the admin screen «Выгрузка для
bus.gov.ru», for scripts.

Only the year's current published revision is exported (outputs/busgov.py). Without
``--output`` CSV and XML go to the standard output; XLSX needs a file.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outputs.busgov import FORMATS, NoPublishedYear, export
from registry.models import Organisation


class Command(BaseCommand):
    help = gettext_lazy("Выгрузить результаты года для bus.gov.ru (XLSX, CSV или XML).")

    def add_arguments(self, parser):
        parser.description = str(self.help)  # argparse wraps the text with re: a str, not lazy
        parser.add_argument("--year", type=int, required=True, help=_("год оценки"))
        parser.add_argument(
            "--kind", choices=Organisation.Kind.values, required=True, help=_("тип организаций")
        )
        parser.add_argument("--format", choices=FORMATS, required=True, dest="fmt")
        parser.add_argument("--output", help=_("файл; без него — в стандартный вывод"))

    def handle(self, *args, year, kind, fmt, output, **options):
        if fmt == "xlsx" and not output:
            raise CommandError(_("Для XLSX укажите файл: --output."))
        try:
            content = export(year, kind, fmt)
        except NoPublishedYear as error:
            raise CommandError(
                _("Рейтинг %(year)s года не опубликован.") % {"year": year}
            ) from error
        if output:
            Path(output).write_bytes(content)
            self.stderr.write(self.style.SUCCESS(_("Записано: %(file)s") % {"file": output}))
        else:
            self.stdout.write(content.decode("utf-8"), ending="")
