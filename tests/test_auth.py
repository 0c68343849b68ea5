"""Sign-in (security.md case 16): throttled failures, a rotated session id, and an account
that stops working the moment it is deactivated."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/"


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def users():
    User = get_user_model()
    return (
        User.objects.create_user(
            "secretary", password="верный-пароль-1", is_staff=True, is_superuser=True
        ),
        User.objects.create_user("colleague", password="другой-пароль-2", is_staff=True),
    )


def sign_in(client, username, password, address="198.51.100.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_failures_are_throttled_per_account(client, users, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 5
    for _ in range(5):
        assert sign_in(client, "secretary", "угадываю").status_code == 200
    refused = sign_in(client, "secretary", "верный-пароль-1")
    assert refused.status_code == 200
    assert "Слишком много неудачных попыток" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account from another address is not affected.
    assert sign_in(client, "colleague", "другой-пароль-2", "203.0.113.5").status_code == 302
    # The window passes (here: the counters expire), and the right password works again.
    cache.clear()
    client.logout()
    assert sign_in(client, "secretary", "верный-пароль-1").status_code == 302


def test_failures_are_throttled_per_address(client, users, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    for name in ("a", "b", "c"):
        sign_in(client, name, "x")
    refused = sign_in(client, "secretary", "верный-пароль-1")
    assert "Слишком много неудачных попыток" in refused.content.decode()
    assert sign_in(client, "secretary", "верный-пароль-1", "203.0.113.99").status_code == 302


def test_sign_in_rotates_the_session_and_deactivation_ends_it(client, users):
    client.get(LOGIN)
    session = client.session
    session["before"] = "1"
    session.save()
    before = session.session_key
    assert sign_in(client, "secretary", "верный-пароль-1").status_code == 302
    assert client.session.session_key != before
    assert client.get("/admin/").status_code == 200

    secretary = users[0]
    secretary.is_active = False
    secretary.save()
    response = client.get("/admin/")
    assert response.status_code == 302 and LOGIN in response["Location"]
    # Reactivated, the account signs in afresh: its old session stays ended (case 40).
    secretary.is_active = True
    secretary.save()
    response = client.get("/admin/")
    assert response.status_code == 302 and LOGIN in response["Location"]


RESET = "/admin/password_reset/"


def request_reset(client, email, address="198.51.100.7"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address)


def test_password_reset_mails_are_throttled_per_account_and_address(client, users, settings):
    # Security.md case 39.
    from django.core import mail

    users[0].email = "secretary@example.ru"
    users[0].save()
    settings.PASSWORD_RESETS_PER_ACCOUNT = 2
    settings.PASSWORD_RESETS_PER_ADDRESS = 4
    responses = [request_reset(client, "secretary@example.ru", f"203.0.113.{n}") for n in range(5)]
    # The page says the same every time (it must not reveal whether the account exists)...
    assert {response.status_code for response in responses} == {302}
    # ...but only two letters went out.
    assert len(mail.outbox) == 2
    cache.clear()
    mail.outbox.clear()
    settings.PASSWORD_RESETS_PER_ADDRESS = 3
    for n in range(6):
        request_reset(client, "secretary@example.ru" if n % 2 else f"nobody{n}@example.ru")
    # From one address, requests count whoever they are for: after the third, the fourth
    # (for the secretary again) is not sent. One letter of the three asked for.
    assert len(mail.outbox) == 1


def test_production_sends_mail_by_smtp_not_into_the_log():
    from tests.test_platform import run_manage

    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.EMAIL_BACKEND)",
        env_overrides={
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": "x" * 50,
            "EMAIL_BACKEND": None,
        },
    )
    assert result.stdout.strip() == "django.core.mail.backends.smtp.EmailBackend", result.stderr


def test_the_operator_lifts_a_lockout_at_once(client, users, settings):
    from io import StringIO

    from django.core.management import call_command

    settings.LOGIN_FAILURES_PER_ACCOUNT = 3
    for _ in range(3):
        sign_in(client, "secretary", "угадываю", "203.0.113.50")
    assert "Слишком много" in sign_in(client, "secretary", "верный-пароль-1").content.decode()
    out = StringIO()
    call_command("unlock_signin", " Secretary ", stdout=out)
    assert "снова открыт" in out.getvalue()
    assert sign_in(client, "secretary", "верный-пароль-1").status_code == 302


def test_throttling_holds_while_the_cache_is_down(client, users, settings):
    # Security.md case 36: the cache refuses connections; failures are counted in the database.
    from core.cache import redis_cache
    from core.models import SignInFailure
    from tests.servers import closed_port

    settings.CACHES = {"default": redis_cache(f"redis://127.0.0.1:{closed_port()}/0")}
    settings.LOGIN_FAILURES_PER_ACCOUNT = 5
    for _ in range(8):
        sign_in(client, "secretary", "угадываю", "203.0.113.77")
    refused = sign_in(client, "secretary", "верный-пароль-1")
    assert "Слишком много неудачных попыток" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    # Only HMACs of the account and the address are stored, never the name or the address.
    keys = set(SignInFailure.objects.values_list("key", flat=True))
    assert keys and not any("secretary" in key or "203.0.113" in key for key in keys)
    # The operator's unlock lifts the database count too.
    from django.core.management import call_command

    call_command("unlock_signin", "secretary", stdout=io.StringIO())
    assert sign_in(client, "secretary", "верный-пароль-1").status_code == 302


def test_the_owner_lifts_a_lockout_by_resetting_the_password_by_mail(client, users, settings):
    import re

    from django.core import mail

    settings.LOGIN_FAILURES_PER_ACCOUNT = 3
    secretary = users[0]
    secretary.email = "secretary@example.ru"
    secretary.save()
    for _ in range(3):
        sign_in(client, "secretary", "угадываю", "203.0.113.60")
    assert "Слишком много" in sign_in(client, "secretary", "верный-пароль-1").content.decode()

    request_reset(client, "secretary@example.ru")
    link = re.search(r"https?://[^/\s]+(/admin/password_reset/confirm/\S+/)", mail.outbox[0].body)
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    new_password = "новый-надёжный-пароль-7"
    done = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1),
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    assert sign_in(client, "secretary", new_password).status_code == 302
