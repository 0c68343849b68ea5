"""Respondent groups per kind of organisation, each with its own 675н wording (issue 15).

Seeds, for the default methodology version ``noko-2019`` and for every version code found in
existing campaigns, the groups of methodology §5:

- school: parents of pupils of grades 1–8, pupils of grades 9–11 (titles for the age split
  too: under 14 / 14 and over, a campaign setting);
- preschool: parents (legal representatives) only;
- college: students, and parents of students under 18;
- additional education: parents of children under 14, and pupils aged 14 and over.

Each group gets a questionnaire of version ``675н-2026`` worded for its kind («детский сад»,
«колледж», «организация» instead of «школа»; «воспитанник» for kindergartens) with the full
675н comfort list in q5 (methodology §2.2). The ``675н-2018`` school questionnaires are left
as they are: old responses keep pointing at the wording they answered.

Existing campaigns served every organisation (there was one open campaign for all), and
kindergartens and colleges answered in them; so each gets all four kinds, and no answer
falls outside its campaign.

The text lives here as data frozen at this version; later wordings come as new versions.
"""

from django.db import migrations

DEFAULT_METHODOLOGY = "noko-2019"
VERSION = "675н-2026"
KINDS = ("school", "preschool", "college", "additional")

INTRO = (
    "Анкета анонимная: мы не сохраняем ни имени, ни адреса, ни данных устройства. "
    "На каждый вопрос ответьте «Да» или «Нет»."
)
# Methodology §2.2, all seven conditions of 675н.
COMFORT = (
    "наличие зоны отдыха (ожидания) с мебелью, понятность навигации, доступность питьевой "
    "воды, наличие и доступность санитарно-гигиенических помещений, санитарное состояние "
    "помещений, транспортная доступность, доступность записи на получение услуги"
)

# How each kind names itself in the cases the questions need, and what is its own.
WORDING = {
    "school": {
        "gen": "школы",
        "in": "в школе",
        "acc": "школу",
        "with": "со школой",
        "its": "её",
        "remote": "телефон, электронная почта, электронный журнал, форма на сайте",
        "staff": {
            "parents": "педагогов, которые учат Вашего ребёнка",
            "students": "педагогов, которые Вас учат",
        },
        "schedule": "графиком работы школы, расписанием занятий",
        "overall": {
            "parents": "Удовлетворены ли Вы в целом условиями, в которых учится Ваш ребёнок?",
            "students": "Удовлетворены ли Вы в целом условиями обучения в школе?",
        },
    },
    "preschool": {
        "gen": "детского сада",
        "in": "в детском саду",
        "acc": "детский сад",
        "with": "с детским садом",
        "its": "его",
        "remote": "телефон, электронная почта, чат группы, форма на сайте",
        "staff": {
            "parents": "воспитателей и других педагогов, которые работают с Вашим ребёнком",
        },
        "schedule": "графиком работы детского сада, режимом дня",
        "overall": {
            "parents": "Удовлетворены ли Вы в целом условиями, в которых Ваш ребёнок "
            "воспитывается и обучается в детском саду?",
        },
    },
    "college": {
        "gen": "колледжа",
        "in": "в колледже",
        "acc": "колледж",
        "with": "с колледжем",
        "its": "его",
        "remote": "телефон, электронная почта, электронная образовательная среда, форма на сайте",
        "staff": {
            "parents": "преподавателей и мастеров, которые учат Вашего ребёнка",
            "students": "преподавателей и мастеров, которые Вас учат",
        },
        "schedule": "графиком работы колледжа, расписанием занятий",
        "overall": {
            "parents": "Удовлетворены ли Вы в целом условиями, в которых учится Ваш ребёнок?",
            "students": "Удовлетворены ли Вы в целом условиями обучения в колледже?",
        },
    },
    "additional": {
        "gen": "организации",
        "in": "в организации",
        "acc": "организацию",
        "with": "с организацией",
        "its": "её",
        "remote": "телефон, электронная почта, чат объединения, форма на сайте",
        "staff": {
            "parents": "педагогов, которые занимаются с Вашим ребёнком",
            "students": "педагогов, которые занимаются с Вами",
        },
        "schedule": "графиком работы организации, расписанием занятий",
        "overall": {
            "parents": "Удовлетворены ли Вы в целом условиями, в которых занимается Ваш ребёнок?",
            "students": "Удовлетворены ли Вы в целом условиями занятий в организации?",
        },
    },
}

# (kind, audience) -> the group: position, title, short label, and the school's titles for
# a campaign that splits pupils by age rather than by grade.
GROUPS = {
    ("school", "parents"): {
        "position": 0,
        "title": "Анкета для родителей (законных представителей) обучающихся 1–8 классов",
        "short_label": "Родители (1–8 классы)",
        "age_split_title": "Анкета для родителей (законных представителей) обучающихся "
        "младше 14 лет",
        "age_split_label": "Родители (обучающиеся до 14 лет)",
    },
    ("school", "students"): {
        "position": 1,
        "title": "Анкета для обучающихся 9–11 классов",
        "short_label": "Обучающиеся (9–11 классы)",
        "age_split_title": "Анкета для обучающихся 14 лет и старше",
        "age_split_label": "Обучающиеся (14 лет и старше)",
    },
    ("preschool", "parents"): {
        "position": 0,
        "title": "Анкета для родителей (законных представителей) воспитанников детского сада",
        "short_label": "Родители воспитанников",
    },
    ("college", "students"): {
        "position": 0,
        "title": "Анкета для студентов колледжа",
        "short_label": "Студенты",
    },
    ("college", "parents"): {
        "position": 1,
        "title": "Анкета для родителей (законных представителей) студентов колледжа младше 18 лет",
        "short_label": "Родители студентов до 18 лет",
    },
    ("additional", "parents"): {
        "position": 0,
        "title": "Анкета для родителей (законных представителей) детей младше 14 лет",
        "short_label": "Родители (дети до 14 лет)",
    },
    ("additional", "students"): {
        "position": 1,
        "title": "Анкета для обучающихся 14 лет и старше",
        "short_label": "Обучающиеся (14 лет и старше)",
    },
}


