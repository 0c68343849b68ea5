"""``manage.py unlock_signin USERNAME``: lift an account's sign-in lockout before its window ends.

Failed sign-ins lock an account for LOGIN_THROTTLE_SECONDS, whoever made them; an operator
whose administrator was locked out by someone else's guesses needs a way back in at once."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.signin import unlock


class Command(BaseCommand):
    help = gettext_lazy("Снять блокировку входа для учётной записи после неудачных попыток.")

    def add_arguments(self, parser):
        parser.description = str(self.help)  # argparse wraps the text with re: a str, not lazy
        parser.add_argument("username")

    def handle(self, username, **options):
        unlock(username)
        self.stdout.write(_("Вход для «%(username)s» снова открыт.") % {"username": username})
