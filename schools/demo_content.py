"""Demo content of the public site: home page, methodology section, documents, FAQ, contacts,
news and the operator's contacts. Idempotent: pages are looked up by slug and left alone when
they exist, so a second run changes nothing."""

import datetime
import io

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Site
from wagtail.rich_text import RichText

from home.models import ContentPage, NewsIndexPage, NewsPage, OperatorSettings
from surveys.models import SurveyPage

OPERATOR = {
    "name": "ГАУ «Приозёрский региональный центр оценки качества образования»",
    "address": "199001, Приозёрский край, г. Приозёрск, ул. Набережная, д. 14, каб. 210",
    "phone": "+7 (800) 555-01-26",
    "email": "noko@priozersk-edu.example",
    "working_hours": "пн–чт 9:00–18:00, пт 9:00–16:45 (мск)",
}

INDICATOR_ROWS = [
    ["№", "Показатель", "Как считается", "Откуда данные"],
    [
        "1.1",
        "Соответствие информации на стендах и сайте требованиям",
        "50 × (пунктов на стенде / норма стенда + пунктов на сайте / норма сайта)",
        "мониторинг сайта, самообследование",
    ],
    [
        "1.2",
        "Работающие дистанционные способы взаимодействия",
        "min(100; 30 × число способов)",
        "мониторинг сайта",
    ],
    [
        "1.3",
        "Доля удовлетворённых открытостью информации",
        "100 × среднее (удовлетворены стендом / пользовались стендом; "
        "сайтом / пользовались сайтом)",
        "анкета, вопросы 1–4",
    ],
    ["2.1", "Комфортные условия", "min(100; 20 × число условий)", "самообследование, эксперт"],
    [
        "2.3",
        "Доля удовлетворённых комфортностью",
        "100 × удовлетворены / респонденты",
        "анкета, вопрос 5",
    ],
    [
        "3.1",
        "Оборудование территории и помещений для инвалидов",
        "min(100; 20 × число условий)",
        "самообследование, эксперт",
    ],
    [
        "3.2",
        "Условия доступности услуг для инвалидов",
        "min(100; 20 × число условий)",
        "самообследование, эксперт",
    ],
    [
        "3.3",
        "Доля инвалидов, удовлетворённых доступностью",
        "100 × удовлетворены / респонденты с инвалидностью",
        "анкета, вопросы 6–7",
    ],
    [
        "4.1",
        "Доброжелательность при первичном контакте",
        "100 × удовлетворены / респонденты",
        "анкета, вопрос 8",
    ],
    [
        "4.2",
        "Доброжелательность работников, оказывающих услугу",
        "100 × удовлетворены / респонденты",
        "анкета, вопрос 9",
    ],
    [
        "4.3",
        "Доброжелательность при дистанционном взаимодействии",
        "100 × удовлетворены / пользовались",
        "анкета, вопросы 10–11",
    ],
    ["5.1", "Готовы рекомендовать организацию", "100 × готовы / респонденты", "анкета, вопрос 12"],
    [
        "5.2",
        "Удовлетворены организационными условиями",
        "100 × удовлетворены / респонденты",
        "анкета, вопрос 13",
    ],
    [
        "5.3",
        "Удовлетворены условиями в целом",
        "100 × удовлетворены / респонденты",
        "анкета, вопрос 14",
    ],
]

CRITERIA_ROWS = [
    ["Критерий", "Формула"],
    ["К1. Открытость и доступность информации", "0,3 · П1.1 + 0,3 · П1.2 + 0,4 · П1.3"],
    ["К2. Комфортность условий", "0,5 · П2.1 + 0,5 · П2.3"],
    ["К3. Доступность для инвалидов", "0,3 · П3.1 + 0,4 · П3.2 + 0,3 · П3.3"],
    ["К4. Доброжелательность и вежливость работников", "0,4 · П4.1 + 0,4 · П4.2 + 0,2 · П4.3"],
    ["К5. Удовлетворённость условиями", "0,3 · П5.1 + 0,2 · П5.2 + 0,5 · П5.3"],
    ["Итоговый балл организации", "(К1 + К2 + К3 + К4 + К5) / 5"],
]

