"""Provisioning keeps Wagtail's collection tree valid while appending school collections."""

import pytest
from wagtail.models import Collection

from registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_school_collections_are_appended_to_a_valid_tree():
    # Names in reverse alphabetical order: a sorted insert would have moved siblings.
    schools = [OrganisationFactory(short_name=f"Школа {letter}") for letter in "ЯЮЭВБА"]
    root = Collection.get_first_root_node()
    root.refresh_from_db()
    children = list(root.get_children())
    assert [c.pk for c in children] == [s.collection_id for s in schools]
    assert root.numchild == len(schools)
    assert all(c.depth == root.depth + 1 for c in children)
    assert Collection.find_problems() == ([], [], [], [], [])
    # Wagtail can still add a collection of its own (sorted insert) into this tree.
    added = root.add_child(name="Общие документы")
    assert added.get_parent() == root
    assert Collection.find_problems() == ([], [], [], [], [])


def staff_user(organisation, username):
    from django.contrib.auth import get_user_model

    from schools.provisioning import add_staff_member

    user = get_user_model().objects.create_user(username, password="пароль-школы-1")
    add_staff_member(organisation, user)
    return user


def test_organisations_provisioned_in_bulk_get_what_one_by_one_gives(client):
    """A registry import provisions its new schools together; the result must be the same
    working page, group and collection as the one-by-one path, in a valid tree."""
    from wagtail.models import Page
    from wagtail.search.backends import get_search_backend

    from registry.registry_import import import_registry
    from registry.tests.test_registry_import import csv_bytes, row
    from schools.models import Organisation, SchoolPage

    alone = OrganisationFactory(code="7700", short_name="Школа Я")  # provisioned one by one
    data = csv_bytes([row(f"77{n:02d}", short_name=f"Школа {n}") for n in range(1, 13)])
    report = import_registry(data, "registry.csv")
    assert report.ok and report.created == 12

    assert Page.find_problems() == ([], [], [], [], [])
    assert Collection.find_problems() == ([], [], [], [], [])
    schools = list(Organisation.objects.filter(code__in=[f"77{n:02d}" for n in range(1, 13)]))
    index = alone.page.get_parent()
    assert index.get_children().count() == 13
    for school in schools:
        page = SchoolPage.objects.get(organisation=school)
        assert page.live and page.get_parent().pk == index.pk
        assert page.url_path == f"{index.url_path}{page.slug}/"
        assert client.get(page.url).status_code == 200
        assert school.staff_group.permissions.filter(codename="access_admin").exists()
        assert school.collection.get_parent().pk == Collection.get_first_root_node().pk
        assert set(
            school.staff_group.collection_permissions.values_list("permission__codename", flat=True)
        ) == set(
            alone.staff_group.collection_permissions.values_list("permission__codename", flat=True)
        )

    # Staff of a bulk-provisioned school edit their own page and no other.
    first, second = schools[0], schools[1]
    client.force_login(staff_user(first, "staff-first"))
    assert client.get(f"/admin/pages/{first.page.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{second.page.pk}/edit/").status_code == 302
    assert client.get(f"/admin/pages/{alone.page.pk}/edit/").status_code == 302

    # The new pages are in the search index without a rebuild.
    found = get_search_backend().search(first.name, SchoolPage)
    assert first.page.pk in [page.pk for page in found]
