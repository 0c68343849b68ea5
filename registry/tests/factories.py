import factory

from registry.models import Municipality, Organisation


class MunicipalityFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Муниципальный округ {n}")
    slug = factory.Sequence(lambda n: f"okrug-{n}")
    coordinator_name = "Иванова Мария Петровна"
    coordinator_email = factory.Sequence(lambda n: f"coordinator{n}@example.com")

    class Meta:
        model = Municipality


class OrganisationFactory(factory.django.DjangoModelFactory):
    code = factory.Sequence(lambda n: f"99{n:08d}")
    name = factory.Sequence(
        lambda n: f"Муниципальное бюджетное общеобразовательное учреждение «Школа № {n}»"
    )
    short_name = factory.Sequence(lambda n: f"МБОУ Школа № {n}")
    kind = Organisation.Kind.SCHOOL
    municipality = factory.SubFactory(MunicipalityFactory)
    address = "г. Приозёрск, ул. Школьная, д. 1"
    website = factory.Sequence(lambda n: f"https://school{n}.example")
    contingent_parents = 400
    contingent_students = 120

    class Meta:
        model = Organisation
