"""Demo checklists: this and last year's templates, two website-monitoring rounds (so the
справка shows changes), self-assessments in every status and a few expert assignments.

Runs after the ratings demo: accepting a checklist writes the current (draft) year's inputs.
Safe to run again: nothing is created when templates already exist. Experts are demo
accounts and come with them (``load_expert_accounts``).
"""

import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images import get_image_model

from registry.assessment import is_assessed
from registry.models import Organisation

from .defaults import copy_template, create_standard_template
from .models import (
    Checklist,
    ChecklistAnswer,
    ChecklistTemplate,
    Expert,
    ExpertAssignment,
    MonitoringRound,
)
from .report import monitored
from .services import apply_to_inputs, checklist_for

SEED = 20261130
ROUND_SIZE = 40
EXPERT_ACCOUNTS = [
    ("expert", "noko-demo-expert", "Соколова Анна Викторовна"),
    ("expert2", "noko-demo-expert", "Лебедев Игорь Николаевич"),
]


@transaction.atomic
def load_checklists():
    """Returns the number of checklists created (0 when the demo already has templates)."""
    if ChecklistTemplate.objects.exists():
        return 0
    rng = random.Random(SEED)
    this_year = timezone.localdate().year
    current = create_standard_template(this_year)
    copy_template(current, this_year - 1)
    organisations = list(Organisation.objects.filter(is_active=True).order_by("code"))
    created = 0

    # Two monitoring rounds over the same schools; most sites improve a little between them.
    sample = organisations[:ROUND_SIZE]
    quality = {o.pk: rng.uniform(0.45, 0.95) for o in sample}
    for number, (title, lift) in enumerate([("III квартал", 0.0), ("IV квартал", 0.08)]):
        monitoring_round = MonitoringRound.objects.create(template=current, title=title)
        monitoring_round.organisations.set(sample)
        for organisation in sample:
            checklist = checklist_for(
                organisation, current, Checklist.Source.MONITORING, round=monitoring_round
            )
            level = min(0.99, quality[organisation.pk] + lift)
            answer_all(checklist, rng, level, only=monitored, confirmed=True)
            status = Checklist.Status.ACCEPTED if number == 0 else Checklist.Status.SUBMITTED
            Checklist.objects.filter(pk=checklist.pk).update(status=status)
            created += 1
        MonitoringRound.objects.filter(pk=monitoring_round.pk).update(
            sites_checked=len(sample),
            status=MonitoringRound.Status.CLOSED if number == 0 else MonitoringRound.Status.OPEN,
            check_started_at=timezone.now(),
            check_finished_at=timezone.now(),
        )

    # Self-assessments: the demo school logins get one status each, the rest a mix.
    statuses = {
        0: (Checklist.Status.DRAFT, ""),
        1: (Checklist.Status.RETURNED, "Добавьте фото стенда целиком и пандуса у входа."),
        11: (Checklist.Status.SUBMITTED, ""),
    }
    mix = [Checklist.Status.ACCEPTED] * 3 + [Checklist.Status.SUBMITTED, Checklist.Status.DRAFT]
    for index, organisation in enumerate(organisations[:30]):
        status, comment = statuses.get(index, (rng.choice(mix), ""))
        if not is_assessed(organisation.pk, this_year):
            continue  # not on this year's list (registry/demo.py): no self-assessment asked
        checklist = checklist_for(organisation, current, Checklist.Source.SELF)
        if status == Checklist.Status.DRAFT and index == 0:
            answer_all(checklist, rng, 0.8, only=lambda item: item.section == "website")
        else:
            answer_all(checklist, rng, quality.get(organisation.pk, 0.8) + 0.05)
            if status != Checklist.Status.DRAFT:
                attach_photos(checklist)
        Checklist.objects.filter(pk=checklist.pk).update(
            status=status,
            return_comment=comment,
            submitted_at=timezone.now() if status != Checklist.Status.DRAFT else None,
        )
        created += 1
    for organisation in {c.organisation for c in Checklist.objects.filter(status="accepted")}:
        apply_to_inputs(organisation, this_year)

    return created


def expert_for(account, *, employer=None):
    from django.contrib.auth import get_user_model

    username, password, full_name = account
    user, new = get_user_model().objects.get_or_create(
        username=username, defaults={"email": f"{username}@iro-demo.example"}
    )
    if new:
        user.set_password(password)
        user.save()
    expert, _ = Expert.objects.get_or_create(
        user=user,
        defaults={
            "full_name": full_name,
            "employer": employer if username == "expert2" else None,
            "employer_name": "Институт развития образования (демо)"
            if username == "expert"
            else (employer.name if employer else ""),
        },
    )
    return expert


def load_expert_accounts():
    """Demo experts with their logins and assignments (only where demo logins are wanted,
    like every demo account); [(username, password, description)]."""
    template = ChecklistTemplate.objects.order_by("-year").first()
    # Experts observe only organisations on the year's assessment list.
    organisations = [
        organisation
        for organisation in Organisation.objects.order_by("code")[:21]
        if template is None or is_assessed(organisation.pk, template.year)
    ]
    accounts = []
    for offset, account in enumerate(EXPERT_ACCOUNTS):
        # The second expert works at a demo school, so assigning them there is refused.
        expert = expert_for(account, employer=organisations[-1])
        for organisation in organisations[2 + offset : 5 : 2] if template else []:
            ExpertAssignment.objects.get_or_create(
                expert=expert,
                organisation=organisation,
                template=template,
                defaults={"visit_date": timezone.localdate()},
            )
        accounts.append((account[0], account[1], f"независимый эксперт: {account[2]}"))
    return accounts


def answer_all(checklist, rng, level, *, only=None, confirmed=False):
    answers = list(checklist.answers.select_related("item"))
    for answer in answers:
        if only is None or only(answer.item):
            answer.present = rng.random() < level
            answer.confirmed = confirmed
    ChecklistAnswer.objects.bulk_update(answers, ["present", "confirmed"])


def demo_photo(organisation):
    buffer = io.BytesIO()
    PILImage.new("RGB", (320, 240), (40, 110, 170)).save(buffer, format="JPEG", quality=70)
    image = get_image_model()(
        title=f"{organisation.short_name or organisation.name}: стенд",
        file=SimpleUploadedFile("stand.jpg", buffer.getvalue(), content_type="image/jpeg"),
        collection_id=organisation.collection_id,
    )
    image.save()
    return image


def attach_photos(checklist):
    answers = [
        a for a in checklist.answers.select_related("item") if a.item.photo_required and a.present
    ]
    if answers:
        photo = demo_photo(checklist.organisation)
        for answer in answers:
            answer.photo = photo
        ChecklistAnswer.objects.bulk_update(answers, ["photo"])
