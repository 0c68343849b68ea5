"""Background work of shortcomings: deriving a year reads every listed organisation's
checklists, which takes minutes for a region of 2,000."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django_tasks import task

from .shortcomings import derive_year


@task()
def derive_year_task(year, user_id=None):
    user = get_user_model().objects.filter(pk=user_id).first()
    try:
        report = derive_year(year, user=user)
    except ValidationError as error:
        return {"error": " ".join(error.messages)}
    return report.as_dict()
