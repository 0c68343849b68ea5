"""The standard checklist of methodology §2, to start a year's template from.

Editors then adjust it in the admin (regional extras, a changed stand norm); a new year's
template can also be copied from the previous year's (``copy_template``).
"""

from django.db import transaction

from .models import AutoCheck, ChecklistItem, ChecklistTemplate, RatingInput, Section

# (path, subsection heading, one microdata item that proves it)
SVEDEN_SUBSECTIONS = [
    ("/sveden/common", "Основные сведения", "fullName"),
    ("/sveden/struct", "Структура и органы управления", "structOrgUprav"),
    ("/sveden/document", "Документы", "ustavDocLink"),
    ("/sveden/education", "Образование", "eduCode"),
    ("/sveden/eduStandarts", "Образовательные стандарты и требования", "eduFedDoc"),
    ("/sveden/managers", "Руководство", "rucovodstvo"),
    ("/sveden/employees", "Педагогический состав", "teachingStaff"),
    ("/sveden/objects", "Материально-техническое обеспечение", "purposeCab"),
    ("/sveden/grants", "Стипендии и меры поддержки", "localActStipend"),
    ("/sveden/paid_edu", "Платные образовательные услуги", "paidEdu"),
    ("/sveden/budget", "Финансово-хозяйственная деятельность", "finPlanDocLink"),
    ("/sveden/vacant", "Вакантные места", "vacant"),
    ("/sveden/inter", "Международное сотрудничество", "internationalDog"),
    ("/sveden/catering", "Организация питания", "meals"),
]

STAND_ITEMS = [
    "Наименование и учредитель",
    "Адрес и режим работы",
    "Структура и органы управления",
    "Лицензия и свидетельство об аккредитации",
    "Реализуемые образовательные программы",
    "Правила приёма",
    "Расписание занятий",
    "Платные образовательные услуги",
    "Контакты руководства",
    "Как оценить организацию на bus.gov.ru",
    "Контакты для жалоб и предложений",
]

DISTANCE_ITEMS = [
    ("Телефон", AutoCheck.PHONE),
    ("Электронная почта", AutoCheck.EMAIL),
    ("Электронные сервисы (форма обращения, консультации)", AutoCheck.FEEDBACK_FORM),
    ("Раздел «Часто задаваемые вопросы»", AutoCheck.FAQ),
    ("Возможность оставить мнение о качестве условий (анкета, bus.gov.ru)", AutoCheck.BUS_GOV),
    ("Иной дистанционный способ", AutoCheck.NONE),
]

COMFORT_ITEMS = [
    "Зона отдыха (ожидания) с мебелью",
    "Понятная навигация",
    "Питьевая вода",
    "Санитарно-гигиенические помещения",
    "Санитарное состояние помещений",
    "Транспортная доступность",
    "Доступность записи на получение услуги",
]

TERRITORY_ITEMS = [
    "Входные группы с пандусами (подъёмными платформами)",
    "Выделенные стоянки для автотранспорта инвалидов",
    "Адаптированные лифты, поручни, расширенные дверные проёмы",
    "Сменные кресла-коляски",
    "Специально оборудованные санитарно-гигиенические помещения",
]

SERVICE_ITEMS = [
    "Дублирование звуковой и зрительной информации",
    "Дублирование надписей шрифтом Брайля",
    "Услуги сурдопереводчика (тифлосурдопереводчика)",
    "Альтернативная версия сайта для инвалидов по зрению",
    "Помощь обученных работников",
    "Обучение в дистанционном режиме или на дому",
]


def standard_items():
    """Unsaved items of the standard checklist, in order."""
    items = []
    for path, heading, itemprop in SVEDEN_SUBSECTIONS:
        items.append(
            ChecklistItem(
                section=Section.WEBSITE,
                text=f"Подраздел «{heading}»",
                sveden_path=path,
                expected_heading=heading,
                itemprop=itemprop,
                counts_toward=RatingInput.SITE,
                auto_check=AutoCheck.SVEDEN,
            )
        )
    items.append(
        ChecklistItem(
            section=Section.WEBSITE,
            text="Микроразметка полного наименования (itemprop fullName)",
            sveden_path="/sveden/common",
            itemprop="fullName",
            auto_check=AutoCheck.ITEMPROP,
        )
    )
    items.append(
        ChecklistItem(
            section=Section.APPEALS,
            text="Раздел «Обращения граждан» на сайте",
            auto_check=AutoCheck.APPEALS,
        )
    )
    items += [
        ChecklistItem(
            section=Section.STAND, text=text, counts_toward=RatingInput.STAND, photo_required=True
        )
        for text in STAND_ITEMS
    ]
    items += [
        ChecklistItem(
            section=Section.DISTANCE,
            text=text,
            counts_toward=RatingInput.DISTANCE,
            auto_check=check,
        )
        for text, check in DISTANCE_ITEMS
    ]
    items += [
        ChecklistItem(section=Section.COMFORT, text=text, counts_toward=RatingInput.COMFORT)
        for text in COMFORT_ITEMS
    ]
    items += [
        ChecklistItem(
            section=Section.TERRITORY,
            text=text,
            counts_toward=RatingInput.TERRITORY,
            photo_required=True,
        )
        for text in TERRITORY_ITEMS
    ]
    items += [
        ChecklistItem(section=Section.SERVICE, text=text, counts_toward=RatingInput.SERVICE)
        for text in SERVICE_ITEMS
    ]
    return items


@transaction.atomic
def create_standard_template(year, title=None):
    template = ChecklistTemplate.objects.create(year=year, title=title or f"Чек-лист НОКО {year}")
    _add_items(template, standard_items())
    return template


@transaction.atomic
def copy_template(source, year):
    """A new year's template with the same items as ``source``."""
    template = ChecklistTemplate.objects.create(year=year, title=f"Чек-лист НОКО {year}")
    copies = []
    for item in source.items.all():
        item.pk = None
        copies.append(item)
    _add_items(template, copies)
    return template


def _add_items(template, items):
    for order, item in enumerate(items):
        item.template = template
        item.sort_order = order
    ChecklistItem.objects.bulk_create(items)
