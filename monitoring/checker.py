"""The automatic website checker: reads a school's site the way an inspector does and says,
per checklist item, what it found, where, how it found it and why it judged so.

A visit starts at the home page and /sveden/, follows the «Сведения об образовательной
организации» menu and same-site links whose text or address names a subsection, tries the
standard address and its usual variants, and recognises several subsections on one page by
their headings and microdata; it is bounded (``MAX_PAGES``, ``MAX_DEPTH``, ``SITE_DEADLINE``)
and reads robots.txt for everything but the addresses the norm itself prescribes. A site
that does not answer its first requests is given up on with one finding per item.

Each subsection is then judged against the norm (``monitoring.norm``): present when its
microdata carries values (or, with none, its heading has content of its own), outdated when
only the old names prove it, placeholder when the page only repeats the requirement, waits
for content or has tables without figures. Contacts are looked for on the home page, the
contacts page, /sveden/common and the NOKO page. Fetching and parsing live in
``monitoring.crawler``, the text matchers in ``monitoring.matchers``. No Django import here:
``monitoring.site_checks`` stores the findings.
"""

import logging
import re
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field

from . import matchers
from .crawler import (  # noqa: F401 — the checker's public names, re-exported
    MAX_BYTES,
    OFFSITE_REDIRECT,
    ROBOTS_AGENT,
    TIMEOUT,
    USER_AGENT,
    Page,
    SiteReader,
    bare_host,
    decode,
    fetch,
    is_document,
    is_document_host,
    new_client,
    page_key,
    robots_rules,
    same_site,
    site_root,
)
from .matchers import normalize, words
from .norm import ItemSpec  # noqa: F401 — the checker's input type lives with the norm

logger = logging.getLogger(__name__)

MAX_PAGES = 40  # pages read per site, robots.txt not counted
MAX_DEPTH = 3  # links followed from the home page
SITE_DEADLINE = 180.0  # seconds for one whole site
FAILURES_TO_GIVE_UP = 2  # requests in a row the site did not answer
LINKS_PER_ITEM = 3
CONTACT_RESERVE = 6  # pages kept for the contacts, NOKO, appeals and FAQ pages
PROBES_WITHOUT_LUCK = 6  # variant addresses tried before a site is taken not to use them
EXCERPT = 300
MIN_OWN_WORDS = 3  # words of its own a subsection page needs beyond the requirement's wording
DOCUMENT_WORDS = 3  # a linked document counts as this many words of its own
ROBOTS_DELAY_CAP = 1.0  # seconds: a Crawl-delay is honoured up to this

SUBSECTION_CHECKS = ("sveden", "itemprop")
CONTACT_PAGE_KINDS = ("home", "contacts", "common", "noko")
GENERIC_WORDS = words(
    "подраздел раздел информация информацию сведения сведений страница страницы официальный "
    "сайт сайта образовательной образовательная организации организация организацией "
    "учреждения учреждение школы школа мбоу маоу мкоу гбоу моу далее том числе при наличии "
    "также виде форме электронного документа документа копии копия"
)


@dataclass
class Finding:
    present: bool
    url: str
    status: int | None
    checked_at: float
    sha256: str
    text: str
    problem: str = ""
    # What an editor reads to trust the answer (issue #20):
    verdict: str = ""  # present | outdated | placeholder | absent | unreachable
    how_found: str = ""  # standard | variant | link | same_page (subsections); page kind (contacts)
    matched: str = ""  # the itemprop(s) or heading that proved it
    excerpt: str = ""  # a short excerpt around the match
    items: dict = field(default_factory=dict)  # itemprop -> present | outdated | empty | missing


PRESENT_VERDICTS = ("present", "outdated")


def check_site(website, items, *, fetch_page=None, client=None, timeout=TIMEOUT):
    """Findings for ``items`` (``ItemSpec``s) on ``website``: {item key: Finding}; items
    without an automatic check are left out. Pages are read once each, through one HTTP
    client for the site (``client``, or a new one), or through ``fetch_page(url) -> Page``."""
    items = [item for item in items if item.auto_check]
    root = site_root(website)
    if not root:
        return {
            item.key: Finding(
                False, "", None, time.time(), "", "", "адрес сайта не указан", "unreachable"
            )
            for item in items
        }
    reader = None
    if fetch_page is None:
        reader = fetch_page = SiteReader(root, timeout=timeout, client=client)
    try:
        visit = Visit(root, fetch_page, items)
        visit.run()
        return visit.findings()
    except Exception as error:  # the last guard: one site's surprise is its own finding
        logger.exception("Site check failed for %s", root)
        return {
            item.key: Finding(
                False,
                root,
                None,
                time.time(),
                "",
                "",
                f"проверка сайта не удалась: {type(error).__name__}",
                "unreachable",
            )
            for item in items
        }
    finally:
        if reader is not None:
            reader.close()


# --- the subsections as the visit sees them -------------------------------------------------


