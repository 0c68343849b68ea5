"""Reading a school website's pages for the website checker (``monitoring.checker``).

HTTP with ``httpx``: one client per site, a connect and a read timeout plus an overall deadline
per page, bodies streamed up to a size limit, redirects followed by hand and only within the
same site (with or without www, http or https), a polite User-Agent, robots.txt read with the
standard library's parser. Every problem becomes the page's ``problem`` (and, for a site that
does not answer, its ``failure``), never an exception.

HTML with ``selectolax`` (the Lexbor HTML5 parser, which builds the same tree as a browser from
broken markup): one walk over the tree turns a page into what the checker judges — text blocks
in document order (flagged when they belong to navigation), headings h1–h3 and title-like
elements, the <title> and breadcrumbs, links (a link whose address cannot be read is skipped,
never the page), microdata with values, forms with a text area, script and frame sources.
Charsets: a byte-order mark, the header, a <meta>, then UTF-8, else Windows-1251 or KOI8-R by
letter frequency. No Django import here.
"""

import codecs
import hashlib
import re
import ssl
import time
import urllib.parse
import urllib.robotparser
from dataclasses import dataclass, field
from functools import cache

import httpx
from selectolax.lexbor import LexborHTMLParser

USER_AGENT = (
    "NOKO-portal-site-checker/2.0 (+monitoring of /sveden/ for the independent assessment; "
    "one request at a time)"
)
ROBOTS_AGENT = "NOKO-portal-site-checker"
TIMEOUT = 10.0  # seconds: reading, and the whole page at most 3 x this
CONNECT_TIMEOUT = 5.0
MAX_BYTES = 2 * 1024 * 1024
MAX_REDIRECTS = 5
# The problem of a page that sends the visitor to another site: the content may be there, but
# it is not the school's site and the checker does not read it (issue #20: "unreachable").
OFFSITE_REDIRECT = "перенаправление на другой сайт"
TEXT_KEPT = 20_000  # characters of page text kept as evidence
ROBOTS_BYTES = 256 * 1024
# Per-host politeness: pages of one site are read one after another, over at most this many
# connections (a redirect to the www host opens a second).
CONNECTIONS_PER_SITE = 2

# Sites that answer none of the first requests are given up on (see the checker).
FAILURE_TIMEOUT = "timeout"
FAILURE_REFUSED = "refused"
FAILURE_ERROR = "error"

DOCUMENT_SUFFIXES = (
    ".pdf",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".odt",
    ".ods",
    ".rtf",
    ".zip",
    ".rar",
    ".7z",
    ".jpg",
    ".jpeg",
    ".png",
    ".gif",
    ".ppt",
    ".pptx",
    ".txt",
    ".sig",
    ".mp4",
)


# Where schools keep documents they link to or embed.
DOCUMENT_HOSTS = (
    "docs.google.com",
    "drive.google.com",
    "disk.yandex.ru",
    "yadi.sk",
    "cloud.mail.ru",
)


@dataclass
class Heading:
    level: int  # 1–3 for h1–h3; 4 for a title-like div or span
    text: str
    pos: int  # index of its block
    linked: bool = False  # the heading is a link to another page (a menu tile, not a section)
    nav: bool = False  # inside navigation (a menu item styled as a title)


@dataclass
class Link:
    url: str  # absolute, without the fragment
    text: str  # link text, its title and the alt text of an image inside
    pos: int
    nav: bool = False  # inside navigation (menu, header, footer, sidebar)
    fragment: str = ""


@dataclass
class Prop:
    """One microdata property: ``itemprop`` name and its value as the microdata spec reads it."""

    name: str
    value: str
    start: int  # block range the element spans
    end: int
    scope: bool = False  # an ``itemscope`` element: its value is its children's

    @property
    def key(self):
        """The name as compared: the 2014 rules spelled today's names in UpperCamelCase."""
        return self.name.lower()


@dataclass
class Block:
    text: str
    nav: bool = False  # inside navigation
    heading: bool = False
    link_chars: int = 0  # characters inside links to other HTML pages of the site
    table: int = -1  # index into Page.tables of the table the block belongs to


@dataclass
class Table:
    start: int
    end: int
    has_data: bool  # some row has a value beside its label


