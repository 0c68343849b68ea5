"""``manage.py export_ratings --year Y --format csv|xlsx|json [--output FILE]``.

Exports the year's current published revision only: a draft is never open data.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from results.exports import FORMATS, export
from results.models import RatingResult, RatingRevision


class Command(BaseCommand):
    help = gettext_lazy("Выгрузить опубликованный рейтинг за год (открытые данные).")

    def add_arguments(self, parser):
        parser.description = str(self.help)  # argparse wraps the text with re: a str, not lazy
        parser.add_argument("--year", type=int, required=True, help=_("год оценки"))
        parser.add_argument("--format", choices=FORMATS, required=True, dest="fmt")
        parser.add_argument("--output", help=_("файл; без него — в стандартный вывод"))

    def handle(self, *args, year, fmt, output, **options):
        revision = RatingRevision.objects.current_of(year)
        if revision is None:
            raise CommandError(_("Рейтинг %(year)s года не опубликован.") % {"year": year})
        content = export(RatingResult.objects.filter(revision=revision), fmt, revision)
        if output:
            Path(output).write_bytes(content)
            self.stderr.write(self.style.SUCCESS(_("Записано: %(file)s") % {"file": output}))
        else:
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
