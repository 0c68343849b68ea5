"""Russian text as every search engine of the portal sees it: one normal form for the indexed
text and for the query, so SQLite, PostgreSQL and OpenSearch match the same way.

A visitor types «лицея», «сады», «Приозерском районе», «Приозерск» for «Приозёрск», «школа №5»
or «СОШ 12»; a name reads «Муниципальное бюджетное общеобразовательное учреждение «Средняя
общеобразовательная школа № 12»». Both sides are reduced here to lower-case lemmas with ё folded
into е, «№5»/«N 5» to the number «5», stop words dropped, and the usual abbreviations of
education written both ways (the index holds «мбоу» and «сош» beside the words they stand for),
so a plain AND of words answers on every backend. The engines' own Russian analysers (PostgreSQL
``russian``, OpenSearch ``russian``) then stem lemmas on both sides alike, which changes nothing.

Pure: no Django, no project imports. Lemmas come from pymorphy3 (a dictionary-based
morphological analyser: «сады» → «сад», «гимназии» → «гимназия», which stemming alone would
leave as «сад»/«гимназ» and never join with «лицея» → «лицей» on SQLite) and are remembered per
word, since names repeat the same few hundred words (bench/README.md, "Search").
"""

import re
from functools import cache, lru_cache

import pymorphy3

# Letters and digits apart («№5а» → «5», «а»; «сош12» → «сош», «12»), never the underscore.
TOKEN = re.compile(r"\d+|[^\W\d_]+")
# The number sign in its spellings: «№ 5», «№5», «N5», «N 5», «No 5» (Latin N only: a Cyrillic
# «н» before a number is a word more often than a sign).
NUMBER_SIGN = re.compile(r"№|\bno?\s*(?=\d)", re.IGNORECASE)