@dataclass(eq=False)
class Target:
    """A subsection the visit looks for, built from one or more ItemSpecs of the same path."""

    path: str  # the standard address, e.g. /sveden/common
    titles: tuple  # normalised: the current title first, then the variants
    path_variants: tuple
    norm_items: tuple = ()
    requirement_text: str = ""
    itemprop: str = ""  # the legacy single-itemprop item
    unique_props: frozenset = frozenset()  # itemprops that name this subsection only

    @property
    def slugs(self):
        return {matchers.slug_of("http://x" + p) for p in (self.path, *self.path_variants)} - {""}


@dataclass
class Location:
    page: Page
    how: str  # standard | variant | link | same_page
    start: int = 0
    end: int | None = None  # the page's block range holding the subsection
    heading: str = ""  # the heading that named it


@dataclass
class Candidate:
    url: str
    text: str
    depth: int  # links followed from the home page to reach it
    target: object = None  # the subsection its text names best
    score: int = 0  # how well (matchers.core_score)
    slug: str = ""


def _targets(items):
    targets = {}
    for item in items:
        if item.auto_check not in SUBSECTION_CHECKS or not item.sveden_path:
            continue
        path = "/" + item.sveden_path.strip("/")
        target = targets.get(path)
        titles = tuple(
            t
            for t in (normalize(item.expected_heading), *map(normalize, item.heading_variants))
            if t
        )
        if target is None:
            target = targets[path] = Target(path, titles, tuple(item.path_variants))
        else:
            target.titles = tuple(dict.fromkeys(target.titles + titles))
            target.path_variants = tuple(dict.fromkeys(target.path_variants + item.path_variants))
        if item.norm_items and not target.norm_items:
            target.norm_items = tuple(item.norm_items)
            target.requirement_text = item.requirement_text
        if item.itemprop:
            target.itemprop = target.itemprop or item.itemprop
    # Itemprops naming one subsection only identify it on a page that holds several.
    owners = {}
    for target in targets.values():
        names = {n.itemprop.lower() for n in target.norm_items}
        names |= {old.lower() for n in target.norm_items for old in n.old_names}
        if target.itemprop:
            names.add(target.itemprop.lower())
        for name in names:
            owners.setdefault(name, set()).add(target.path)
    for target in targets.values():
        target.unique_props = frozenset(n for n, paths in owners.items() if paths == {target.path})
    return targets


