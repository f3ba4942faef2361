"""Every route: who may see it, 404 for unknown things, CSRF on every POST, graph text rendered inert."""

from __future__ import annotations

import re

import pytest
from flask import abort
from werkzeug.exceptions import default_exceptions

from opsprep.web.resources import get_bank

from .web_helpers import HOSTILE_GRAPH_FILES, AuthActions, csrf_token, make_app

PUBLIC = ["/", "/register", "/login", "/logout", "/graph/", "/query", "/export/"]
LOGIN_REQUIRED = ["/study/DOP-C02", "/study/DOP-C02?domain=1", "/settings/"]
LOGIN_REQUIRED_POSTS = ["/study/DOP-C02", "/study/report", "/settings/"]
NOT_FOUND = [
    "/study/NOPE",
    "/study/DOP-C02?domain=7",
    "/study/DOP-C02?domain=Security",
    "/export/NOPE.apkg",
    "/graph/tool/no-such-tool",
    "/no/such/page",
]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return make_app(tmp_path_factory.mktemp("routes"))


@pytest.fixture
def anonymous(app):
    return app.test_client()


@pytest.fixture(scope="module")
def learner(app):
    client = app.test_client()
    AuthActions(client).register("ada")
    return client


@pytest.mark.parametrize("url", PUBLIC)
def test_public_pages_need_no_login(anonymous, url):
    assert anonymous.get(url).status_code == 200


@pytest.mark.parametrize("url", LOGIN_REQUIRED)
def test_pages_that_need_a_login_redirect_to_it(anonymous, learner, url):
    response = anonymous.get(url)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")
    assert learner.get(url).status_code == 200


