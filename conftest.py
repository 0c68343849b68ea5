"""Project-wide pytest fixtures."""

import pytest


@pytest.fixture
def home_page(db):
    from home.tests.factories import site_home_page

    return site_home_page()


@pytest.fixture(autouse=True)
def forget_process_memos():
    """Test transactions roll back without signals: drop what the process remembers."""
    from surveys.views import forget_campaign

    forget_campaign()
    yield
    forget_campaign()
