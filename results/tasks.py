"""Background work started from the admin: computing a year can take a minute for a country."""

from django.contrib.auth import get_user_model
from django_tasks import task

from .services import RatingsError, compute_year


@task()
def compute_year_task(year, user_id=None):
    user = get_user_model().objects.filter(pk=user_id).first()
    try:
        report = compute_year(year, user=user)
    except RatingsError as error:
        return {"error": str(error)}
    return {
        "revision": report.revision.number,
        "rated": report.rated,
        "insufficient": report.insufficient,
        "invalid": sorted(report.invalid),
        "not_listed": report.not_listed,
    }
