"""Demo campaigns: three past years with realistic responses, and one campaign open on the day
the demo is loaded, so a visitor can answer at once. Deterministic and idempotent.

Campaigns follow the region's plan (registry/demo.py): schools and colleges every autumn —
this year's open campaign is theirs —, kindergartens and additional-education centres in
spring every other year, last year included.

At the ``full`` scale each school answers in realistic numbers (about 80,000 responses over the
region); at the ``small`` scale (tests) a few dozen per school and campaign, enough to rate
it, and the smallest organisation always stays below the minimum, so one school is unrated."""

import datetime
import random
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from registry.demo import AUTUMN_KINDS, PAST_YEARS, SPRING_KINDS, spring_year
from registry.models import Organisation

from .coverage import contingent_of
from .forms import LINE_FIELD, NONCE_FIELD, PaperEntryForm
from .models import Audience, Campaign, PaperBatch, Response, ResponseMode, groups_of
from .paper import batch_group, create_batch, enter_response
from .services import save_campaign

# The methodology version seeded by results migration 0002.
DEFAULT_METHODOLOGY = "noko-2019"

SEED = 675


@dataclass(frozen=True)
class Volume:
    # Most respondents per organisation, audience and campaign; None: a share of the contingent.
    max_respondents: int | None
    # The organisation with the smallest contingent gets fewer respondents than the campaign's
    # minimum every year (the full region has a few such schools by chance).
    smallest_unrated: bool


VOLUMES = {
    "full": Volume(max_respondents=None, smallest_unrated=False),
    "small": Volume(max_respondents=20, smallest_unrated=True),
}

SUGGESTIONS = [
    "Нужна тёплая раздевалка для младших классов.",
    "Хотелось бы больше кружков по робототехнике.",
    "Обновить сайт школы: расписание трудно найти.",
    "Поставить кулеры с питьевой водой на каждом этаже.",
    "Сделать пандус у запасного входа.",
    "Спасибо учителям начальной школы!",
]


ALL_KINDS = list(Organisation.Kind.values)


def questionnaires():
    """{(kind, audience): questionnaire} of the demo methodology's respondent groups."""
    return {
        (kind, group.audience): group.questionnaire
        for kind in ALL_KINDS
        for group in groups_of(DEFAULT_METHODOLOGY, kind)
    }


AUTUMN, SPRING = "autumn", "spring"
WINDOWS = {
    # (opens: month, day), (closes: month, day)
    AUTUMN: ((10, 15), (11, 10)),
    SPRING: ((3, 10), (4, 5)),
}
SEASON_TITLES = {
    AUTUMN: "Анкетирование в школах и колледжах, осень {year}",
    SPRING: "Анкетирование в детских садах и организациях дополнительного образования, "
    "весна {year}",
}


def campaign_window(year, season=AUTUMN):
    tz = timezone.get_current_timezone()
    (open_month, open_day), (close_month, close_day) = WINDOWS[season]
    return (
        datetime.datetime(year, open_month, open_day, 9, 0, tzinfo=tz),
        datetime.datetime(year, close_month, close_day, 23, 59, tzinfo=tz),
    )


def campaign_title(year, season):
    return SEASON_TITLES[season].format(year=year)


def random_answers(rng, quality):
    """One respondent's answers following the routing, satisfied with probability ~quality."""

    def yes(probability=quality):
        return rng.random() < probability

    answers = {}
    answers["q1"] = yes(0.8)
    answers["q2"] = yes() if answers["q1"] else None
    answers["q3"] = yes(0.7)
    answers["q4"] = yes() if answers["q3"] else None
    answers["q5"] = yes()
    answers["q6"] = yes(0.06)
    answers["q7"] = yes(quality - 0.1) if answers["q6"] else None
    answers["q8"] = yes(min(0.99, quality + 0.05))
    answers["q9"] = yes(min(0.99, quality + 0.04))
    answers["q10"] = yes(0.6)
    answers["q11"] = yes() if answers["q10"] else None
    answers["q12"] = yes(quality - 0.05)
    answers["q13"] = yes()
    answers["q14"] = yes()
    return answers


def responses_for(
    campaign, organisation, questionnaires, rng, quality, share_range, max_respondents=None
):
    rows = []
    opens = campaign.opens_at.date()
    days = max(1, (min(campaign.closes_at, timezone.now()).date() - opens).days)
    # Segment by segment in a fixed order (not the groups' order), so the random sequence,
    # and with it every demo figure, does not depend on how a kind orders its groups.
    for audience in Audience.values:
        questionnaire = questionnaires.get((organisation.kind, audience))
        contingent = contingent_of(organisation, audience)
        if questionnaire is None or not contingent:
            continue
        count = int(contingent * rng.uniform(*share_range))
        if max_respondents is not None:
            count = min(count, max_respondents)
        for _ in range(count):
            rows.append(
                Response(
                    campaign=campaign,
                    organisation=organisation,
                    audience=audience,
                    questionnaire=questionnaire,
                    submitted_on=opens + datetime.timedelta(days=rng.randrange(days)),
                    form_nonce=f"demo-{campaign.pk}-{organisation.pk}-{audience}-{len(rows)}",
                    suggestion=rng.choice(SUGGESTIONS) if rng.random() < 0.05 else "",
                    **random_answers(rng, quality),
                )
            )
    return rows


