import datetime

import factory

from accountability.models import (
    CouncilDecision,
    CouncilMeeting,
    CouncilMember,
    Criterion,
    Discussion,
    DiscussionEntry,
    ImprovementPlan,
    ManagementDecision,
    Objection,
    PlanMeasure,
    PreliminaryStage,
    Shortcoming,
)
from registry.tests.factories import OrganisationFactory


class ShortcomingFactory(factory.django.DjangoModelFactory):
    organisation = factory.SubFactory(OrganisationFactory)
    year = 2025
    criterion = Criterion.COMFORT
    indicator = "2.1"
    source = Shortcoming.Source.OPERATOR
    source_key = factory.Sequence(lambda n: f"operator:{n}")
    text = factory.Sequence(lambda n: f"Отсутствует зона отдыха с мебелью ({n})")

    class Meta:
        model = Shortcoming


class PreliminaryStageFactory(factory.django.DjangoModelFactory):
    year = 2025
    opens_on = datetime.date(2025, 12, 1)
    working_days = 10
    objections_until = datetime.date(2025, 12, 12)

    class Meta:
        model = PreliminaryStage
        django_get_or_create = ("year",)


class ObjectionFactory(factory.django.DjangoModelFactory):
    stage = factory.SubFactory(PreliminaryStageFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    indicator = "1.1"
    reason = "На стенде есть все 14 пунктов, фотографии приложены."

    class Meta:
        model = Objection


class ImprovementPlanFactory(factory.django.DjangoModelFactory):
    organisation = factory.SubFactory(OrganisationFactory)
    year = 2025

    class Meta:
        model = ImprovementPlan


class PlanMeasureFactory(factory.django.DjangoModelFactory):
    plan = factory.SubFactory(ImprovementPlanFactory)
    criterion = Criterion.COMFORT
    shortcoming_text = "Отсутствует зона отдыха с мебелью"
    measure = "Оборудовать зону отдыха в холле первого этажа"
    planned_date = datetime.date(2026, 6, 1)
    responsible_name = "Петров Пётр Петрович"
    responsible_position = "заместитель директора по АХЧ"

    class Meta:
        model = PlanMeasure


class CouncilMemberFactory(factory.django.DjangoModelFactory):
    full_name = factory.Sequence(lambda n: f"Сидорова Анна Викторовна {n}")
    position = "председатель родительского комитета"
    organisation_name = "Региональная общественная организация «Родители»"

    class Meta:
        model = CouncilMember


class CouncilMeetingFactory(factory.django.DjangoModelFactory):
    date = datetime.date(2026, 1, 20)
    number = factory.Sequence(lambda n: str(n + 1))
    agenda = "О результатах независимой оценки качества условий 2025 года"

    class Meta:
        model = CouncilMeeting


class CouncilDecisionFactory(factory.django.DjangoModelFactory):
    meeting = factory.SubFactory(CouncilMeetingFactory)
    year = 2025
    topic = CouncilDecision.Topic.CONSIDER_RESULTS
    text = "Принять результаты к сведению, рекомендовать организациям разработать планы."

    class Meta:
        model = CouncilDecision


class ManagementDecisionFactory(factory.django.DjangoModelFactory):
    year = 2025
    date = datetime.date(2026, 2, 10)
    number = "15-р"
    authority = "Министерство образования области"
    title = "Об утверждении планов по устранению недостатков"

    class Meta:
        model = ManagementDecision


class DiscussionFactory(factory.django.DjangoModelFactory):
    year = 2025
    is_open = True

    class Meta:
        model = Discussion
        django_get_or_create = ("year",)


class DiscussionEntryFactory(factory.django.DjangoModelFactory):
    discussion = factory.SubFactory(DiscussionFactory)
    text = "Предлагаю публиковать итоги по каждому району отдельно."
    submitted_on = datetime.date(2026, 1, 15)

    class Meta:
        model = DiscussionEntry
