"""A bounded fuzz of every route, form and query parameter: whatever a client sends, the app answers with a
page or a clear 4xx, never a 5xx, and a malformed request changes nothing.

:data:`FORMS` lists what each route reads; the tests below check that it names every route of the app,
every field of every form in the templates and every parameter the views read, so a new form or
parameter without fuzzing fails.
"""

from __future__ import annotations

import re
import string
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opsprep.web.resources import get_bank
from opsprep.web.sparql import get_pool

from .web_helpers import AuthActions, app_progress, make_app

WEB = Path(__file__).resolve().parent.parent / "web"

#: text a hostile client might send: anything printable or not, numbers of every size, NUL, huge strings
VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "0", "-1", "1e309", "inf", "nan", str(2**64), "A", "B", "Z", "good", "again", "\x00", "%"]),
    st.sampled_from(["²", "٣", "9" * 5000, "goto-2", "goto-²", "goto-" + "9" * 5000, "http://[", "//[", "flag"]),
    st.sampled_from(["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2020-01-01", "time-up", "short"]),
    st.integers().map(str),
    st.text(min_size=2000, max_size=3000),
)
#: header values (printable ASCII: the test client refuses anything else before it is sent)
HEADERS = st.one_of(
    st.sampled_from(["application/json", "text/html", "*/*", "text/csv", "text/turtle;q=0.5, */*;q=0.1", ""]),
    st.text(alphabet=string.printable.strip(), max_size=60),
)
#: values for the parts of a path (``{name}`` in :data:`FORMS`): real ones, out-of-range numbers, anything
PATHS = {
    "cert": st.one_of(st.sampled_from(["DOP-C02", "dop-c02", "CKA", "DOP-C02.apkg"]), VALUES),
    "attempt": st.one_of(st.sampled_from(["1", "2", "0", str(2**63), str(10**30)]), VALUES),
    "position": st.one_of(st.integers(-2, 12).map(str), st.sampled_from([str(2**63), str(2**64 + 1)]), VALUES),
    "number": st.one_of(st.integers(-1, 9).map(str), st.sampled_from([str(2**63)]), VALUES),
    "ref": st.one_of(st.sampled_from(["tool/ansible", "cert/dop-c02", "domain/dop-c02-1", "tool/", "../x"]), VALUES),
    "name": st.one_of(st.sampled_from(["Tool", "Certification", "ExamDomain", "tool"]), VALUES),
    "filename": st.one_of(st.sampled_from(["app.css", "exam.js", "../app.py", "nope.css"]), VALUES),
}
#: a path part that may hold "/" (a ``path`` converter); the others are quoted whole
SLASHED = {"ref", "filename"}

#: (method, URL) -> the fields it reads: form fields of a POST and query parameters of a GET; ``?name`` is
#: a query parameter of a POST, ``header:Name`` a request header. ``{exam}`` is the client's exam in progress,
#: ``{item}`` a question of the bank or anything else
FORMS = {
    ("GET", "/"): (),
    ("GET", "/login"): ("next",),
    ("POST", "/login"): ("?next", "name", "password", "next"),
    ("GET", "/register"): (),
    ("POST", "/register"): ("name", "password", "confirm"),
    ("GET", "/logout"): (),
    ("POST", "/logout"): (),
    ("GET", "/settings/"): (),
    ("POST", "/settings/"): ("desired_retention", "daily_new_limit", "default_cert"),
    ("GET", "/study/{cert}"): ("domain", "mode"),
    ("POST", "/study/DOP-C02"): (
        "?domain",
        "?mode",
        "action",
        "item_id",
        "seed",
        "choice",
        "response",
        "response_ms",
        "rating",
    ),
    ("GET", "/study/{cert}/summary"): ("domain", "mode"),
    ("POST", "/study/report"): ("item_id", "seed", "reason", "comment", "next"),
    ("GET", "/exam/"): (),
    ("POST", "/exam/start"): ("cert", "length"),
    ("GET", "/exam/{attempt}/"): (),
    ("GET", "/exam/{exam}/{position}"): (),
    ("POST", "/exam/{exam}/{position}"): ("choice", "response", "action", "shown_at", "header:Accept"),
    ("GET", "/exam/{attempt}/review"): (),
    ("POST", "/exam/{exam}/finish"): ("reason", "position", "shown_at"),
    ("GET", "/exam/{attempt}/result"): (),
    ("POST", "/exam/{attempt}/retake"): (),
    ("GET", "/exam/history"): (),
    ("GET", "/exam/history/{cert}"): (),
    ("GET", "/dashboard/"): (),
    ("GET", "/dashboard/{cert}"): (),
    ("GET", "/export/"): (),
    ("GET", "/export/{cert}.apkg"): (),
    ("GET", "/export/{cert}/{number}.apkg"): (),
    ("GET", "/graph/"): ("q",),
    ("GET", "/graph/class/{name}"): (),
    ("GET", "/graph/ontology/{name}"): (),
    ("GET", "/graph/{ref}"): (),
    ("GET", "/query"): ("query", "example"),
    ("GET", "/sparql"): ("query", "format", "default-graph-uri", "named-graph-uri", "update", "header:Accept"),
    ("POST", "/sparql"): (
        "?query",
        "query",
        "format",
        "default-graph-uri",
        "named-graph-uri",
        "update",
        "header:Accept",
    ),
    ("GET", "/questions/"): ("q", "cert", "domain", "kind", "family", "state", "page"),
    ("GET", "/questions/{item}"): ("back",),
    ("POST", "/questions/{item}/flag"): ("action", "next"),
    ("GET", "/static/{filename}"): (),
}
#: requests after which the fixture's client may be logged out or logged in as someone else
CHANGES_LOGIN = {"/login", "/register", "/logout"}


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory):
    """A logged-in client with an exam in progress, on the mini graph."""
    unthrottled = {"LOGIN_LIMIT_PER_ADDRESS": "100000 per minute", "LOGIN_LIMIT_PER_ACCOUNT": "100000 per minute"}
    app = make_app(tmp_path_factory.mktemp("fuzz"), SPARQL_WORKERS=1, SPARQL_TIMEOUT=30, **unthrottled)
    client = app.test_client()
    assert AuthActions(client).register("ada").status_code == 302
    yield app, client
    get_pool(app).close()


