"""Provisioning keeps Wagtail's collection tree valid while appending school collections."""

import pytest
from wagtail.models import Collection

from schools.tests.factories import OrganisationFactory

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
