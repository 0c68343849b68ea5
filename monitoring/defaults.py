"""The standard checklist of methodology §2, to start a year's template from.

The website part is the norm (``monitoring.norm``): one item per subsection of «Сведения об
образовательной организации», carrying that subsection's headings, addresses, microdata items
and the order's wording, so that editors can adjust the norm of a year in the admin. Editors
also adjust the rest (regional extras, a changed stand norm); a new year's template can be
copied from the previous year's (``copy_template``), norm included.
"""

from django.db import transaction

from . import norm
from .models import AutoCheck, ChecklistItem, ChecklistTemplate, RatingInput, Section
from .norm_text import format_norm_items

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

# (condition, what the website checker can find for it by itself)
SERVICE_ITEMS = [
    ("Дублирование звуковой и зрительной информации", AutoCheck.NONE),
    ("Дублирование надписей шрифтом Брайля", AutoCheck.NONE),
    ("Услуги сурдопереводчика (тифлосурдопереводчика)", AutoCheck.NONE),
    ("Альтернативная версия сайта для инвалидов по зрению", AutoCheck.VISUALLY_IMPAIRED),
    ("Помощь обученных работников", AutoCheck.NONE),
    ("Обучение в дистанционном режиме или на дому", AutoCheck.NONE),
]


def subsection_item(subsection):
    """An unsaved checklist item of one subsection of the norm, carrying its norm."""
    return ChecklistItem(
        section=Section.WEBSITE,
        text=f"Подраздел «{subsection.title}» ({subsection.order_point} приказа № 1493)",
        sveden_path=subsection.standard_path,
        expected_heading=subsection.title,
        # The first item is the subsection's main one: what a template without a norm
        # (and the checker's fallback) goes by.
        itemprop=subsection.items[0].itemprop,
        counts_toward=RatingInput.SITE,
        auto_check=AutoCheck.SVEDEN,
        heading_variants="\n".join(subsection.title_variants),
        path_variants="\n".join(subsection.path_variants),
        norm_items=format_norm_items(subsection.items),
        requirement_text=subsection.requirement_text,
    )


def standard_items():
    """Unsaved items of the standard checklist, in order."""
    # The microdata of every subsection is in its norm items, so the single «fullName»
    # item of earlier templates is no longer needed.
    items = [subsection_item(subsection) for subsection in norm.SUBSECTIONS]
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
        ChecklistItem(
            section=Section.SERVICE,
            text=text,
            counts_toward=RatingInput.SERVICE,
            auto_check=check,
        )
        for text, check in SERVICE_ITEMS
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
