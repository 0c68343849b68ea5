"""Background work of the year's outputs: the operator's report takes a while for a region."""

from django_tasks import task

from .report_service import generate


@task()
def generate_report_task(report_id):
    report = generate(report_id)
    return {"status": report.status, "document": report.document_id}
