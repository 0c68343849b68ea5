"""Send the day's reminders and notifications; run daily by a timer (README: cron/systemd)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from notifications.services import send_due


class Command(BaseCommand):
    help = (
        "Отправляет напоминания и уведомления, которые положены на этот день; повторный "
        "запуск в тот же день ничего не отправляет."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="день, за который отправлять (ГГГГ-ММ-ДД); по умолчанию сегодня"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="только показать, что было бы отправлено, ничего не отправляя",
        )

    def handle(self, *args, date=None, dry_run=False, **options):
        today = None
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError as error:
                raise CommandError(f"Неверная дата: {date} (нужно ГГГГ-ММ-ДД).") from error
        report = send_due(today, dry_run=dry_run)
        if dry_run:
            for message, recipient in report.planned:
                self.stdout.write(f"{message.category}\t{message.key}\t{recipient.email}")
            self.stdout.write(
                f"Пробный запуск: было бы отправлено {len(report.planned)}, "
                f"уже отправлено раньше {report.already}, отписались {report.unsubscribed}."
            )
            return
        self.stdout.write(
            f"Отправлено {report.sent}, ошибок {report.failed}, "
            f"уже отправлено раньше {report.already}, отписались {report.unsubscribed}."
        )
