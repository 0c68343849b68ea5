"""What the website checker takes for a telephone, an e-mail, a bus.gov.ru link and a heading:
the formats Russian school sites write, and the look-alikes that must never count."""

import pytest

from monitoring import matchers

PHONES = [
    ("Телефон: (4236) 62-40-68", "(4236) 62-40-68"),
    ("Приёмная 8(85145)94-2-15, факс нет", "8(85145)94-2-15"),
    ("+7 (495) 123-45-67", "+7 (495) 123-45-67"),
    ("Горячая линия 8-800-100-00-00 (бесплатно)", "8-800-100-00-00"),
    ("тел.: 62-40-68", "62-40-68"),
    ("Телефон приёмной: 2-15-30", "2-15-30"),
    ("Тел./факс: 62-40-68", "62-40-68"),
    ("Звоните +79161234567", "+79161234567"),
    ("т. 8 912 345 67 89", "8 912 345 67 89"),
]

NOT_PHONES = [
    "р/с 40702810900000001234",
    "Казначейский счёт 40702810900000001234",
    "40702810900000001234",
    "ИНН 7701234567",
    "7701234567",
    "ОГРН 1027700132195",
    "1027700132195",
    "КПП 770101001 ОКТМО 78701000001",
    "Приказ № 1493 от 04.08.2023",
    "12.03.2024",
    "2023-2024 учебный год",
    "Режим работы: 08:00-17:00",
    "89161234567",  # eleven digits in a row with no «+7» and no label: an account or a code
]


@pytest.mark.parametrize(("text", "number"), PHONES)
def test_russian_phone_formats_are_recognised(text, number):
    assert matchers.find_phones(text) == [number]


@pytest.mark.parametrize("text", NOT_PHONES)
def test_accounts_tax_numbers_dates_and_years_are_not_phones(text):
    assert matchers.find_phones(text) == []


def test_a_phone_is_found_beside_bank_details_and_two_numbers_are_both_found():
    footer = "ИНН 2536012345 ОГРН 1022501234567 р/с 40702810900000001234 тел. 8 (4236) 62-40-68"
    assert matchers.find_phones(footer) == ["8 (4236) 62-40-68"]
    assert len(matchers.find_phones("8 (4236) 62-40-68, 8 (4236) 62-40-69")) == 2


def test_tel_and_mailto_links_need_something_to_dial_or_write_to():
    assert matchers.is_tel_link("tel:+74236624068")
    assert not matchers.is_tel_link("tel:")
    assert matchers.is_mailto_link("mailto:school@example.ru")
    assert not matchers.is_mailto_link("mailto:")


def test_emails_are_found_but_retina_image_names_are_not():
    assert matchers.find_emails("Почта: school5@ensk.example.ru.") == ["school5@ensk.example.ru"]
    assert matchers.find_emails("logo@2x.png icon@3x.webp") == []


@pytest.mark.parametrize(
    "url",
    [
        "https://bus.gov.ru/info-card/372155",
        "http://bus.gov.ru/",
        "https://www.bus.gov.ru/pub/info-card/12345",
        "https://BUS.GOV.RU/agency/123",
    ],
)
def test_bus_gov_links_are_bus_gov_ru_or_its_subdomains(url):
    assert matchers.is_bus_gov(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://notbus.gov.ru/",
        "https://evilbus.gov.ru.example.com/",
        "https://bus.gov.ru.evil.com/info-card/1",
        "https://bus.gov.ru@evil.com/info-card/1",
        "https://evil.com/?next=https://bus.gov.ru/",
        "ftp://bus.gov.ru/",
        "bus.gov.ru",
        "http://[bus.gov.ru/",
    ],
)
def test_look_alike_bus_gov_links_are_refused(url):
    assert not matchers.is_bus_gov(url)
    assert not matchers.is_bus_gov_card(url)


def test_the_organisations_card_is_told_from_a_bare_bus_gov_link():
    assert matchers.is_bus_gov_card("https://bus.gov.ru/info-card/372155")
    assert matchers.is_bus_gov_card("https://bus.gov.ru/pub/info-card/372155")
    assert not matchers.is_bus_gov_card("https://bus.gov.ru/")
    assert not matchers.is_bus_gov_card("https://bus.gov.ru/search?q=школа")


def title_score(text, titles):
    return matchers.core_score(matchers.heading_core(text), titles)


def test_headings_match_loosely_but_one_word_titles_only_whole():
    titles = [matchers.normalize("Основные сведения")]
    assert title_score("ОСНОВНЫЕ СВЕДЕНИЯ", titles)[0] == 3
    assert title_score("1.1. Основные сведения:", titles)[0] == 3
    assert title_score("Сведения об образовательной организации. Основные сведения", titles)[0] == 3
    assert title_score("Основные сведения об организации", titles)[0] == 2
    assert title_score("Новости", titles)[0] == 0
    one_word = [matchers.normalize("Образование")]
    assert title_score("Образование", one_word)[0] == 3
    assert title_score("Дополнительное образование", one_word)[0] == 0
    ee = [matchers.normalize("Материально-техническое обеспечение")]
    assert title_score("Материально техническое обеспечение", ee)[0] == 3
    yo = [matchers.normalize("Вакантные места для приёма")]
    assert title_score("Вакантные места для приема", yo)[0] == 3


def test_appeals_words_need_the_whole_phrase():
    words = matchers.APPEALS_WORDS
    assert matchers.has_words(matchers.normalize("Интернет-приёмная"), words)
    assert matchers.has_words(matchers.normalize("Обращения"), words)
    assert not matchers.has_words(matchers.normalize("Порядок обращения с отходами"), words)


def test_slugs_ignore_case_extensions_and_index_files():
    assert matchers.slug_of("http://s.ru/sveden/Paid_Edu/index.php") == "paid-edu"
    assert matchers.slug_of("http://s.ru/sveden/common.html") == "common"
    assert matchers.slug_of("http://s.ru/") == ""


@pytest.mark.parametrize(
    "text",
    [
        "Подраздел «Основные сведения» должен содержать информацию: а) о полном наименовании",
        "Главная страница подраздела «Стипендии и иные виды материальной поддержки» должна "
        "содержать информацию о наличии и условиях предоставления стипендий",
        "На странице подраздела должны быть размещены документы",
    ],
)
def test_requirement_wording_of_any_edition_is_recognised(text):
    assert matchers.REQUIREMENT_WORDING.search(matchers.normalize(text))


@pytest.mark.parametrize(
    "text",
    [
        "Школа должна содержать помещения в чистоте",
        "Стипендии не выплачиваются: обучающихся по программам СПО нет.",
        "Подраздел обновлён 12.09.2025",
    ],
)
def test_a_schools_own_sentences_are_not_requirement_wording(text):
    assert not matchers.REQUIREMENT_WORDING.search(matchers.normalize(text))
