"""Russian personal names as the portal words around them: «эксперт назначена» for a woman.

The portal stores a person's full name in one field («Фамилия Имя Отчество»), and no gender:
the patronymic tells it in Russian (-вна, -чна: Викторовна, Ильинична, Никитична) and in the
Turkic forms a Russian registry also writes (Алиевна, or «… кызы» / «… гызы» for a daughter,
«… оглы» / «… улы» for a son). Without a patronymic the masculine form is used, which is
Russian's grammatical default for a title such as «эксперт»."""

FEMININE_ENDINGS = ("вна", "чна")
FEMININE_WORDS = {"кызы", "гызы", "кизи", "қызы"}


def is_feminine(full_name):
    """Whether the words around ``full_name`` take their feminine form."""
    words = full_name.casefold().replace("ё", "е").split()
    if len(words) < 3:
        return False
    if words[-1] in FEMININE_WORDS:
        return True
    return words[2].endswith(FEMININE_ENDINGS)
