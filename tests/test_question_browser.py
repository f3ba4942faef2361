"""The question browser, the study card's bookmark/bury/suspend buttons, the study-mode links and the
daily new limit per certification, through the Flask test client."""

from __future__ import annotations

import dataclasses
import re

import pytest

from opsprep.web.resources import BANK_KEY

from .test_engine_queue import two_certifications
from .web_helpers import AuthActions, app_progress, csrf_token, make_app

HOSTILE = "<script>alert('stem')</script>"


@pytest.fixture
def two_certs(tmp_path):
    """The app over a bank of two certifications, AAA and BBB (30 questions each), and a logged-in client."""
    app = make_app(tmp_path)
    app.extensions[BANK_KEY] = two_certifications()
    client = app.test_client()
    assert AuthActions(client).register("ada").status_code == 302
    return app, client


def shown_item(client, url):
    page = client.get(url).get_data(as_text=True)
    found = re.search(r'name="item_id" value="([^"]+)"', page)
    return (found.group(1) if found else None), page


def study_right(app, cert, count):
    """Answer ``count`` new questions of ``cert`` right, through the engine, as learner 1."""
    with app_progress(app) as progress:
        ada = progress.learner(1)
        for _ in range(count):
            card = ada.next_card(cert)
            ada.submit(card.item.id, card.seed, card.presentation.correct_letters, 3000)


def test_home_shows_each_certification_its_own_new_count(two_certs):
    """Bug: after a day's new questions in one certification, every other one showed "New 0"."""
    app, client = two_certs
    study_right(app, "AAA", 20)
    home = client.get("/").get_data(as_text=True)
    news = re.findall(r'<div class="count-new"><dt>New</dt><dd>(\d+)</dd>', home)
    codes = re.findall(r'<h2 id="cert-\d+">(\w+)', home)
    assert dict(zip(codes, news, strict=True)) == {"AAA": "0", "BBB": "20"}
    item, page = shown_item(client, "/study/BBB")
    assert item is not None and item.startswith("BBB")


def test_settings_say_the_limit_is_per_certification(client):
    page = client.get("/settings/").get_data(as_text=True)
    assert "per certification" in page
    assert "over every certification" not in page


def test_the_browser_searches_filters_and_pages(two_certs):
    app, client = two_certs
    page = client.get("/questions/").get_data(as_text=True)
    assert "60 questions, page 1 of 3" in page
    assert page.count('class="question-row"') == 25
    assert page.count('rel="next"') == 2 and 'rel="prev"' not in page  # a pager above the list and below
    last = client.get("/questions/?page=3").get_data(as_text=True)
    assert last.count('class="question-row"') == 10 and 'rel="prev"' in last
    found = client.get("/questions/?q=question+28&cert=AAA").get_data(as_text=True)
    assert "1 question" in found and "Synthetic question 28" in found
    assert 'name="domain"' in found  # a certification chosen: its domains can be
    by_kind = client.get("/questions/?kind=multiple").get_data(as_text=True)
    assert "12 questions" in by_kind  # every fifth question of each certification
    paged = client.get("/questions/?kind=multiple&cert=BBB").get_data(as_text=True)
    assert "6 questions" in paged and "AAA-" not in paged


def test_a_quoted_search_is_a_phrase(two_certs):
    """Bug: the quote marks were searched for as part of the words, so a quoted search found nothing."""
    app, client = two_certs

    def search(text: str, **more: str) -> str:
        return client.get("/questions/", query_string={"q": text, **more}).get_data(as_text=True)

    found = search('"answer 5 to question 28"', cert="AAA")
    assert "1 question<" in found and "Synthetic question 28" in found
    assert "2 questions" in search("“question 28:”")  # curly quotes too: AAA's question 28 and BBB's
    assert "0 questions" in search('"28 question"')  # a phrase keeps its order
    assert "2 questions" in search("28 question")  # words do not


def test_the_browser_shows_state_next_due_and_history(two_certs):
    app, client = two_certs
    with app_progress(app) as progress:
        ada = progress.learner(1)
        card = ada.next_card("AAA")
        wrong = next(o.letter for o in card.presentation.options if not o.correct)
        ada.submit(card.item.id, card.seed, [wrong], 2500)
        due = ada.card(card.item.id).due
    listed = client.get("/questions/?state=wrong").get_data(as_text=True)
    assert "1 question" in listed and "Wrong last time" in listed
    assert due.strftime("%Y-%m-%d %H:%M") in listed
    one = client.get(f"/questions/{card.item.id}").get_data(as_text=True)
    assert re.search(r"<td[^>]*>Wrong</td>\s*<td>Again", one)
    assert "2.5 s" in one and due.strftime("%Y-%m-%d %H:%M") in one
    new = client.get("/questions/?state=new&cert=AAA").get_data(as_text=True)
    assert "29 questions" in new


def test_flags_from_the_browser_and_back(two_certs):
    app, client = two_certs
    item = app.extensions[BANK_KEY].items[0].id
    back = "/questions/?cert=AAA&page=2"
    response = client.post(f"/questions/{item}/flag", data={"action": "suspend", "next": back})
    assert response.status_code == 302 and response.location == back
    page = client.get(back).get_data(as_text=True)
    assert "Suspended: this question will not come up until you unsuspend it." in page
    assert "1 question" in client.get("/questions/?state=suspended").get_data(as_text=True)
    client.post(f"/questions/{item}/flag", data={"action": "bookmark"})
    client.post(f"/questions/{item}/flag", data={"action": "bury"})
    with app_progress(app) as progress:
        flags = progress.learner(1).question_flags(item)
    assert flags.suspended and flags.bookmarked and flags.buried_until is not None
    client.post(f"/questions/{item}/flag", data={"action": "unsuspend"})
    with app_progress(app) as progress:
        assert not progress.learner(1).question_flags(item).suspended