QUESTION_ROWS = [
    ["№", "Вопрос", "Если ответ «Нет»"],
    [
        "1",
        "Обращались ли Вы к информации о деятельности организации на информационных стендах?",
        "переход к вопросу 3",
    ],
    ["2", "Удовлетворены ли Вы открытостью, полнотой и доступностью информации на стендах?", ""],
    ["3", "Пользовались ли Вы официальным сайтом организации?", "переход к вопросу 5"],
    ["4", "Удовлетворены ли Вы открытостью, полнотой и доступностью информации на сайте?", ""],
    [
        "5",
        "Удовлетворены ли Вы комфортностью условий (зона отдыха, навигация, питьевая вода, "
        "санитарные помещения)?",
        "",
    ],
    [
        "6",
        "Имеете ли Вы (или лицо, представителем которого Вы являетесь) группу инвалидности?",
        "переход к вопросу 8",
    ],
    ["7", "Удовлетворены ли Вы доступностью услуг для инвалидов?", ""],
    [
        "8",
        "Удовлетворены ли Вы доброжелательностью и вежливостью работников при первичном контакте?",
        "",
    ],
    ["9", "Удовлетворены ли Вы доброжелательностью и вежливостью педагогов?", ""],
    ["10", "Пользовались ли Вы дистанционными способами взаимодействия?", "переход к вопросу 12"],
    [
        "11",
        "Удовлетворены ли Вы доброжелательностью работников при дистанционном взаимодействии?",
        "",
    ],
    ["12", "Готовы ли Вы рекомендовать организацию родственникам и знакомым?", ""],
    ["13", "Удовлетворены ли Вы графиком работы и расписанием занятий?", ""],
    ["14", "Удовлетворены ли Вы в целом условиями оказания образовательных услуг?", ""],
    ["15", "Ваши предложения по улучшению условий (необязательно, до 2000 знаков)", ""],
]

SVEDEN_ROWS = [
    ["Адрес подраздела", "Подраздел"],
    ["/sveden/common", "Основные сведения"],
    ["/sveden/struct", "Структура и органы управления"],
    ["/sveden/document", "Документы"],
    ["/sveden/education", "Образование"],
    ["/sveden/eduStandarts", "Образовательные стандарты и требования"],
    ["/sveden/managers", "Руководство"],
    ["/sveden/employees", "Педагогический состав"],
    ["/sveden/objects", "Материально-техническое обеспечение и оснащённость. Доступная среда"],
    ["/sveden/grants", "Стипендии и меры поддержки обучающихся"],
    ["/sveden/paid_edu", "Платные образовательные услуги"],
    ["/sveden/budget", "Финансово-хозяйственная деятельность"],
    ["/sveden/vacant", "Вакантные места для приёма (перевода)"],
    ["/sveden/inter", "Международное сотрудничество"],
    ["/sveden/catering", "Организация питания в образовательной организации"],
]

FAQ_ITEMS = [
    (
        "Что такое независимая оценка качества условий?",
        "<p>Это ежегодная оценка того, насколько открыты, комфортны и доступны условия в школах, "
        "детских садах, колледжах и организациях дополнительного образования. Оценку проводит "
        "независимый оператор; школы не оценивают себя сами, а родители и обучающиеся отвечают "
        "на анкету анонимно.</p>",
    ),
    (
        "Кто может ответить на анкету?",
        "<p>Родители (законные представители) обучающихся 1–8 классов и сами обучающиеся 9–11 "
        "классов. Ссылку на анкету школа публикует на своём сайте, в электронном журнале и в "
        "родительских чатах; её можно открыть и по QR-коду.</p>",
    ),
    (
        "Анкета действительно анонимная?",
        "<p>Да. Мы храним только ответы, название организации и дату. IP-адрес, сведения о "
        "браузере и учётные записи не сохраняются.</p>",
    ),
    (
        "Сколько ответов нужно, чтобы школа попала в рейтинг?",
        "<p>Не меньше 10 ответов за год (порог задаётся методикой года). Целевой охват — не "
        "меньше половины родителей и половины обучающихся.</p>",
    ),
    (
        "Как рассчитывается итоговый балл?",
        "<p>По единому порядку расчёта (приказ Минтруда России № 344н): пять критериев по 100 "
        "баллов, итог — их среднее. Подробно — в разделе «Методика».</p>",
    ),
    (
        "Школа не согласна с результатом. Что делать?",
        "<p>Перед публикацией оператор открывает предварительные результаты: каждая "
        "организация видит свои баллы и недостатки в личном кабинете (раздел «Предварительные "
        "результаты») и в течение срока, указанного там (по умолчанию 10 рабочих дней), может "
        "подать возражение с обоснованием и подтверждающими файлами. Оператор принимает его "
        "с исправлением данных и пересчётом или отклоняет с ответом; сколько возражений "
        "подано, принято и отклонено, сказано на странице итогов года.</p>",
    ),
    (
        "Что школа делает после оценки?",
        "<p>По опубликованным недостаткам организация составляет в личном кабинете план по "
        "их устранению (мероприятие, срок, ответственный) и отправляет его учредителю: "
        "координатору муниципалитета или оператору. Утверждённый план публикуется на "
        "странице организации и в разделе «Планы устранения недостатков»; организация "
        "отмечает, что выполнено, и просроченные мероприятия видны всем.</p>",
    ),
]

