"""``manage.py import_orgs FILE [--dry-run]``: import the organisations registry from a file.

Unlike django-import-export's stock ``import`` command, which prints "Import finished" even
when rows failed, this one prints every error ("Строка 7, столбец pupils_1_8: …") and exits
non-zero having written nothing.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from registry.registry_import import import_registry


class Command(BaseCommand):
    help = (
        "Импорт реестра организаций из CSV (UTF-8 или cp1251, запятая или точка с запятой) "
        "или XLSX (первый лист). Всё или ничего: при любой ошибке ничего не записывается."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="путь к файлу CSV или XLSX")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="только проверить файл и показать, что изменится, ничего не записывая",
        )

    def handle(self, *args, file, dry_run, verbosity, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Файл не найден: {file}")
        report = import_registry(path, dry_run=dry_run)
        if not report.ok:
            for line in report.error_lines():
                self.stderr.write(line)
            raise CommandError(report.summary())
        if verbosity >= 2:
            labels = {"created": "создана", "updated": "обновлена", "unchanged": "без изменений"}
            for action in report.actions:
                self.stdout.write(
                    f"Строка {action.row}: {action.code} {action.name} — {labels[action.action]}"
                )
        for name in report.municipalities_created:
            self.stdout.write(f"Новый муниципалитет: {name}")
        self.stdout.write(self.style.SUCCESS(report.summary()))
