"""Demo of the cycle after the numbers, made through the same services the screens call.

The last past year goes the whole way: shortcomings derived and edited by the operator, a
preliminary stage with objections (one accepted with a corrected input and a recomputation,
one rejected), publication, plans in every status with execution reports and overdue
measures, a public council with two meetings, a management decision and a closed discussion
with answered entries. The current year is in its preliminary stage, with an objection
waiting for the operator.

The services work on today's date; what happened earlier in the story (the stage, the
objections, the submissions, the discussion) is then dated back where a date is stored, so
the demo reads as the year it tells about.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.models import Collection

from core.permissions import editors_group
from home.demo_files import demo_document, demo_pdf
from registry.models import Organisation
from results.models import RatingResult, RatingRevision
from results.services import publish_year
from surveys.counts import campaign_years

from . import discussion, plans, preliminary, shortcomings
from .models import (
    CouncilDecision,
    CouncilMeeting,
    CouncilMember,
    Criterion,
    Discussion,
    DiscussionEntry,
    ImprovementPlan,
    ManagementDecision,
    Objection,
    PlanEvent,
    PreliminaryStage,
    Shortcoming,
)
from .publication import kept_shortcomings

SEED = 457
AUTHORITY = "Министерство образования Приозёрского края"
MINISTER = "Министр образования Приозёрского края Е. В. Соколова"

COUNCIL = [
    ("Громова Ирина Сергеевна", CouncilMember.Role.CHAIR, "председатель",
     "Приозёрская краевая общественная организация «Родительское собрание»"),
    ("Латыпов Ринат Ильдарович", CouncilMember.Role.DEPUTY, "директор",
     "Благотворительный фонд «Открытая школа»"),
    ("Ефимова Анна Петровна", CouncilMember.Role.SECRETARY, "журналист",
     "Газета «Приозёрская правда»"),
    ("Кузнецов Олег Викторович", CouncilMember.Role.MEMBER, "председатель",
     "Краевая организация Общероссийского общества инвалидов"),
    ("Белова Мария Андреевна", CouncilMember.Role.MEMBER, "член совета",
     "Молодёжный парламент Приозёрского края"),
]  # fmt: skip

# What an organisation plans against a shortcoming, by criterion, and who answers for it.
MEASURES = {
    Criterion.OPENNESS: (
        "Разместить недостающие сведения на стенде и в разделе «Сведения об образовательной "
        "организации», назначить ответственного за их обновление",
        "заместитель директора по учебно-воспитательной работе",
    ),
    Criterion.COMFORT: (
        "Оборудовать зону отдыха и навигацию в здании, обновить санитарные помещения",
        "заместитель директора по административно-хозяйственной работе",
    ),
    Criterion.ACCESSIBILITY: (
        "Включить оборудование для маломобильных посетителей в план закупок года, "
        "обучить сотрудников сопровождению инвалидов",
        "заместитель директора по административно-хозяйственной работе",
    ),
    Criterion.COURTESY: (
        "Провести для работников семинар по этике общения с родителями и обучающимися",
        "педагог-психолог",
    ),
    Criterion.SATISFACTION: (
        "Провести родительские собрания по итогам оценки, обсудить предложения родителей "
        "и учесть их в плане работы",
        "директор",
    ),
}
RESPONSIBLE = ["Иванова Светлана Николаевна", "Петров Андрей Викторович", "Сидорова Ольга Ивановна"]

PROPOSALS = [
    ("Анна", None, "Предлагаю публиковать итоги по каждому району отдельно, так проще сравнивать."),
    ("", None, "Хорошо бы к каждому рейтингу добавить, сколько родителей ответило в школе."),
    ("Родитель ученика 5 класса", "school", "В школе до сих пор нет пандуса, хотя об этом "
     "говорили на собрании. Когда его установят?"),
    ("", "school", "Спасибо школе за новую навигацию, стало намного удобнее."),
    ("Виктор", None, "Нужно чаще проводить анкетирование, а не раз в год."),
]  # fmt: skip
REJECTED_PROPOSAL = "Купите дешёвые пандусы на сайте example.ru, example.com и example.net!"


def _actor(username, first_name, last_name, *groups):
    """Someone who acted in the demo's story: no password, so nobody signs in as them."""
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": first_name, "last_name": last_name}
    )
    if created:
        user.set_unusable_password()
        user.save()
    for group in groups:
        if group is not None:
            user.groups.add(group)
    return user


def _staff(organisation):
    return _actor(
        f"demo-staff-{organisation.code}",
        "Ответственный",
        organisation.short_name or organisation.name,
        organisation.staff_group,
    )


def _founder(organisation, operator):
    if organisation.founder == Organisation.Founder.REGIONAL:
        return operator, MINISTER
    municipality = organisation.municipality
    coordinator = _actor(
        f"demo-coordinator-{municipality.slug}",
        "Координатор",
        municipality.name,
        municipality.coordinator_group,
    )
    return coordinator, f"Начальник управления образования ({municipality.name}) А. А. Орлова"


