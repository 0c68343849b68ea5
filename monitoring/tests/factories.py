import factory
from django.contrib.auth import get_user_model

from monitoring.models import (
    AutoCheck,
    ChecklistItem,
    ChecklistTemplate,
    Expert,
    ExpertAssignment,
    RatingInput,
    Section,
)
from registry.tests.factories import OrganisationFactory


class ChecklistTemplateFactory(factory.django.DjangoModelFactory):
    year = 2026
    title = factory.LazyAttribute(lambda o: f"Чек-лист {o.year}")

    class Meta:
        model = ChecklistTemplate
        django_get_or_create = ["year"]


class ChecklistItemFactory(factory.django.DjangoModelFactory):
    template = factory.SubFactory(ChecklistTemplateFactory)
    section = Section.COMFORT
    text = factory.Sequence(lambda n: f"Пункт {n}")
    counts_toward = RatingInput.COMFORT
    sort_order = factory.Sequence(lambda n: n)

    class Meta:
        model = ChecklistItem


def small_template(year=2026):
    """Eight items: two of each kind of evidence the rating uses, photos where required."""
    template = ChecklistTemplateFactory(year=year)
    specs = [
        (
            Section.WEBSITE,
            "Подраздел «Основные сведения»",
            RatingInput.SITE,
            False,
            AutoCheck.SVEDEN,
            "/sveden/common",
            "Основные сведения",
        ),
        (
            Section.WEBSITE,
            "Подраздел «Документы»",
            RatingInput.SITE,
            False,
            AutoCheck.SVEDEN,
            "/sveden/document",
            "Документы",
        ),
        (Section.STAND, "Наименование и учредитель", RatingInput.STAND, True, "", "", ""),
        (Section.STAND, "Режим работы", RatingInput.STAND, False, "", "", ""),
        (Section.DISTANCE, "Телефон", RatingInput.DISTANCE, False, AutoCheck.PHONE, "", ""),
        (Section.COMFORT, "Питьевая вода", RatingInput.COMFORT, False, "", "", ""),
        (Section.TERRITORY, "Пандус", RatingInput.TERRITORY, True, "", "", ""),
        (Section.SERVICE, "Помощь обученных работников", RatingInput.SERVICE, False, "", "", ""),
    ]
    for order, (section, text, counts, photo, check, path, heading) in enumerate(specs):
        ChecklistItem.objects.create(
            template=template,
            section=section,
            text=text,
            counts_toward=counts,
            photo_required=photo,
            auto_check=check,
            sveden_path=path,
            expected_heading=heading,
            sort_order=order,
        )
    return template


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("пароль-1")

    class Meta:
        model = get_user_model()


class ExpertFactory(factory.django.DjangoModelFactory):
    user = factory.SubFactory(UserFactory)
    full_name = factory.Sequence(lambda n: f"Эксперт {n}")
    employer_name = "Региональный институт развития образования"

    class Meta:
        model = Expert


class ExpertAssignmentFactory(factory.django.DjangoModelFactory):
    expert = factory.SubFactory(ExpertFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    template = factory.SubFactory(ChecklistTemplateFactory)

    class Meta:
        model = ExpertAssignment
