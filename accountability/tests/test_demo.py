"""The demo region tells the cycle after the numbers through its screens' own services: a past
year carried through objections, publication, plans and their execution, the council and a
discussion; the current year in its preliminary stage."""

from io import StringIO

from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from accountability import plans
from accountability.models import (
    CouncilMeeting,
    Discussion,
    DiscussionEntry,
    ImprovementPlan,
    ManagementDecision,
    Objection,
    PreliminaryStage,
    Shortcoming,
    ShortcomingChange,
)
from results.models import InputChange, RatingRevision


class DemoFollowUpTests(TestCase):
    """One small demo region for every test (loaded once: it takes seconds)."""

    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", "--scale", "small", stdout=StringIO())
        cls.current = timezone.localdate().year
        cls.past = cls.current - 1

    def test_the_past_year_went_through_objections_before_its_publication(self):
        past = self.past
        revision = RatingRevision.objects.current().get(year=past)
        assert revision.publication_summary["objections"] == {
            "filed": 2,
            "accepted": 1,
            "rejected": 1,
        }
        accepted = Objection.objects.get(stage__year=past, status=Objection.Status.ACCEPTED)
        assert accepted.correction == {"stand_items": [accepted.correction["stand_items"][0], 14]}
        assert InputChange.objects.filter(
            year=past, organisation=accepted.organisation, note__contains="Возражение"
        ).exists()
        stage = PreliminaryStage.objects.get(year=past)
        assert stage.finished_at is not None
        assert stage.objections_until < revision.published_at.date()

    def test_the_past_year_has_edited_shortcomings_and_plans_in_every_status(self):
        past = self.past
        assert Shortcoming.objects.filter(year=past, status=Shortcoming.Status.DISMISSED).exists()
        assert Shortcoming.objects.filter(year=past, status=Shortcoming.Status.MERGED).exists()
        assert ShortcomingChange.objects.filter(action=ShortcomingChange.Action.EDITED).exists()
        statuses = set(ImprovementPlan.objects.filter(year=past).values_list("status", flat=True))
        assert statuses == set(ImprovementPlan.Status.values)
        assert plans.assessed_organisations(past).exclude(improvement_plans__year=past).exists()
        overview = plans.plans_overview(past, 0)
        assert overview["done"] > 0
        assert overview["overdue"] > 0
        returned = ImprovementPlan.objects.filter(year=past, status="returned").first()
        assert returned.return_comment

    def test_the_region_reads_the_council_the_decision_and_the_answered_discussion(self):
        past = self.past
        assert CouncilMeeting.objects.count() == 2
        assert ManagementDecision.objects.filter(year=past).get().organisations.exists()
        discussion = Discussion.objects.get(year=past)
        assert not discussion.is_open and discussion.summary and discussion.summary_document
        published = DiscussionEntry.objects.filter(discussion=discussion, status="published")
        assert set(published.exclude(answer="").values_list("answered_by", flat=True)) == {
            "operator",
            "organisation",
        }
        page = self.client.get(f"/year/{past}/").content.decode()
        assert "Утвердить перечень организаций" in page
        assert "О мерах по итогам независимой оценки" in page
        assert "Обсуждение закрыто" in page

    def test_a_visitor_reads_an_organisations_shortcomings_plan_and_progress(self):
        past = self.past
        plan = plans.public_plans(past).first()
        page = self.client.get(plan.organisation.page.url).content.decode()
        assert f"Недостатки, выявленные в ходе оценки {past} года" in page
        assert f"План устранения недостатков по итогам оценки {past} года" in page
        assert "Выполнено" in page
        detail = self.client.get(f"/plans/{past}/{plan.organisation.code}/").content.decode()
        assert plan.approver_title in detail

    def test_the_current_year_is_in_its_preliminary_stage_with_an_objection_waiting(self):
        current = self.current
        stage = PreliminaryStage.objects.get(year=current)
        assert stage.finished_at is None
        assert stage.opens_on <= timezone.localdate() <= stage.objections_until
        assert Objection.objects.filter(stage=stage, status=Objection.Status.FILED).count() == 1
        assert not RatingRevision.objects.current().filter(year=current).exists()