def _at(day, hour=11):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def load_follow_up():
    """Returns the number of years taken past the numbers (0 when the demo has them)."""
    if PreliminaryStage.objects.exists():
        return 0
    this_year = timezone.localdate().year
    drafts = set(
        RatingRevision.objects.filter(status=RatingRevision.Status.DRAFT).values_list(
            "year", flat=True
        )
    )
    past = [year for year in campaign_years() if year < this_year and year in drafts]
    if not past:
        return 0
    rng = random.Random(SEED)
    operator = _actor("demo-operator", "Редактор", "оператора (демо)", editors_group())
    year = past[-1]
    _past_year(year, operator, rng)
    done = 1
    if this_year in drafts:
        _preliminary_now(this_year, operator)
        done += 1
    return done


def _past_year(year, operator, rng):
    shortcomings.derive_year(year, operator)
    _operator_edits(year, operator)
    stage = _objections(year, operator)
    _date_stage_back(stage, datetime.date(year, 12, 15))
    publish_year(year, user=operator)
    _plans(year, operator, rng)
    _council(year)
    _management_decision(year)
    _discussion(year, operator)


def _operator_edits(year, operator):
    """The operator's pass over the derived list: a clearer wording, a shortcoming dismissed
    with its reason, two merged into one."""
    rows = list(
        Shortcoming.objects.filter(year=year, status=Shortcoming.Status.ACTIVE)
        .select_related("organisation")
        .order_by("organisation__code", "criterion", "position")
    )
    by_organisation = {}
    for row in rows:
        by_organisation.setdefault(row.organisation_id, []).append(row)
    lists = [items for items in by_organisation.values() if len(items) >= 3][:3]
    if not lists:
        return
    first = lists[0]
    shortcomings.edit(
        first[0], f"{first[0].text} (уточнено оператором по итогам проверки)", operator
    )
    if len(lists) > 1:
        shortcomings.dismiss(
            lists[1][0],
            "Устранено до окончания оценки: подтверждено фотографиями организации.",
            operator,
        )
    if len(lists) > 2:
        target, other = lists[2][-2], lists[2][-1]
        shortcomings.merge(target, [other], operator)


def _objections(year, operator):
    """Two organisations object: the first proves its stand complete and is corrected, the
    second disputes the survey and is answered why not."""
    stage = preliminary.open_stage(year, operator)
    rated = list(
        RatingResult.objects.filter(
            revision__year=year,
            revision__status=RatingRevision.Status.DRAFT,
            inputs__stand_items__lt=14,
        )
        .select_related("organisation")
        .order_by("organisation__code")[:2]
    )
    for number, result in enumerate(rated):
        organisation = result.organisation
        staff = _staff(organisation)
        if number == 0:
            objection = preliminary.file_objection(
                stage,
                organisation,
                staff,
                indicator="1.1",
                reason="На информационном стенде размещены все 14 пунктов перечня; проверявший "
                "эксперт не увидел второй стенд на втором этаже. Прилагаем фотографии и акт.",
                files=[ContentFile(demo_pdf(), name="akt-stendy.pdf")],
            )
            preliminary.accept_objection(
                objection,
                operator,
                values={"stand_items": 14},
                answer="Проверили фотографии и акт: второй стенд содержит недостающие сведения. "
                "Показатель 1.1 пересчитан.",
            )
            shortcomings.derive(organisation, year, operator)
        else:
            objection = preliminary.file_objection(
                stage,
                organisation,
                staff,
                indicator="5.3",
                reason="Считаем, что анкеты заполняли родители другой школы.",
            )
            preliminary.reject_objection(
                objection,
                operator,
                answer="Анкеты приняты по ссылке и QR-коду вашей организации, подозрительных "
                "ответов не найдено. Оснований для исключения ответов нет.",
            )
    return stage


def _date_stage_back(stage, opens_on):
    """The stage as it happened in the year told: opened on ``opens_on``, its deadline
    counted the way the service counts it, objections filed and answered within it."""
    until = preliminary.deadline_for(stage.year, opens_on)
    PreliminaryStage.objects.filter(pk=stage.pk).update(opens_on=opens_on, objections_until=until)
    for number, objection in enumerate(Objection.objects.filter(stage=stage).order_by("pk")):
        Objection.objects.filter(pk=objection.pk).update(
            filed_at=_at(opens_on + datetime.timedelta(days=2 + number)),
            decided_at=_at(opens_on + datetime.timedelta(days=7 + number), 15),
        )