@pytest.mark.parametrize(
    ("item", "form", "status"),
    [
        (None, {"action": "explode"}, 400),
        (None, {}, 400),
        ("q-nonexistent", {"action": "bookmark"}, 404),
    ],
)
def test_bad_flags_are_refused_and_change_nothing(two_certs, item, form, status):
    app, client = two_certs
    item = item or app.extensions[BANK_KEY].items[0].id
    assert client.post(f"/questions/{item}/flag", data=form).status_code == status
    with app_progress(app) as progress:
        assert progress.store.rows("SELECT * FROM card_flags") == []


def test_flags_need_the_forms_token_and_never_redirect_off_site(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    AuthActions(client).register("ada")
    item, _ = shown_item(client, "/study/DOP-C02")
    assert client.post(f"/questions/{item}/flag", data={"action": "bury"}).status_code == 400
    with app_progress(app) as progress:
        assert progress.store.rows("SELECT * FROM card_flags") == []
    token = csrf_token(client, "/questions/")
    form = {"action": "bury", "next": "https://example.com/", "csrf_token": token}
    response = client.post(f"/questions/{item}/flag", data=form)
    assert response.status_code == 302 and response.location == f"/questions/{item}"


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("page=two", 400),
        ("kind=essay", 400),
        ("family=nonsense", 400),
        ("state=forgotten", 400),
        ("cert=NOPE", 400),
        ("domain=1", 400),
        ("q=" + "x" * 201, 400),
        ("cert=AAA&domain=9", 404),
    ],
)
def test_bad_searches_get_a_clear_4xx(two_certs, query, status):
    _, client = two_certs
    response = client.get(f"/questions/?{query}")
    assert response.status_code == status
    assert "<h1>" in response.get_data(as_text=True)


def test_unknown_question_page_is_404(client):
    assert client.get("/questions/q-nonexistent").status_code == 404


def test_the_browser_needs_a_login(app):
    response = app.test_client().get("/questions/")
    assert response.status_code == 302 and "/login" in response.location


def test_graph_text_is_escaped_in_the_browser(tmp_path):
    app = make_app(tmp_path)
    bank = two_certifications(items=5)
    bank.items[:] = [dataclasses.replace(i, stem=HOSTILE + i.stem) for i in bank.items]
    bank.__post_init__()
    app.extensions[BANK_KEY] = bank
    client = app.test_client()
    AuthActions(client).register("ada")
    for url in ("/questions/", f"/questions/{bank.items[0].id}", "/study/AAA"):
        html = client.get(url).get_data(as_text=True)
        assert HOSTILE not in html and "&lt;script&gt;alert(" in html, url


# ---------------------------------------------------------------- the study page's card actions and modes


def test_the_study_card_bookmarks_buries_and_suspends(two_certs):
    app, client = two_certs
    item, page = shown_item(client, "/study/AAA")
    assert 'id="card-actions"' in page and 'aria-keyshortcuts="*"' in page
    assert 'src="/static/card_actions.js"' in page
    response = client.post(f"/questions/{item}/flag", data={"action": "bookmark", "next": "/study/AAA"})
    assert response.location == "/study/AAA"
    again, page = shown_item(client, "/study/AAA")
    assert again == item and "Bookmarked <kbd>*</kbd>" in page and 'value="unbookmark"' in page
    client.post(f"/questions/{item}/flag", data={"action": "bury", "next": "/study/AAA"})
    other, page = shown_item(client, "/study/AAA")
    assert other != item and "Buried until tomorrow: this question will not come up again today." in page
    client.post(f"/questions/{other}/flag", data={"action": "suspend", "next": "/study/AAA"})
    third, _ = shown_item(client, "/study/AAA")
    assert third not in (item, other)


def test_the_study_page_links_the_modes_with_counts(two_certs):
    app, client = two_certs
    wrong_ones = []
    with app_progress(app) as progress:
        ada = progress.learner(1)
        for _ in range(3):
            card = ada.next_card("AAA")
            wrong = next(o.letter for o in card.presentation.options if not o.correct)
            ada.submit(card.item.id, card.seed, [wrong], 2000)
            wrong_ones.append(card.item.id)
        unseen = next(i.id for i in progress.bank.items if i.id.startswith("AAA") and ada.card(i.id) is None)
        ada.flag_question(unseen, "bookmark")
        ada.flag_question(card.item.id, "bookmark")  # answered on the schedule today: in the mode all the same
    page = client.get("/study/AAA").get_data(as_text=True)
    modes = dict(re.findall(r'href="/study/AAA(?:\?mode=(\w+))?"[^>]*>[^<]*<span class="mode-count">(\d+)', page))
    assert modes == {"": "20", "wrong": "3", "bookmarked": "2", "cram": "3"}  # 3 learning + 17 new; 3 seen to cram
    item, page = shown_item(client, "/study/AAA?mode=wrong")
    assert item == wrong_ones[0]  # answered wrong longest ago
    assert 'href="/study/AAA?mode=wrong" aria-current="page"' in page
    assert client.get("/study/AAA?mode=sideways").status_code == 400


def test_an_empty_mode_says_so_and_leads_back_to_the_schedule(two_certs):
    app, client = two_certs
    page = client.get("/study/AAA?mode=bookmarked").get_data(as_text=True)
    assert "Nothing left in this mode" in page
    assert 'href="/study/AAA">Back to the schedule' in page
    assert "new questions; " not in page  # the schedule's daily-limit line belongs to the schedule
