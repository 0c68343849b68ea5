"""``manage.py publish_ratings --year Y [--note TEXT]``: publish the year's draft."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from results.services import RatingsError, publish_year


class Command(BaseCommand):
    help = gettext_lazy(
        "Опубликовать рассчитанный черновик рейтинга за год. Повторная публикация создаёт "
        "новую редакцию; прежняя остаётся доступной."
    )

    def add_arguments(self, parser):
        parser.description = str(self.help)  # argparse wraps the text with re: a str, not lazy
        parser.add_argument("--year", type=int, required=True, help=_("год оценки"))
        parser.add_argument(
            "--note",
            default="",
            help=_("что изменилось (обязательно для новой редакции уже опубликованного года)"),
        )

    def handle(self, *args, year, note, **options):
        try:
            revision = publish_year(year, change_note=note)
        except RatingsError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Рейтинг %(year)s опубликован, редакция %(number)s.")
                % {"year": year, "number": revision.number}
            )
        )
