"""Demo registry: a believable fictional region (Приозёрский край) with 8 municipalities and
120 organisations of every kind. Deterministic (fixed seed), idempotent (keyed by code).

Two scales: ``full`` (the region above, for `make run`) and ``small`` (for tests), a slice of
the full region: the first organisations of each kind in its first three municipalities, with
the same codes, names and addresses as in the full region."""

import random

from django.db import transaction

from core.permissions import editors_group
from registry.identifiers import inn_control, ogrn_control
from registry.models import Municipality, Organisation
from registry.signals import registering_in_bulk

from .models import SchoolPage
from .provisioning import add_staff_member

REGION_SEED = 2026

# (name, slug, town used in addresses, postcode prefix, is_city)
MUNICIPALITIES = [
    ("Городской округ Приозёрск", "priozersk", "г. Приозёрск", "1990", True),
    ("Городской округ Северогорск", "severogorsk", "г. Северогорск", "1991", True),
    ("Лесновский муниципальный район", "lesnovsky", "пгт Лесной", "1992", False),
    ("Заречный муниципальный округ", "zarechny", "г. Заречный", "1993", True),
    ("Каменский муниципальный район", "kamensky", "с. Каменка", "1994", False),
    ("Береговой муниципальный округ", "beregovoy", "пгт Береговой", "1995", False),
    ("Сосновский муниципальный район", "sosnovsky", "с. Сосновка", "1996", False),
    ("Ключевской муниципальный округ", "klyuchevskoy", "г. Ключи", "1997", True),
]

COORDINATORS = [
    ("Смирнова Ольга Викторовна", "+7 (81379) 2-11-40"),
    ("Кузнецов Андрей Петрович", "+7 (81370) 4-25-18"),
    ("Волкова Марина Сергеевна", "+7 (81371) 3-02-77"),
    ("Попов Дмитрий Алексеевич", "+7 (81372) 5-44-10"),
    ("Лебедева Наталья Ивановна", "+7 (81373) 2-19-63"),
    ("Соколов Игорь Николаевич", "+7 (81374) 6-30-05"),
    ("Морозова Елена Юрьевна", "+7 (81375) 2-88-21"),
    ("Новиков Сергей Владимирович", "+7 (81376) 4-71-39"),
]
EXPERTS = [
    "Фёдорова Анна Михайловна",
    "Егоров Павел Олегович",
    "Орлова Татьяна Андреевна",
    "Андреев Максим Игоревич",
    "Захарова Ирина Павловна",
    "Никитин Роман Сергеевич",
    "Белова Светлана Николаевна",
    "Тихонов Олег Викторович",
]

STREETS = [
    "ул. Ленина",
    "ул. Школьная",
    "ул. Советская",
    "ул. Молодёжная",
    "ул. Садовая",
    "ул. Набережная",
    "ул. Центральная",
    "ул. Гагарина",
    "ул. Мира",
    "пр. Строителей",
    "ул. Лесная",
    "ул. Пионерская",
    "ул. Комсомольская",
    "ул. Заводская",
    "ул. Озёрная",
]
KINDERGARTEN_NAMES = [
    "Солнышко",
    "Ромашка",
    "Берёзка",
    "Колокольчик",
    "Радуга",
    "Сказка",
    "Теремок",
    "Золотой ключик",
    "Журавушка",
    "Рябинка",
    "Светлячок",
    "Незабудка",
]
# (name, abbreviation, latin part of the demo website address)
ADDITIONAL_NAMES = [
    ("Дом детского творчества", "ДДТ", "ddt"),
    ("Детско-юношеская спортивная школа", "ДЮСШ", "dyussh"),
    ("Станция юных техников", "СЮТ", "syut"),
    ("Центр детского творчества", "ЦДТ", "cdt"),
    ("Детская школа искусств", "ДШИ", "dshi"),
]
COLLEGES = [
    ("политехнический колледж", "ПК", "polytech"),
    ("педагогический колледж", "ПедК", "ped"),
    ("медицинский колледж", "МК", "med"),
    ("аграрный техникум", "АТ", "agro"),
    ("колледж сферы услуг", "КСУ", "service"),
    ("строительный техникум", "СТ", "stroy"),
    ("индустриальный колледж", "ИК", "industry"),
    ("колледж культуры и искусств", "ККИ", "culture"),
    ("технологический техникум", "ТТ", "tech"),
    ("лесотехнический техникум", "ЛТ", "forest"),
]

