"""The study page, the home page, settings and problem reports, through the Flask test client."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape

from opsprep.engine import InvalidSettings, Progress, Rating, UnknownReport, open_store
from opsprep.engine.synthetic import synthetic_bank
from opsprep.questions import present

from .web_helpers import MINI_GRAPH_FILES, AuthActions, app_progress, make_app

CERT = "https://w3id.org/opsprep/id/cert/dop-c02"


def shown(client, url="/study/DOP-C02"):
    """The question on the study page: its item id, seed and the page."""
    page = client.get(url).get_data(as_text=True)
    item = re.search(r'name="item_id" value="([^"]+)"', page)
    seed = re.search(r'name="seed" value="(\d+)"', page)
    return (item.group(1) if item else None), (int(seed.group(1)) if seed else None), page


def presentation(app, item_id, seed):
    from opsprep.web.resources import get_bank

    with app.app_context():
        return present(get_bank().get(item_id), seed)


def answer(client, item_id, seed, letters, url="/study/DOP-C02", response_ms="4200"):
    form = {
        "action": "answer",
        "item_id": item_id,
        "seed": str(seed),
        "choice": list(letters),
        "response_ms": response_ms,
    }
    return client.post(url, data=form)


def rate(client, item_id, seed, rating="good", url="/study/DOP-C02"):
    return client.post(url, data={"action": "rate", "item_id": item_id, "seed": str(seed), "rating": rating})


def reviews(app):
    with open_store(app.config["DATABASE"]) as store:
        return store.rows("SELECT item_id, seed, chosen, correct, rating, response_ms FROM reviews ORDER BY id")


def test_question_page_shows_options_but_not_the_answer(client, app):
    item_id, seed, page = shown(client)
    p = presentation(app, item_id, seed)
    assert str(escape(p.stem)) in page
    assert all(f'name="choice" value="{o.letter}"' in page for o in p.options)
    assert "<h2>Why</h2>" not in page and "right answer" not in page and "correct" not in page
    assert "/static/study.js" in page and "<strong>4</strong> new" in page


def test_right_answer_then_rating_stores_one_review(client, app):
    item_id, seed, _ = shown(client)
    p = presentation(app, item_id, seed)
    response = answer(client, item_id, seed, p.correct_letters)
    assert response.status_code == 302 and response.headers["Location"] == "/study/DOP-C02"
    assert reviews(app) == []  # nothing stored before the rating
    page = client.get("/study/DOP-C02").get_data(as_text=True)
    assert "Right." in page and p.explanation.split(".")[0] in page
    assert all(name in page for name in ("Again", "Hard", "Good", "Easy")) and "disabled" not in page
    assert re.search(
        r'value="good"[^>]*>\s*<span class="rating-name"><kbd>3</kbd> Good</span>\s*<span class="interval">10m<', page
    )
    assert client.get("/study/DOP-C02").get_data(as_text=True) == page  # a reload shows the same feedback
    response = rate(client, item_id, seed, "easy")
    assert response.status_code == 302
    [review] = reviews(app)
    assert review["item_id"] == item_id and review["correct"] == 1 and review["rating"] == Rating.Easy
    assert review["response_ms"] == 4200
    next_item, _, page = shown(client)
    assert next_item != item_id and "Saved: next review in" in page and "rated Easy" in page


def test_wrong_answer_is_rated_again_whatever_is_sent(client, app):
    item_id, seed, _ = shown(client)
    p = presentation(app, item_id, seed)
    wrong = next(o.letter for o in p.options if not o.correct)
    answer(client, item_id, seed, [wrong])
    page = client.get("/study/DOP-C02").get_data(as_text=True)
    assert "Wrong." in page and "✗ your answer" in page and "✓ right answer" in page
    assert page.count("disabled") == 3  # Hard, Good and Easy
    rate(client, item_id, seed, "easy")
    [review] = reviews(app)
    assert review["correct"] == 0 and review["rating"] == Rating.Again


def test_a_rating_sent_twice_is_stored_once(client, app):
    item_id, seed, _ = shown(client)
    answer(client, item_id, seed, presentation(app, item_id, seed).correct_letters)
    rate(client, item_id, seed)
    rate(client, item_id, seed)
    assert len(reviews(app)) == 1


def test_an_answer_needs_the_right_number_of_options(client, app):
    item_id, seed, _ = shown(client)
    response = answer(client, item_id, seed, [])
    assert response.status_code == 302
    again, again_seed, page = shown(client)
    assert (again, again_seed) == (item_id, seed) and "Choose one option." in page
    answer(client, item_id, seed, ["A", "B"])
    assert "Choose one option." in shown(client)[2]
    answer(client, item_id, seed, ["Z"])
    assert "Choose one option." in shown(client)[2] and reviews(app) == []


def test_an_old_showing_is_not_graded_again(client, app):
    item_id, seed, _ = shown(client)
    answer(client, item_id, seed, presentation(app, item_id, seed).correct_letters)
    rate(client, item_id, seed)
    answer(client, item_id, seed, ["A"])
    assert "answered already" in shown(client)[2]
    assert len(reviews(app)) == 1


@pytest.mark.parametrize(
    ("form", "status"),
    [
        ({"action": "answer", "item_id": "q-nope", "seed": "1", "choice": "A"}, 400),
        ({"action": "answer", "item_id": "ITEM", "seed": "x", "choice": "A"}, 400),
        ({"action": "dance"}, 400),
        ({"action": "rate", "item_id": "q-nope", "seed": "1", "rating": "good"}, 302),  # nothing waits: back to study
    ],
)
def test_bad_posts(client, form, status):
    item_id, _, _ = shown(client)
    form = {k: (item_id if v == "ITEM" else v) for k, v in form.items()}
    assert client.post("/study/DOP-C02", data=form).status_code == status


def test_an_unknown_rating_is_refused(client, app):
    item_id, seed, _ = shown(client)
    answer(client, item_id, seed, presentation(app, item_id, seed).correct_letters)
    assert rate(client, item_id, seed, "superb").status_code == 400
    assert reviews(app) == []


def test_domain_narrows_the_questions(client, app):
    from opsprep.web.resources import get_bank

    with app.app_context():
        domain_2 = {i.id for i in get_bank().items if "https://w3id.org/opsprep/id/domain/dop-c02-2" in i.domains}
    seen = set()
    for _ in range(len(domain_2)):
        item_id, seed, page = shown(client, "/study/DOP-C02?domain=2")
        assert "Only 2. Configuration Management and IaC" in page
        seen.add(item_id)
        answer(client, item_id, seed, ["A"], url="/study/DOP-C02?domain=2")
        rate(client, item_id, seed, url="/study/DOP-C02?domain=2")
    assert seen == domain_2


@pytest.mark.parametrize("url", ["/study/NOPE", "/study/DOP-C02?domain=9", "/study/DOP-C02?domain=1&domain=x"])
def test_unknown_certification_or_domain_is_404(client, url):
    assert client.get(url).status_code == 404


def test_studying_makes_the_certification_the_default(client, app):
    shown(client, "/study/dop-c02")
    with app_progress(app) as progress:
        assert progress.learner(1).info.default_cert == CERT


def test_nothing_left_page(client, app):
    client.post("/settings/", data={"desired_retention": "0.9", "daily_new_limit": "0", "default_cert": ""})
    item_id, _, page = shown(client)
    assert item_id is None and "Nothing to study right now" in page and "Change the daily limit" in page


def test_home_counts_change_as_you_study(client, app):
    page = client.get("/").get_data(as_text=True)
    assert re.search(r"<dt>New</dt><dd>4</dd>", page) and "0 of 4 questions seen" in page
    item_id, seed, _ = shown(client)
    answer(client, item_id, seed, presentation(app, item_id, seed).correct_letters)
    rate(client, item_id, seed, "good")
    page = client.get("/").get_data(as_text=True)
    assert re.search(r"<dt>New</dt><dd>3</dd>", page) and "1 of 4 questions seen" in page
    assert "Your certification" in page
    assert 'href="/study/DOP-C02?domain=1"' in page and 'href="/study/DOP-C02?domain=2"' in page


def test_each_learner_sees_only_their_own_progress(app, client):
    item_id, seed, _ = shown(client)
    answer(client, item_id, seed, presentation(app, item_id, seed).correct_letters)
    rate(client, item_id, seed)
    other = app.test_client()
    AuthActions(other).register("bob")
    assert "0 of 4 questions seen" in other.get("/").get_data(as_text=True)
    assert shown(other)[0] == item_id  # bob starts where ada started, with his own options
    with open_store(app.config["DATABASE"]) as store:
        assert store.scalar("SELECT count(*) FROM cards WHERE learner_id = 2") == 0


def test_a_waiting_answer_is_stored_at_logout(client, app):
    item_id, seed, _ = shown(client)
    answer(client, item_id, seed, presentation(app, item_id, seed).correct_letters)
    AuthActions(client).logout()
    [review] = reviews(app)
    assert review["item_id"] == item_id and review["rating"] == Rating.Good


def test_feedback_links_sources_and_graph_pages(client, app):
    item_id, seed, _ = shown(client)
    p = presentation(app, item_id, seed)
    answer(client, item_id, seed, p.correct_letters)
    page = client.get("/study/DOP-C02").get_data(as_text=True)
    for source in p.sources:
        assert f'<a href="{source}" rel="noopener noreferrer">' in page
    assert re.search(r'<a href="/graph/(aws|tool|topic)/[a-z-]+">', page)


def test_sources_that_are_not_web_links_are_not_links(tmp_path):
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        "<https://w3id.org/opsprep/id/aws/codebuild> dcterms:source <javascript:alert(1)> .\n"
    )
    app = make_app(tmp_path, [*MINI_GRAPH_FILES, extra], DATABASE=str(tmp_path / "x.db"))
    client = app.test_client()
    AuthActions(client).register("ada")
    for _ in range(4):
        item_id, seed, _ = shown(client)
        p = presentation(app, item_id, seed)
        answer(client, item_id, seed, p.correct_letters)
        page = client.get("/study/DOP-C02").get_data(as_text=True)
        assert 'href="javascript:' not in page
        rate(client, item_id, seed)


def test_reporting_a_problem(client, app):
    item_id, seed, _ = shown(client)
    answer(client, item_id, seed, ["A"])
    page = client.get("/study/DOP-C02").get_data(as_text=True)
    assert "Report a problem with this question" in page and 'value="wrong-answer"' in page
    form = {
        "item_id": item_id,
        "seed": str(seed),
        "reason": "unclear",
        "comment": " Two readings. ",
        "next": "/study/DOP-C02",
    }
    response = client.post("/study/report", data=form)
    assert response.status_code == 302 and response.headers["Location"] == "/study/DOP-C02"
    assert "your report was saved" in client.get("/study/DOP-C02").get_data(as_text=True)
    with app_progress(app) as progress:
        [report] = progress.reports()
    assert (report.item_id, report.seed, report.reason, report.comment) == (item_id, seed, "unclear", "Two readings.")
    response = client.post("/study/report", data={**form, "next": "https://evil.example/"})
    assert response.status_code == 302 and response.headers["Location"] == "/"  # never off site
    # a report that cannot be stored says why, back where the learner was, and nothing is stored
    response = client.post("/study/report", data={**form, "reason": "boring"})
    assert response.status_code == 302
    assert "The report was not saved: the reason must be one of" in client.get("/study/DOP-C02").get_data(as_text=True)
    # a comment of the longest length counts a browser's CRLF line break as one character
    long = "x" * 1000 + "\r\n" + "y" * 999
    assert client.post("/study/report", data={**form, "comment": long}).status_code == 302
    assert client.post("/study/report", data={**form, "item_id": "q-nope"}).status_code == 400
    with app_progress(app) as progress:
        assert [r.reason for r in progress.reports()] == ["unclear", "unclear", "unclear"]
        assert progress.reports()[-1].comment == "x" * 1000 + "\n" + "y" * 999


def test_report_engine_functions():
    with Progress.open(":memory:", synthetic_bank(items=4)) as progress:
        learner = progress.learner(progress.create_learner("ada").id)
        first = learner.report_problem("q-1", "typo", "x" * 10, seed=3)
        learner.report_problem("q-2", "other")
        assert [r.item_id for r in progress.reports()] == ["q-1", "q-2"]
        progress.set_report_status(first.id, "resolved")
        assert [r.item_id for r in progress.reports()] == ["q-2"]
        assert [r.status for r in progress.reports(status=None, item_id="q-1")] == ["resolved"]
        assert first.to_dict()["reason"] == "typo"
        with pytest.raises(InvalidSettings, match="reason must be one of"):
            learner.report_problem("q-1", "nope")
        with pytest.raises(InvalidSettings, match="more than 2000"):
            learner.report_problem("q-1", "typo", "x" * 2001)
        with pytest.raises(InvalidSettings, match="status"):
            progress.set_report_status(first.id, "lost")
        with pytest.raises(UnknownReport):
            progress.set_report_status(999, "resolved")


# Settings


def test_settings_show_and_save(client, app):
    page = client.get("/settings/").get_data(as_text=True)
    assert 'value="0.90"' in page and 'value="20"' in page and '<option value="" selected>None</option>' in page
    form = {"desired_retention": "85%", "daily_new_limit": "5", "default_cert": CERT}
    response = client.post("/settings/", data=form)
    assert response.status_code == 302
    page = client.get("/settings/").get_data(as_text=True)
    assert "Settings saved" in page and 'value="0.85"' in page and 'value="5"' in page
    assert f'<option value="{CERT}" selected>' in page
    with app_progress(app) as progress:
        learner = progress.learner(1).info
    assert (learner.desired_retention, learner.daily_new_limit, learner.default_cert) == (0.85, 5, CERT)


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"desired_retention": "0.5"}, "Desired retention: a number from 0.70 to 0.99"),
        ({"desired_retention": "lots"}, "Desired retention"),
        ({"daily_new_limit": "-1"}, "New questions a day: a whole number from 0 to 9999"),
        ({"daily_new_limit": "2.5"}, "New questions a day"),
        ({"default_cert": "https://example.org/cert"}, "Default certification: choose one from the list."),
    ],
)
def test_settings_refuse_bad_values_and_change_nothing(client, app, form, message):
    full = {"desired_retention": "0.8", "daily_new_limit": "10", "default_cert": "", **form}
    response = client.post("/settings/", data=full)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    with app_progress(app) as progress:
        learner = progress.learner(1).info
    assert (learner.desired_retention, learner.daily_new_limit) == (0.9, 20)


def test_an_answer_left_for_another_certification_is_stored_as_good_or_again(tmp_path):
    from .web_helpers import FIXTURES

    app = make_app(tmp_path, [*MINI_GRAPH_FILES, FIXTURES / "anki" / "tools.ttl"])  # DOP-C02 and CKA
    client = app.test_client()
    AuthActions(client).register("ada")
    item_id, seed, _ = shown(client)
    answer(client, item_id, seed, presentation(app, item_id, seed).correct_letters)
    assert "rate-form" not in client.get("/study/CKA").get_data(as_text=True)  # a CKA question instead
    [review] = reviews(app)
    assert (review["item_id"], review["rating"]) == (item_id, Rating.Good)
    assert "Right." not in client.get("/study/DOP-C02").get_data(as_text=True)  # nothing waits any more


def test_a_waiting_answer_survives_closing_the_browser(client, app):
    item_id, seed, _ = shown(client)
    response = answer(client, item_id, seed, presentation(app, item_id, seed).correct_letters)
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "Expires=" in cookie  # a permanent session cookie, not one that ends with the browser