@dataclass
class Page:
    url: str
    status: int | None = None
    problem: str = ""
    failure: str = ""  # the site did not answer: timeout | refused | error (see FAILURE_*)
    content_type: str = ""
    text: str = ""
    checked_at: float = 0.0
    sha256: str = ""
    raw_text: str = ""  # a plain-text answer (robots.txt), decoded
    title: str = ""
    breadcrumb: str = ""  # the last step of the breadcrumbs
    blocks: list = field(default_factory=list)
    headings: list = field(default_factory=list)
    links: list = field(default_factory=list)
    props: list = field(default_factory=list)
    tables: list = field(default_factory=list)
    forms_with_textarea: list = field(default_factory=list)  # block positions
    scripts: list = field(default_factory=list)  # script and frame sources, absolute
    inline_scripts: str = ""  # lower-cased, cut: for widgets embedded by inline code
    marks: set = field(default_factory=set)  # class names and ids, lower-cased
    controls: list = field(default_factory=list)  # texts of buttons and labelled controls

    @property
    def ok(self):
        return self.status == 200 and not self.problem


# --- addresses ---------------------------------------------------------------------------


def bare_host(host):
    host = (host or "").lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def site_root(website):
    website = (website or "").strip()
    if not website:
        return ""
    if "://" not in website:
        if re.match(r"^[a-z][a-z0-9+.-]*:(?!\d)", website, re.I):
            return ""  # another scheme (javascript:, mailto:), never a website
        website = "https://" + website
    try:
        parts = urllib.parse.urlsplit(website)
        parts.port  # noqa: B018 — raises on a malformed port
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


def same_site(url, root):
    """Whether ``url`` is on the site at ``root``: the same host with or without www, over
    http or https."""
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bare_host(host) == bare_host(
        urllib.parse.urlsplit(root).hostname
    )


def is_document(url):
    path = url.split("#", 1)[0].split("?", 1)[0].lower()
    return path.endswith(DOCUMENT_SUFFIXES)


def is_document_host(url):
    """A link to a document kept on a file service rather than the site itself."""
    return bare_host(_safe_host(url)).endswith(DOCUMENT_HOSTS)


def page_key(url):
    """The address a page is remembered by: no fragment, the path's trailing slash kept."""
    return urllib.parse.urldefrag(url)[0]


# --- charsets ----------------------------------------------------------------------------

BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
# The most frequent Russian letters, lower case: text decoded with the wrong one of the two
# single-byte Cyrillic charsets is mostly capitals (KOI8-R's small letters are Windows-1251's
# capitals and the other way round).
FREQUENT = set("оеаинтсрвлкмдпу")
SINGLE_BYTE = ("cp1251", "koi8-r")


def _charset(label):
    try:
        return codecs.lookup(label.strip().strip("\"'")).name
    except (LookupError, ValueError):
        return ""


def _russian_score(text):
    letters = [c for c in text[:20_000] if "а" <= c.lower() <= "я" or c in "ёЁ"]
    if not letters:
        return 0.0
    frequent = sum(1 for c in letters if c in FREQUENT)
    return frequent / len(letters)


def _single_byte(body):
    candidates = [body.decode(charset, "replace") for charset in SINGLE_BYTE]
    return max(candidates, key=_russian_score)


def decode(body, content_type=""):
    """Text of an HTML body: a byte-order mark, the charset declared in the header, else in a
    <meta>, else UTF-8, else Windows-1251 or KOI8-R, whichever reads as Russian. A declared
    charset that does not decode (UTF-8 declared, Windows-1251 sent, as old school sites do)
    is passed over; a declared single-byte Cyrillic one is checked against the other."""
    for bom, charset in BOMS:
        if body.startswith(bom):
            return body.decode(charset, "replace")
    declared = []
    header = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type or "", re.I)
    if header:
        declared.append(_charset(header.group(1)))
    meta = META_CHARSET.search(body[:4096])
    if meta:
        declared.append(_charset(meta.group(1).decode("ascii", "replace")))
    for charset in [c for c in declared if c]:
        if charset in SINGLE_BYTE:
            return _single_byte(body)
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return _single_byte(body)


# --- HTML --------------------------------------------------------------------------------


def _tags(text):
    return frozenset(text.split())


