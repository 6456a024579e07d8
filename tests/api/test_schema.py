"""Schemathesis: every operation of the OpenAPI schema, called in-process (WSGI) with
generated requests and a BNNK Kota Surabaya manager's Bearer token. No 5xx, and every
response conforms to the schema (status code, content type, body).

Schema-valid requests may still break a domain rule the schema cannot state (an unknown
region code, an assessment date in the future, a component the standard does not have);
the API answers those with 422 and the rule's message. So schemathesis' "positive data
is accepted" check is replaced by a stricter-where-it-matters one: schema-valid data is
never refused as malformed by the request parser (ninja's "Invalid request."), which
would mean the published schema and the parser disagree."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from cegah.wsgi import application
from tests.conftest import bearer

MAX_EXAMPLES = 25
SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def wsgi_app():
    """Cegah's WSGI application, called in-process inside the test's transaction. Like
    Django's test client, keep the request signals from closing the test's connection
    (on PostgreSQL, CONN_MAX_AGE>0 closes a connection left outside autocommit)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield application
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    found = [result.ok() for result in schema.get_all_operations()]
    assert found, "the schema lists operations"
    return found


@schemathesis.check
def schema_valid_data_is_not_malformed(ctx, response, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return None
    malformed = response.status_code == 400 or (
        response.status_code == 422 and response.json().get("detail") == "Invalid request."
    )
    if malformed:
        raise AssertionError(
            f"schema-valid data refused as malformed: {response.status_code} {response.text}"
        )
    return None


def run_operation(operation, mode, token, calls, label):
    """Up to MAX_EXAMPLES generated requests for one operation, each validated."""

    @SETTINGS
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        response = case.call_and_validate(
            headers={"Authorization": token},
            excluded_checks=[positive_data_acceptance],
            additional_checks=[schema_valid_data_is_not_malformed],
        )
        assert response.status_code < 500, (label, case.as_curl_command())
        calls[label] += 1

    run()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["positive", "negative"]
)
def test_every_operation_conforms_to_the_schema(
    wsgi_app, surabaya_manager, surabaya_site, malang_site, mode
):
    token = bearer(surabaya_manager)["HTTP_AUTHORIZATION"]
    calls: dict[str, int] = {}
    for operation in operations(wsgi_app):
        label = f"{operation.method.upper()} {operation.path}"
        calls[label] = 0
        run_operation(operation, mode, token, calls, label)
    print(mode.value, calls)
    assert calls and all(calls.values()), f"every operation ran at least once: {calls}"
