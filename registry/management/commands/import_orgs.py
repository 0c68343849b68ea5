"""``manage.py import_orgs FILE [--dry-run]``: import the organisations registry from a file.

Unlike django-import-export's stock ``import`` command, which prints "Import finished" even
when rows failed, this one prints every error ("Строка 7, столбец contingent_parents: …") and exits
non-zero having written nothing.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registry.registry_import import import_registry


class Command(BaseCommand):
    help = gettext_lazy(
        "Импорт реестра организаций из CSV (UTF-8 или cp1251, запятая или точка с запятой) "
        "или XLSX (первый лист). Всё или ничего: при любой ошибке ничего не записывается."
    )

    def add_arguments(self, parser):
        parser.description = str(self.help)  # argparse wraps the text with re: a str, not lazy
        parser.add_argument("file", help=_("путь к файлу CSV или XLSX"))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("только проверить файл и показать, что изменится, ничего не записывая"),
        )

    def handle(self, *args, file, dry_run, verbosity, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("Файл не найден: %(file)s") % {"file": file})
        report = import_registry(path, dry_run=dry_run)
        if not report.ok:
            for line in report.error_lines():
                self.stderr.write(line)
            raise CommandError(report.summary())
        if verbosity >= 2:
            labels = {
                "created": _("создана"),
                "updated": _("обновлена"),
                "unchanged": _("без изменений"),
            }
            for action in report.actions:
                self.stdout.write(
                    _("Строка %(row)s: %(code)s %(name)s — %(action)s")
                    % {
                        "row": action.row,
                        "code": action.code,
                        "name": action.name,
                        "action": labels[action.action],
                    }
                )
        for name in report.municipalities_created:
            self.stdout.write(_("Новый муниципалитет: %(name)s") % {"name": name})
        self.stdout.write(self.style.SUCCESS(report.summary()))
