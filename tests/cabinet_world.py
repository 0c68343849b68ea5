"""Everyone who has a cabinet and something on every cabinet page: the layout test and the
phone-width browser test walk the same pages with the same people."""

import datetime

from django.utils import timezone

from accountability.models import DiscussionEntry
from accountability.tests.factories import DiscussionEntryFactory, DiscussionFactory
from accountability.tests.factories_plans import (
    PASSWORD,
    YEAR,
    coordinator_of,
    region,
    staff_of,
    user,
)
from monitoring.models import Expert
from monitoring.tests.factories import ExpertAssignmentFactory, small_template
from surveys.tests.factories import CampaignFactory

__all__ = ["PASSWORD", "YEAR", "cabinet_world", "pages"]


def named(person, first_name, last_name):
    person.first_name, person.last_name = first_name, last_name
    person.save(update_fields=["first_name", "last_name"])
    return person


def cabinet_world():
    """A published year (``YEAR``) with shortcomings for the north's school, this year's
    checklist and an open campaign, and three people: the school's staff member, an expert
    assigned to the school, the north's coordinator; a published discussion entry."""
    people = region()
    today = timezone.localdate()
    template = small_template(today.year)
    CampaignFactory(year=today.year, report_deadline=today + datetime.timedelta(days=10))
    school = people["school"]
    staff = named(staff_of(school), "Мария", "Иванова")
    expert_user = named(user("expert"), "Анна", "Петрова")
    assignment = ExpertAssignmentFactory(
        organisation=school,
        template=template,
        expert__user=expert_user,
        expert__full_name="Петрова Анна Ивановна",
        expert__status=Expert.Status.APPROVED,
    )
    coordinator = named(coordinator_of(people["north"]), "Ольга", "Смирнова")
    entry = DiscussionEntryFactory(
        discussion=DiscussionFactory(year=YEAR),
        organisation=school,
        text="Когда отремонтируют спортзал?",
        status=DiscussionEntry.Status.PUBLISHED,
    )
    people.update(
        template=template,
        staff=staff,
        expert=expert_user,
        assignment=assignment,
        coordinator=coordinator,
        entry=entry,
    )
    return people


def pages(world):
    """Every cabinet page as ``{url name: [(person, method, path, data, status), …]}``: what a
    person who may see it sees (the cabinet's start page for each kind of person)."""
    staff, expert, coordinator = world["staff"], world["expert"], world["coordinator"]
    assignment = world["assignment"].pk
    return {
        "cabinet": [
            (staff, "get", "/cabinet/", None, 200),
            (expert, "get", "/cabinet/", None, 200),
            (coordinator, "get", "/cabinet/", None, 200),
        ],
        "cabinet_self_assessment": [
            (staff, "get", "/cabinet/report/", None, 200),
            (staff, "get", "/cabinet/report/?section=stand", None, 200),
        ],
        "cabinet_observation": [(expert, "get", f"/cabinet/expert/{assignment}/", None, 200)],
        "cabinet_materials": [
            (expert, "get", f"/cabinet/expert/{assignment}/materials/", None, 200)
        ],
        "cabinet_coordinator": [(coordinator, "get", "/cabinet/municipality/", None, 200)],
        "cabinet_coordinator_experts": [
            (coordinator, "get", "/cabinet/municipality/experts/", None, 200)
        ],
        "accountability_cabinet_preliminary": [(staff, "get", "/cabinet/preliminary/", None, 200)],
        "accountability_cabinet_plans": [(staff, "get", "/cabinet/plan/", None, 200)],
        "accountability_cabinet_plan": [(staff, "get", f"/cabinet/plan/{YEAR}/", None, 200)],
        "accountability_cabinet_discussion": [(staff, "get", "/cabinet/discussion/", None, 200)],
        "accountability_cabinet_discussion_answer": [
            # An answer with a control character: the page that asks for it again.
            (
                staff,
                "post",
                f"/cabinet/discussion/{world['entry'].pk}/answer/",
                {"answer": "Ответ\u202eтсккер"},
                400,
            )
        ],
        # Signed-in pages outside /cabinet/ that use the cabinet's layout.
        "surveys_paper": [(staff, "get", "/survey/paper/", None, 200)],
        "notifications_subscriptions": [(staff, "get", "/notifications/subscriptions/", None, 200)],
    }


# Cabinet URLs that answer with no page of their own: a file, a redirect after a POST, or
# (the objection) the preliminary results page again, whose template is checked.
NOT_PAGES = {
    "cabinet_logout": "POST only, redirects to the sign-in form",
    "cabinet_coordinator_export": "a CSV file",
    "cabinet_coordinator_materials": "POST only, redirects to the workspace",
    "accountability_objection_attachment": "a file",
    "accountability_plan_evidence": "a file",
    "accountability_file_objection": "POST only, the preliminary results page on refusal",
}