BLOCK_TAGS = _tags(
    "address article aside blockquote body br caption dd details dialog div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section "
    "summary table tbody thead tfoot td th tr ul button label center"
)
SKIPPED_TAGS = _tags("script style noscript template svg select option head iframe object textarea")
HEADING_LEVELS = {"h1": 1, "h2": 2, "h3": 3}
NAV_TAGS = frozenset(("nav", "footer", "aside"))
NAV_CLASS = re.compile(
    r"(?:^|[-_])(?:menu|nav|navbar|navigation|footer|sidebar|breadcrumbs?)$", re.I
)
TITLE_CLASS = re.compile(r"title|header|caption|heading|zagolovok", re.I)
BREADCRUMB_CLASS = re.compile(r"breadcrumb|crumbs|navigation-chain|pathway", re.I)
TITLE_LIKE_TAGS = frozenset(("div", "span", "p", "strong", "b", "td"))
URL_VALUE_TAGS = {
    "a": "href",
    "area": "href",
    "link": "href",
    "img": "src",
    "audio": "src",
    "embed": "src",
    "iframe": "src",
    "source": "src",
    "track": "src",
    "video": "src",
    "object": "data",
}
EMPTY_VALUE = re.compile(r"^[\s\-–—_.,:;/\\|*]*$")
MAX_DEPTH = 150
EMBEDS = frozenset(("iframe", "embed", "object"))
# What a link leads to, for telling navigation from content.
LINK_OTHER, LINK_ANCHOR, LINK_PAGE = 0, 1, 2


def _clean(text):
    return " ".join((text or "").split())


def _empty_href(href):
    href = (href or "").strip()
    return not href or href == "#" or href.lower().startswith("javascript:")


def _absolute(base, href, origin=""):
    """The absolute address of a link, or "" when it cannot be read (the link is skipped).
    ``origin`` (scheme and host of ``base``) lets the common root-relative link skip urljoin."""
    href = (href or "").strip()
    if not href or href == "#":
        return ""
    if origin and href[0] == "/" and href[1:2] != "/" and "/." not in href and "\\" not in href:
        return origin + href
    try:
        url = urllib.parse.urljoin(base, href)
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 — raises on a malformed port
    except ValueError:
        return ""
    if parts.scheme in ("http", "https") and not parts.hostname:
        return ""
    return url


def _prop_value(node, tag, attrs, base):
    if "content" in attrs and attrs["content"] is not None:
        return _clean(attrs["content"])
    attribute = URL_VALUE_TAGS.get(tag)
    if attribute and "itemscope" not in attrs:
        raw = attrs.get(attribute)
        if _empty_href(raw):
            # A link to nowhere proves nothing, though its text may name the document.
            return ""
        return _absolute(base, raw) or ""
    if tag == "time" and attrs.get("datetime"):
        return _clean(attrs["datetime"])
    if tag in ("data", "meter") and attrs.get("value"):
        return _clean(attrs["value"])
    text = _clean(node.text(deep=True, separator=" "))
    if not text and "itemscope" in attrs:
        # A main tag whose children carry their values in attributes (links, <meta content>).
        for child in node.css("[href],[src],[content]"):
            child_attrs = child.attributes
            value = child_attrs.get("content") or child_attrs.get("href") or child_attrs.get("src")
            if not _empty_href(value):
                return _clean(value)
    return text


