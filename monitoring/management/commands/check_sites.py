"""``manage.py check_sites [--round N]``: run the automatic website checker over a round."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from monitoring.models import MonitoringRound
from monitoring.site_checks import check_round


class Command(BaseCommand):
    help = gettext_lazy(
        "Проверить сайты организаций раунда мониторинга: подразделы /sveden/, микроразметку, "
        "раздел «Обращения граждан», дистанционные способы связи. Результаты заполняют "
        "чек-листы мониторинга для подтверждения редактором."
    )

    def add_arguments(self, parser):
        parser.description = str(self.help)  # argparse wraps the text with re: a str, not lazy
        parser.add_argument("--round", type=int, help=_("номер раунда (по умолчанию последний)"))

    def handle(self, *args, round=None, **options):
        rounds = MonitoringRound.objects.exclude(status=MonitoringRound.Status.CLOSED)
        monitoring_round = rounds.filter(pk=round).first() if round is not None else rounds.first()
        if monitoring_round is None:
            raise CommandError(
                _("Раунд мониторинга №%(round)s не найден или закрыт.") % {"round": round}
                if round is not None
                else _("Нет открытых раундов мониторинга. Откройте раунд в админке.")
            )
        total = monitoring_round.organisations.count()
        self.stdout.write(
            _("Раунд «%(round)s»: сайтов к проверке %(total)s.")
            % {"round": monitoring_round, "total": total}
        )

        def progress(done, total, organisation):
            self.stdout.write(f"[{done}/{total}] {organisation.code} {organisation.website}")

        checked = check_round(monitoring_round.pk, progress=progress)
        self.stdout.write(self.style.SUCCESS(_("Проверено сайтов: %(n)s.") % {"n": checked}))
