"""The Russian normal form both the index and the query are read in, and how a query is read
against the vocabulary (typos, unfinished last word)."""

import pytest

from core import russian_text
from core.search import Vocabulary, as_tsquery, matches, query_terms


def lemmas(text):
    return [item for _word, item in russian_text.words(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("лицея", ["лицей"]),
        ("гимназии", ["гимназия"]),
        ("сады", ["сад"]),
        ("в Приозерском районе", ["приозерский", "район"]),
        ("Приозёрск", ["приозерск"]),
        ("ПРИОЗЕРСК", ["приозерск"]),
        ("школа №5", ["школа", "5"]),
        ("школа № 5", ["школа", "5"]),
        ("школа N5", ["школа", "5"]),
        ("школа N 5", ["школа", "5"]),
        ("СОШ №12", ["сош", "12"]),
        ("МБУ ДО", ["мбу", "дополнительный", "образование"]),
        ("в на по и", []),
        ("", []),
    ],
)
def test_words_are_reduced_to_lemmas_with_yo_numbers_and_stop_words_handled(text, expected):
    assert lemmas(text) == expected


def test_a_preposition_is_dropped_but_do_after_an_abbreviation_is_read_as_its_words():
    assert lemmas("до школы") == ["школа"]


def test_an_abbreviation_in_a_name_adds_its_words():
    text = russian_text.index_text("МБОУ «СОШ № 12»").split()
    for word in ("мбоу", "сош", "12", "муниципальный", "средний", "школа", "учреждение"):
        assert word in text


def test_the_words_of_a_full_name_add_the_abbreviation():
    text = russian_text.index_text(
        "Муниципальное бюджетное дошкольное образовательное учреждение «Детский сад № 5»"
    ).split()
    assert "мбдоу" in text
    assert "доу" in text  # a МБДОУ is a ДОУ too
    assert "сош" not in text


def test_the_index_text_names_each_lemma_once():
    text = russian_text.index_text("Школа", "школы", "школе").split()
    assert text == ["школа"]


def test_a_hyphen_and_quotes_split_words():
    assert lemmas("«Детско-юношеская»") == ["детско", "юношеский"]


VOCABULARY = Vocabulary.of(
    [
        "Муниципальное автономное общеобразовательное учреждение «Гимназия № 2»",
        "Приозёрский муниципальный район",
        "г. Приозёрск, ул. Ленина, д. 14",
        "Политехнический колледж",
    ]
)


@pytest.fixture
def vocabulary(monkeypatch):
    monkeypatch.setattr("core.search.vocabulary", lambda: VOCABULARY)


def test_a_word_one_typo_away_is_read_as_the_indexed_word(vocabulary):
    for typo in ("гимназея", "гимнзаия", "гимназиия", "коледж", "политехническй"):
        (alternatives,) = query_terms(typo)
        assert set(alternatives) & {"гимназия", "колледж", "политехнический"}, typo


def test_a_short_word_is_never_corrected(vocabulary):
    # «гимз» is not the last word (so not a beginning), and four letters are too few for a typo.
    first, _second = query_terms("гимз сад")
    assert "гимназия" not in first


def test_two_typos_are_not_forgiven(vocabulary):
    (alternatives,) = query_terms("гемназея")
    assert "гимназия" not in alternatives


def test_the_last_word_is_read_as_a_beginning(vocabulary):
    (first, last) = query_terms("район гимн")
    assert first == ("район",)
    assert "гимназия" in last
    # Only the last word: «гимн район» asks for the hymn.
    assert query_terms("гимн район")[0] == ("гимн",)


def test_a_beginning_needs_three_letters_and_numbers_are_never_beginnings(vocabulary):
    assert query_terms("ги") == (("ги",),)
    assert query_terms("1") == (("1",),)


def test_a_query_of_stop_words_asks_nothing(vocabulary):
    assert query_terms("в на по") == ()


def test_the_tsquery_is_an_and_of_alternatives():
    assert as_tsquery((("лицей",), ("приозерский", "приозерск"))) == (
        "(лицей) & (приозерский | приозерск)"
    )


def test_a_fixed_text_matches_only_when_every_word_is_in_it():
    text = "Рейтинг 2025 года: итоги независимой оценки"
    assert matches((("итог",), ("2025",)), text)
    assert matches((("рейтинг", "рейтинговый"),), text)
    assert not matches((("итог",), ("2019",)), text)
    assert not matches((), text)
