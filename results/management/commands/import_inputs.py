"""``manage.py import_inputs FILE --year Y [--dry-run]``: aggregated assessment inputs.

All or nothing: any bad row prints every error (row and column) and exits non-zero having
written nothing.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from results.inputs_import import import_inputs


class Command(BaseCommand):
    help = gettext_lazy(
        "Импорт входных данных оценки (агрегированные показатели по организациям) за год "
        "из CSV или XLSX. Всё или ничего."
    )

    def add_arguments(self, parser):
        parser.description = str(self.help)  # argparse wraps the text with re: a str, not lazy
        parser.add_argument("file", help=_("путь к файлу CSV или XLSX"))
        parser.add_argument("--year", type=int, required=True, help=_("год оценки"))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("только проверить файл, ничего не записывая")
        )

    def handle(self, *args, file, year, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("Файл не найден: %(file)s") % {"file": file})
        report = import_inputs(path, year, dry_run=dry_run)
        if not report.ok:
            for error in report.errors:
                self.stderr.write(str(error))
            count = len(report.errors)
            # The wording of the upload page (results/admin/inputs_upload.html).
            raise CommandError(
                ngettext(
                    "Файл не импортирован: %(counter)s ошибка. Ничего не записано.",
                    "Файл не импортирован: ошибок — %(counter)s. Ничего не записано.",
                    count,
                )
                % {"counter": count}
            )
        if dry_run:
            message = _(
                "Проверка: %(year)s год: добавлено %(created)s, обновлено %(updated)s, "
                "без изменений %(unchanged)s."
            )
        else:
            message = _(
                "%(year)s год: добавлено %(created)s, обновлено %(updated)s, "
                "без изменений %(unchanged)s."
            )
        counts = {
            "year": year,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
        }
        self.stdout.write(self.style.SUCCESS(message % counts))
