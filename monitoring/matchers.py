"""What the website checker recognises in text and links: telephone numbers in the formats
Russian sites write them, e-mail addresses, bus.gov.ru links, the wordings of appeals, FAQ,
feedback, contacts and NOKO pages, the version for the visually impaired, placeholders, and
headings matched loosely (case, ё, punctuation, numbering).

Pure functions of strings, no Django and no network; ``monitoring.checker`` applies them to
the pages ``monitoring.crawler`` reads.
"""

import re
import urllib.parse
from functools import lru_cache

# --- loose text ----------------------------------------------------------------------------

_NOT_WORD = re.compile(r"[\W_]+")


def words(text):
    """A set of the space-separated words of ``text`` (for word lists kept readable)."""
    return frozenset(text.split())


@lru_cache(maxsize=16384)  # menus and footers repeat on every page of a site
def normalize(text):
    """Lower case, ё as е, punctuation and quotes as single spaces."""
    return _NOT_WORD.sub(" ", (text or "").casefold().replace("ё", "е")).strip()


_NUMBERING = re.compile(r"^(?:\d+ )+|^(?:под)?раздел ")
_HUB_PREFIX = re.compile(
    r"^сведения об (?:образовательной )?(?:организации|учреждении|оо)(?: |$)|^главная(?: |$)"
)


@lru_cache(maxsize=16384)
def heading_core(text):
    """The part of a heading that names the thing: without numbering («2.1.»), the word
    «подраздел», the «Сведения об образовательной организации» prefix or «Главная»."""
    core = normalize(text)
    for _ in range(3):
        stripped = _HUB_PREFIX.sub("", _NUMBERING.sub("", core)).strip()
        if stripped == core:
            break
        core = stripped
    return core


def core_score(core, titles):
    """How well a heading or link text, reduced by ``heading_core``, names one of ``titles``
    (already normalised): 3 the same words, 2 the title plus at most three words before or
    after (a one-word title must stand alone), 0 no match. Returns (score, the matched title)."""
    if not core:
        return 0, ""
    best = (0, "")
    for title in titles:
        if not title:
            continue
        if core == title:
            return 3, title
        if " " not in title:
            continue
        if f" {title} " in f" {core} " and len(core.split()) - len(title.split()) <= 3:
            best = max(best, (2, title), key=lambda pair: (pair[0], len(pair[1])))
    return best


def title_parts(title):
    """The pieces of a <title> («Документы — МБОУ СОШ № 5 | г. Энск»)."""
    return [p for p in re.split(r"\s+[|—–\-:/»]+\s+|\s*::\s*|\s*\|\s*", title or "") if p.strip()]


# --- telephones ----------------------------------------------------------------------------

_DASH = r"[\s\-‐‑‒–—]"
# +7 or 8, an area code of 3 to 5 digits (maybe in brackets), then the number in groups.
_FULL = re.compile(
    rf"(?<![\d+])(?:\+\s?7|8)(?:{_DASH}*\(\s*\d{{3,5}}\s*\)|{_DASH}*\d{{3,5}})"
    rf"(?:{_DASH}*\d{{1,4}}){{1,4}}"
)
# An area code in brackets without the trunk prefix: «(4236) 62-40-68».
_BRACKETS = re.compile(rf"(?<![\d)])\(\s*\d{{3,5}}\s*\)(?:{_DASH}*\d{{1,4}}){{1,4}}")
# A local number right after a «тел.» label: «тел.: 62-40-68».
_LABEL = re.compile(
    r"(?<![а-яёa-z])(?:тел|телефон\w*|т|факс|phone|tel)\b\.?(?:[^\d\n:]{0,25}:)?\s*$", re.I
)
_LOCAL = re.compile(
    rf"(?<![\d\w])\d{{1,3}}(?:{_DASH}\d{{2,3}}){{1,3}}(?![\d\w])|(?<![\d\w])\d{{5,7}}(?![\d\w])"
)
# Long numbers that are never telephones, named so by a label nearby.
_NOT_PHONE_LABEL = re.compile(
    r"(?:инн|кпп|огрн|огрнип|окпо|октмо|окато|оквэд|бик|р\s*/\s*с|к\s*/\s*с|л\s*/\s*с|счет|счёт|"
    r"снилс|лиценз|приказ|постановлен)\W{0,6}$",
    re.I,
)


