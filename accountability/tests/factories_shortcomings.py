"""A year whose figures come from real checklists, imports and the real computation, and
the people who may or may not work on its shortcomings."""

from django.contrib.auth import get_user_model

from core.permissions import editors_group
from monitoring import services as checklists
from monitoring.models import Checklist, ChecklistAnswer
from monitoring.tests.factories import small_template
from registry import assessment
from results.services import compute_year
from results.tests.factories import AssessmentInputFactory
from schools.provisioning import add_staff_member, ensure_coordinator_group

YEAR = 2025
EVIDENCE_URL = "https://school.example/sveden/document"


def accepted_self_checklist(organisation, template, missing):
    """The organisation's self-assessment, accepted, with every item present except the
    texts in ``missing`` ({text: (note, evidence url)}); its counts go into the inputs the
    way an editor's acceptance puts them there."""
    checklist = checklists.checklist_for(organisation, template, Checklist.Source.SELF)
    answers = list(checklist.answers.select_related("item"))
    for answer in answers:
        answer.present = answer.item.text not in missing
        answer.note, answer.evidence_url = missing.get(answer.item.text, ("", ""))
    ChecklistAnswer.objects.bulk_update(answers, ["present", "note", "evidence_url"])
    Checklist.objects.filter(pk=checklist.pk).update(status=Checklist.Status.ACCEPTED)
    checklists.apply_to_inputs(organisation, template.year)
    return checklist


def computed_year(*inputs, listed=None, year=YEAR):
    """The year computed into its draft; ``listed`` organisations make its assessment list."""
    if listed is not None:
        assessment.add(year, listed)
    report = compute_year(year)
    assert not report.invalid, report.invalid
    return report.revision


def imported(values=None, year=YEAR, **fields):
    """Worked-example inputs (methodology §4) imported for a new organisation."""
    return AssessmentInputFactory(year=year, values=values or {}, **fields)


def checklist_template(year=YEAR):
    return small_template(year)


def make_user(username, **extra):
    return get_user_model().objects.create_user(username, f"{username}@example.com", "x", **extra)


def editor(username="editor"):
    user = make_user(username, is_staff=True)
    user.groups.add(editors_group())
    return user


def school_staff(organisation, username="staff"):
    user = make_user(username)
    add_staff_member(organisation, user)
    return user


def coordinator(municipality, username="coordinator"):
    user = make_user(username)
    user.groups.add(ensure_coordinator_group(municipality))
    return user