NEWS = [
    (
        "2026-11-16",
        "Анкетирование 2026 года продлится до 10 декабря",
        "По просьбам муниципалитетов срок анкетирования родителей и обучающихся продлён.",
        ["анкетирование", "сроки"],
    ),
    (
        "2026-11-02",
        "Открыто анкетирование родителей и обучающихся",
        "Ссылки и QR-коды для каждой школы доступны в кабинете организации.",
        ["анкетирование"],
    ),
    (
        "2026-10-20",
        "Семинар для ответственных за независимую оценку в школах",
        "Записи семинара и презентации доступны в разделе «Документы».",
        ["семинар"],
    ),
    (
        "2026-10-05",
        "Утверждена методика оценки на 2026 год",
        "Методика года сохраняет порядок расчёта, добавлены региональные пункты стенда.",
        ["методика"],
    ),
    (
        "2026-09-15",
        "Начинается мониторинг официальных сайтов",
        "Эксперты проверят раздел «Сведения об образовательной организации» на сайтах школ.",
        ["мониторинг", "сайты"],
    ),
    (
        "2026-06-30",
        "Школы опубликовали планы по устранению недостатков",
        "Утверждённые планы и ход их выполнения доступны на страницах организаций и в "
        "разделе «Планы устранения недостатков».",
        ["планы"],
    ),
    (
        "2026-03-10",
        "Опубликованы итоги независимой оценки 2025 года",
        "Средний балл по краю вырос на 2,4 балла по сравнению с прошлым годом.",
        ["итоги", "рейтинг"],
    ),
    (
        "2026-02-12",
        "Как читать результаты оценки: памятка для родителей",
        "Что означают критерии и почему у некоторых школ нет итогового балла.",
        ["памятка"],
    ),
    (
        "2025-12-18",
        "Анкетирование 2025 года завершено",
        "Ответили более 40 тысяч родителей и обучающихся.",
        ["анкетирование", "итоги"],
    ),
    (
        "2025-11-01",
        "Новая версия для слабовидящих",
        "Сайт стал удобнее для людей с нарушениями зрения: крупный шрифт и контрастные цвета.",
        ["доступность"],
    ),
]


def rich(html):
    return RichText(html)


def table(rows, caption="", first_col_is_header=False):
    return {
        "data": rows,
        "first_row_is_table_header": True,
        "first_col_is_header": first_col_is_header,
        "table_header_choice": "row",
        "table_caption": caption,
    }


def child_by_slug(parent, slug):
    return parent.get_children().filter(slug=slug).specific().first()


def add_page(parent, page):
    """Add ``page`` under ``parent`` and publish it, unless a page with its slug exists."""
    existing = child_by_slug(parent, page.slug)
    if existing is not None:
        return existing, False
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True


def demo_image(title, colour, collection):
    """A generated banner image, so the demo needs no binary files in the repository."""
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    canvas = PILImage.new("RGB", (1200, 630), colour)
    draw = ImageDraw.Draw(canvas)
    for step in range(0, 1200, 60):
        draw.line([(step, 630), (step + 300, 0)], fill=(255, 255, 255), width=2)
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    image = Image(title=title, collection=collection)
    image.file = ImageFile(io.BytesIO(buffer.getvalue()), name="demo.png")
    image.save()
    return image


def demo_pdf():
    """A minimal valid one-page PDF, written out by hand so the demo ships no binaries.

    The standard PDF fonts cannot show Cyrillic without embedding a font, so the page only
    says it is a demo document; the Russian title lives in the document library.
    """
    stream = "BT /F1 18 Tf 72 760 Td (NOKO demo document) Tj ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def demo_document(title, collection):
    Document = get_document_model()
    existing = Document.objects.filter(title=title).first()
    if existing:
        return existing
    document = Document(title=title, collection=collection)
    document.file.save("document.pdf", ContentFile(demo_pdf()), save=False)
    document.save()
    return document


def get_home_page():
    site = Site.objects.get(is_default_site=True)
    return site.root_page.specific, site


