"""Every cabinet page says who is signed in and offers «Выйти»; «Выйти» ends the session.

The walk is over Django's URL patterns, so a cabinet URL added later without a page here
fails the test instead of being missed; and every template with the cabinet's container
extends the cabinet's layout, which is where the name and «Выйти» come from.
"""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from .cabinet_world import NOT_PAGES, PASSWORD, cabinet_world, pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return cabinet_world()


def cabinet_url_names():
    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and route.startswith("cabinet/"):
                yield pattern.name

    return set(walk(get_resolver().url_patterns))


def signed_in(person):
    client = Client()
    assert client.login(username=person.username, password=PASSWORD)
    return client


def account_bar(html):
    """(the name shown as signed in, the logout form) of a page, or Nones."""
    soup = BeautifulSoup(html, "html.parser")
    bar = soup.select_one("header nav.account-bar")
    if bar is None:
        return None, None
    name = bar.select_one(".account-bar__user strong")
    return (name.get_text(strip=True) if name else None), bar.select_one("form")


def test_every_cabinet_url_has_a_page_here_or_a_reason_it_has_none(world):
    walked = set(pages(world)) | set(NOT_PAGES)
    missing = cabinet_url_names() - walked
    assert not missing, f"cabinet URLs nobody checks for the account bar: {sorted(missing)}"


def test_every_cabinet_page_shows_the_user_and_a_logout_button(world):
    names = {
        world["staff"]: "Мария Иванова",
        world["expert"]: "Анна Петрова",
        world["coordinator"]: "Ольга Смирнова",
    }
    for url_name, visits in pages(world).items():
        for person, method, path, data, status in visits:
            response = getattr(signed_in(person), method)(path, data or {})
            assert response.status_code == status, (url_name, path, response.status_code)
            shown, form = account_bar(response.content.decode())
            assert shown == names[person], (url_name, path)
            assert form is not None, (url_name, path)
            assert form["method"] == "post" and form["action"] == "/cabinet/logout/"
            assert form.select_one("input[name=csrfmiddlewaretoken]") is not None
            assert form.select_one("button").get_text(strip=True) == "Выйти"


def test_a_user_without_a_name_is_shown_by_login(world):
    staff = world["staff"]
    staff.first_name = staff.last_name = ""
    staff.save()
    shown, _form = account_bar(signed_in(staff).get("/cabinet/").content.decode())
    assert shown == staff.username


def test_every_cabinet_template_extends_the_cabinet_layout():
    roots = [Path(settings.BASE_DIR)]
    templates = [
        path
        for root in roots
        for path in root.glob("*/templates/**/*.html")
        if ".venv" not in path.parts
    ]
    cabinet = [p for p in templates if 'class="container cabinet' in p.read_text()]
    assert len(cabinet) >= 17
    for path in cabinet:
        first = path.read_text().splitlines()[0]
        assert first == '{% extends "cabinet_base.html" %}', path


def test_public_pages_show_no_account_bar(world):
    client = signed_in(world["staff"])
    for path in ("/", "/ratings/"):
        shown, form = account_bar(client.get(path).content.decode())
        assert (shown, form) == (None, None), path


@pytest.mark.parametrize("who", ["staff", "expert", "coordinator"])
def test_logout_ends_the_session_and_the_cabinet_asks_to_sign_in_again(world, who):
    client = Client(enforce_csrf_checks=True)
    assert client.login(username=world[who].username, password=PASSWORD)
    page = client.get("/cabinet/")
    assert page.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]

    # Not by a link or a prefetch, and not without the form's token.
    assert client.get("/cabinet/logout/").status_code == 405
    assert client.post("/cabinet/logout/").status_code == 403
    assert client.get("/cabinet/").status_code == 200

    response = client.post("/cabinet/logout/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/cabinet/"
    again = client.get("/cabinet/")
    assert again.status_code == 302
    assert again["Location"].startswith("/admin/login/")
    signin = client.get(response["Location"]).content.decode()
    assert "Вы вышли из личного кабинета" in signin and "Вы вошли как" not in signin
