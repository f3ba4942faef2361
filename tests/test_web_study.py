"""The study page, the home page, settings and problem reports, through the Flask test client."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from markupsafe import escape

from opsprep.engine import InvalidSettings, Progress, Rating, UnknownReport, open_store
from opsprep.engine.clock import to_text, utc
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


def without_tokens(page):
    """A page without its CSRF tokens (they carry the time they were made)."""
    return re.sub(r'(name="csrf_token" value|name="csrf-token" content)="[^"]*"', "", page)


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


def rate(client, item_id, seed, rating=None, url="/study/DOP-C02"):
    """Rate the waiting answer (no rating: its default, as a form without a button value sends)."""
    form = {"action": "rate", "item_id": item_id, "seed": str(seed)}
    return client.post(url, data=form if rating is None else {**form, "rating": rating})


def reviews(app):
    with open_store(app.config["DATABASE"]) as store:
        return store.rows(
            "SELECT item_id, seed, chosen, correct, rating, response_ms, rated_at FROM reviews ORDER BY id"
        )


def test_question_page_shows_options_but_not_the_answer(client, app):
    item_id, seed, page = shown(client)
    p = presentation(app, item_id, seed)
    assert str(escape(p.stem)) in page
    assert all(f'name="choice" value="{o.letter}"' in page for o in p.options)
    assert "<h2>Why</h2>" not in page and "right answer" not in page and "correct" not in page
    assert "/static/study.js" in page and "<strong>4</strong> new" in page


def test_an_answer_is_stored_when_graded_and_the_rating_amends_it(client, app):
    item_id, seed, _ = shown(client)
    p = presentation(app, item_id, seed)
    response = answer(client, item_id, seed, p.correct_letters)
    assert response.status_code == 302 and response.headers["Location"] == "/study/DOP-C02"
    [stored] = reviews(app)  # stored at once, with the default rating, waiting for the learner's
    assert (stored["item_id"], stored["correct"], stored["rating"]) == (item_id, 1, Rating.Good)
    assert stored["rated_at"] is None
    page = client.get("/study/DOP-C02").get_data(as_text=True)
    assert "Right." in page and p.explanation.split(".")[0] in page
    assert "Your answer is saved. It counts as Good until you rate it." in page
    assert all(name in page for name in ("Again", "Hard", "Good", "Easy")) and "disabled" not in page
    assert re.search(
        r'value="good"[^>]*>\s*<span class="rating-name"><kbd>3</kbd> Good</span>\s*<span class="interval">10m<', page
    )
    assert re.search(
        r'value="easy"[^>]*>\s*<span class="rating-name"><kbd>4</kbd> Easy</span>\s*<span class="interval">8d<', page
    )
    assert without_tokens(client.get("/study/DOP-C02").get_data(as_text=True)) == without_tokens(page)  # a reload
    response = rate(client, item_id, seed, "easy")
    assert response.status_code == 302
    [review] = reviews(app)
    assert review["item_id"] == item_id and review["correct"] == 1 and review["rating"] == Rating.Easy
    assert review["response_ms"] == 4200 and review["rated_at"] is not None
    with app_progress(app) as progress:
        assert progress.learner(1).card(item_id).due - progress.learner(1).card(item_id).last_review > timedelta(days=3)
    next_item, _, page = shown(client)
    assert next_item != item_id and "Saved: next review in" in page and "rated Easy" in page


def test_a_wrong_answer_is_rated_again_and_a_higher_rating_is_refused(client, app):
    item_id, seed, _ = shown(client)
    p = presentation(app, item_id, seed)
    wrong = next(o.letter for o in p.options if not o.correct)
    answer(client, item_id, seed, [wrong])
    page = client.get("/study/DOP-C02").get_data(as_text=True)
    assert "Wrong." in page and "✗ your answer" in page and "✓ right answer" in page
    assert page.count("disabled") == 3  # Hard, Good and Easy
    assert page.count('<span class="interval">—</span>') == 3  # with no interval: they are not choices
    assert rate(client, item_id, seed, "easy").status_code == 400
    [review] = reviews(app)
    assert review["correct"] == 0 and review["rating"] == Rating.Again
    assert "Wrong." in shown(client)[2]  # still waiting for its rating
    assert rate(client, item_id, seed, "again").status_code == 302
    assert "Wrong." not in shown(client)[2]


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
        ({"action": "end"}, 302),
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
    [review] = reviews(app)
    assert (review["rating"], review["rated_at"]) == (Rating.Good, None)  # unchanged, still waiting


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


def test_a_waiting_answer_outlives_the_web_session(client, app):
    item_id, seed, _ = shown(client)
    answer(client, item_id, seed, presentation(app, item_id, seed).correct_letters)
    AuthActions(client).logout()
    [review] = reviews(app)
    assert review["item_id"] == item_id and review["rating"] == Rating.Good
    other = app.test_client()  # another browser: no cookie of the first
    AuthActions(other).login("ada")
    assert "Right." in shown(other)[2]  # the answer still waits for its rating
    rate(other, item_id, seed, "hard")
    assert [r["rating"] for r in reviews(app)] == [Rating.Hard]


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
    assert "The new retention applies" in page
    assert f'<option value="{CERT}" selected>' in page
    client.post("/settings/", data={**form, "daily_new_limit": "6"})  # only the limit changes
    page = client.get("/settings/").get_data(as_text=True)
    assert "Settings saved" in page and "retention applies" not in page
    with app_progress(app) as progress:
        learner = progress.learner(1).info
    assert (learner.desired_retention, learner.daily_new_limit, learner.default_cert) == (0.85, 6, CERT)


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


def test_an_answer_left_for_another_certification_keeps_its_default_and_says_so(tmp_path):
    from .web_helpers import FIXTURES

    app = make_app(tmp_path, [*MINI_GRAPH_FILES, FIXTURES / "anki" / "tools.ttl"])  # DOP-C02 and CKA
    client = app.test_client()
    AuthActions(client).register("ada")
    item_id, seed, _ = shown(client)
    p = presentation(app, item_id, seed)
    answer(client, item_id, seed, p.correct_letters)
    page = client.get("/study/CKA").get_data(as_text=True)
    assert "rate-form" not in page  # a CKA question instead
    assert "without rating it: your answer is kept, rated Good (the default), and comes back in 10m." in page
    assert str(escape(p.stem[:30])) in page
    [review] = reviews(app)
    assert (review["item_id"], review["rating"]) == (item_id, Rating.Good) and review["rated_at"] is not None
    page = client.get("/study/DOP-C02").get_data(as_text=True)
    assert "Right." not in page and "without rating it" not in page  # nothing waits any more, said once
    assert rate(client, item_id, seed, "easy").status_code == 302  # a late rating changes nothing ...
    assert "it stays Good" in shown(client)[2]  # ... and says so
    assert [r["rating"] for r in reviews(app)] == [Rating.Good]


def test_an_answer_left_for_another_domain_keeps_its_default(client, app):
    item_id, seed, _ = shown(client, "/study/DOP-C02?domain=1")  # the mini graph's domains share no question
    answer(client, item_id, seed, ["A"], url="/study/DOP-C02?domain=1")
    page = client.get("/study/DOP-C02?domain=2").get_data(as_text=True)
    assert "without rating it" in page and "rate-form" not in page
    [review] = reviews(app)
    assert review["rated_at"] is not None


def test_a_second_session_cannot_retract_a_wrong_answer(client, app):
    second = app.test_client()
    AuthActions(second).login("ada")
    item_id, seed, _ = shown(client)
    assert shown(second)[:2] == (item_id, seed)  # both show the same question
    p = presentation(app, item_id, seed)
    wrong = next(o.letter for o in p.options if not o.correct)
    answer(client, item_id, seed, [wrong])
    answer(second, item_id, seed, p.correct_letters)  # the right answer, too late
    page = shown(second)[2]
    assert "answered already (in another tab?): here is that answer" in page and "Wrong." in page
    assert rate(second, item_id, seed, "easy").status_code == 400
    rate(client, item_id, seed, "again")
    [review] = reviews(app)
    assert (review["correct"], review["rating"]) == (0, Rating.Again)
    assert "rated Again" in shown(client)[2]


def test_a_rating_from_another_tab_after_the_first_says_what_stands(client, app):
    item_id, seed, _ = shown(client)
    answer(client, item_id, seed, presentation(app, item_id, seed).correct_letters)
    other = app.test_client()
    AuthActions(other).login("ada")
    rate(other, item_id, seed, "hard")
    rate(client, item_id, seed, "easy")
    page = shown(client)[2]
    assert "That answer was rated already (in another tab?): it stays Hard" in page
    assert [r["rating"] for r in reviews(app)] == [Rating.Hard]


# Undo and the session summary


def undo(client, item_id, seed, url="/study/DOP-C02"):
    return client.post(url, data={"action": "undo", "item_id": item_id, "seed": str(seed)})


def test_undo_takes_back_the_last_rating_and_asks_the_question_again(client, app):
    item_id, seed, page = shown(client)
    assert "undo-form" not in page  # nothing to undo yet
    p = presentation(app, item_id, seed)
    answer(client, item_id, seed, p.correct_letters)
    rate(client, item_id, seed, "easy")
    next_item, next_seed, page = shown(client)
    assert next_item != item_id
    assert f'name="item_id" value="{item_id}"' in page.split('id="undo-form"')[1].split("</form>")[0]
    assert "<kbd>U</kbd> or <kbd>Ctrl</kbd>+<kbd>Z</kbd> undoes the last answer" in page
    response = undo(client, item_id, seed)
    assert response.status_code == 302 and response.headers["Location"] == "/study/DOP-C02"
    again, again_seed, page = shown(client)
    assert (again, again_seed) == (item_id, seed)  # the same question, the same options, asked again
    assert "Undone: your answer to" in page and "(Easy). Answer it again." in page
    assert reviews(app) == []
    with app_progress(app) as progress:
        assert progress.learner(1).card(item_id) is None  # new again
        assert progress.store.scalar("SELECT count(*) FROM undone_reviews") == 1
    assert undo(client, item_id, seed).status_code == 302
    assert "That answer was undone already." in shown(client)[2]


def test_undo_on_the_feedback_takes_back_the_answer(client, app):
    item_id, seed, _ = shown(client)
    answer(client, item_id, seed, ["A"])
    page = client.get("/study/DOP-C02").get_data(as_text=True)
    assert (
        'id="rate-form"' in page
        and 'id="undo-form"' in page
        and "<kbd>U</kbd> or <kbd>Ctrl</kbd>+<kbd>Z</kbd> undoes the answer" in page
    )
    undo(client, item_id, seed)
    assert shown(client)[:2] == (item_id, seed) and reviews(app) == []


@pytest.mark.parametrize(
    ("form", "status"),
    [
        ({"action": "undo", "item_id": "q-nope", "seed": "1"}, 400),
        ({"action": "undo", "item_id": "ITEM", "seed": "x"}, 400),
        ({"action": "undo", "item_id": "ITEM", "seed": "1"}, 302),  # nothing to undo: said, nothing changed
        ({"action": "rate", "item_id": "ITEM", "seed": "x"}, 400),
        ({"action": "rate", "item_id": "ITEM", "seed": "SEED", "rating": "superb"}, 400),
    ],
)
def test_bad_undo_and_rating_posts_change_nothing(client, app, form, status):
    item_id, seed, _ = shown(client)
    answer(client, item_id, seed, presentation(app, item_id, seed).correct_letters)
    before = reviews(app)
    form = {k: {"ITEM": item_id, "SEED": str(seed)}.get(v, v) for k, v in form.items()}
    assert client.post("/study/DOP-C02", data=form).status_code == status
    assert reviews(app) == before


def test_an_answer_that_was_answered_again_is_not_undone(client, app):
    with app_progress(app) as progress:
        ada = progress.learner(1)
        card = ada.next_card("DOP-C02")
        wrong = next(o.letter for o in card.presentation.options if not o.correct)
        ada.submit(card.item.id, card.seed, [wrong])
        again_seed = ada.current_seed(card.item.id)
        again = present(progress.bank.get(card.item.id), again_seed)
        ada.submit(card.item.id, again_seed, again.correct_letters)
    assert undo(client, card.item.id, card.seed).status_code == 409
    assert len(reviews(app)) == 2


def coming_back(page):
    """How many questions the summary says come back, from a day on (intervals of days are fuzzed)."""
    counts = re.findall(r"<li><strong>(\d+)</strong> (within a week|within a month)", page)
    return sum(int(n) for n, _ in counts)


def test_ending_the_session_shows_its_summary(client, app):
    for _ in range(2):
        item_id, seed, _ = shown(client)
        answer(client, item_id, seed, presentation(app, item_id, seed).correct_letters)
        rate(client, item_id, seed, "easy")
    item_id, seed, page = shown(client)
    assert 'id="end-form"' in page
    answer(client, item_id, seed, ["A"])  # then leave it unrated
    response = client.post("/study/DOP-C02", data={"action": "end"})
    assert response.status_code == 302 and response.headers["Location"] == "/study/DOP-C02/summary"
    page = client.get("/study/DOP-C02/summary").get_data(as_text=True)
    assert "Session ended" in page and "without rating it: your answer is kept" in page
    assert re.search(r"<dt>Answered</dt><dd>3</dd>", page) and "<dt>Time</dt><dd>under a minute</dd>" in page
    assert "Coming back" in page and coming_back(page) == 2  # the two rated Easy (the wrong one: not now)
    assert 'href="/study/DOP-C02"' in page
    assert all(r["rated_at"] is not None for r in reviews(app))
    page = shown(client)[2]
    assert 'id="undo-form"' not in page  # a new session: nothing of it to undo yet


def test_the_summary_page_without_an_ended_session_goes_to_the_study_page(client):
    response = client.get("/study/DOP-C02/summary?domain=1")
    assert response.status_code == 302 and response.headers["Location"] == "/study/DOP-C02?domain=1"
    assert client.get("/study/NOPE/summary").status_code == 404


def test_the_done_page_shows_the_session_summary(client, app):
    for _ in range(4):  # every question of the mini graph
        item_id, seed, _ = shown(client)
        answer(client, item_id, seed, presentation(app, item_id, seed).correct_letters)
        rate(client, item_id, seed, "easy")
    page = shown(client)[2]
    assert "Nothing to study right now" in page and "This session" in page
    assert re.search(r"<dt>Answered</dt><dd>4</dd>", page) and re.search(r"<dt>Right</dt><dd>4</dd>", page)
    assert coming_back(page) == 4 and 'id="undo-form"' in page


# Study modes in the page address


def test_the_mode_stays_in_the_page_address_and_a_cram_answer_keeps_the_schedule(client, app):
    with app_progress(app) as progress:
        ada = progress.learner(1)
        card = ada.next_card("DOP-C02")
        ada.submit(card.item.id, card.seed, card.presentation.correct_letters, rating="easy")
        due = ada.card(card.item.id).due
        seed = ada.current_seed(card.item.id)
    shown_now = present(card.item, seed)
    response = answer(client, card.item.id, seed, shown_now.correct_letters, url="/study/DOP-C02?mode=cram")
    assert response.headers["Location"] == "/study/DOP-C02?mode=cram"
    response = rate(client, card.item.id, seed, "hard", url="/study/DOP-C02?mode=cram")
    assert response.headers["Location"] == "/study/DOP-C02?mode=cram"
    with app_progress(app) as progress:
        assert progress.learner(1).card(card.item.id).due == due
        assert progress.store.scalar("SELECT mode FROM reviews ORDER BY id DESC LIMIT 1") == "cram"
    page = client.get("/study/DOP-C02?mode=cram").get_data(as_text=True)
    assert 'action="/study/DOP-C02?mode=cram"' in page  # undo and ending the session stay in the mode


@pytest.mark.parametrize("url", ["/study/DOP-C02?mode=superb", "/study/DOP-C02/summary?mode=x"])
def test_an_unknown_mode_is_refused(client, url):
    assert client.get(url).status_code == 400


def test_home_never_says_more_new_questions_were_started_than_the_limit_allows(client, app):
    with app_progress(app) as progress:
        me = progress.learner(1)
        for _ in range(3):
            card = me.next_card(CERT)
            me.submit(card.item.id, card.seed, card.presentation.correct_letters, 2000)
        me.update_settings(daily_new_limit=2)
    page = client.get("/").get_data(as_text=True)
    assert "3 of 2 new" not in page and "3 new questions started today (the limit is now 2)" in " ".join(page.split())


def test_an_incomplete_answer_asks_the_same_question_even_when_another_has_come_due(client, app):
    first, first_seed, _ = shown(client)
    view = presentation(app, first, first_seed)
    answer(client, first, first_seed, view.correct_letters)
    rate(client, first, first_seed, "again")  # in learning: due again within a minute
    second, second_seed, _ = shown(client)
    assert second != first
    with app_progress(app) as progress, progress.store.transaction() as db:  # the first is due now, ahead of it
        db.execute("UPDATE cards SET due = ? WHERE item_id = ?", [to_text(utc() - timedelta(minutes=1)), first])
    answer(client, second, second_seed, [])  # nothing chosen
    again, again_seed, page = shown(client)
    assert (again, again_seed) == (second, second_seed) and "Choose one option." in page
    assert shown(client)[0] == first  # once: then the queue goes on as before


def test_a_learning_card_whose_step_has_passed_is_badged_as_the_header_counts_it(client, app):
    """Bug: the card said "DUE" while the header counted it among the learning ones."""
    first, seed, _ = shown(client)
    wrong = next(o.letter for o in presentation(app, first, seed).options if not o.correct)
    answer(client, first, seed, [wrong])
    rate(client, first, seed)  # again: due in a minute
    with app_progress(app) as progress, progress.store.transaction() as db:  # a minute later
        db.execute("UPDATE cards SET due = ? WHERE item_id = ?", [to_text(utc() - timedelta(seconds=5)), first])
    item_id, _, page = shown(client)
    assert item_id == first
    assert '<span class="badge badge-learning">learning</span>' in page
    assert "<strong>0</strong> due" in page and "<strong>1</strong> learning" in page