# Organisations per municipality by kind: 60 schools, 35 kindergartens, 10 colleges,
# 15 additional-education centres = 120.
KIND_PLAN = {
    Organisation.Kind.SCHOOL: [11, 9, 7, 8, 6, 6, 6, 7],
    Organisation.Kind.PRESCHOOL: [6, 5, 4, 5, 4, 3, 4, 4],
    Organisation.Kind.COLLEGE: [3, 2, 1, 1, 1, 0, 1, 1],
    Organisation.Kind.ADDITIONAL: [3, 2, 2, 2, 1, 2, 1, 2],
}
# The small region: a dozen organisations of every kind in three municipalities (two towns and
# a district), enough for every demo account (DEMO_ACCOUNTS reaches index 11) and for a
# gymnasium among the schools (the site search is shown finding one).
SMALL_KIND_PLAN = {
    Organisation.Kind.SCHOOL: [2, 2, 2],
    Organisation.Kind.PRESCHOOL: [1, 1, 1],
    Organisation.Kind.COLLEGE: [1, 0, 1],
    Organisation.Kind.ADDITIONAL: [1, 1, 0],
}
KIND_PLANS = {"full": KIND_PLAN, "small": SMALL_KIND_PLAN}
SCALES = tuple(KIND_PLANS)


def inn_for(serial):
    """A syntactically valid 10-digit ИНН of a legal entity in the fictional region 99."""
    first_nine = f"99{serial:07d}"
    return first_nine + inn_control(first_nine)


def ogrn_for(serial):
    """A valid 13-digit ОГРН: a legal entity (1) registered in 2002 in region 99."""
    first_twelve = f"10299{serial:07d}"
    return first_twelve + ogrn_control(first_twelve)


# Town names whose adjective no rule gives (plural or historical forms).
IRREGULAR_ADJECTIVES = {"Ключи": "Ключевской", "Лесной": "Лесновский"}
# Endings of a name that already is an adjective (Заречный, Береговой, Сосновский).
ADJECTIVE_ENDINGS = ("ский", "цкий", "ской", "ный", "ний", "ной", "вой", "ой", "ый", "ий")


def town_adjective(town):
    """The adjective of a town's name, as in «Сосновский колледж»: «с. Сосновка» → Сосновский,
    «г. Приозёрск» → Приозёрский, «г. Кемерово» → Кемеровский, «г. Заречный» stays.

    The suffix -ск- joins the stem after its own -к(а), -о or -ь is dropped: Сосновка is
    Соснов-ка, so Сосновский, never Сосновкаский."""
    name = town.split(" ", 1)[-1]
    if name in IRREGULAR_ADJECTIVES:
        return IRREGULAR_ADJECTIVES[name]
    if name.endswith(ADJECTIVE_ENDINGS):
        return name
    if name.endswith("ск"):
        return f"{name}ий"
    for ending in ("ка", "ль", "о", "ь", "а"):
        if name.endswith(ending):
            return f"{name[: -len(ending)]}ский"
    return f"{name}ский"


def district_adjective(municipality, town):
    """The adjective a regional college of the municipality takes: the municipality's own when
    its name starts with one («Сосновский муниципальный район»), else the town's
    («Городской округ Приозёрск»: Приозёрский)."""
    words = municipality.split()
    if len(words) > 1 and words[1] == "муниципальный":
        return words[0]
    return town_adjective(town)


def random_address(rng, postcode, town):
    return (
        f"{postcode}{rng.randint(10, 99)}, Приозёрский край, {town}, "
        f"{rng.choice(STREETS)}, д. {rng.randint(1, 120)}"
    )


def school_names(rng, number, town, is_city):
    """Full and short name of a general-education school: gymnasium, lyceum, basic or
    secondary school, as real registries mix them."""
    variant = rng.random()
    if is_city and variant < 0.12:
        kind, short = f"Гимназия № {number}", f"МАОУ «Гимназия № {number}»"
        owner = "Муниципальное автономное"
    elif is_city and variant < 0.22:
        kind, short = f"Лицей № {number}", f"МАОУ «Лицей № {number}»"
        owner = "Муниципальное автономное"
    elif not is_city and variant < 0.3:
        kind, short = f"Основная общеобразовательная школа № {number}", f"МБОУ ООШ № {number}"
        owner = "Муниципальное бюджетное"
    else:
        kind, short = f"Средняя общеобразовательная школа № {number}", f"МБОУ СОШ № {number}"
        owner = "Муниципальное бюджетное"
    return f"{owner} общеобразовательное учреждение «{kind}» {town}", short


def build_registry(scale="full"):
    """The demo registry of ``scale`` as plain dicts (same columns as the import format)."""
    municipalities, organisations = build_full_registry()
    if scale == "full":
        return municipalities, organisations
    plan = KIND_PLANS[scale]
    # Counted down per (municipality, kind); rows come in code order within each of them.
    left = {
        (municipalities[index]["name"], kind): count
        for kind, counts in plan.items()
        for index, count in enumerate(counts)
    }
    kept = []
    for row in organisations:
        key = (row["municipality"], row["kind"])
        if left.get(key, 0) > 0:
            left[key] -= 1
            kept.append(row)
    return municipalities[: len(plan[Organisation.Kind.SCHOOL])], kept