def exam_in_progress(client) -> str:
    """The id of the client's exam in progress, started (short) when there is none."""
    response = client.post("/exam/start", data={"cert": "DOP-C02", "length": "short"})
    assert response.status_code == 302, response.status_code
    return re.match(r"/exam/(\d+)/", response.headers["Location"]).group(1)


def build_request(data, app, client, method: str, url: str) -> tuple[str, dict, dict, dict]:
    """The path (its ``{parts}`` drawn), form, query string and headers of one fuzzed request."""
    parts = {}
    for name in re.findall(r"\{(\w+)\}", url):
        if name == "exam":
            parts[name] = exam_in_progress(client)
        elif name == "item":
            items = st.sampled_from(sorted(item.id for item in get_bank(app).items))
            parts[name] = quote(data.draw(st.one_of(items, VALUES), label=name), safe="")
        else:
            parts[name] = quote(data.draw(PATHS[name], label=name), safe="/" if name in SLASHED else "")
    path = url.format(**parts)
    form, query, headers = {}, {}, {}
    for field in FORMS[(method, url)]:
        if not data.draw(st.booleans(), label=f"send {field}"):
            continue
        if field.startswith("header:"):
            headers[field[7:]] = data.draw(HEADERS, label=field)
        elif field.startswith("?") or method == "GET":
            query[field.lstrip("?")] = data.draw(VALUES, label=field)
        else:
            form[field] = data.draw(VALUES, label=field)
    return path, form, query, headers


@pytest.mark.parametrize(("method", "url"), sorted(FORMS))
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_input_makes_a_server_error(fuzzed, method, url, data):
    app, client = fuzzed
    path, form, query, headers = build_request(data, app, client, method, url)
    if method == "GET":
        response = client.get(path, query_string=query, headers=headers)
    else:
        response = client.post(path, data=form, query_string=query, headers=headers)
    body = response.get_data()[:300].decode(errors="replace")
    response.close()  # a file sent (a deck, a static file) is closed with its response
    assert response.status_code < 500, (path, form, query, headers, response.status_code, body)
    if url in CHANGES_LOGIN:  # the fuzzed request must not leave the fixture's client logged out
        client.post("/logout")
        assert AuthActions(client).login("ada").status_code == 302
    with app_progress(app) as progress:  # a fuzzed registration may add a learner; none goes missing
        assert "ada" in [learner.name for learner in progress.learners()]


def _matches(app, method: str, url: str) -> str | None:
    """The endpoint a :data:`FORMS` entry reaches, its path parts given plain values."""
    path = url.format(**dict.fromkeys(re.findall(r"\{(\w+)\}", url), "1"))
    try:
        endpoint, _ = app.url_map.bind("localhost").match(path, method=method)
    except Exception:  # noqa: BLE001 - a 404 or 405 from the router: no endpoint
        return None
    return endpoint


def test_every_route_of_the_app_is_fuzzed(tmp_path):
    app = make_app(tmp_path)
    routes = {
        (method, rule.endpoint) for rule in app.url_map.iter_rules() for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    fuzzed = {(method, _matches(app, method, url)) for method, url in FORMS}
    assert {("POST", e) for m, e in routes if m == "POST"} <= fuzzed  # every form's target, first of all
    assert routes - fuzzed == set()


def _template_fields() -> set[str]:
    fields = set()
    for template in (WEB / "templates").rglob("*.html"):
        for tag in re.findall(r"<(?:input|select|textarea|button)\b[^>]*>", template.read_text()):
            fields.update(re.findall(r'\bname="([^"{]+)"', tag))
    return fields - {"csrf_token"}  # every POST carries it; the CSRF tests cover it


def _parameters_read() -> set[str]:
    names = set()
    for module in WEB.rglob("*.py"):
        text = module.read_text()
        names.update(re.findall(r'request\.(?:args|form|values)\.get(?:list)?\(\s*"([^"]+)"', text))
        names.update(re.findall(r'(?<![\w.])params\.get(?:list)?\(\s*"([^"]+)"', text))
        names.update(re.findall(r'"([\w-]+)" in params\b', text))
    return names


def test_every_form_field_and_parameter_is_fuzzed():
    fuzzed = {field.lstrip("?") for fields in FORMS.values() for field in fields}
    assert {"choice", "comment", "query", "next"} <= _template_fields()  # the scan reads the templates
    assert {"q", "domain", "update", "default-graph-uri"} <= _parameters_read()  # ... and the views
    assert _template_fields() - fuzzed == set()
    assert _parameters_read() - fuzzed == set()