# Words no engine should need: prepositions, conjunctions, particles and pronouns, as in the
# Snowball Russian stop list that PostgreSQL and OpenSearch drop on their own. Dropped here on
# both sides, so SQLite (which has no stop list) asks for the same words as they do.
_STOP_WORDS = """
    а без более бы был была были было быть в вам вас весь во вот все всего всех вы где да даже
    для до его ее ей ему если есть еще же за здесь и из или им их к как ко когда кто ли либо мне
    может мы на надо наш не него нее нет ни них но ну о об однако он она они оно от очень по под
    при с со так также такой там те тем то того тоже той только том ты у уже хотя чего чей чем
    что чтобы чье чья эта эти это я
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())

# Abbreviations of education and what they stand for. The index holds both (an abbreviation
# in a name adds its words, the words of a full name add the abbreviation), so «СОШ 12» finds
# «Средняя общеобразовательная школа № 12» and «средняя школа» finds «МБОУ СОШ № 12».
ABBREVIATIONS = {
    "сош": "средняя общеобразовательная школа",
    "оош": "основная общеобразовательная школа",
    "нош": "начальная общеобразовательная школа",
    "цо": "центр образования",
    "доу": "дошкольное образовательное учреждение",
    "доо": "дошкольная образовательная организация",
    "цдо": "центр дополнительного образования",
    "удо": "учреждение дополнительного образования",
    "ддт": "дом детского творчества",
    "цдт": "центр детского творчества",
    "дши": "детская школа искусств",
    "дюсш": "детско юношеская спортивная школа",
    "црр": "центр развития ребенка",
    "поу": "профессиональное образовательное учреждение",
    "мбоу": "муниципальное бюджетное общеобразовательное учреждение",
    "маоу": "муниципальное автономное общеобразовательное учреждение",
    "мкоу": "муниципальное казенное общеобразовательное учреждение",
    "гбоу": "государственное бюджетное общеобразовательное учреждение",
    "гаоу": "государственное автономное общеобразовательное учреждение",
    "мбдоу": "муниципальное бюджетное дошкольное образовательное учреждение",
    "мадоу": "муниципальное автономное дошкольное образовательное учреждение",
    "мкдоу": "муниципальное казенное дошкольное образовательное учреждение",
    "гбдоу": "государственное бюджетное дошкольное образовательное учреждение",
    "мбу": "муниципальное бюджетное учреждение",
    "мау": "муниципальное автономное учреждение",
    "мку": "муниципальное казенное учреждение",
    "мбудо": "муниципальное бюджетное учреждение дополнительного образования",
    "маудо": "муниципальное автономное учреждение дополнительного образования",
    "мкудо": "муниципальное казенное учреждение дополнительного образования",
    "гбпоу": "государственное бюджетное профессиональное образовательное учреждение",
    "гапоу": "государственное автономное профессиональное образовательное учреждение",
    "гпоу": "государственное профессиональное образовательное учреждение",
}


@cache
def _analyser():
    # Loaded on first use (0.2 s, ~15 MB), not at import: most processes never search.
    return pymorphy3.MorphAnalyzer()


def fold(text):
    """Lower case, ё as е, the number sign dropped: what both sides are compared in."""
    return NUMBER_SIGN.sub(" ", (text or "").lower().replace("ё", "е"))


def tokens(text):
    """The folded words and numbers of ``text``, stop words included."""
    return TOKEN.findall(fold(text))


@lru_cache(maxsize=100_000)
def lemma(word):
    """The dictionary form of a folded word («лицея» → «лицей», «приозерском» →
    «приозерский»); numbers and abbreviations stay as they are."""
    if word.isdigit() or word in ABBREVIATIONS:
        return word
    return _analyser().parse(word)[0].normal_form.replace("ё", "е")


def is_stop_word(word):
    return word in STOP_WORDS or (not word.isdigit() and lemma(word) in STOP_WORDS)


def words(text):
    """[(typed word, lemma)] of ``text`` without stop words: a query as the engines get it."""
    pairs = []
    for word in tokens(text):
        if word == "до" and pairs and pairs[-1][1] in ABBREVIATIONS:
            # «МБУ ДО», «МАОУ ДО»: «до» after an abbreviation is «дополнительного образования»,
            # not the preposition every engine drops.
            pairs.extend([(word, "дополнительный"), (word, "образование")])
        elif not is_stop_word(word):
            pairs.append((word, lemma(word)))
    return pairs


def _lemmas(phrase):
    return tuple(lemma(word) for word in tokens(phrase) if not is_stop_word(word))


@cache
def _expansions():
    """{abbreviation: its words as lemmas}, computed once."""
    return {short: _lemmas(full) for short, full in ABBREVIATIONS.items()}


@cache
def _abbreviations_by_first_word():
    """{first lemma: [(abbreviation, its words as lemmas)]}: a name is scanned once."""
    found = {}
    for short, phrase in _expansions().items():
        found.setdefault(phrase[0], []).append((short, phrase))
    return found


def _with_abbreviations(lemmas):
    """``lemmas`` with every abbreviation's words after it, then every abbreviation whose
    words occur in a row («мбдоу» also names a «доу»)."""
    expansions = _expansions()
    expanded = []
    for item in lemmas:
        expanded.append(item)
        expanded.extend(expansions.get(item, ()))
    starting = _abbreviations_by_first_word()
    found = []
    for position, item in enumerate(expanded):
        for short, phrase in starting.get(item, ()):
            if tuple(expanded[position : position + len(phrase)]) == phrase:
                found.append(short)
    return expanded + found


def index_text(*texts):
    """The normal form of ``texts`` for an index: lemmas, each once, with abbreviations
    written both ways."""
    lemmas = []
    for text in texts:
        if text:
            lemmas.extend(item for _word, item in words(text))
    return " ".join(dict.fromkeys(_with_abbreviations(lemmas)))


def vocabulary_pairs(text):
    """[(folded word as written, lemma)] of ``text``, abbreviations both ways: what a query's
    typo or unfinished last word can be matched against."""
    pairs = words(text)
    known = {item for _word, item in pairs}
    added = _with_abbreviations([item for _word, item in pairs])
    return pairs + [(item, item) for item in dict.fromkeys(added) if item not in known]
