"""Background work started from the admin: a round's website check takes minutes."""

from django_tasks import task

from .site_checks import check_round


@task()
def check_round_task(round_id):
    return {"sites_checked": check_round(round_id)}