@pytest.mark.parametrize("url", LOGIN_REQUIRED_POSTS)
def test_posts_that_need_a_login_redirect_to_it(anonymous, url):
    response = anonymous.post(url, data={"action": "answer"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("url", NOT_FOUND)
def test_unknown_things_are_404(learner, url):
    assert learner.get(url).status_code == 404


# The error boundary: one handler turns the library's errors into pages or JSON

UNKNOWN_CERT = ["/study/NOPE", "/dashboard/NOPE"]


def assert_no_cli_wording(text: str) -> None:
    """A web page speaks of pages, not commands: no ``opsprep …`` command and no ``--flag``."""
    assert "opsprep " not in text and "--" not in text, text


@pytest.mark.parametrize("url", UNKNOWN_CERT)
def test_an_unknown_certification_is_a_404_page_that_names_the_known_ones(app, learner, url):
    response = learner.get(url)
    assert response.status_code == 404 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "<title>Not found" in html and "<h1>Not found</h1>" in html
    main = re.search(r"<main\b.*?</main>", html, re.S).group(0)  # the page's own words, not the site's frame
    message = re.search(r'<p role="alert">(.*?)</p>', main, re.S).group(1)
    assert "NOPE" in message
    codes = get_bank(app).catalog.codes()
    assert codes and all(code in message for code in codes)
    assert_no_cli_wording(main)


@pytest.mark.parametrize("url", UNKNOWN_CERT)
def test_an_unknown_certification_is_a_json_404_for_api_clients(app, learner, url):
    response = learner.get(url, headers={"Accept": "application/json"})
    assert response.status_code == 404 and response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error", "message"} and body["error"] == "not-found"
    assert "NOPE" in body["message"] and all(code in body["message"] for code in get_bank(app).catalog.codes())
    assert_no_cli_wording(body["message"])


def test_every_page_without_arguments_answers(app, anonymous, learner):
    """A sweep over the whole URL map (every area's pages): no server error, logged in or not."""
    urls = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments and rule.endpoint != "sparql.endpoint"
    ]
    assert {"/", "/settings/", "/graph/"} <= set(urls)
    for url in urls:
        assert anonymous.get(url).status_code in (200, 302), url
        assert learner.get(url).status_code == 200, url


# CSRF: on for the whole app


@pytest.fixture
def guarded(tmp_path):
    """The app with CSRF checks on (as it runs for real), and a client logged in through the real forms."""
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    assert AuthActions(client).register("ada").status_code == 302
    return app, client


@pytest.mark.parametrize(
    ("url", "form"),
    [
        ("/login", {"name": "ada", "password": "x"}),
        ("/register", {"name": "eve", "password": "long enough", "confirm": "long enough"}),
        ("/logout", {}),
        ("/settings/", {"desired_retention": "0.8", "daily_new_limit": "1"}),
        ("/study/DOP-C02", {"action": "answer", "choice": "A"}),
        ("/study/report", {"item_id": "x", "reason": "other"}),
    ],
)
def test_a_post_without_a_csrf_token_is_rejected(guarded, url, form):
    app, client = guarded
    response = client.post(url, data=form)
    assert response.status_code == 400
    assert "That form has expired" in response.get_data(as_text=True)
    response = client.post(url, data={**form, "csrf_token": "forged"})
    assert response.status_code == 400
    assert "Log out" in client.get("/").get_data(as_text=True)  # still logged in: the logout post did nothing


def test_a_post_with_the_token_works_as_a_field_or_a_header(guarded):
    app, client = guarded
    token = csrf_token(client, "/settings/")
    form = {"desired_retention": "0.8", "daily_new_limit": "7", "default_cert": ""}
    assert client.post("/settings/", data={**form, "csrf_token": token}).status_code == 302
    response = client.post("/settings/", data={**form, "daily_new_limit": "8"}, headers={"X-CSRFToken": token})
    assert response.status_code == 302
    assert 'value="8"' in client.get("/settings/").get_data(as_text=True)
    response = client.post("/settings/", data=form, headers={"Accept": "application/json"})
    assert response.status_code == 400 and response.get_json()["error"] == "csrf"


def test_every_form_carries_the_token(guarded):
    app, client = guarded
    for url in ("/settings/", "/study/DOP-C02", "/"):
        page = client.get(url).get_data(as_text=True)
        forms = re.findall(r"<form[^>]*method=\"post\".*?</form>", page, re.S)
        assert forms, url
        assert all('name="csrf_token"' in form for form in forms), url


def test_the_sparql_endpoint_takes_posts_from_anywhere(guarded):
    """The read-only SPARQL endpoint is a public API (CORS open): exempt from CSRF."""
    app, client = guarded
    response = client.post("/sparql", data={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "application/json"})
    assert response.status_code == 200
    pool = app.extensions.get("opsprep.sparql.pool")
    if pool is not None:
        pool.close()


# Graph text with markup is shown as text


def test_script_in_graph_text_is_inert_on_the_study_page(tmp_path):
    covers = tmp_path / "covers.ttl"  # put the hostile tool on the exam, so that questions about it are studied
    covers.write_text(
        "@prefix ops: <https://w3id.org/opsprep/ontology#> .\n"
        "<https://w3id.org/opsprep/id/domain/dop-c02-2> ops:covers <https://w3id.org/opsprep/id/tool/evil> .\n"
    )
    app = make_app(tmp_path, [*HOSTILE_GRAPH_FILES, covers])
    client = app.test_client()
    AuthActions(client).register("ada")
    pages = []
    for _ in range(5):  # every question of domain 2
        page = client.get("/study/DOP-C02?domain=2").get_data(as_text=True)
        item = re.search(r'name="item_id" value="([^"]+)"', page).group(1)
        seed = re.search(r'name="seed" value="(\d+)"', page).group(1)
        form = {"action": "answer", "item_id": item, "seed": seed, "choice": "A"}
        client.post("/study/DOP-C02?domain=2", data=form)
        feedback = client.get("/study/DOP-C02?domain=2").get_data(as_text=True)
        client.post("/study/DOP-C02?domain=2", data={"action": "rate", "item_id": item, "seed": seed})
        pages += [page, feedback]
    hostile = [p for p in pages if "Evil" in p]
    assert len(hostile) >= 4  # two questions about the tool, each as question and as feedback
    for page in hostile:
        assert "<script>alert" not in page and "<i>YAML</i>" not in page
        assert "&lt;script&gt;alert(&#39;label&#39;)&lt;/script&gt;Evil" in page
    assert any('href="/graph/tool/evil"' in p for p in hostile)


def test_an_unusable_progress_database_is_a_503_that_says_why(tmp_path):
    app = make_app(tmp_path, DATABASE=str(tmp_path / "missing" / "progress.db"))
    response = app.test_client().get("/register")
    assert response.status_code == 200  # pages that need no progress still work
    response = app.test_client().post(
        "/register", data={"name": "ada", "password": "long enough", "confirm": "long enough"}
    )
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "Unavailable right now" in html and "folder" in html and "does not exist" in html


# Error pages: every status in the site's frame; API clients get JSON


def _frame(html: str) -> bool:
    """Whether a page is in the site's frame: its style sheet, the menu and the page's own heading."""
    return (
        '<link rel="stylesheet" href="/static/style.css">' in html
        and '<nav aria-label="Main">' in html
        and '<div class="error-page">' in html
    )


ERROR_STATUSES = sorted(code for code in default_exceptions if code >= 400)


@pytest.fixture(scope="module")
def failing(tmp_path_factory):
    """An app with a route that fails with any status (``/fail/<code>``), and one whose view raises."""
    app = make_app(tmp_path_factory.mktemp("failing"), TESTING=False)

    def fail(code: int):
        abort(code)

    def crash():
        raise RuntimeError("a bug")

    app.add_url_rule("/fail/<int:code>", "fail", fail)
    app.add_url_rule("/crash", "crash", crash)
    return app


@pytest.mark.parametrize("code", ERROR_STATUSES)
def test_every_error_status_is_a_page_in_the_site_frame_or_json_for_api_clients(failing, code):
    client = failing.test_client()
    response = client.get(f"/fail/{code}")
    assert response.status_code == code and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert _frame(html), html
    assert f"Error {code}" in html and "<h1>" in html and 'href="/"' in html
    response = client.get(f"/fail/{code}", headers={"Accept": "application/json"})
    assert response.status_code == code and response.mimetype == "application/json"
    assert set(response.get_json()) == {"error", "message"}


def test_an_unexpected_error_is_a_500_page_in_the_site_frame(failing):
    response = failing.test_client().get("/crash")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert _frame(html) and "Something went wrong" in html and "Nothing was changed" in html
    assert "a bug" not in html  # no internals


def test_an_error_in_loading_the_learner_is_a_page_in_the_site_frame(tmp_path):
    """A damaged progress database fails the request before the learner is loaded: the page still comes in
    the site's frame, as to a visitor, and says what is wrong; an API client gets JSON."""
    app = make_app(tmp_path)
    client = app.test_client()
    assert AuthActions(client).register("ada").status_code == 302
    database = tmp_path / "progress.db"
    for path in tmp_path.glob("progress.db-*"):
        path.unlink()
    database.write_bytes(b"not a database" * 512)
    for url in ("/", "/graph/", "/no/such/page"):
        response = client.get(url)
        assert response.status_code in (503, 404), url
        html = response.get_data(as_text=True)
        assert _frame(html), html
        assert 'href="/login"' in html  # shown as to a visitor: the learner could not be loaded
    assert "is not a usable progress database" in client.get("/").get_data(as_text=True)
    response = client.get("/", headers={"Accept": "application/json"})
    assert response.status_code == 503 and response.get_json()["error"]
    assert database.read_bytes() == b"not a database" * 512  # nothing written
