"""Whether the words around a person's name take the feminine form, read from the name."""

import pytest

from core.names import is_feminine


@pytest.mark.parametrize(
    "full_name",
    [
        "Соколова Анна Викторовна",
        "Фёдорова Анна Михайловна",
        "Кузьмина Ольга Ильинична",
        "Лукина Дарья Никитична",
        "Алиева Лейла Рашидовна",
        "Мамедова Айгюль Эльдар кызы",
        "Гасанова Севиндж Ильгар гызы",
        "  смирнова  ольга  викторовна ",
    ],
)
def test_a_womans_patronymic_asks_for_the_feminine(full_name):
    assert is_feminine(full_name)


@pytest.mark.parametrize(
    "full_name",
    [
        "Лебедев Игорь Николаевич",
        "Никитин Роман Ильич",
        "Мамедов Эльдар Ильгар оглы",
        "Орлова Татьяна",  # no patronymic: the grammatical default
        "Эксперт 1",
        "",
    ],
)
def test_a_mans_patronymic_or_none_keeps_the_masculine(full_name):
    assert not is_feminine(full_name)
