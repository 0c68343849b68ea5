import datetime

import factory
from django.utils import timezone

from registry.tests.factories import OrganisationFactory
from surveys.models import Audience, Campaign, OrganisedSession, Questionnaire, Response

STANDARD_VERSION = "675н-2018"


def standard_questionnaire(audience=Audience.PARENTS):
    """The 675н questionnaire seeded by migration surveys/0002."""
    return Questionnaire.objects.get(audience=audience, version=STANDARD_VERSION)


class CampaignFactory(factory.django.DjangoModelFactory):
    year = 2026
    title = factory.Sequence(lambda n: f"Анкетирование {n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))
    parents_questionnaire = factory.LazyFunction(lambda: standard_questionnaire("parents"))
    students_questionnaire = factory.LazyFunction(lambda: standard_questionnaire("students"))
    methodology_version = "2026"

    class Meta:
        model = Campaign


class ResponseFactory(factory.django.DjangoModelFactory):
    campaign = factory.SubFactory(CampaignFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    audience = Audience.PARENTS
    questionnaire = factory.LazyFunction(standard_questionnaire)
    form_nonce = factory.Sequence(lambda n: f"nonce-{n}")
    q1 = q2 = q3 = q4 = q5 = True
    q6 = False
    q8 = q9 = q10 = q11 = q12 = q13 = q14 = True

    class Meta:
        model = Response


class OrganisedSessionFactory(factory.django.DjangoModelFactory):
    campaign = factory.SubFactory(CampaignFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(minutes=10))
    ends_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(minutes=50))
    expected_participants = 35
    order_document = factory.django.FileField(filename="prikaz.pdf", data=b"%PDF-1.4\n%%EOF")

    class Meta:
        model = OrganisedSession