def load_content(stdout=None):
    """Create the demo site content; returns the number of pages created."""
    home, site = get_home_page()
    created = 0

    operator, _ = OperatorSettings.objects.get_or_create(site=site)
    if not operator.name:
        for field, value in OPERATOR.items():
            setattr(operator, field, value)
        operator.save()

    root_collection = Collection.get_first_root_node()
    collection = root_collection.get_children().filter(name="Материалы оператора").first()
    if collection is None:
        collection = root_collection.add_child(name="Материалы оператора")
    banner = demo_image("Демо: баннер методики", (11, 79, 138), collection)
    documents = [
        demo_document(title, collection)
        for title in (
            "Положение о проведении независимой оценки в 2026 году",
            "График проведения независимой оценки на 2026 год",
            "Инструкция для ответственного за анкетирование в школе",
            "Форма плана по устранению недостатков",
        )
    ]

    methodology, new = add_page(
        home,
        ContentPage(
            title="Методика",
            slug="metodika",
            show_in_menus=True,
            intro="Как проводится независимая оценка, какие показатели считаются и откуда "
            "берутся данные.",
            body=[
                (
                    "paragraph",
                    rich(
                        "<p>Независимая оценка проводится по показателям, утверждённым приказом "
                        "Минпросвещения России от 13.03.2019 № 114, и единому порядку расчёта "
                        "(приказ Минтруда России от 31.05.2018 № 344н). Мнение родителей и "
                        "обучающихся выявляется по методике приказа Минтруда России от 30.10.2018 "
                        "№ 675н.</p>"
                    ),
                ),
                ("image", {"image": banner, "alt_text": "", "caption": ""}),
                (
                    "callout",
                    {
                        "kind": "info",
                        "title": "Методика 2026 года",
                        "text": rich(
                            "<p>Результаты каждого года считаются по версии методики "
                            "этого года; версия указана на странице результатов.</p>"
                        ),
                    },
                ),
            ],
        ),
    )
    created += new
    for page in (
        ContentPage(
            title="Критерии и показатели",
            slug="pokazateli",
            intro="Пять критериев, четырнадцать показателей и формулы расчёта.",
            body=[
                (
                    "paragraph",
                    rich("<p>Каждый показатель и критерий — это число баллов от 0 до 100.</p>"),
                ),
                ("table", table(INDICATOR_ROWS, "Показатели оценки")),
                ("heading", {"text": "Критерии и итоговый балл", "level": "h2"}),
                ("table", table(CRITERIA_ROWS, "Критерии", first_col_is_header=True)),
            ],
        ),
        ContentPage(
            title="Анкета получателей услуг",
            slug="anketa",
            intro="Вопросы анкеты для родителей (1–8 классы) и обучающихся (9–11 классы).",
            body=[
                (
                    "paragraph",
                    rich(
                        "<p>На каждый вопрос отвечают «Да» или «Нет». Если на "
                        "вопрос 1, 3, 6 или 10 дан ответ «Нет», следующий вопрос "
                        "пропускается.</p>"
                    ),
                ),
                ("table", table(QUESTION_ROWS, "Вопросы анкеты")),
            ],
        ),
        ContentPage(
            title="Сведения на официальном сайте",
            slug="sveden",
            intro="Раздел «Сведения об образовательной организации» и его 14 подразделов.",
            body=[
                (
                    "paragraph",
                    rich(
                        "<p>Состав сведений определяют ст. 29 Федерального закона "
                        "№ 273-ФЗ, постановление Правительства РФ № 1802 и приказ "
                        "Рособрнадзора № 831. Каждый подраздел содержит несколько "
                        "обязательных пунктов.</p>"
                    ),
                ),
                ("table", table(SVEDEN_ROWS, "Подразделы раздела «Сведения»")),
            ],
        ),
        ContentPage(
            title="Правила расчёта",
            slug="pravila",
            intro="Как поступаем, когда данных нет или их мало.",
            body=[
                ("heading", {"text": "Нет данных по показателю", "level": "h2"}),
                (
                    "paragraph",
                    rich(
                        "<p>Если на вопрос никто не отвечал (например, среди "
                        "респондентов нет людей с инвалидностью), показатель не "
                        "считается, а веса остальных показателей критерия "
                        "пересчитываются так, чтобы их сумма была равна 1.</p>"
                    ),
                ),
                ("heading", {"text": "Мало ответов", "level": "h2"}),
                (
                    "paragraph",
                    rich(
                        "<p>Организация, получившая меньше 10 ответов за год, "
                        "в рейтинг не включается: на её странице написано "
                        "«недостаточно ответов».</p>"
                    ),
                ),
                ("heading", {"text": "Округление и места", "level": "h2"}),
                (
                    "paragraph",
                    rich(
                        "<p>Баллы считаются точно и округляются до сотых только при "
                        "показе. Организации с одинаковым округлённым баллом делят "
                        "одно место.</p>"
                    ),
                ),
            ],
        ),
    ):
        created += add_page(methodology, page)[1]

    created += add_page(
        home,
        ContentPage(
            title="Документы",
            slug="dokumenty",
            show_in_menus=True,
            intro="Положение, график, инструкции и формы.",
            body=[
                (
                    "documents",
                    {
                        "heading": "Документы оператора",
                        "documents": [
                            {"document": document, "title": ""} for document in documents
                        ],
                    },
                ),
                (
                    "paragraph",
                    rich(
                        "<p>Нормативные акты: приказ Минпросвещения России "
                        "от 13.03.2019 № 114; приказ Минтруда России от 31.05.2018 "
                        "№ 344н; приказ Минтруда России от 30.10.2018 № 675н.</p>"
                    ),
                ),
            ],
        ),
    )[1]
    faq, new = add_page(
        home,
        ContentPage(
            title="Вопросы и ответы",
            slug="voprosy",
            show_in_menus=True,
            intro="Ответы на частые вопросы родителей, обучающихся и школ.",
            body=[
                (
                    "faq",
                    {
                        "heading": "",
                        "items": [
                            {"question": question, "answer": rich(answer)}
                            for question, answer in FAQ_ITEMS
                        ],
                    },
                )
            ],
        ),
    )
    created += new
    created += add_page(
        home,
        ContentPage(
            title="Контакты",
            slug="kontakty",
            show_in_menus=True,
            intro="Куда обращаться по вопросам независимой оценки.",
            body=[
                (
                    "paragraph",
                    rich(
                        f"<p>{OPERATOR['name']}</p><p>{OPERATOR['address']}</p>"
                        f"<p>Телефон: {OPERATOR['phone']}, e-mail: "
                        f"{OPERATOR['email']}</p><p>{OPERATOR['working_hours']}</p>"
                    ),
                ),
                (
                    "callout",
                    {
                        "kind": "info",
                        "title": "Школам",
                        "text": rich(
                            "<p>По вопросам кабинета организации обращайтесь к "
                            "координатору своего муниципалитета.</p>"
                        ),
                    },
                ),
            ],
        ),
    )[1]

    survey_page, new = add_page(
        home,
        SurveyPage(
            title="Пройти анкету",
            slug="anketa",
            show_in_menus=True,
            intro="Выберите муниципалитет и школу. Анкета анонимная и займёт 3 минуты.",
        ),
    )
    created += new

    news_index, new = add_page(
        home,
        NewsIndexPage(
            title="Новости",
            slug="novosti",
            show_in_menus=True,
            intro="Новости независимой оценки в Приозёрском крае.",
        ),
    )
    created += new
    for date, title, intro, tags in NEWS:
        slug = f"novost-{date}"
        news = NewsPage(
            title=title,
            slug=slug,
            intro=intro,
            date=datetime.date.fromisoformat(date),
            body=[
                (
                    "paragraph",
                    rich(
                        f"<p>{intro}</p><p>Подробности — у координатора вашего "
                        "муниципалитета и по телефону поддержки оператора.</p>"
                    ),
                )
            ],
        )
        news.tags.add(*tags)
        created += add_page(news_index, news)[1]

    if not home.banner_title:
        home.intro = (
            "Здесь публикуются методика и итоги независимой оценки качества условий "
            "в школах, детских садах и колледжах Приозёрского края."
        )
        home.banner_title = "Идёт анкетирование родителей и обучающихся 2026 года"
        home.banner_text = (
            "Ответьте на 14 вопросов о вашей школе — это займёт 3 минуты. Анкета анонимная."
        )
        home.banner_link_text = "Пройти анкету"
        home.banner_link_url = survey_page.url
        home.quick_links = [
            (
                "link",
                {
                    "title": "Методика",
                    "description": "Показатели и формулы",
                    "page": methodology,
                    "url": "",
                },
            ),
            (
                "link",
                {
                    "title": "Вопросы и ответы",
                    "description": "Для родителей и школ",
                    "page": faq,
                    "url": "",
                },
            ),
            (
                "link",
                {
                    "title": "Новости",
                    "description": "Сроки и события",
                    "page": news_index,
                    "url": "",
                },
            ),
        ]
        home.last_published_at = timezone.now()
        home.save_revision().publish()
    return created
