"""``manage.py compute_ratings --year Y``: compute the year's draft ratings."""

from django.core.management.base import BaseCommand, CommandError

from results.services import RatingsError, compute_year


class Command(BaseCommand):
    help = (
        "Рассчитать рейтинг за год в черновик: показатели, критерии, итог и места всех "
        "организаций года. Опубликованные редакции не меняются."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="год оценки")

    def handle(self, *args, year, **options):
        try:
            report = compute_year(year)
        except RatingsError as error:
            raise CommandError(str(error)) from error
        if report.invalid:
            for code, problems in sorted(report.invalid.items()):
                reasons = ", ".join(f"{p.field}: {p.code}" for p in problems)
                self.stderr.write(f"{code}: {reasons}")
            raise CommandError(
                f"Расчёт остановлен: у {len(report.invalid)} организаций противоречивые "
                "входные данные. Ничего не записано."
            )
        if report.survey_changed:
            self.stdout.write(
                f"Данные анкет пересчитаны по ответам: изменены у {report.survey_changed} "
                "организаций (импортированные оператором не меняются)."
            )
        if report.incomplete:
            shown = ", ".join(report.incomplete[:10])
            more = " …" if len(report.incomplete) > 10 else ""
            self.stdout.write(
                self.style.WARNING(
                    f"Нет полных входных данных у {len(report.incomplete)} организаций "
                    f"(без балла): {shown}{more}"
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Рейтинг {year}, черновик редакции {report.revision.number}: с баллом "
                f"{report.rated}, недостаточно данных {report.insufficient}."
            )
        )