class _Walker:
    """One pass over the parsed tree filling a Page."""

    def __init__(self, page, base):
        self.page = page
        self.base = base
        self.host = bare_host(urllib.parse.urlsplit(base).hostname)
        self.buffer = []
        self.buffer_link_chars = 0
        self.page_link_chars = 0  # running count of letters inside links to other pages
        parts = urllib.parse.urlsplit(base)
        self.origin = (
            f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") else ""
        )

    def flush(self, nav, table, heading=False):
        text = _clean("".join(self.buffer))
        if text:
            self.page.blocks.append(
                Block(
                    text, nav=nav, heading=heading, link_chars=self.buffer_link_chars, table=table
                )
            )
        self.buffer = []
        self.buffer_link_chars = 0

    def walk(self, node, nav=False, link=None, table=-1, depth=0):
        page = self.page
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                text = child.text_content or ""
                self.buffer.append(text)
                if link is not None:
                    link.append(text)
                    if link[0]:
                        letters = len(text) - sum(map(text.count, " \n\t\r\xa0"))
                        self.buffer_link_chars += letters
                        if link[0] == LINK_PAGE:
                            self.page_link_chars += letters
                continue
            if tag.startswith("-") or tag.startswith("_"):
                continue  # comments, doctype
            attrs = child.attributes
            if tag == "textarea":
                page.forms_with_textarea.append(len(page.blocks))
                continue
            if tag in EMBEDS:
                # A document shown in the page (a PDF viewer) is content, as a link to it is.
                source = _absolute(self.base, attrs.get("src") or attrs.get("data") or "")
                if source and (is_document(source) or is_document_host(source)):
                    title = attrs.get("title") or ""
                    page.links.append(Link(source.partition("#")[0], title, len(page.blocks)))
                continue
            if tag in SKIPPED_TAGS or depth > MAX_DEPTH:
                continue
            classes = (attrs.get("class") or "").lower()
            ident = (attrs.get("id") or "").lower()
            marks = classes.split()
            if ident:
                marks.append(ident)
            page.marks.update(marks)
            child_nav = (
                nav
                or tag in NAV_TAGS
                or (attrs.get("role") or "").lower() == "navigation"
                or any(NAV_CLASS.search(mark) for mark in marks)
            )
            block = tag in BLOCK_TAGS
            if block:
                self.flush(nav, table)
            names = (attrs.get("itemprop") or "").split()
            start = len(page.blocks)

            if tag in HEADING_LEVELS or (tag in TITLE_LIKE_TAGS and TITLE_CLASS.search(classes)):
                self.heading(child, tag, child_nav, table, link)
            elif tag == "a":
                self.link(child, attrs, nav or child_nav, table, depth)
            elif tag == "table":
                index = len(page.tables)
                page.tables.append(Table(start, start, _table_has_data(child)))
                self.walk(child, child_nav, link, index, depth + 1)
                self.flush(child_nav, index)
                page.tables[index].end = len(page.blocks)
            else:
                if tag == "button" or attrs.get("role") == "button":
                    label = " ".join(
                        filter(None, [attrs.get("title"), attrs.get("aria-label"), child.text()])
                    )
                    page.controls.append(_clean(label))
                elif tag == "img" and attrs.get("alt") and link is not None:
                    link.append(" " + attrs["alt"])
                    self.buffer.append(" " + attrs["alt"] + " ")
                if not page.breadcrumb and (
                    BREADCRUMB_CLASS.search(classes)
                    or BREADCRUMB_CLASS.search(ident)
                    or "breadcrumb" in (attrs.get("aria-label") or "").lower()
                    or "breadcrumblist" in (attrs.get("itemtype") or "").lower()
                ):
                    page.breadcrumb = _last_crumb(child)
                self.walk(child, child_nav, link, table, depth + 1)
            if block:
                self.flush(child_nav, table)
            for name in names:
                value = _prop_value(child, tag, attrs, self.base)
                if EMPTY_VALUE.match(value):
                    value = ""
                page.props.append(
                    Prop(name, value[:1000], start, len(page.blocks), scope="itemscope" in attrs)
                )

    def heading(self, node, tag, nav, table, link):
        page = self.page
        self.flush(nav, table)
        pos = len(page.blocks)
        linked_before = self.page_link_chars
        self.walk(node, nav, link, table, 1)
        self.flush(nav, table)
        blocks = page.blocks[pos:]
        text = " ".join(block.text for block in blocks)
        if not text or len(text) > 200 or len(blocks) > 3:
            return  # a "header" container holding a whole site header is no heading
        for block in blocks:
            block.heading = True
        letters = len(text) - text.count(" ")
        # A heading that is all link to another page is a menu tile, not a section.
        linked = (link is not None and link[0] == LINK_PAGE) or (
            self.page_link_chars - linked_before >= letters * 0.9
        )
        level = HEADING_LEVELS.get(tag, 4)
        page.headings.append(Heading(level, text, pos, linked, nav))

    def link(self, node, attrs, nav, table, depth):
        page = self.page
        href = (attrs.get("href") or "").strip()
        url = _absolute(self.base, href, self.origin) if href else ""
        kind = LINK_OTHER
        if url and not is_document(url):
            if href.startswith("#"):
                kind = LINK_ANCHOR
            elif (href.startswith("/") and not href.startswith("//")) or bare_host(
                _safe_host(url)
            ) == self.host:
                kind = LINK_PAGE
        parts = [kind]
        pos = len(page.blocks)
        self.walk(node, nav, parts, table, depth + 1)
        if not url:
            return
        text = _clean("".join(parts[1:]))
        extra = " ".join(filter(None, [attrs.get("title"), attrs.get("aria-label")]))
        if extra:
            text = _clean(f"{text} {extra}")
        address, _, fragment = url.partition("#")
        page.links.append(Link(address, text, pos, nav=nav, fragment=fragment))