def respondents_cap(volume, organisation, unrated, campaign):
    """The most respondents ``organisation`` gets per audience in ``campaign``."""
    if organisation == unrated:
        # Both audiences together stay below the minimum.
        return (campaign.min_respondents - 1) // 2
    return volume.max_respondents


@transaction.atomic
def load_campaigns(scale="full"):
    """Create the demo campaigns of ``scale`` that do not exist yet; returns how many were
    created."""
    volume = VOLUMES[scale]
    rng = random.Random(SEED)
    forms = questionnaires()
    organisations = list(Organisation.objects.order_by("code"))
    unrated = None
    if volume.smallest_unrated and organisations:
        unrated = min(
            organisations,
            key=lambda org: (org.contingent_parents + org.contingent_students, org.code),
        )
    # Each school keeps a character across years (some better, some worse) with a drift.
    quality = {org.pk: rng.uniform(0.62, 0.97) for org in organisations}
    created = 0
    this_year = timezone.localdate().year
    for year in range(this_year - PAST_YEARS, this_year):
        seasons = [(AUTUMN, AUTUMN_KINDS)]
        if spring_year(year, this_year):
            seasons.insert(0, (SPRING, SPRING_KINDS))
        for season, kinds in seasons:
            opens_at, closes_at = campaign_window(year, season)
            title = campaign_title(year, season)
            if Campaign.objects.filter(year=year, title=title).exists():
                continue
            campaign = save_campaign(
                Campaign(
                    year=year,
                    title=title,
                    opens_at=opens_at,
                    closes_at=closes_at,
                    report_deadline=closes_at.date() - datetime.timedelta(days=10),
                    kinds=list(kinds),
                    methodology_version=DEFAULT_METHODOLOGY,
                )
            )
            created += 1
            rows = []
            for organisation in organisations:
                if not campaign.covers(organisation):
                    continue
                drift = (year - this_year + PAST_YEARS) * 0.015
                level = min(0.98, quality[organisation.pk] + drift)
                # A few small schools fall below the minimum number of respondents.
                share = (0.0, 0.02) if rng.random() < 0.04 else (0.35, 0.75)
                cap = respondents_cap(volume, organisation, unrated, campaign)
                rows += responses_for(campaign, organisation, forms, rng, level, share, cap)
            Response.objects.bulk_create(rows, batch_size=2000)

    now = timezone.now()
    if not Campaign.objects.open_at(now).exists():
        # This year's autumn campaign, open on the day the demo is loaded.
        campaign = save_campaign(
            Campaign(
                year=this_year,
                title=campaign_title(this_year, AUTUMN),
                opens_at=now - datetime.timedelta(days=14),
                closes_at=now + datetime.timedelta(days=30),
                report_deadline=(now + datetime.timedelta(days=21)).date(),
                kinds=list(AUTUMN_KINDS),
                methodology_version=DEFAULT_METHODOLOGY,
            )
        )
        created += 1
        rows = []
        for organisation in organisations:
            if not campaign.covers(organisation):
                continue
            rows += responses_for(
                campaign,
                organisation,
                forms,
                rng,
                quality[organisation.pk] + 0.05,
                (0.05, 0.45),
                respondents_cap(volume, organisation, unrated, campaign),
            )
        # A burst held for review, as editors would see during a real campaign.
        for row in rows[:25]:
            row.status, row.flag_reason = Response.Status.FLAGGED, "много ответов с одного адреса"
        Response.objects.bulk_create(rows, batch_size=2000)
    return created


# How many sheets the demo types in for each of the first organisations of this campaign.
PAPER_SHEETS = 12


def load_paper_batches():
    """Sheets of the open campaign typed in through the entry screen's form and service: a
    paper batch of the first school with its parents' sheets (one batch of printed
    questionnaires handed out at a meeting) and an interview batch of the second. Returns the
    number of sheets typed (0 when the demo has them)."""
    campaign = Campaign.objects.open_at(timezone.now()).order_by("-opens_at").first()
    if campaign is None or PaperBatch.objects.exists():
        return 0
    rng = random.Random(SEED + 675)
    covered = [
        organisation
        for organisation in Organisation.objects.filter(kind="school").order_by("code")
        if campaign.covers(organisation)
    ][:2]
    typed = 0
    for organisation, mode in zip(
        covered, (ResponseMode.PAPER, ResponseMode.INTERVIEW), strict=False
    ):
        batch = create_batch(
            organisation=organisation,
            audience=Audience.PARENTS,
            mode=mode,
            created_by=None,
            expected_count=PAPER_SHEETS,
        )
        questionnaire = batch_group(batch).questionnaire
        for _sheet in range(PAPER_SHEETS):
            answers = random_answers(rng, 0.85)
            line = "".join(
                "0" if answers[key] is None else ("1" if answers[key] else "2")
                for key in sorted(answers, key=lambda key: int(key[1:]))
            )
            form = PaperEntryForm(questionnaire, {LINE_FIELD: line, NONCE_FIELD: uuid.uuid4().hex})
            if not form.is_valid():
                raise ValueError(form.errors)
            enter_response(batch, questionnaire, form.cleaned_data, form.cleaned_data[NONCE_FIELD])
            typed += 1
    return typed
