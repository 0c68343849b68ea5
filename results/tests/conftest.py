"""Fixtures the results tests share."""

import pytest
from django.contrib.auth import get_user_model

from core.permissions import editors_group


@pytest.fixture
def editor():
    """An operator's editor: staff, in the editors' group."""
    user = get_user_model().objects.create_user("editor", password="x", is_staff=True)
    user.groups.add(editors_group())
    return user
