"""A fixed, realistic piece of the region for the relevance table (test_relevance.py): four
municipalities and the organisations a parent would look for in them, written the way the
registry writes them (full names with «№», short names with abbreviations, addresses).

Addresses carry no number that is also an organisation's number, so that «5» means school
№ 5 and kindergarten № 5 only.
"""

from registry.models import Organisation
from registry.tests.factories import MunicipalityFactory, OrganisationFactory

SCHOOL = Organisation.Kind.SCHOOL
PRESCHOOL = Organisation.Kind.PRESCHOOL
COLLEGE = Organisation.Kind.COLLEGE
ADDITIONAL = Organisation.Kind.ADDITIONAL

MUNICIPALITIES = {
    "priozersk": "Приозёрский муниципальный район",
    "vyborg": "Выборгский район",
    "lodeynoye": "Лодейнопольский муниципальный район",
    "sosnovy": "Сосновоборский городской округ",
}

# key: (full name, short name, kind, municipality, address)
ORGANISATIONS = {
    "lyceum8": (
        "Муниципальное бюджетное общеобразовательное учреждение «Лицей № 8»",
        "МБОУ «Лицей № 8»",
        SCHOOL,
        "vyborg",
        "г. Выборг, ул. Ленина, д. 14",
    ),
    "lyceum3": (
        "Муниципальное бюджетное общеобразовательное учреждение «Лицей № 3»",
        "МБОУ «Лицей № 3»",
        SCHOOL,
        "sosnovy",
        "г. Сосновый Бор, ул. Молодёжная, д. 20",
    ),
    "gymnasium2": (
        "Муниципальное автономное общеобразовательное учреждение «Гимназия № 2 имени "
        "А. С. Пушкина»",
        "МАОУ «Гимназия № 2»",
        SCHOOL,
        "priozersk",
        "г. Приозёрск, ул. Гоголя, д. 33",
    ),
    "vyborg_gymnasium": (
        "Муниципальное бюджетное общеобразовательное учреждение «Выборгская гимназия»",
        "МБОУ «Выборгская гимназия»",
        SCHOOL,
        "vyborg",
        "г. Выборг, ул. Школьная, д. 24",
    ),
    "school12": (
        "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная "
        "школа № 12»",
        "МБОУ «СОШ № 12»",
        SCHOOL,
        "vyborg",
        "г. Выборг, пр. Победы, д. 22",
    ),
    "school1": (
        "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная "
        "школа № 1 г. Приозёрска»",
        "МБОУ «СОШ № 1»",
        SCHOOL,
        "priozersk",
        "г. Приозёрск, ул. Ленина, д. 30",
    ),
    "school15": (
        "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная "
        "школа № 15»",
        "МБОУ «СОШ № 15»",
        SCHOOL,
        "sosnovy",
        "г. Сосновый Бор, ул. Ленинградская, д. 46",
    ),
    "school5": (
        "Муниципальное казённое общеобразовательное учреждение «Основная общеобразовательная "
        "школа № 5»",
        "МКОУ «ООШ № 5»",
        SCHOOL,
        "lodeynoye",
        "г. Лодейное Поле, ул. Речная, д. 7",
    ),
    "kindergarten5": (
        "Муниципальное бюджетное дошкольное образовательное учреждение «Детский сад № 5 "
        "«Солнышко»»",
        "МБДОУ «Детский сад № 5»",
        PRESCHOOL,
        "priozersk",
        "г. Приозёрск, ул. Калинина, д. 9",
    ),
    "kindergarten17": (
        "Муниципальное автономное дошкольное образовательное учреждение «Детский сад № 17 "
        "«Ромашка»»",
        "МАДОУ «Детский сад № 17»",
        PRESCHOOL,
        "vyborg",
        "г. Выборг, ул. Мира, д. 8",
    ),
    "kindergarten25": (
        "Муниципальное казённое дошкольное образовательное учреждение «Детский сад № 25»",
        "МКДОУ «Детский сад № 25»",
        PRESCHOOL,
        "lodeynoye",
        "г. Лодейное Поле, ул. Гагарина, д. 11",
    ),
    "centre": (
        "Муниципальное бюджетное учреждение дополнительного образования «Центр "
        "дополнительного образования «Радуга»»",
        "МБУ ДО «ЦДО «Радуга»»",
        ADDITIONAL,
        "sosnovy",
        "г. Сосновый Бор, ул. Солнечная, д. 13",
    ),
    "creativity": (
        "Муниципальное бюджетное учреждение дополнительного образования «Дом детского творчества»",
        "МБУ ДО «ДДТ»",
        ADDITIONAL,
        "lodeynoye",
        "г. Лодейное Поле, пр. Октябрьский, д. 40",
    ),
    "sports": (
        "Муниципальное бюджетное учреждение дополнительного образования «Детско-юношеская "
        "спортивная школа»",
        "МБУ ДО «ДЮСШ»",
        ADDITIONAL,
        "vyborg",
        "г. Выборг, ул. Спортивная, д. 4",
    ),
    "college": (
        "Государственное бюджетное профессиональное образовательное учреждение Ленинградской "
        "области «Приозерский политехнический колледж»",
        "ГБПОУ ЛО «Приозерский политехнический колледж»",
        COLLEGE,
        "priozersk",
        "г. Приозёрск, ул. Жуковского, д. 21",
    ),
    "technical": (
        "Государственное автономное профессиональное образовательное учреждение "
        "Ленинградской области «Лодейнопольский техникум промышленных технологий»",
        "ГАПОУ ЛО «Лодейнопольский техникум»",
        COLLEGE,
        "lodeynoye",
        "г. Лодейное Поле, ул. Ленина, д. 38",
    ),
}

# Closed: never found, whatever is asked.
CLOSED = (
    "Муниципальное бюджетное общеобразовательное учреждение «Лицей № 99»",
    "МБОУ «Лицей № 99»",
    SCHOOL,
    "vyborg",
    "г. Выборг, ул. Северная, д. 2",
)


def create_region():
    """The municipalities and organisations above: {key: Organisation}."""
    municipalities = {
        key: MunicipalityFactory(name=name, slug=key) for key, name in MUNICIPALITIES.items()
    }

    def create(row, **extra):
        name, short_name, kind, municipality, address = row
        return OrganisationFactory(
            name=name,
            short_name=short_name,
            kind=kind,
            municipality=municipalities[municipality],
            address=address,
            **extra,
        )

    organisations = {key: create(row) for key, row in ORGANISATIONS.items()}
    organisations["closed"] = create(CLOSED, is_active=False)
    return organisations
