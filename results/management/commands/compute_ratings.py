"""``manage.py compute_ratings --year Y``: compute the year's draft ratings."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from results.services import RatingsError, compute_year


class Command(BaseCommand):
    help = gettext_lazy(
        "Рассчитать рейтинг за год в черновик: показатели, критерии, итог и места всех "
        "организаций года. Опубликованные редакции не меняются."
    )

    def add_arguments(self, parser):
        parser.description = str(self.help)  # argparse wraps the text with re: a str, not lazy
        parser.add_argument("--year", type=int, required=True, help=_("год оценки"))

    def handle(self, *args, year, **options):
        try:
            report = compute_year(year)
        except RatingsError as error:
            raise CommandError(str(error)) from error
        if report.invalid:
            for code, problems in sorted(report.invalid.items()):
                reasons = ", ".join(f"{p.field}: {p.code}" for p in problems)
                self.stderr.write(f"{code}: {reasons}")
            count = len(report.invalid)
            raise CommandError(
                ngettext(
                    "Расчёт остановлен: у %(count)s организации противоречивые входные данные. "
                    "Ничего не записано.",
                    "Расчёт остановлен: у %(count)s организаций противоречивые входные данные. "
                    "Ничего не записано.",
                    count,
                )
                % {"count": count}
            )
        if report.survey_changed:
            count = report.survey_changed
            self.stdout.write(
                ngettext(
                    "Данные анкет пересчитаны по ответам: изменены у %(count)s организации "
                    "(импортированные оператором не меняются).",
                    "Данные анкет пересчитаны по ответам: изменены у %(count)s организаций "
                    "(импортированные оператором не меняются).",
                    count,
                )
                % {"count": count}
            )
        if report.not_listed:
            count = report.not_listed
            self.stdout.write(
                ngettext(
                    "Не в перечне %(year)s года и не рассчитаны: %(count)s организация с "
                    "входными данными.",
                    "Не в перечне %(year)s года и не рассчитаны: %(count)s организаций с "
                    "входными данными.",
                    count,
                )
                % {"count": count, "year": year}
            )
        if report.incomplete:
            shown = ", ".join(report.incomplete[:10])
            more = " …" if len(report.incomplete) > 10 else ""
            count = len(report.incomplete)
            self.stdout.write(
                self.style.WARNING(
                    ngettext(
                        "Нет полных входных данных у %(count)s организации (без балла): %(codes)s",
                        "Нет полных входных данных у %(count)s организаций (без балла): %(codes)s",
                        count,
                    )
                    % {"count": count, "codes": shown + more}
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Рейтинг %(year)s, черновик редакции %(number)s: с баллом %(rated)s, "
                    "недостаточно данных %(insufficient)s."
                )
                % {
                    "year": year,
                    "number": report.revision.number,
                    "rated": report.rated,
                    "insufficient": report.insufficient,
                }
            )
        )