def questions(kind, audience):
    w = WORDING[kind]
    parents = audience == "parents"
    return [
        {
            "key": "q1",
            "kind": "yes_no",
            "skip_if_no": "q3",
            "text": f"Обращались ли Вы к информации о деятельности {w['gen']} на "
            f"информационных стендах в {w['its']} помещениях?",
        },
        {
            "key": "q2",
            "kind": "yes_no",
            "text": "Удовлетворены ли Вы открытостью, полнотой и доступностью информации, "
            "размещённой на информационных стендах?",
        },
        {
            "key": "q3",
            "kind": "yes_no",
            "skip_if_no": "q5",
            "text": f"Пользовались ли Вы официальным сайтом {w['gen']}, чтобы получить "
            f"информацию о {w['its']} деятельности?",
        },
        {
            "key": "q4",
            "kind": "yes_no",
            "text": "Удовлетворены ли Вы открытостью, полнотой и доступностью информации, "
            f"размещённой на официальном сайте {w['gen']}?",
        },
        {
            "key": "q5",
            "kind": "yes_no",
            "text": f"Удовлетворены ли Вы комфортностью условий {w['in']} ({COMFORT})?",
        },
        {
            "key": "q6",
            "kind": "yes_no",
            "skip_if_no": "q8",
            "text": (
                "Имеете ли Вы или Ваш ребёнок установленную группу инвалидности?"
                if parents
                else "Имеете ли Вы установленную группу инвалидности?"
            ),
        },
        {
            "key": "q7",
            "kind": "yes_no",
            "text": f"Удовлетворены ли Вы доступностью услуг для инвалидов {w['in']}?",
        },
        {
            "key": "q8",
            "kind": "yes_no",
            "text": f"Удовлетворены ли Вы доброжелательностью и вежливостью работников "
            f"{w['gen']}, с которыми Вы сталкиваетесь в первую очередь (работники приёмной, "
            "охрана, администрация)?",
        },
        {
            "key": "q9",
            "kind": "yes_no",
            "text": "Удовлетворены ли Вы доброжелательностью и вежливостью "
            f"{w['staff'][audience]}?",
        },
        {
            "key": "q10",
            "kind": "yes_no",
            "skip_if_no": "q12",
            "text": f"Пользовались ли Вы дистанционными способами связи {w['with']} "
            f"({w['remote']})?",
        },
        {
            "key": "q11",
            "kind": "yes_no",
            "text": f"Удовлетворены ли Вы доброжелательностью и вежливостью работников "
            f"{w['gen']} при дистанционном общении?",
        },
        {
            "key": "q12",
            "kind": "yes_no",
            "text": f"Готовы ли Вы рекомендовать {w['acc']} родственникам и знакомым?",
        },
        {
            "key": "q13",
            "kind": "yes_no",
            "text": f"Удовлетворены ли Вы организационными условиями ({w['schedule']})?",
        },
        {"key": "q14", "kind": "yes_no", "text": w["overall"][audience]},
        {
            "key": "q15",
            "kind": "text",
            "text": f"Ваши предложения по улучшению условий {w['in']} (необязательно)",
        },
    ]


def seed(apps, schema_editor):
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    RespondentGroup = apps.get_model("surveys", "RespondentGroup")
    Campaign = apps.get_model("surveys", "Campaign")

    questionnaires = {}
    for (kind, audience), group in GROUPS.items():
        questionnaires[kind, audience], _created = Questionnaire.objects.get_or_create(
            audience=audience,
            kind=kind,
            version=VERSION,
            defaults={
                "title": group["title"],
                "intro": INTRO,
                "questions": questions(kind, audience),
            },
        )

    versions = {DEFAULT_METHODOLOGY} | set(
        Campaign.objects.values_list("methodology_version", flat=True)
    )
    for version in sorted(versions):
        for (kind, audience), group in GROUPS.items():
            RespondentGroup.objects.get_or_create(
                methodology_version=version,
                kind=kind,
                audience=audience,
                defaults={
                    "title": group["title"],
                    "short_label": group["short_label"],
                    "age_split_title": group.get("age_split_title", ""),
                    "age_split_label": group.get("age_split_label", ""),
                    "position": group["position"],
                    "questionnaire": questionnaires[kind, audience],
                    "coverage_target_percent": 50,
                },
            )

    # Row by row: campaigns are few, and comparing JSON values in SQL differs by backend.
    for campaign in Campaign.objects.all():
        if not campaign.kinds:
            campaign.kinds = list(KINDS)
            campaign.save(update_fields=["kinds"])


def unseed(apps, schema_editor):
    apps.get_model("surveys", "RespondentGroup").objects.all().delete()
    apps.get_model("surveys", "Questionnaire").objects.filter(version=VERSION).delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0006_respondent_groups_and_campaign_scope")]

    operations = [migrations.RunPython(seed, unseed)]
