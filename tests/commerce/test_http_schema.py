"""The API fuzzed from its own OpenAPI document (schemathesis, through the WSGI app).

Every operation gets a bounded number of generated requests — valid and invalid — sent with a
real shop token; no answer may be a 5xx, and every answer must match the document: a declared
status code, the declared content type, a body that fits its schema, and invalid input refused.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from sinergi.commerce.tokens import api_token_create
from tests.commerce.conftest import variant_make
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.slow

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The real WSGI handler closes "old" connections at each request, as Django's test client
    does not: on PostgreSQL that closed the test's own connection inside its transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(db) -> dict[str, str]:
    shop = OrganisationFactory()
    # A few real rows so that some generated ids hit something.
    for i in range(3):
        variant_make(shop, name=f"Produk {i}", sku=f"P-{i}", stock=5)
    _token, plain = api_token_create(organisation=shop, name="fuzz", created_by=None)
    return {"Authorization": f"Bearer {plain}"}


# The document is read through the WSGI app at collection; it needs no database.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE])


@schema.parametrize()
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@pytest.mark.django_db
def test_api_conforms_to_its_openapi_document(case, bearer):
    case.call_and_validate(headers=bearer, checks=CHECKS)
