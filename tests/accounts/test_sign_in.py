import pytest
from django.core.cache import cache

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_sign_in_with_e_mail_and_password(client):
    user = UserFactory()

    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_repeated_wrong_passwords_for_one_account_are_throttled(client):
    user = UserFactory()
    statuses = [
        client.post("/accounts/login/", {"login": user.email, "password": "wrong"}).status_code
        for _ in range(6)
    ]

    blocked = client.post(
        "/accounts/login/", {"login": user.email, "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert statuses == [200] * 6
    assert "Too many failed login attempts" in blocked.content.decode()
    assert "_auth_user_id" not in client.session


def test_passwords_are_hashed_with_argon2_in_production_settings(settings):
    from sinergi import settings as production  # noqa: PLC0415

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