def build_full_registry():
    """The full region. Codes are numbered over all of it, so a slice keeps them."""
    rng = random.Random(REGION_SEED)
    municipalities = []
    organisations = []
    college_names = iter(COLLEGES)
    for index, (name, slug, town, postcode, is_city) in enumerate(MUNICIPALITIES):
        coordinator, phone = COORDINATORS[index]
        municipalities.append(
            {
                "name": name,
                "slug": slug,
                "coordinator_name": coordinator,
                "coordinator_email": f"noko-{slug}@priozersk-edu.example",
                "coordinator_phone": phone,
                "expert_name": EXPERTS[index],
                "expert_email": f"expert-{slug}@priozersk-edu.example",
                "expert_phone": phone.replace("-1", "-3", 1),
            }
        )
        # (kind, full name, short name, contingent of the parents group, contingent of the
        # students group, website host part)
        rows = []
        for number in sorted(rng.sample(range(1, 40), KIND_PLAN[Organisation.Kind.SCHOOL][index])):
            full, short = school_names(rng, number, town, is_city)
            size = rng.randint(180, 950) if is_city else rng.randint(60, 420)
            senior = 0 if "ООШ" in short else rng.randint(size // 8, size // 4)
            rows.append((Organisation.Kind.SCHOOL, full, short, size, senior, f"school{number}"))
        kindergartens = rng.sample(range(1, 60), KIND_PLAN[Organisation.Kind.PRESCHOOL][index])
        for number in sorted(kindergartens):
            nickname = rng.choice(KINDERGARTEN_NAMES)
            rows.append(
                (
                    Organisation.Kind.PRESCHOOL,
                    "Муниципальное бюджетное дошкольное образовательное учреждение "
                    f"«Детский сад № {number} «{nickname}»» {town}",
                    f"МБДОУ д/с № {number} «{nickname}»",
                    rng.randint(60, 280),
                    0,
                    f"ds{number}",
                )
            )
        for _ in range(KIND_PLAN[Organisation.Kind.COLLEGE][index]):
            college, abbreviation, site = next(college_names)
            rows.append(
                (
                    Organisation.Kind.COLLEGE,
                    "Государственное бюджетное профессиональное образовательное учреждение "
                    f"Приозёрского края «{district_adjective(name, town)} {college}»",
                    f"ГБПОУ «{district_adjective(name, town)} {abbreviation}»",
                    0,
                    rng.randint(300, 1200),
                    f"college-{site}",
                )
            )
        for title, abbreviation, site in ADDITIONAL_NAMES[
            : KIND_PLAN[Organisation.Kind.ADDITIONAL][index]
        ]:
            rows.append(
                (
                    Organisation.Kind.ADDITIONAL,
                    f"Муниципальное бюджетное учреждение дополнительного образования «{title}» "
                    f"{town}",
                    f"МБУ ДО «{abbreviation}»",
                    rng.randint(150, 800),
                    rng.randint(40, 220),
                    f"do-{site}",
                )
            )
        for kind, full, short, contingent_parents, contingent_students, site in rows:
            serial = 1001 + len(organisations)
            organisations.append(
                {
                    "code": inn_for(serial),
                    "inn": inn_for(serial),
                    # Every 15th without its КПП, so the bus.gov.ru checklist has work to show.
                    "kpp": "" if serial % 15 == 0 else "990101001",
                    "ogrn": ogrn_for(serial),
                    "name": full,
                    "short_name": short,
                    "kind": kind,
                    "municipality": name,
                    "address": random_address(rng, postcode, town),
                    "website": f"https://{site}.{slug}.example",
                    "contingent_parents": contingent_parents,
                    "contingent_students": contingent_students,
                    # Colleges are the region's (ГБПОУ): their plans go to the operator.
                    "founder": Organisation.Founder.REGIONAL
                    if kind == Organisation.Kind.COLLEGE
                    else Organisation.Founder.MUNICIPAL,
                }
            )
    return municipalities, organisations


@transaction.atomic
def load_registry(scale="full"):
    """Create the demo municipalities and organisations of ``scale`` that do not exist yet.

    Returns (municipalities created, organisations created)."""
    municipalities, organisations = build_registry(scale)
    created_municipalities = 0
    by_name = {}
    for row in municipalities:
        municipality, created = Municipality.objects.get_or_create(name=row["name"], defaults=row)
        by_name[municipality.name] = municipality
        created_municipalities += created
    existing_codes = set(Organisation.objects.values_list("code", flat=True))
    new = [
        Organisation(**{**row, "municipality": by_name[row["municipality"]]})
        for row in organisations
        if row["code"] not in existing_codes
    ]
    # Provisioned together (pages, groups, collections), as a registry import does.
    with registering_in_bulk():
        for organisation in new:
            organisation.save()
    return created_municipalities, len(new)


DIRECTORS = [
    "Иванова Светлана Петровна",
    "Козлов Алексей Викторович",
    "Павлова Елена Андреевна",
    "Семёнов Михаил Юрьевич",
    "Голубева Наталья Сергеевна",
    "Виноградов Игорь Олегович",
    "Богданова Татьяна Николаевна",
    "Воробьёв Денис Александрович",
]
PROGRAMMES = {
    Organisation.Kind.SCHOOL: "<ul><li>Начальное общее образование (1–4 классы)</li>"
    "<li>Основное общее образование (5–9 классы)</li>"
    "<li>Среднее общее образование (10–11 классы), профили: технологический, "
    "естественно-научный, социально-экономический</li></ul>",
    Organisation.Kind.PRESCHOOL: "<ul><li>Образовательная программа дошкольного образования"
    "</li><li>Адаптированная программа для детей с тяжёлыми нарушениями речи</li></ul>",
    Organisation.Kind.COLLEGE: "<ul><li>Программы подготовки специалистов среднего звена</li>"
    "<li>Программы профессионального обучения</li></ul>",
    Organisation.Kind.ADDITIONAL: "<ul><li>Техническая направленность</li>"
    "<li>Художественная направленность</li><li>Физкультурно-спортивная направленность</li></ul>",
}
ACCESSIBILITY = (
    "<p>Вход оборудован пандусом и кнопкой вызова персонала. На первом этаже есть "
    "санитарная комната для маломобильных посетителей. Навигация продублирована "
    "тактильными табличками.</p>"
)


def load_profiles():
    """Profile content for demo school pages that have none yet; returns how many were filled.

    Written straight to the live page (no revision): this is the starting state a school
    then edits through moderation."""
    rng = random.Random(REGION_SEED + 1)
    filled = 0
    for page in SchoolPage.objects.select_related("organisation").filter(about="").order_by("pk"):
        organisation = page.organisation
        page.intro = f"{organisation.get_kind_display()}, {organisation.municipality.name}."
        page.about = (
            f"<p>{organisation.name} работает с {rng.randint(1956, 2012)} года. "
            "Обучающихся и воспитанников: "
            f"{organisation.contingent_parents + organisation.contingent_students}."
            "</p><p>В организации есть библиотека, спортивный зал и столовая.</p>"
        )
        page.director_name = rng.choice(DIRECTORS)
        page.director_position = (
            "Заведующий" if organisation.kind == Organisation.Kind.PRESCHOOL else "Директор"
        )
        page.phone = (
            f"+7 (8137{rng.randint(0, 9)}) {rng.randint(2, 6)}-{rng.randint(10, 99)}-"
            f"{rng.randint(10, 99)}"
        )
        page.email = (
            f"info@{organisation.website.split('//', 1)[-1]}" if organisation.website else ""
        )
        page.working_hours = "пн–пт 8:00–18:00"
        page.programmes = PROGRAMMES[organisation.kind]
        page.accessibility = ACCESSIBILITY
        page.bus_gov_url = f"https://bus.gov.ru/info-card/{organisation.code}"
        page.save()
        filled += 1
    return filled


# (username, password, role, index of the organisation in the demo registry by code)
DEMO_ACCOUNTS = [
    ("editor", "noko-demo-editor", "editor", None),
    ("coordinator", "noko-demo-coordinator", "coordinator", 0),
    ("school1", "noko-demo-school", "staff", 0),
    ("school2", "noko-demo-school", "staff", 1),
    ("school3", "noko-demo-school", "staff", 11),
]


def load_accounts():
    """Demo logins for every role; returns [(username, password, description)]."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    organisations = list(Organisation.objects.order_by("code"))
    created = []
    for username, password, role, index in DEMO_ACCOUNTS:
        user, new = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@priozersk-edu.example"}
        )
        if new:
            user.set_password(password)
            user.save()
        if role == "editor":
            user.groups.add(editors_group())
            description = "редактор оператора"
        elif role == "coordinator":
            # The coordinator of school1's municipality, so the demo shows them moderating.
            municipality = organisations[index].municipality
            user.groups.add(municipality.coordinator_group)
            description = f"координатор: {municipality.name}"
        else:
            organisation = organisations[index]
            add_staff_member(organisation, user)
            description = f"сотрудник: {organisation.short_name}"
        created.append((username, password, description))
    return created
