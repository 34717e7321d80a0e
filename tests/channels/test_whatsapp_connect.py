"""Connecting WhatsApp Business numbers through Embedded Signup (redirect variant) and
registering them on the Cloud API, against the fake Graph API."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import override_settings

from sinergi.channels.crypto import token_decrypt
from sinergi.channels.models import AccountStatus, ConnectedAccount
from sinergi.channels.services.oauth import ConnectFailed
from sinergi.channels.services.whatsapp_connect import (
    RegistrationRefused,
    whatsapp_connect_complete,
    whatsapp_number_register,
)
from sinergi.core.tenancy import tenant_context
from tests.channels import fakes
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

CALLBACK = "https://toko.example.id/app/channels/accounts/whatsapp/callback/"
NUMBER_ID = "106540352242999"
WABA_ID = "102290129340398"


@pytest.fixture
def whatsapp_app(fake):
    with override_settings(SINERGI_META_APP_ID="app-id", SINERGI_WHATSAPP_CONFIG_ID="cfg-42"):
        yield fake


def _complete(organisation, code="wa-code"):
    return whatsapp_connect_complete(organisation=organisation, code=code, redirect_uri=CALLBACK)


def test_signup_connects_each_number_of_the_shared_waba_and_subscribes_the_app(whatsapp_app, owner):
    fake = whatsapp_app
    fake.state.waba_numbers[WABA_ID].append(
        {
            "id": "106540352243000",
            "display_phone_number": "0812 1111 2222",
            "verified_name": "Batik Siti Grosir",
            "platform_type": "CLOUD_API",
            "status": "CONNECTED",
        }
    )

    accounts = _complete(owner.organisation)

    assert [(a.external_id, a.name, a.phone_number, a.status) for a in accounts] == [
        (NUMBER_ID, "Batik Siti", "+6281234567890", AccountStatus.NEEDS_REGISTRATION),
        ("106540352243000", "Batik Siti Grosir", "+6281211112222", AccountStatus.ACTIVE),
    ]
    assert fake.state.subscribed_wabas == [WABA_ID]
    with tenant_context(owner.organisation.pk):
        stored = ConnectedAccount.objects.get(external_id=NUMBER_ID)
    assert stored.platform == "whatsapp"
    assert token_decrypt(stored.access_token_encrypted) == "wa-business-token"
    assert "wa-business-token" not in stored.access_token_encrypted
    # The WABA came from debug_token's granular scopes, asked with the app's own token.
    debug = [p for m, path, p in fake.state.requests if path.endswith("/debug_token")]
    assert debug == [{"input_token": "wa-business-token"}]
    # Nothing was registered without the owner's PIN.
    assert fake.state.calls("/register") == 0


def test_no_waba_granted_connects_nothing_and_says_what_to_do(whatsapp_app, owner):
    whatsapp_app.state.granted_wabas = []

    with pytest.raises(ConnectFailed, match="shared no WhatsApp Business Account"):
        _complete(owner.organisation)

    with tenant_context(owner.organisation.pk):
        assert not ConnectedAccount.objects.exists()
    assert whatsapp_app.state.calls("/phone_numbers") == 0


def test_register_with_the_owners_pin_activates_the_number(whatsapp_app, owner):
    [account] = _complete(owner.organisation)

    registered = whatsapp_number_register(account=account, pin="246810")

    assert registered.status == AccountStatus.ACTIVE
    assert whatsapp_app.state.registered == {NUMBER_ID: "246810"}
    sent = next(p for m, path, p in whatsapp_app.state.requests if path.endswith("/register"))
    assert sent == {"messaging_product": "whatsapp", "pin": "246810"}


def test_a_refused_register_keeps_the_number_waiting_and_says_why(whatsapp_app, owner):
    whatsapp_app.state.number_pins[NUMBER_ID] = "111111"  # the number already has a PIN
    [account] = _complete(owner.organisation)

    with pytest.raises(RegistrationRefused, match="already has a two-step verification PIN"):
        whatsapp_number_register(account=account, pin="246810")

    account.refresh_from_db()
    assert account.status == AccountStatus.NEEDS_REGISTRATION
    assert whatsapp_app.state.registered == {}


def test_an_already_registered_answer_counts_as_registered(whatsapp_app, owner):
    [account] = _complete(owner.organisation)
    whatsapp_app.state.fail(
        "/register", 400, fakes.graph_error(100, "Phone number is already registered")
    )

    assert whatsapp_number_register(account=account, pin="246810").status == "active"


def test_a_pin_that_is_not_six_digits_is_refused_before_calling_meta(whatsapp_app, owner):
    [account] = _complete(owner.organisation)

    with pytest.raises(RegistrationRefused, match="exactly 6 digits"):
        whatsapp_number_register(account=account, pin="12345")
    assert whatsapp_app.state.calls("/register") == 0


def test_a_number_of_another_shop_is_refused(whatsapp_app, owner, connect):
    connect(OrganisationFactory(), "whatsapp", external_id=NUMBER_ID)

    with pytest.raises(Exception, match="already connected to another shop"):
        _complete(owner.organisation)


# --- the pages ------------------------------------------------------------------------------


def _start(client) -> str:
    response = client.post("/app/channels/accounts/whatsapp/")
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    query = parse_qs(target.query)
    assert query["config_id"] == ["cfg-42"]
    assert query["response_type"] == ["code"]
    assert query["override_default_response_type"] == ["true"]
    assert query["redirect_uri"] == [CALLBACK]
    assert json.loads(query["extras"][0]) == {"setup": {}}
    return query["state"][0]


def test_owner_connects_then_registers_the_number_with_a_pin(whatsapp_app, owner, signed_in):
    client = signed_in(owner.user)
    assert b'id="connect-whatsapp"' in client.get("/app/channels/accounts/").content
    state = _start(client)

    response = client.get(
        "/app/channels/accounts/whatsapp/callback/", {"code": "wa-code", "state": state}
    )

    with tenant_context(owner.organisation.pk):
        account = ConnectedAccount.objects.get(external_id=NUMBER_ID)
    register_url = f"/app/channels/accounts/{account.pk}/whatsapp-register/"
    assert response.status_code == 302
    assert response["Location"] == register_url
    page = client.get(register_url)
    assert page.status_code == 200
    assert b'inputmode="numeric"' in page.content

    wrong = client.post(register_url, {"pin": "12ab56"})
    assert wrong.status_code == 400
    assert "The PIN must have exactly 6 digits." in wrong.content.decode()
    done = client.post(register_url, {"pin": "135790"}, follow=True)

    assert "is registered" in done.content.decode()
    account.refresh_from_db()
    assert account.status == AccountStatus.ACTIVE
    assert whatsapp_app.state.registered == {NUMBER_ID: "135790"}


def test_the_register_page_shows_a_refusal_next_to_the_pin(whatsapp_app, owner, signed_in):
    whatsapp_app.state.number_pins[NUMBER_ID] = "000000"
    [account] = _complete(owner.organisation)
    client = signed_in(owner.user)

    response = client.post(
        f"/app/channels/accounts/{account.pk}/whatsapp-register/", {"pin": "135790"}
    )

    assert response.status_code == 400
    assert "already has a two-step verification PIN" in response.content.decode()
    account.refresh_from_db()
    assert account.status == AccountStatus.NEEDS_REGISTRATION


def test_a_callback_without_a_granted_waba_reports_it(whatsapp_app, owner, signed_in):
    whatsapp_app.state.granted_wabas = []
    client = signed_in(owner.user)
    state = _start(client)

    response = client.get(
        "/app/channels/accounts/whatsapp/callback/",
        {"code": "wa-code", "state": state},
        follow=True,
    )

    assert "shared no WhatsApp Business Account" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [{"code": "wa-code", "state": "forged"}, {"error": "access_denied"}],
)
def test_a_forged_state_or_a_cancelled_signup_connects_nothing(
    whatsapp_app, owner, signed_in, query
):
    client = signed_in(owner.user)
    state = _start(client)
    if "error" in query:
        query = query | {"state": state}

    assert client.get("/app/channels/accounts/whatsapp/callback/", query).status_code == 302
    with tenant_context(owner.organisation.pk):
        assert not ConnectedAccount.objects.exists()
    assert whatsapp_app.state.calls("/oauth/access_token") == 0


def test_without_a_configuration_there_is_no_button_and_no_redirect(fake, owner, signed_in):
    client = signed_in(owner.user)
    assert b'id="connect-whatsapp"' not in client.get("/app/channels/accounts/").content
    response = client.post("/app/channels/accounts/whatsapp/")
    assert response.status_code == 302
    assert response["Location"] == "/app/channels/accounts/"


def test_staff_may_neither_connect_nor_register(whatsapp_app, owner, member, signed_in):
    [account] = _complete(owner.organisation)
    staff = member(role="staff", organisation=owner.organisation)
    client = signed_in(staff.user)

    assert client.post("/app/channels/accounts/whatsapp/").status_code == 403
    assert client.get("/app/channels/accounts/whatsapp/callback/").status_code == 403
    register_url = f"/app/channels/accounts/{account.pk}/whatsapp-register/"
    assert client.get(register_url).status_code == 403
    assert client.post(register_url, {"pin": "135790"}).status_code == 403
    account.refresh_from_db()
    assert account.status == AccountStatus.NEEDS_REGISTRATION
    assert whatsapp_app.state.calls("/register") == 0


def test_a_preview_number_has_no_register_page(owner, signed_in, connect):
    account = connect(owner.organisation, "whatsapp", is_preview=True)
    url = f"/app/channels/accounts/{account.pk}/whatsapp-register/"
    assert signed_in(owner.user).get(url).status_code == 404