def _safe_host(url):
    try:
        return urllib.parse.urlsplit(url).hostname
    except ValueError:
        return None


def _last_crumb(node):
    pieces = [_clean(piece) for piece in node.text(deep=True, separator="\n").split("\n")]
    pieces = [p for p in pieces if p and not re.fullmatch(r"[/\\>»→|·•\-–—:]+", p)]
    return pieces[-1] if pieces else ""


def _table_has_data(node):
    """Whether a table holds figures or values: some row below the header has a filled cell
    beside its first (label) cell. A template table of labels with empty cells has none."""
    rows = node.css("tr")
    if not rows:
        return False
    body = rows[1:] if len(rows) > 1 else rows
    for row in body:
        cells = row.css("td, th")
        if len(rows) == 1 and all(cell.tag == "th" for cell in cells):
            return False
        filled = [
            index
            for index, cell in enumerate(cells)
            if not EMPTY_VALUE.match(cell.text(deep=True, separator=" ") or "")
        ]
        if filled and (len(cells) == 1 or max(filled) > 0):
            return True
    return False


def parse_html(page, html):
    """Fill ``page`` from its HTML text."""
    tree = LexborHTMLParser(html)
    title = tree.css_first("title")
    page.title = _clean(title.text(deep=True)) if title else ""
    root = tree.body or tree.root
    walker = _Walker(page, page.url)
    if root is not None:
        base = tree.css_first("base[href]")
        if base is not None:
            walker.base = _absolute(page.url, base.attributes.get("href")) or page.url
            parts = urllib.parse.urlsplit(walker.base)
            walker.origin = f"{parts.scheme}://{parts.netloc}"
        walker.walk(root)
        walker.flush(False, -1)
    inline = []
    # Scripts and frames anywhere, the <head> included: widgets are loaded from there.
    for node in tree.css("script, iframe"):
        attrs = node.attributes
        source = attrs.get("src") or attrs.get("data-src")
        if source:
            source = _absolute(walker.base, source)
            if source:
                page.scripts.append(source)
        elif node.tag == "script" and len(inline) < 50:
            inline.append((node.text(deep=True) or "")[:20_000].lower())
    page.inline_scripts = " ".join(inline)[:200_000]
    page.text = " ".join(block.text for block in page.blocks)[:TEXT_KEPT]


# --- HTTP --------------------------------------------------------------------------------


@cache
def _tls_context(verified=True):
    """One TLS context for every client (building one reads the CA store: costly per site).
    The unverified one is for sites whose certificate the system does not know (many Russian
    public-sector sites use the national CA): the checker only reads public pages there."""
    context = ssl.create_default_context()
    if not verified:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def new_client(timeout=TIMEOUT, *, verified=True):
    """An HTTP client for one site: few connections, every wait bounded."""
    return httpx.Client(
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
            "Accept-Language": "ru,en;q=0.5",
        },
        timeout=httpx.Timeout(timeout, connect=min(timeout, CONNECT_TIMEOUT)),
        limits=httpx.Limits(
            max_connections=CONNECTIONS_PER_SITE, max_keepalive_connections=CONNECTIONS_PER_SITE
        ),
        follow_redirects=False,
        verify=_tls_context(verified),
    )


class _Fault(Exception):
    def __init__(self, problem, failure=""):
        super().__init__(problem)
        self.problem = problem
        self.failure = failure


def fetch(url, *, client=None, timeout=TIMEOUT, max_bytes=MAX_BYTES, site=None):
    """One page, never raising: problems are reported on the page. ``site`` (the root) limits
    redirects to that site; by default the site of ``url``."""
    page = Page(url=url, checked_at=time.time())
    own = client is None
    client = client or new_client(timeout)
    try:
        _read(page, client, site or url, timeout, max_bytes)
    except _Fault as fault:
        page.problem = page.problem or fault.problem
        page.failure = fault.failure
    except Exception as error:  # one odd site must never stop a round
        page.problem = f"не удалось прочитать страницу: {type(error).__name__}"
    finally:
        if own:
            client.close()
    return page