class Visit:
    """One site, read page by page, then judged."""

    def __init__(self, root, fetch_page, items):
        self.root = root
        self.fetch_page = fetch_page
        self.items = items
        self.targets = _targets(items)
        self.pages = {}  # page_key -> Page
        self.read = 0
        self.failures = 0
        self.dead = None  # the failure that made the visit give up
        self.started = time.monotonic()
        self.robots = None
        self.delay = 0.0
        self.home = None
        self.hubs = []
        self.candidates = []  # Candidate links in the order found
        self.seen_links = set()
        self.locations = {}  # target path -> Location
        self.standard = {}  # target path -> the page at the standard address
        self.probe_style = None  # the variant form that worked on this site
        self.standard_hits = 0
        self.standard_misses = 0
        self.failed_links = {}  # target path -> the page a link naming it led to, unread
        self.probes_failed = 0
        self.contact_pages = {}  # kind -> Page
        self._boilerplate = None
        self._home_cache = None
        self._named_cache = {}  # id(page) -> what the page names (pages live as long as the visit)
        self._sections_cache = {}

    # --- reading ------------------------------------------------------------------------------

    def get(self, url, *, depth=0, obey_robots=True, reserve=0):
        """The page at ``url`` (read once), or None when the visit may not read it (robots,
        the page budget less ``reserve`` pages kept for later steps)."""
        key = page_key(url)
        if key in self.pages:
            return self.pages[key]
        if self.dead is not None:
            return self._given_up(url)
        if self.read >= MAX_PAGES - reserve:
            return None
        if obey_robots and self.robots is not None and not self.robots.can_fetch(ROBOTS_AGENT, url):
            return None
        if time.monotonic() - self.started > SITE_DEADLINE:
            self.dead = Page(
                url=url,
                checked_at=time.time(),
                problem=f"проверка сайта прервана: дольше {int(SITE_DEADLINE)} с",
                failure="deadline",
            )
            return self._given_up(url)
        if self.delay and self.read:
            time.sleep(self.delay)
        page = self.fetch_page(url)
        self.read += 1
        self._remember(key, page, depth)
        return page

    def _remember(self, key, page, depth):
        self.pages[key] = page
        final = page_key(page.url)
        if final != key and same_site(page.url, self.root):
            self.pages.setdefault(final, page)  # where a redirect led: read already
        if page.failure:
            self.failures += 1
            if self.failures >= FAILURES_TO_GIVE_UP:
                self.dead = page
        else:
            self.failures = 0
        if page.ok and depth < MAX_DEPTH:
            self._collect_links(page, depth)

    def _given_up(self, url):
        return Page(
            url=url,
            checked_at=self.dead.checked_at,
            problem=self.dead.problem,
            failure=self.dead.failure or "gave_up",
        )

    def _collect_links(self, page, depth):
        for link in page.links:
            text = matchers.heading_core(link.text)
            if (link.url, text) in self.seen_links or not same_site(link.url, self.root):
                continue
            if is_document(link.url):
                continue
            self.seen_links.add((link.url, text))
            (score, target), _ = self._best_title(text, core=True)
            self.candidates.append(
                Candidate(link.url, link.text, depth + 1, target, score, matchers.slug_of(link.url))
            )

    # --- the visit ----------------------------------------------------------------------------

    def run(self):
        robots = self.fetch_page(self.root + "/robots.txt")
        if robots.failure:
            self.failures += 1
        self.robots = robots_rules(robots)
        if self.robots is not None:
            delay = self.robots.crawl_delay(ROBOTS_AGENT)
            self.delay = min(float(delay or 0), ROBOTS_DELAY_CAP)
        self.home = self.get(self.root + "/", obey_robots=False)
        if self.home.ok and same_site(self.home.url, self.root):
            # http → https, or to www: the rest of the visit asks the answering address.
            parts = urllib.parse.urlsplit(self.home.url)
            self.root = f"{parts.scheme}://{parts.netloc}"
        if self.dead is not None:
            return
        self._find_hubs()
        for target in self.targets.values():
            if self.dead is not None:
                return
            self._locate(target)
        self._find_contact_pages()
        # Guessed addresses last, with the pages left: what the menus lead to comes first.
        for target in self.targets.values():
            if self.dead is not None:
                return
            if target.path not in self.locations:
                self._probe(target)

    def _find_hubs(self):
        hub = self.get(self.root + "/sveden/", depth=1, obey_robots=False)
        if hub is not None and hub.ok:
            self.hubs.append(hub)
        for candidate in list(self.candidates):
            if len(self.hubs) >= 2:
                break
            text = normalize(candidate.text)
            path = urllib.parse.urlsplit(candidate.url).path.lower().strip("/")
            if matchers.has_words(text, matchers.HUB_WORDS) or re.fullmatch(
                r"sveden(?:/index\.\w+)?|sveden\.\w+", path
            ):
                page = self.get(candidate.url, depth=candidate.depth)
                if page is not None and page.ok and page not in self.hubs:
                    self.hubs.append(page)
        if not self.hubs:
            for path in ("/sveden/index.html", "/sveden/index.php", "/sveden.html", "/Sveden/"):
                page = self.get(self.root + path, depth=1)
                if page is not None and page.ok:
                    self.hubs.append(page)
                    break

    def _locate(self, target):
        """The standard address, links naming the subsection, then pages already read that
        hold it among others. On a site whose standard addresses are not served at all the
        links go first, so the page budget is not spent on sure misses."""
        scored = []
        for index, candidate in enumerate(self.candidates):
            score = self._link_score(candidate, target)
            if score:
                scored.append((-score, candidate.depth, index, candidate))
        links = [candidate for *_, candidate in sorted(scored)[:LINKS_PER_ITEM]]
        standard_first = not (links and self._standard_not_served())
        if standard_first and self._try_standard(target):
            return
        for candidate in links:
            page = self.get(candidate.url, depth=candidate.depth, reserve=CONTACT_RESERVE)
            if page is None:
                continue
            if not page.ok:
                if page.failure or (page.status or 0) >= 500 or leaves_site(page):
                    self.failed_links.setdefault(target.path, page)
                continue
            how = self._how_by_address(candidate.url, target) or "link"
            if self._recognise(page, target, how):
                return
        if target.path not in self.standard and self._try_standard(target):
            return
        for page in self._pages_in_order():
            if self._recognise(page, target, "same_page", strict=True):
                return

    def _try_standard(self, target):
        standard = self.get(self.root + target.path, depth=1, obey_robots=False)
        self.standard[target.path] = standard
        if standard is None:
            return False
        if standard.ok and self._recognise(standard, target, "standard"):
            self.standard_hits += 1
            return True
        if standard.status == 404:
            self.standard_misses += 1
        return False

    def _standard_not_served(self):
        """No /sveden/ and no standard address answered so far, after a few tries."""
        hub = self.pages.get(page_key(self.root + "/sveden/"))
        return (
            (hub is None or hub.status == 404)
            and not self.standard_hits
            and self.standard_misses >= 3
        )

    def _probe(self, target):
        standard = self.standard.get(target.path)
        if standard is not None and standard.failure:
            return
        if self.probe_style is None and self.probes_failed >= PROBES_WITHOUT_LUCK:
            return
        for style, url in self._variants(target):
            page = self.get(url, depth=1, reserve=CONTACT_RESERVE // 2)
            if page is None:
                return
            if page.ok and self._recognise(page, target, "variant"):
                self.probe_style = style
                return
            self.probes_failed += 1

    def _variants(self, target):
        path = target.path.rstrip("/")
        forms = [
            ("lower", path.lower()),
            ("html", path + ".html"),
            ("index", path + "/index.html"),
            ("php", path + ".php"),
            ("index_php", path + "/index.php"),
        ]
        forms += [("old", "/" + v.strip("/")) for v in target.path_variants]
        forms += [("old_html", "/" + v.strip("/") + ".html") for v in target.path_variants]
        if self.probe_style:
            forms.sort(key=lambda form: form[0] != self.probe_style)
        seen = {path}
        for style, form in forms:
            if form not in seen:
                seen.add(form)
                yield style, self.root + form

    def _how_by_address(self, url, target):
        path = urllib.parse.urlsplit(url).path
        if path.rstrip("/") == target.path.rstrip("/"):
            return "standard"
        if matchers.slug_of(url) in target.slugs and _parent(path) in _parents(target):
            return "variant"
        return ""

    def _link_score(self, candidate, target):
        score = 0
        if candidate.target is target:
            score = 10 + candidate.score
        elif candidate.slug in target.slugs and candidate.target is None:
            score = 5
        if score and page_key(candidate.url) in self.pages:
            score += 1  # read already: costs nothing
        return score

    def _best_title(self, text, *, core=False):
        """((score, target), title) of the subsection ``text`` names best, or ((0, None), "")."""
        text = text if core else matchers.heading_core(text)
        best = ((0, None), "")
        if not text:
            return best
        for target in self.targets.values():
            score, title = matchers.core_score(text, target.titles)
            if score and (score, len(title)) > (best[0][0], len(best[1])):
                best = ((score, target), title)
        return best

    def _pages_in_order(self):
        seen = set()
        for page in self.pages.values():
            if id(page) not in seen and page.ok:
                seen.add(id(page))
                yield page

    def _find_contact_pages(self):
        self.contact_pages["home"] = self.home
        sources = [self.home, *self.hubs]
        for kind, wording, slugs in (
            ("contacts", matchers.CONTACTS_WORDS, matchers.CONTACTS_SLUGS),
            ("noko", matchers.NOKO_WORDS, matchers.NOKO_SLUGS),
        ):
            for link in (link for page in sources if page.ok for link in page.links):
                if not same_site(link.url, self.root) or is_document(link.url):
                    continue
                text = normalize(link.text)
                if (
                    matchers.has_words(text, wording, loose_single=kind == "noko")
                    or matchers.slug_of(link.url) in slugs
                ):
                    page = self.get(link.url, depth=1)
                    if page is not None and page.ok:
                        self.contact_pages[kind] = page
                        break
        common = self.locations.get("/sveden/common")
        if common is not None:
            self.contact_pages["common"] = common.page
        else:
            page = self.standard.get("/sveden/common") or self.get(
                self.root + "/sveden/common", obey_robots=False
            )
            if page is not None and page.ok:
                self.contact_pages["common"] = page

    # --- recognising a subsection on a page ---------------------------------------------------

    def _recognise(self, page, target, how, *, strict=False):
        """Remember where ``target`` is when ``page`` holds it: a heading naming it (h1–h3, a
        title-like element, the <title>, the breadcrumbs) or microdata only it uses. With
        ``strict`` (scanning pages read for something else) only a section among several, or
        its own microdata on a page no other subsection names, count."""
        if not page.ok:
            return False
        sections = self._sections(page)
        many = len(sections) > 1
        if target.path in sections and (many or not strict or page in self.hubs):
            start, end, heading = sections[target.path]
            if many:
                # A page holding several subsections: this one runs to the next one's heading.
                location = Location(page, how, start, end, heading)
                if how == "link":
                    location.how = "same_page"
            else:
                location = Location(page, how, heading=heading)
            self.locations[target.path] = location
            return True
        named = self._named_by(page)
        if not strict and target in named:
            self.locations[target.path] = Location(page, how, heading=named[target])
            return True
        props = {p.key for p in page.props if p.value}
        if props & target.unique_props and (not strict or not named or target in named):
            self.locations[target.path] = Location(page, how)
            return True
        return False

    def _named_by(self, page):
        """Subsections the page names as its own topic: {target: the naming text}."""
        cached = self._named_cache.get(id(page))
        if cached is not None:
            return cached
        named = {}
        texts = [h.text for h in page.headings if not h.linked and not h.nav]
        texts += matchers.title_parts(page.title)
        if page.breadcrumb:
            texts.append(page.breadcrumb)
        for text in texts:
            (score, target), _ = self._best_title(text)
            if score and target not in named:
                named[target] = text
        self._named_cache[id(page)] = named
        return named

    def _sections(self, page):
        """Subsections a page holds under their own headings: {path: (start, end, heading)};
        each runs to the next heading that names another subsection."""
        cached = self._sections_cache.get(id(page))
        if cached is not None:
            return cached
        found = []  # (start, path, heading text) of every heading naming a subsection
        for heading in page.headings:
            if heading.linked or heading.nav:
                continue
            (score, target), _ = self._best_title(heading.text)
            if score:
                found.append((heading.pos, target.path, heading.text))
        found.sort(key=lambda entry: entry[0])
        sections = {}
        for index, (start, path, text) in enumerate(found):
            end = len(page.blocks)
            for later_start, later_path, _ in found[index + 1 :]:
                if later_path != path:  # a heading of the same subsection continues it
                    end = later_start
                    break
            # A title named twice (a contents list, then the section): the longer part holds it.
            if path not in sections or end - start > sections[path][1] - sections[path][0]:
                sections[path] = (start, end, text)
        self._sections_cache[id(page)] = sections
        return sections

    # --- judging ------------------------------------------------------------------------------

    def findings(self):
        results = {}
        for item in self.items:
            if item.auto_check in SUBSECTION_CHECKS:
                results[item.key] = self._subsection_finding(item)
            else:
                results[item.key] = self._contact_finding(item)
        return results

    def _unreachable(self, page, problem=""):
        problem = problem or page.problem
        if self.dead is not None and (page is None or page.failure):
            problem = self.dead_problem()
        return _finding(page, "unreachable", problem=problem)

    def dead_problem(self):
        """The one message every item of a site given up on carries."""
        if self.dead.failure == "deadline":
            return self.dead.problem
        reason = self.dead.problem.removeprefix("сайт недоступен: ")
        return f"сайт не отвечает ({reason})"

    def _subsection_finding(self, item):
        path = "/" + item.sveden_path.strip("/") if item.sveden_path else ""
        target = self.targets.get(path)
        location = self.locations.get(path)
        standard = self.standard.get(path)
        if location is None and path in self.failed_links:
            return self._unreachable(self.failed_links[path])
        if location is None:
            page = standard or self.home
            if page is None or page.failure or (self.dead is not None and not page.ok):
                return self._unreachable(page or Page(url=self.root + path))
            if page.status is not None and (page.status >= 500 or page.status in (401, 403, 429)):
                return self._unreachable(page)
            if (page.problem and "больше" in page.problem) or leaves_site(page):
                # Too big to read, or sent to another host: the subsection may well be
                # there, but the checker cannot read it on the school's site.
                return self._unreachable(page)
            if page.ok:
                what = (
                    f"нет заголовка «{item.expected_heading}»"
                    if item.expected_heading
                    else "раздел не найден"
                )
                if item.auto_check == "itemprop":
                    what = f"нет itemprop «{item.itemprop}»"
                return _finding(page, "absent", problem=what)
            return _finding(page, "absent", problem=page.problem or "раздел не найден")
        if item.auto_check == "itemprop":
            return self._itemprop_finding(item, location)
        return self._judge(item, target, location)

    def _itemprop_finding(self, item, location):
        page = location.page
        values = [p for p in page.props if p.key == item.itemprop.lower()]
        filled = [p for p in values if p.value]
        if filled:
            return _finding(
                page,
                "present",
                how=location.how,
                matched=f"itemprop {item.itemprop}",
                excerpt=_cut(f"{item.itemprop}: {filled[0].value}"),
                items={item.itemprop: "present"},
            )
        if values:
            return _finding(
                page,
                "placeholder",
                how=location.how,
                problem=f"itemprop «{item.itemprop}» без значения",
                items={item.itemprop: "empty"},
            )
        return _finding(
            page,
            "absent",
            problem=f"нет itemprop «{item.itemprop}»",
            items={item.itemprop: "missing"},
        )

    def _judge(self, item, target, location):
        page = location.page
        start, end = location.start, location.end if location.end is not None else len(page.blocks)
        props = [
            p
            for p in page.props
            if start <= p.start < end or (start == 0 and end == len(page.blocks))
        ]
        heading_note = f"заголовок «{location.heading}»" if location.heading else ""
        if not target.norm_items:
            # An old template: the heading check as before, wherever the heading was found.
            return _finding(
                page,
                "present",
                how=location.how,
                matched=heading_note or "страница подраздела",
                excerpt=self._excerpt(page, start, end),
            )
        states, found = _item_states(target.norm_items, props)
        blocks = page.blocks[start:end]
        raw = self._raw(page, blocks)
        own_words = self._own_words(page, target, start, end)
        marker = matchers.PLACEHOLDER_PHRASES.search(raw)
        current = [n for n, s in states.items() if s == "present"]
        old = [n for n, s in states.items() if s == "outdated"]
        empty = [n for n, s in states.items() if s == "empty"]
        excerpt = self._excerpt(page, start, end)
        if current:
            return _finding(
                page,
                "present",
                how=location.how,
                matched="itemprop " + ", ".join(found[n] for n in current[:8]),
                excerpt=_props_excerpt(props, current) or excerpt,
                items=states,
            )
        if old:
            return _finding(
                page,
                "outdated",
                how=location.how,
                matched="устаревшая микроразметка: itemprop "
                + ", ".join(found[n] for n in old[:8]),
                excerpt=_props_excerpt(props, old, found) or excerpt,
                items=states,
                problem="подраздел размечен по прежним правилам",
            )
        if empty:
            return _finding(
                page,
                "placeholder",
                how=location.how,
                matched="itemprop " + ", ".join(empty[:8]) + " без значений",
                excerpt=excerpt,
                items=states,
                problem="микроразметка без значений",
            )
        absence = matchers.ABSENCE_STATEMENT.search(raw)
        tables = [page.tables[i] for i in {b.table for b in blocks if b.table >= 0}]
        empty_tables = tables and not any(t.has_data for t in tables)
        if marker and own_words < 40:
            problem = f"страница-заглушка: «{_sentence(blocks, marker.group())}»"
        elif absence:
            problem = ""
        elif empty_tables and own_words < 40:
            problem = "таблицы без данных"
        elif own_words < MIN_OWN_WORDS:
            problem = (
                "текст страницы повторяет требования"
                if target.requirement_text
                else "на странице нет своего содержания"
            )
        else:
            problem = ""
        return _finding(
            page,
            "placeholder" if problem else "present",
            how=location.how,
            matched=heading_note or "страница подраздела",
            excerpt=excerpt,
            items=states,
            problem=problem,
        )

    def _own_words(self, page, target, start, end):
        """Words on the page (in the subsection's range) that are neither the site's
        boilerplate, navigation, headings nor the requirement's own wording; figures count."""
        boilerplate = self.boilerplate(page)
        vocabulary = _vocabulary(target)
        # A document linked from the page is content of its own, whatever its title says.
        count = DOCUMENT_WORDS * sum(
            1
            for link in page.links
            if start <= link.pos < end and (is_document(link.url) or is_document_host(link.url))
        )
        for block in page.blocks[start:end]:
            if block.nav or block.heading:
                continue
            if block.table >= 0 and not page.tables[block.table].has_data:
                continue
            text = normalize(block.text)
            if text in boilerplate or matchers.REQUIREMENT_WORDING.search(text):
                # A sentence saying what the subsection «должна содержать» is a requirement,
                # copied from this order or an older one, never the school's own content.
                continue
            for word in text.split():
                if any(c.isdigit() for c in word) or (
                    len(word) > 2 and word not in GENERIC_WORDS and word[:5] not in vocabulary
                ):
                    count += 1
        return count

    def boilerplate(self, page):
        """Block texts the site repeats: on the home page (for other pages) or on three pages
        read — headers, menus, footers."""
        if self._boilerplate is None:
            counts = Counter()
            bodies = {}
            for other in self._pages_in_order():
                bodies.setdefault(other.sha256, other)  # one page served at several addresses
            for other in bodies.values():
                counts.update({normalize(b.text) for b in other.blocks})
            self._boilerplate = (
                self._home_texts(),
                {text for text, n in counts.items() if n >= 3},
            )
        home, repeated = self._boilerplate
        return repeated | (home if page is not self.home else set())

    def _home_texts(self):
        if self._home_cache is None:
            home = self.home
            self._home_cache = (
                {normalize(b.text) for b in home.blocks} if home is not None and home.ok else set()
            )
        return self._home_cache

    def _raw(self, page, blocks):
        """The page's text in ``blocks`` without navigation, headings and what the home page
        shows too (header, footer)."""
        home = self._home_texts() if page is not self.home else set()
        texts = (normalize(b.text) for b in blocks if not b.nav and not b.heading)
        return " ".join(t for t in texts if t not in home)

    def _excerpt(self, page, start, end):
        texts = [b.text for b in page.blocks[start:end] if not b.nav]
        boiler = self.boilerplate(page)
        own = [t for t in texts if normalize(t) not in boiler] or texts
        return _cut(" ".join(own))

    # --- contacts ----------------------------------------------------------------------------

    def _contact_pages(self):
        return [
            (kind, self.contact_pages[kind])
            for kind in CONTACT_PAGE_KINDS
            if kind in self.contact_pages and self.contact_pages[kind].ok
        ]

    def _contact_finding(self, item):
        check = item.auto_check
        home = self.home or Page(url=self.root + "/")
        pages = self._contact_pages()
        if not home.ok and (self.dead is not None or home.failure or not pages):
            if home.failure or self.dead is not None or (home.status or 500) >= 500:
                return self._unreachable(home)
            return _finding(home, "absent", problem=home.problem)
        method = {
            "phone": self._find_phone,
            "email": self._find_email,
            "bus_gov": self._find_bus_gov,
            "visually_impaired": self._find_visually_impaired,
            "appeals": self._find_appeals,
            "faq": self._find_faq,
            "feedback_form": self._find_feedback_form,
        }.get(check)
        if method is None:
            return _finding(home, "absent", problem="неизвестная проверка")
        result = method(pages)
        if result is not None:
            return result
        return _finding(home, "absent", problem=ABSENT_CONTACT.get(check, "не найдено"))

    def _find_phone(self, pages):
        for kind, page in pages:
            for link in page.links:
                if matchers.is_tel_link(link.url):
                    return _finding(
                        page,
                        "present",
                        how=kind,
                        matched=f"ссылка {link.url}",
                        excerpt=_cut(link.text),
                    )
            phones = matchers.find_phones(page.text)
            if phones:
                return _finding(
                    page,
                    "present",
                    how=kind,
                    matched=f"телефон {phones[0]}",
                    excerpt=_around(page.text, phones[0]),
                )
        return None

    def _find_email(self, pages):
        for kind, page in pages:
            for link in page.links:
                if matchers.is_mailto_link(link.url):
                    return _finding(
                        page,
                        "present",
                        how=kind,
                        matched=f"ссылка {link.url[:120]}",
                        excerpt=_cut(link.text),
                    )
            emails = matchers.find_emails(page.text)
            if emails:
                return _finding(
                    page,
                    "present",
                    how=kind,
                    matched=f"адрес {emails[0]}",
                    excerpt=_around(page.text, emails[0]),
                )
        return None

    def _find_bus_gov(self, pages):
        for kind, page in pages:
            links = [link for link in page.links if matchers.is_bus_gov(link.url)]
            if links:
                card = next((link for link in links if matchers.is_bus_gov_card(link.url)), None)
                link = card or links[0]
                return _finding(
                    page,
                    "present",
                    how=kind,
                    matched=(
                        "ссылка на карточку организации на bus.gov.ru"
                        if card
                        else "ссылка на bus.gov.ru (не на карточку организации)"
                    )
                    + f": {link.url[:150]}",
                    excerpt=_cut(link.text),
                )
        return None

    def _find_visually_impaired(self, pages):
        for kind, page in pages:
            for text in [link.text for link in page.links] + page.controls:
                if matchers.VISUALLY_IMPAIRED_WORDS.search(normalize(text)):
                    return _finding(page, "present", how=kind, matched=f"«{_cut(text, 120)}»")
            for source in page.scripts:
                if matchers.VISUALLY_IMPAIRED_SCRIPTS.search(source.lower()):
                    return _finding(page, "present", how=kind, matched=f"скрипт {source[:150]}")
            marks = [m for m in page.marks if matchers.VISUALLY_IMPAIRED_MARKS.search(m)]
            if marks:
                return _finding(page, "present", how=kind, matched=f"элемент {sorted(marks)[0]}")
        return None

    def _widget(self, page):
        return any(matchers.is_gosuslugi_widget(s) for s in page.scripts) or (
            "pos.gosuslugi.ru" in page.inline_scripts
        )

    def _section_check(self, pages, words, *, needs_form=False, link_words=()):
        """In a visitor's order, page by page (home, contacts, /sveden/common, NOKO): the
        section on the page itself (its heading, a form, the Госуслуги widget), else a page it
        links to by the section's wording, judged as read: not a placeholder, holding a form
        when one is needed."""
        placeholder = None
        budget = [LINKS_PER_ITEM]
        for kind, page in pages:
            found = self._on_page(page, kind, words, needs_form)
            if found is not None:
                return found
            for link in self._links_named(page, words + tuple(link_words)):
                if budget[0] <= 0:
                    break
                found = self._linked_section(link, needs_form, budget)
                if found is not None and found.verdict in ("placeholder", "unreachable"):
                    placeholder = placeholder or found
                elif found is not None:
                    return found
        return placeholder

    def _links_named(self, page, words):
        """The page's links within the site, to pages (not documents), whose text holds one
        of ``words``: where a visitor looking for that section would click."""
        return [
            link
            for link in page.links
            if matchers.has_words(normalize(link.text), words)
            and same_site(link.url, self.root)
            and not is_document(link.url)
        ]

    def _on_page(self, page, kind, words, needs_form):
        if needs_form:
            if page.forms_with_textarea:
                return _finding(page, "present", how=kind, matched="форма с полем для текста")
            if self._widget(page):
                return _finding(page, "present", how=kind, matched="виджет pos.gosuslugi.ru")
            return None
        if words is matchers.APPEALS_WORDS:
            if self._widget(page):
                return _finding(page, "present", how=kind, matched="виджет pos.gosuslugi.ru")
            for link in page.links:
                # «Электронная приёмная» leading to the Госуслуги appeals form (ПОС).
                if matchers.is_gosuslugi_widget(link.url) or (
                    matchers.has_words(normalize(link.text), words)
                    and bare_host(urllib.parse.urlsplit(link.url).hostname).endswith("gosuslugi.ru")
                ):
                    return _finding(
                        page,
                        "present",
                        how=kind,
                        matched=f"ссылка «{_cut(link.text, 80)}» на {_cut(link.url, 120)}",
                    )
        for heading in page.headings:
            if heading.linked or heading.nav:
                continue
            if matchers.has_words(normalize(heading.text), words):
                return _finding(
                    page,
                    "present",
                    how=kind,
                    matched=f"заголовок «{_cut(heading.text, 120)}»",
                    excerpt=self._excerpt(page, heading.pos, len(page.blocks)),
                )
        return None

    def _linked_section(self, link, needs_form, budget):
        page = self.get(link.url, depth=2)
        budget[0] -= 1
        if page is not None and (page.failure or (page.status or 0) >= 500):
            # The section's page could not be read: not the same as no section at all.
            return self._unreachable(page)
        if page is None or not page.ok:
            return None
        label = f"ссылка «{_cut(link.text, 80)}»"
        if needs_form:
            if page.forms_with_textarea:
                return _finding(page, "present", how="link", matched=f"форма по {label}")
            if self._widget(page):
                return _finding(page, "present", how="link", matched="виджет pos.gosuslugi.ru")
            return None
        marker = matchers.PLACEHOLDER_PHRASES.search(self._raw(page, page.blocks))
        own = self._own_words(page, Target("", (), ()), 0, len(page.blocks))
        if (marker and own < 40) or (own < MIN_OWN_WORDS and not page.forms_with_textarea):
            return _finding(
                page,
                "placeholder",
                how="link",
                matched=label,
                problem=f"страница-заглушка: «{_sentence(page.blocks, marker.group())}»"
                if marker
                else "страница без содержания",
            )
        return _finding(
            page,
            "present",
            how="link",
            matched=label,
            excerpt=self._excerpt(page, 0, len(page.blocks)),
        )

    def _find_appeals(self, pages):
        found = self._section_check(pages, matchers.APPEALS_WORDS)
        if found is not None and found.verdict == "present":
            return found
        # Appeals are often one step behind «Обратная связь»: the page it leads to holds the
        # appeals heading, the Госуслуги widget or a link to it.
        budget = LINKS_PER_ITEM
        for _kind, page in pages:
            for link in self._links_named(page, matchers.FEEDBACK_WORDS):
                if budget <= 0:
                    return found
                budget -= 1
                linked = self.get(link.url, depth=2)
                if linked is None or not linked.ok:
                    continue
                on_linked = self._on_page(linked, "link", matchers.APPEALS_WORDS, False)
                if on_linked is not None:
                    return on_linked
        return found

    def _find_faq(self, pages):
        return self._section_check(pages, matchers.FAQ_WORDS)

    def _find_feedback_form(self, pages):
        return self._section_check(
            pages, matchers.FEEDBACK_WORDS, needs_form=True, link_words=matchers.APPEALS_WORDS
        )


ABSENT_CONTACT = {
    "phone": "телефон не найден",
    "email": "адрес электронной почты не найден",
    "bus_gov": "нет ссылки на bus.gov.ru",
    "appeals": "раздел обращений граждан не найден",
    "faq": "раздел «Часто задаваемые вопросы» не найден",
    "feedback_form": "формы обращения не найдено",
    "visually_impaired": "версия для слабовидящих не найдена",
}


def leaves_site(page):
    """The page redirected the visitor to another host."""
    return page.problem.startswith(OFFSITE_REDIRECT)


def _parent(path):
    return path.lower().rstrip("/").rsplit("/", 1)[0]


def _parents(target):
    return {_parent(p) for p in (target.path, *target.path_variants)} | {
        _parent(p + "/x") for p in (target.path, *target.path_variants)
    }


def _vocabulary(target):
    words = normalize(
        " ".join([target.requirement_text, *target.titles] + [n.label for n in target.norm_items])
    ).split()
    return {w[:5] for w in words if len(w) > 2}


def _item_states(norm_items, props):
    """itemprop -> present | outdated | empty | missing, and the name that proved each
    (names compared without case)."""
    values = {}
    for prop in props:
        values.setdefault(prop.key, []).append(prop.value)
    states, found = {}, {}
    for norm_item in norm_items:
        name = norm_item.itemprop
        if any(_filled(v) for v in values.get(name.lower(), ())):
            states[name], found[name] = "present", name
            continue
        old = [o for o in norm_item.old_names if any(_filled(v) for v in values.get(o.lower(), ()))]
        if old:
            states[name], found[name] = "outdated", old[0]
        elif name.lower() in values or any(o.lower() in values for o in norm_item.old_names):
            states[name], found[name] = "empty", name
        else:
            states[name], found[name] = "missing", name
    return states, found


def _filled(value):
    return bool(value) and not matchers.PLACEHOLDER_PHRASES.search(normalize(value))


def _props_excerpt(props, names, found=None):
    wanted = {(found[n] if found else n).lower() for n in names}
    parts = [f"{p.name}: {p.value}" for p in props if p.key in wanted and p.value]
    return _cut("; ".join(parts))


def _sentence(blocks, phrase):
    """The page's own words around a placeholder phrase (found in normalised text)."""
    for block in blocks:
        if phrase in normalize(block.text):
            return _cut(block.text, 150)
    return phrase


def _cut(text, limit=EXCERPT):
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _around(text, needle, limit=EXCERPT):
    index = text.find(needle)
    if index < 0:
        return _cut(text, limit)
    start = max(0, index - limit // 3)
    return _cut(text[start : start + limit], limit)


def _finding(page, verdict, *, how="", matched="", excerpt="", items=None, problem=""):
    page = page or Page(url="")
    return Finding(
        present=verdict in PRESENT_VERDICTS,
        url=page.url,
        status=page.status,
        checked_at=page.checked_at or time.time(),
        sha256=page.sha256,
        text=page.text,
        problem=problem,
        verdict=verdict,
        how_found=how if verdict not in ("absent", "unreachable") else "",
        matched=matched,
        excerpt=_cut(excerpt),
        items=items or {},
    )