def _plans(year, operator, rng):
    """Plans of the year's organisations with shortcomings, in every status: most approved
    and partly carried out (some measures overdue), some submitted, returned or drafted,
    a few not started."""
    today = timezone.localdate()
    submitted_on = datetime.date(year + 1, 2, 10)
    approved_on = datetime.date(year + 1, 2, 25)
    organisations = (
        plans.assessed_organisations(year)
        .filter(
            shortcomings__year=year,
            shortcomings__status=Shortcoming.Status.ACTIVE,
            shortcomings__stale=False,
        )
        .distinct()
        .select_related("municipality")
        .order_by("code")
    )
    for index, organisation in enumerate(organisations):
        kind = index % 10
        if kind == 9:
            continue  # no plan yet: the dashboard shows it missing
        staff = _staff(organisation)
        plan = plans.plan_for(organisation, year, staff)
        _fill(plan, staff, year, rng, complete=kind != 8)
        if kind == 8:
            continue  # a draft saved part-way
        plans.submit(plan, staff, today=submitted_on)
        founder, title = _founder(organisation, operator)
        if kind == 7:
            plans.return_plan(
                plan,
                founder,
                "Уточните сроки: мероприятия по доступной среде нельзя выполнить за месяц, "
                "и укажите ответственных поимённо.",
            )
            continue
        if kind == 6:
            continue  # waiting for the founder
        plans.approve(plan, founder, title, today=approved_on)
        _report(plan, staff, today, rng)
    ImprovementPlan.objects.filter(year=year, submitted_at__isnull=False).update(
        submitted_at=_at(submitted_on)
    )
    ImprovementPlan.objects.filter(year=year, approved_at__isnull=False).update(
        approved_at=_at(approved_on, 16)
    )
    PlanEvent.objects.filter(plan__year=year, action=PlanEvent.Action.SUBMITTED).update(
        at=_at(submitted_on)
    )
    PlanEvent.objects.filter(
        plan__year=year, action__in=[PlanEvent.Action.APPROVED, PlanEvent.Action.RETURNED]
    ).update(at=_at(approved_on, 16))


def _fill(plan, staff, year, rng, *, complete):
    changes = {}
    for position, measure in enumerate(plan.measures.all()):
        text, job = MEASURES[Criterion(measure.criterion)]
        if not complete and position % 2:
            changes[measure.pk] = {"measure": text}
            continue
        changes[measure.pk] = {
            "measure": text,
            "planned_date": datetime.date(year + 1, 3, 1)
            + datetime.timedelta(days=rng.randrange(0, 480)),
            "responsible_name": RESPONSIBLE[position % len(RESPONSIBLE)],
            "responsible_position": job,
        }
    plans.save_measures(plan, staff, changes)


def _report(plan, staff, today, rng):
    """What the organisation reported done: most measures whose date has come, some early
    ones; the rest of those past their date stay overdue."""
    for measure in plan.measures.all():
        due = measure.planned_date <= today
        if (due and rng.random() < 0.7) or (not due and rng.random() < 0.2):
            done_on = min(measure.planned_date, today) - datetime.timedelta(
                days=rng.randrange(1, 20)
            )
            plans.report_execution(
                measure,
                staff,
                done_text="Выполнено: " + measure.measure[0].lower() + measure.measure[1:],
                done_date=done_on,
                evidence_url=f"{plan.organisation.website or 'https://example.org'}/noko/",
                today=today,
            )


def _council(year):
    for order, (name, role, position, organisation) in enumerate(COUNCIL):
        CouncilMember.objects.get_or_create(
            full_name=name,
            defaults={
                "role": role,
                "position": position,
                "organisation_name": organisation,
                "since": datetime.date(year - 1, 9, 1),
                "sort_order": order,
            },
        )
    collection = _collection()
    first = CouncilMeeting.objects.create(
        date=datetime.date(year, 3, 12),
        number=f"1/{year}",
        agenda=f"Об утверждении перечня организаций для независимой оценки в {year} году.",
        protocol=demo_document(f"Протокол заседания общественного совета № 1/{year}", collection),
    )
    CouncilDecision.objects.create(
        meeting=first,
        year=year,
        topic=CouncilDecision.Topic.APPROVE_LIST,
        text=f"Утвердить перечень организаций для независимой оценки в {year} году "
        "в редакции, предложенной министерством.",
    )
    second = CouncilMeeting.objects.create(
        date=datetime.date(year + 1, 2, 5),
        number=f"1/{year + 1}",
        agenda=f"О результатах независимой оценки качества условий {year} года; о планах "
        f"устранения недостатков; о перечне организаций на {year + 1} год.",
        protocol=demo_document(
            f"Протокол заседания общественного совета № 1/{year + 1}", collection
        ),
    )
    decisions = [
        (
            year,
            CouncilDecision.Topic.CONSIDER_RESULTS,
            "Результаты независимой оценки рассмотрены и приняты. Отметить низкие значения "
            "показателей доступности для инвалидов (критерий III).",
        ),
        (
            year,
            CouncilDecision.Topic.PROPOSALS,
            "Предложить министерству предусмотреть средства на оборудование входных групп "
            "пандусами в организациях с наименьшими значениями критерия III.",
        ),
        (
            year,
            CouncilDecision.Topic.CONSIDER_PLANS,
            "Рекомендовать организациям представить планы устранения недостатков учредителям "
            "до 10 февраля, учредителям — утвердить их до 1 марта.",
        ),
        (
            year + 1,
            CouncilDecision.Topic.APPROVE_LIST,
            f"Утвердить перечень организаций для независимой оценки в {year + 1} году.",
        ),
    ]
    for order, (decision_year, topic, text) in enumerate(decisions):
        CouncilDecision.objects.create(
            meeting=second, year=decision_year, topic=topic, text=text, sort_order=order
        )