def _read(page, client, site, timeout, max_bytes):
    deadline = time.monotonic() + timeout * 3
    seen = {page_key(page.url)}
    url = page.url
    for _ in range(MAX_REDIRECTS + 1):
        body = _get(page, client, url, timeout, max_bytes, deadline)
        if body is not None:
            break
        target = page.url
        if not same_site(target, site):
            raise _Fault(f"{OFFSITE_REDIRECT}: {target[:200]}")
        if page_key(target) in seen:
            raise _Fault("перенаправление по кругу")
        seen.add(page_key(target))
        url = target
    else:
        raise _Fault("слишком много перенаправлений")

    page.sha256 = hashlib.sha256(body).hexdigest()
    content_type = page.content_type.lower()
    if page.status != 200:
        page.problem = f"ошибка HTTP {page.status}"
        return
    if content_type.startswith("text/plain"):
        page.raw_text = decode(body, page.content_type)
        page.problem = "не HTML-страница (text/plain)"
        return
    if "html" not in content_type and not (
        not content_type and re.match(rb"\s*<(!doctype html|html)", body[:200], re.I)
    ):
        page.problem = f"не HTML-страница ({page.content_type.split(';')[0] or 'тип не указан'})"
        return
    try:
        parse_html(page, decode(body, page.content_type))
    except Exception:
        page.problem = "страница не разбирается как HTML"


def _get(page, client, url, timeout, max_bytes, deadline):
    """The body of ``url``, or None after a redirect (``page.url`` then holds its target)."""
    too_big = f"страница больше {max_bytes // (1024 * 1024)} МБ"
    try:
        with client.stream("GET", url) as response:
            page.status = response.status_code
            page.content_type = response.headers.get("Content-Type", "")
            if response.is_redirect and response.headers.get("Location"):
                target = _absolute(url, response.headers["Location"])
                if not target:
                    raise _Fault("перенаправление по неверному адресу")
                page.url = target
                return None
            page.url = str(response.url)
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise _Fault(too_big)
            chunks, size = [], 0
            for chunk in response.iter_bytes(64 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    raise _Fault(too_big)
                if time.monotonic() > deadline:
                    raise _Fault("сайт отвечает слишком медленно", FAILURE_TIMEOUT)
                chunks.append(chunk)
            return b"".join(chunks)
    except _Fault:
        raise
    except httpx.TimeoutException as error:
        raise _Fault("сайт не ответил вовремя", FAILURE_TIMEOUT) from error
    except httpx.ConnectError as error:
        reason = str(error) or type(error).__name__
        if "CERTIFICATE_VERIFY_FAILED" in reason:
            raise _Fault("сертификат сайта не прошёл проверку", "certificate") from error
        if "refused" in reason.lower():
            raise _Fault("сайт недоступен: соединение отклонено", FAILURE_REFUSED) from error
        raise _Fault(f"сайт недоступен: {reason[:200]}", FAILURE_ERROR) from error
    except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as error:
        raise _Fault(
            f"сайт недоступен: оборвано соединение ({type(error).__name__})", FAILURE_ERROR
        ) from error
    except (httpx.InvalidURL, httpx.UnsupportedProtocol, httpx.LocalProtocolError) as error:
        raise _Fault(f"неверный адрес страницы: {str(error)[:200]}") from error
    except httpx.HTTPError as error:
        raise _Fault(f"сайт недоступен: {type(error).__name__}", FAILURE_ERROR) from error


class SiteReader:
    """Pages of one site through one client; a certificate the system does not know switches
    the site to an unverified client (the content is public, nothing is sent)."""

    def __init__(self, root, *, timeout=TIMEOUT, client=None):
        self.root = root
        self.timeout = timeout
        self.client = client or new_client(timeout)
        self.own = client is None
        self.unverified = None

    def __call__(self, url):
        page = fetch(
            url, client=self.unverified or self.client, timeout=self.timeout, site=self.root
        )
        if page.failure == "certificate" and self.unverified is None:
            self.unverified = new_client(self.timeout, verified=False)
            page = fetch(url, client=self.unverified, timeout=self.timeout, site=self.root)
        return page

    def close(self):
        if self.own:
            self.client.close()
        if self.unverified is not None:
            self.unverified.close()


def robots_rules(page):
    """A robots.txt parser for the site from its fetched robots.txt page, or None (no rules:
    everything may be read). A site that forbids reading robots.txt itself forbids all."""
    if page is None or page.failure:
        return None
    rules = urllib.robotparser.RobotFileParser()
    if page.status in (401, 403):
        rules.disallow_all = True
        return rules
    if page.status != 200 or not page.raw_text:
        return None
    rules.parse(page.raw_text[:ROBOTS_BYTES].splitlines())
    return rules
