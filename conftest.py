"""Project-wide pytest fixtures."""

import pytest


@pytest.fixture
def home_page(db):
    from home.tests.factories import site_home_page

    return site_home_page()