def _trimmed(match_text, start, text, digits_wanted):
    """The leading groups of a candidate holding exactly ``digits_wanted`` digits, ending
    where no digit follows; (number, end) or None."""
    groups = list(re.finditer(r"\d+", match_text))
    total = 0
    for group in groups:
        total += len(group.group())
        if total == digits_wanted:
            end = start + group.end()
            following = text[end : end + 2]
            if following[:1].isdigit() or re.match(r"[-‐‑‒–—]\d", following):
                return None
            return match_text[: group.end()], end
        if total > digits_wanted:
            return None
    return None


def find_phones(text):
    """Telephone numbers written in ``text``: full numbers (+7 or 8 and an area code), numbers
    with the area code in brackets, local numbers after a «тел.» label. Accounts, ИНН, ОГРН,
    dates and years are not numbers anyone dials."""
    found = []
    taken = []

    def free(start, end):
        return all(end <= s or start >= e for s, e in taken)

    for pattern, wanted in ((_FULL, 11), (_BRACKETS, 10)):
        for match in pattern.finditer(text):
            before = text[max(0, match.start() - 20) : match.start()]
            if _NOT_PHONE_LABEL.search(before):
                continue
            trimmed = _trimmed(match.group(), match.start(), text, wanted)
            if trimmed is None:
                continue
            number, end = trimmed
            if len(re.findall(r"\d+", number)) == 1 and not (
                number.startswith("+") or _LABEL.search(before)
            ):
                continue  # eleven digits in a row: a phone only with «+7» or a label
            if free(match.start(), end):
                taken.append((match.start(), end))
                found.append((match.start(), number.strip()))
    for match in _LOCAL.finditer(text):
        before = text[max(0, match.start() - 30) : match.start()]
        digits = sum(c.isdigit() for c in match.group())
        if 5 <= digits <= 7 and _LABEL.search(before) and free(match.start(), match.end()):
            taken.append((match.start(), match.end()))
            found.append((match.start(), match.group()))
    return [number for _, number in sorted(found)]


def is_tel_link(url):
    return (url or "").strip().lower().startswith("tel:") and sum(c.isdigit() for c in url) >= 5


# --- e-mail --------------------------------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@(?:[\w-]+\.)+(?:[a-z]{2,24}|рф)(?![\w-])", re.I)
_FILE_TLDS = {"png", "jpg", "jpeg", "gif", "svg", "webp", "css", "js"}


def find_emails(text):
    return [
        match.group()
        for match in _EMAIL.finditer(text or "")
        if match.group().rsplit(".", 1)[-1].lower() not in _FILE_TLDS
    ]


def is_mailto_link(url):
    url = (url or "").strip()
    return url.lower().startswith("mailto:") and "@" in url


# --- bus.gov.ru ----------------------------------------------------------------------------

_BUS_CARD = re.compile(r"^/(?:pub/)?(?:info-card|agency|qrcode/rate)/\d+", re.I)


def _host(url):
    try:
        parts = urllib.parse.urlsplit((url or "").strip())
        return parts.scheme.lower(), (parts.hostname or "").rstrip("."), parts.path
    except ValueError:
        return "", "", ""


def is_bus_gov(url):
    """A link to bus.gov.ru itself or one of its subdomains — not notbus.gov.ru, not
    bus.gov.ru.example.com, not bus.gov.ru@example.com (the host there is example.com)."""
    scheme, host, _ = _host(url)
    return scheme in ("http", "https") and (host == "bus.gov.ru" or host.endswith(".bus.gov.ru"))


def is_bus_gov_card(url):
    """A link to an organisation's own card on bus.gov.ru (where its rating is left)."""
    return is_bus_gov(url) and bool(_BUS_CARD.match(_host(url)[2]))


def is_gosuslugi_widget(url):
    """The Госуслуги appeals widget (ПОС) is loaded from pos.gosuslugi.ru."""
    scheme, host, _ = _host(url)
    return scheme in ("http", "https", "") and host == "pos.gosuslugi.ru"


# --- wordings ------------------------------------------------------------------------------