def _collection():
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name="Общественный совет").first()
    return collection or root.add_child(name="Общественный совет")


def _management_decision(year):
    lowest = (
        RatingResult.objects.public()
        .filter(year=year, total__isnull=False)
        .order_by("total", "code")
        .values_list("organisation_id", flat=True)[:3]
    )
    decision = ManagementDecision.objects.create(
        year=year,
        date=datetime.date(year + 1, 2, 20),
        number="112-р",
        authority=AUTHORITY,
        title=f"О мерах по итогам независимой оценки качества условий {year} года",
        text="Учредителям организаций с наименьшими итоговыми баллами взять выполнение планов "
        "устранения недостатков на контроль и ежеквартально докладывать о ходе их выполнения.",
        document=demo_document(f"Распоряжение министерства № 112-р ({year})", _collection()),
    )
    decision.organisations.set(lowest)


def _discussion(year, operator):
    """A discussion of January: entries sent through the public form's service, moderated,
    answered by the operator and by a school; then closed with its summary."""
    opens_on, closes_on = datetime.date(year + 1, 1, 10), datetime.date(year + 1, 1, 31)
    topic = Discussion.objects.create(
        year=year,
        is_open=True,
        opens_on=opens_on,
        closes_on=closes_on,
        intro=f"Предложения и замечания по результатам независимой оценки {year} года "
        "принимаются до 31 января. Каждое сообщение проверяет модератор.",
    )
    school = plans.public_plans(year).filter(organisation__kind=Organisation.Kind.SCHOOL).first()
    for day, (name, about, text) in enumerate(PROPOSALS, start=1):
        organisation = school.organisation if about and school is not None else None
        entry = discussion.submit_entry(
            discussion.Proposal(topic, text, author_name=name, organisation=organisation),
            now=_at(opens_on + datetime.timedelta(days=day)),
        )
        entry = discussion.publish_entry(entry, operator)
        if organisation is not None:
            discussion.answer_entry(
                entry,
                _staff(organisation),
                "Спасибо! Мероприятие включено в план устранения недостатков, срок и ход "
                "выполнения видны на странице школы.",
            )
        elif day % 2:
            discussion.answer_entry(
                entry,
                operator,
                "Спасибо за предложение: учтём его при подготовке методики следующего года.",
            )
    spam = discussion.submit_entry(
        discussion.Proposal(topic, REJECTED_PROPOSAL),
        now=_at(opens_on + datetime.timedelta(days=8)),
    )
    discussion.reject_entry(spam, operator)
    DiscussionEntry.objects.filter(discussion=topic).update(moderated_at=_at(closes_on))
    topic.is_open = False
    topic.summary = (
        f"Поступило {len(PROPOSALS) + 1} сообщений, опубликовано {len(PROPOSALS)}. Предложения "
        "о публикации итогов по районам и о числе ответивших включены в методику следующего "
        "года; вопросы о доступной среде переданы учредителям."
    )
    topic.summary_document = demo_document(
        f"Итоги общественного обсуждения результатов {year} года", _collection()
    )
    topic.save()


def _preliminary_now(year, operator):
    """The current year under review: shortcomings derived, the stage open for a few days,
    one objection waiting for the operator (from the organisation of the first demo staff
    account when it is on the draft)."""
    shortcomings.derive_year(year, operator)
    stage = preliminary.open_stage(
        year, operator, opens_on=timezone.localdate() - datetime.timedelta(days=2)
    )
    first = (
        RatingResult.objects.filter(revision__year=year, revision__status="draft")
        .select_related("organisation")
        .order_by("organisation__code")
        .first()
    )
    if first is None:
        return
    organisation = first.organisation
    shortcoming = kept_shortcomings(organisation, year).first()
    preliminary.file_objection(
        stage,
        organisation,
        _staff(organisation),
        indicator=shortcoming.indicator if shortcoming else "",
        shortcoming=shortcoming,
        reason="Недостаток устранён до окончания оценки: прилагаем фотографию.",
    )
