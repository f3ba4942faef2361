"""A bounded fuzz of every form and query parameter: whatever a client sends, the app answers with a page
or a clear 4xx, never a 5xx, and a malformed request changes nothing."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opsprep.web.sparql import get_pool

from .web_helpers import AuthActions, app_progress, make_app

#: text a hostile client might send: anything printable or not, numbers of every size, NUL, huge strings
VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "0", "-1", "1e309", "inf", "nan", str(2**64), "A", "B", "Z", "good", "again", "\x00", "%"]),
    st.integers().map(str),
    st.text(min_size=2000, max_size=3000),
)
FORMS = {
    ("POST", "/study/DOP-C02"): ("action", "item_id", "seed", "choice", "response_ms", "rating"),
    ("POST", "/study/report"): ("item_id", "seed", "reason", "comment", "next"),
    ("POST", "/settings/"): ("desired_retention", "daily_new_limit", "default_cert"),
    ("POST", "/exam/start"): ("cert", "length"),
    ("POST", "/exam/1/1"): ("choice", "action"),
    ("POST", "/login"): ("name", "password", "next"),
    ("POST", "/register"): ("name", "password", "confirm"),
    ("GET", "/graph/"): ("q",),
    ("GET", "/study/CKA"): ("domain",),
    ("GET", "/query"): ("query", "example"),
    ("GET", "/sparql"): ("query", "format", "default-graph-uri", "named-graph-uri"),
}


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory):
    """A logged-in client with an exam in progress (attempt 1), on the mini graph."""
    app = make_app(tmp_path_factory.mktemp("fuzz"), SPARQL_WORKERS=1, SPARQL_TIMEOUT=30)
    client = app.test_client()
    assert AuthActions(client).register("ada").status_code == 302
    assert client.post("/exam/start", data={"cert": "DOP-C02", "length": "short"}).status_code == 302
    yield app, client
    get_pool(app).close()


@pytest.mark.parametrize(("method", "url"), sorted(FORMS))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_input_makes_a_server_error(fuzzed, method, url, data):
    app, client = fuzzed
    fields = {name: data.draw(VALUES, label=name) for name in FORMS[(method, url)] if data.draw(st.booleans())}
    response = client.get(url, query_string=fields) if method == "GET" else client.post(url, data=fields)
    assert response.status_code < 500, (url, fields, response.status_code, response.get_data(as_text=True)[:300])
    if url in ("/login", "/register"):  # the fuzzed login must not leave the fixture's client logged out
        AuthActions(client).login("ada")
    with app_progress(app) as progress:
        assert [learner.name for learner in progress.learners()][0] == "ada"