HUB_WORDS = (
    "сведения об образовательной организации",
    "сведения об образовательном учреждении",
    "сведения об организации",
    "сведения об учреждении",
    "сведения об оо",
)
APPEALS_WORDS = (
    "обращения граждан",
    "обращение граждан",
    "обращения граждан и организаций",
    "интернет приемная",
    "электронная приемная",
    "виртуальная приемная",
    "онлайн приемная",
    "общественная приемная",
    "написать директору",
    "обращение к директору",
    "обратиться к директору",
    "вопрос директору",
    "письмо директору",
    "прием обращений",
    "обращения",
    "приемная",
)
FAQ_WORDS = (
    "часто задаваемые вопросы",
    "вопрос ответ",
    "вопросы и ответы",
    "ответы на вопросы",
    "ответы на часто задаваемые вопросы",
    "faq",
    "чаво",
)
FEEDBACK_WORDS = (
    "обратная связь",
    "обратной связи",
    "задать вопрос",
    "написать обращение",
    "отправить обращение",
    "подать обращение",
    "форма обращения",
    "электронное обращение",
    "написать нам",
    "напишите нам",
)
CONTACTS_WORDS = (
    "контакты",
    "контактная информация",
    "наши контакты",
    "контакты и реквизиты",
    "как нас найти",
    "как с нами связаться",
)
CONTACTS_SLUGS = ("contacts", "contact", "kontakty", "kontakti", "kontakt", "контакты")
NOKO_WORDS = (
    "независимая оценка качества",
    "независимая оценка качества условий",
    "независимая оценка качества образования",
    "независимая оценка",
    "нок",
    "ноко",
    "нок уоод",
    "нокуод",
    "нок оо",
)
NOKO_SLUGS = ("noko", "nok", "nezavisimaya-ocenka", "nezavisimaya-otsenka", "nok-uood", "nokuod")
VISUALLY_IMPAIRED_WORDS = re.compile(
    r"слабовидящ|для незрячих|нарушени\w* зрения|ограниченными возможностями зрения|"
    r"специальная версия|версия для инвалидов по зрению|людей с плохим зрением"
)
VISUALLY_IMPAIRED_MARKS = re.compile(
    r"(?:^|[-_])(?:bvi|special|specialversion|uhpv|spec|vi|eye|blind|visually|impaired|"
    r"lowvision|low-vision)(?:[-_]|$)|bvi|uhpv|special-version|specialversion|visually-impaired|"
    r"version-for-blind|for-visually"
)
VISUALLY_IMPAIRED_SCRIPTS = re.compile(
    r"bvi|special\.(?:min\.)?js|uhpv|lidrekon|finevision|special-version|visually|"
    r"ability-version|vision"
)
# Words of pages that wait for their content (the Russian ones normalised).
PLACEHOLDER_PHRASES = re.compile(
    r"в разработке|в стадии (?:разработки|наполнения|заполнения|формирования)|"
    r"наполняется|заполняется|в процессе (?:наполнения|заполнения|разработки)|"
    r"будет размещена? (?:позже|позднее|в ближайшее время)|информация будет размещена|"
    r"информация появится|скоро (?:здесь )?появится|страница (?:находится )?на реконструкции|"
    r"under construction|coming soon|lorem ipsum|раздел пуст|страница пуста|"
    r"информация обновляется|материалы готовятся|в стадии обновления"
)
# The way an order words a requirement (1493: «Подраздел … должен содержать информацию»; 2014
# and 2020–21 sets: «Главная страница подраздела … должна содержать информацию о …»), applied
# to normalised text: a page that says this is quoting the norm, whichever edition.
REQUIREMENT_WORDING = re.compile(
    r"(?:подраздел\w*|страниц\w+)\b.{0,300}?\bдолж(?:ен|на|но|ны) (?:содержать|быть размещ)"
)
# Statements that something does not exist: a valid answer the recommendations ask for
# («отсутствует», «нет»), not an empty page.
ABSENCE_STATEMENT = re.compile(
    r"(?:^| )(?:отсутству\w*|нет|не (?:заключ|предусм|оказыв|осуществл|имеет|имеются|"
    r"предоставл|реализу|провод|ведет|располага|использу|требуется|установлен|был|выделя|"
    r"назнача|выплачива|обучаются|проживают)\w*)(?: |$)"
)


def has_words(text, words, *, loose_single=False):
    """Whether normalised ``text`` holds one of ``words`` as whole words. A one-word entry
    («обращения», «faq») must be the whole text unless ``loose_single``: «порядок обращения с
    персональными данными» is no appeals section."""
    padded = f" {text} "
    return any(
        f" {word} " in padded if (" " in word or loose_single) else text == word for word in words
    )


def slug_of(url):
    """The last meaningful path segment of a URL, lower case, without an extension or index
    file, «_» as «-»: /sveden/Paid_Edu/index.php → «paid-edu»."""
    try:
        path = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
    except ValueError:
        return ""
    segments = [s for s in path.lower().split("/") if s]
    if segments and re.fullmatch(r"index\.\w+|default\.\w+", segments[-1]):
        segments.pop()
    if not segments:
        return ""
    return re.sub(r"\.(?:html?|php\d?|aspx?|jsp|shtml)$", "", segments[-1]).replace("_", "-")
