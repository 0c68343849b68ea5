"""``manage.py import_inputs FILE --year Y [--dry-run]``: aggregated assessment inputs.

All or nothing: any bad row prints every error (row and column) and exits non-zero having
written nothing.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from results.inputs_import import import_inputs


class Command(BaseCommand):
    help = (
        "Импорт входных данных оценки (агрегированные показатели по организациям) за год "
        "из CSV или XLSX. Всё или ничего."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="путь к файлу CSV или XLSX")
        parser.add_argument("--year", type=int, required=True, help="год оценки")
        parser.add_argument(
            "--dry-run", action="store_true", help="только проверить файл, ничего не записывая"
        )

    def handle(self, *args, file, year, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Файл не найден: {file}")
        report = import_inputs(path, year, dry_run=dry_run)
        if not report.ok:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"Файл не импортирован: ошибок — {len(report.errors)}. Ничего не записано."
            )
        prefix = "Проверка: " if dry_run else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}{year} год: добавлено {report.created}, обновлено {report.updated}, "
                f"без изменений {report.unchanged}."
            )
        )
