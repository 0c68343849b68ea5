"""Experts proposed by coordinators: not assignable until an editor approves; editors decide,
never the proposer; duplicates refused; conflict of interest still refused on assignment."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError

from core.permissions import editors_group
from monitoring import experts
from monitoring.models import Expert, ExpertAssignment
from registry.tests.factories import OrganisationFactory
from schools.provisioning import ensure_coordinator_group

from .factories import ChecklistTemplateFactory, ExpertFactory, UserFactory

PROPOSALS = "/admin/monitoring/expert-proposals/"


@pytest.fixture
def school(db):
    return OrganisationFactory(short_name="Школа № 1")


@pytest.fixture
def coordinator(school):
    user = UserFactory(is_staff=True)
    user.groups.add(ensure_coordinator_group(school.municipality))
    return user


@pytest.fixture
def editor(db):
    user = UserFactory(is_staff=True)
    user.groups.add(editors_group())
    return user


@pytest.fixture
def proposal(coordinator, school):
    return experts.propose(
        coordinator,
        school.municipality,
        full_name="Сидоров  Пётр Ильич",
        email="Sidorov@Example.com",
        phone="+7 900 000-00-00",
        employer_name="Институт развития образования",
    )


def assignment_of(expert, organisation):
    return ExpertAssignment(
        expert=expert, organisation=organisation, template=ChecklistTemplateFactory(year=2026)
    )


def test_existing_and_editor_registered_experts_are_approved(db):
    assert ExpertFactory().status == Expert.Status.APPROVED


def test_a_proposed_expert_has_no_login_and_is_not_assignable(proposal, school):
    assert proposal.status == Expert.Status.PROPOSED
    assert proposal.user is None
    assert proposal.full_name == "Сидоров Пётр Ильич"
    with pytest.raises(ValidationError) as refused:
        assignment_of(proposal, school).full_clean()
    assert "не утверждён" in str(refused.value)


def test_a_rejected_expert_is_not_assignable_either(proposal, editor, school):
    experts.reject(proposal, editor, "Нет опыта")
    with pytest.raises(ValidationError):
        assignment_of(proposal, school).full_clean()


def test_an_approved_proposal_is_assignable_and_gets_a_login(
    proposal, editor, school, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        experts.approve(proposal, editor)
    proposal.refresh_from_db()
    assert proposal.status == Expert.Status.APPROVED
    assert proposal.decided_by == editor
    assert proposal.user.email == "sidorov@example.com"
    assert not proposal.user.has_usable_password()
    assert len(mail.outbox) == 1
    assert "/admin/password_reset/confirm/" in mail.outbox[0].body
    assignment_of(proposal, OrganisationFactory()).full_clean()


def test_approval_links_an_existing_login_with_that_email(proposal, editor):
    person = get_user_model().objects.create_user("sidorov", email="sidorov@example.com")
    experts.approve(proposal, editor)
    proposal.refresh_from_db()
    assert proposal.user == person


def test_conflict_of_interest_still_refuses_an_assignment_to_the_employer(
    coordinator, editor, school
):
    expert = experts.propose(
        coordinator,
        school.municipality,
        full_name="Учитель Школы",
        email="teacher@example.com",
        employer=school,
    )
    expert = experts.approve(expert, editor)
    with pytest.raises(ValidationError) as refused:
        assignment_of(expert, school).full_clean()
    assert "конфликт интересов" in str(refused.value)


def test_a_coordinator_cannot_propose_for_another_municipality(coordinator):
    elsewhere = OrganisationFactory().municipality
    with pytest.raises(experts.ExpertError):
        experts.propose(
            coordinator, elsewhere, full_name="Кто-то", email="x@example.com", employer_name="X"
        )
    assert not Expert.objects.filter(full_name="Кто-то").exists()


def test_the_same_person_proposed_twice_is_refused(proposal, coordinator, school):
    with pytest.raises(experts.ExpertError, match="уже есть"):
        experts.propose(
            coordinator,
            school.municipality,
            full_name="Другое Имя",
            email="SIDOROV@example.com",
            employer_name="Где-то",
        )
    with pytest.raises(experts.ExpertError, match="уже есть"):
        experts.propose(
            coordinator,
            school.municipality,
            full_name="сидоров пётр ильич",
            email="new@example.com",
            employer_name="институт развития образования",
        )


def test_an_approved_experts_login_email_counts_as_a_duplicate(coordinator, school):
    ExpertFactory(user=UserFactory(email="known@example.com"))
    with pytest.raises(experts.ExpertError, match="уже есть"):
        experts.propose(
            coordinator,
            school.municipality,
            full_name="Новое Имя",
            email="known@example.com",
            employer_name="Где-то",
        )


def test_rejection_needs_a_reason(proposal, editor):
    with pytest.raises(experts.ExpertError):
        experts.reject(proposal, editor, "  ")
    proposal.refresh_from_db()
    assert proposal.status == Expert.Status.PROPOSED


def test_nobody_decides_their_own_proposal_even_an_editor(editor, school):
    editor.groups.add(ensure_coordinator_group(school.municipality))
    own = experts.propose(
        editor, school.municipality, full_name="Свой", email="own@example.com", employer_name="X"
    )
    with pytest.raises(experts.ExpertError):
        experts.approve(own, editor)
    own.refresh_from_db()
    assert own.status == Expert.Status.PROPOSED


def test_a_decision_is_taken_once(proposal, editor):
    experts.approve(proposal, editor)
    with pytest.raises(experts.ExpertError):
        experts.reject(proposal, editor, "Передумали")


# --- The admin screen ---------------------------------------------------------------------


def test_editors_see_and_approve_proposals_on_the_admin_screen(client, proposal, editor):
    client.force_login(editor)
    page = client.get(PROPOSALS)
    assert page.status_code == 200
    assert "Сидоров Пётр Ильич" in page.text
    response = client.post(f"{PROPOSALS}{proposal.pk}/approve/")
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Expert.Status.APPROVED


def test_editors_reject_with_a_reason_the_coordinator_sees(client, proposal, editor):
    client.force_login(editor)
    client.post(f"{PROPOSALS}{proposal.pk}/reject/", {"reason": "Работает в школе района"})
    proposal.refresh_from_db()
    assert proposal.status == Expert.Status.REJECTED
    assert proposal.rejection_reason == "Работает в школе района"


def test_coordinators_cannot_approve_their_own_proposal(client, proposal, coordinator):
    client.force_login(coordinator)
    assert client.get(PROPOSALS).status_code == 403
    assert client.post(f"{PROPOSALS}{proposal.pk}/approve/").status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == Expert.Status.PROPOSED


def test_the_assignment_form_offers_approved_experts_only(client, proposal, editor):
    approved = ExpertFactory(full_name="Утверждённый Эксперт")
    client.force_login(editor)
    page = client.get("/admin/expert_assignments/new/")
    assert page.status_code == 200
    assert approved.full_name in page.text
    assert "Сидоров Пётр Ильич" not in page.text
