"""The 675н sample questionnaire (methodology §3) in its parent and pupil wordings.

The text lives here as data frozen at this version; later years add new versions through the
admin or a new migration and never edit these, so old responses keep their wording."""

from django.db import migrations

VERSION = "675н-2018"


def questions(audience):
    parents = audience == "parents"
    you = "Вы"
    teachers = (
        "педагогов, которые учат Вашего ребёнка" if parents else "педагогов, которые Вас учат"
    )
    return [
        {
            "key": "q1",
            "kind": "yes_no",
            "skip_if_no": "q3",
            "text": f"Обращались ли {you} к информации о деятельности школы на информационных "
            "стендах в её помещениях?",
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
            "text": f"Пользовались ли {you} официальным сайтом школы, чтобы получить информацию "
            "о её деятельности?",
        },
        {
            "key": "q4",
            "kind": "yes_no",
            "text": "Удовлетворены ли Вы открытостью, полнотой и доступностью информации, "
            "размещённой на официальном сайте школы?",
        },
        {
            "key": "q5",
            "kind": "yes_no",
            "text": "Удовлетворены ли Вы комфортностью условий в школе (наличие зоны отдыха, "
            "понятная навигация, питьевая вода, чистые санитарные помещения)?",
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
            "text": "Удовлетворены ли Вы доступностью услуг для инвалидов в школе?",
        },
        {
            "key": "q8",
            "kind": "yes_no",
            "text": "Удовлетворены ли Вы доброжелательностью и вежливостью работников школы, "
            "с которыми Вы сталкиваетесь в первую очередь (секретарь, охрана, "
            "работники приёмной)?",
        },
        {
            "key": "q9",
            "kind": "yes_no",
            "text": f"Удовлетворены ли Вы доброжелательностью и вежливостью {teachers}?",
        },
        {
            "key": "q10",
            "kind": "yes_no",
            "skip_if_no": "q12",
            "text": f"Пользовались ли {you} дистанционными способами связи со школой (телефон, "
            "электронная почта, электронный журнал, форма на сайте)?",
        },
        {
            "key": "q11",
            "kind": "yes_no",
            "text": "Удовлетворены ли Вы доброжелательностью и вежливостью работников школы при "
            "дистанционном общении?",
        },
        {
            "key": "q12",
            "kind": "yes_no",
            "text": "Готовы ли Вы рекомендовать школу родственникам и знакомым?",
        },
        {
            "key": "q13",
            "kind": "yes_no",
            "text": "Удовлетворены ли Вы организационными условиями (графиком работы школы, "
            "расписанием занятий)?",
        },
        {
            "key": "q14",
            "kind": "yes_no",
            "text": "Удовлетворены ли Вы в целом условиями, в которых учится Ваш ребёнок?"
            if parents
            else "Удовлетворены ли Вы в целом условиями обучения в школе?",
        },
        {
            "key": "q15",
            "kind": "text",
            "text": "Ваши предложения по улучшению условий в школе (необязательно)",
        },
    ]


def create(apps, schema_editor):
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    titles = {
        "parents": "Анкета для родителей обучающихся 1–8 классов",
        "students": "Анкета для обучающихся 9–11 классов",
    }
    for audience, title in titles.items():
        Questionnaire.objects.get_or_create(
            audience=audience,
            version=VERSION,
            defaults={
                "title": title,
                "intro": "Анкета анонимная: мы не сохраняем ни имени, ни адреса, ни данных "
                "устройства. На каждый вопрос ответьте «Да» или «Нет».",
                "questions": questions(audience),
            },
        )


def remove(apps, schema_editor):
    apps.get_model("surveys", "Questionnaire").objects.filter(version=VERSION).delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
