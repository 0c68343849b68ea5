import datetime

import factory
from django.utils import timezone

from registry.models import Organisation
from registry.tests.factories import OrganisationFactory
from surveys.demo import DEFAULT_METHODOLOGY
from surveys.models import Audience, Campaign, OrganisedSession, Questionnaire, Response

STANDARD_VERSION = "675н-2018"
KIND_VERSION = "675н-2026"


def standard_questionnaire(audience=Audience.PARENTS):
    """The school's 675н questionnaire seeded by migration surveys/0002."""
    return Questionnaire.objects.get(audience=audience, kind="school", version=STANDARD_VERSION)


def kind_questionnaire(kind, audience=Audience.PARENTS):
    """The questionnaire of ``kind``'s group, seeded by migration surveys/0007."""
    return Questionnaire.objects.get(audience=audience, kind=kind, version=KIND_VERSION)


class CampaignFactory(factory.django.DjangoModelFactory):
    """A campaign open now for every kind in the whole region, under the seeded methodology
    version (whose respondent groups migration 0007 made). Saved directly: a test may build
    what the overlap rule refuses; ``services.save_campaign`` is what checks it."""

    year = 2026
    title = factory.Sequence(lambda n: f"Анкетирование {n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))
    kinds = factory.LazyFunction(lambda: list(Organisation.Kind.values))
    methodology_version = DEFAULT_METHODOLOGY

    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):
        if create and extracted:
            self.municipalities.set(extracted)


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
