"""The study page kept between requests (``web/study_cache.py``): shown again only while nothing it shows
has changed, whoever changed it (this app, another program on the database, the clock), and never with
another session's token or messages."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from opsprep.engine import LearnerProgress, Rating
from opsprep.engine import clock as engine_clock
from opsprep.questions import present
from opsprep.web.resources import get_bank

from .web_helpers import PASSWORD, AuthActions, app_progress, csrf_token, make_app

URL = "/study/DOP-C02"
TOKENS = re.compile(r'(name="csrf_token" value|name="csrf-token" content)="[^"]*"')


def page(client, url=URL) -> str:
    return client.get(url).get_data(as_text=True)


def fresh(app, client, url=URL) -> str:
    """The page as made from scratch now (nothing kept)."""
    app.extensions.get("opsprep.study_pages", {}).clear()
    return page(client, url)


def without_tokens(html: str) -> str:
    return TOKENS.sub("", html)


def shown(html: str) -> tuple[str, int]:
    """The item id and seed of the question on a page."""
    item = re.search(r'name="item_id" value="([^"]+)"', html).group(1)
    return item, int(re.search(r'name="seed" value="(\d+)"', html).group(1))


def token(html: str) -> str:
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)


def correct(app, item_id: str, seed: int) -> list[str]:
    with app.app_context():
        return list(present(get_bank().get(item_id), seed).correct_letters)


def wrong(app, item_id: str, seed: int) -> list[str]:
    with app.app_context():
        return [next(o.letter for o in present(get_bank().get(item_id), seed).options if not o.correct)]


def post(client, url: str, form: dict) -> str:
    """Post a form and follow its redirect, as a browser does: the page it leads to (with its message)."""
    return client.post(url, data=form, follow_redirects=True).get_data(as_text=True)


def answer_wrong(app, client, item_id: str, seed: int) -> None:
    """Answer a question wrong and keep the default rating (Again: due again in a minute)."""
    post(client, URL, {"action": "answer", "item_id": item_id, "seed": str(seed), "choice": wrong(app, item_id, seed)})
    post(client, URL, {"action": "rate", "item_id": item_id, "seed": str(seed)})


def assert_current(app, client, url=URL) -> str:
    """The page shown now is the page made from scratch now (apart from the session's tokens)."""
    shown_now = page(client, url)
    assert without_tokens(shown_now) == without_tokens(fresh(app, client, url))
    return shown_now


@pytest.fixture
def ada(client):
    """The logged-in client, past the page that greeted it."""
    page(client)
    return client


@pytest.fixture
def counted(monkeypatch):
    """How many times a study page's queue was read (a page shown again reads none)."""
    calls = []
    real = LearnerProgress.next_card

    def next_card(self, *args, **kwargs):
        calls.append(args)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(LearnerProgress, "next_card", next_card)
    return calls


def test_the_page_is_made_once_and_shown_again_unchanged_with_the_sessions_token(ada, app, counted):
    first = page(ada)
    again = page(ada)
    assert len(counted) == 1  # the second was the page kept
    assert again == first  # the same session: the same token too
    assert token(again) != "" and "csrf-token-" not in again  # the mark never leaves the server
    assert without_tokens(again) == without_tokens(fresh(app, ada))


def test_each_session_of_a_learner_gets_its_own_token_on_the_kept_page(app, counted):
    one, two = app.test_client(), app.test_client()
    AuthActions(one).register("ada")
    AuthActions(two).login("ada", PASSWORD)
    page(one)  # the welcome
    counted.clear()
    first, second = page(one), page(two)
    assert len(counted) == 1  # the second session was shown the page the first made
    assert token(first) != token(second)
    assert token(first) == csrf_token(one, URL) and token(second) == csrf_token(two, URL)
    assert without_tokens(first) == without_tokens(second)


@pytest.mark.parametrize("time_limit", [None, 3600])  # tokens as long as the session lasts (the default), or an hour
def test_a_kept_pages_token_is_accepted(tmp_path, counted, time_limit):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True, WTF_CSRF_TIME_LIMIT=time_limit)
    client = app.test_client()
    AuthActions(client).register("ada")
    page(client)  # the welcome
    counted.clear()
    page(client)
    kept = page(client)
    assert len(counted) == 1
    item_id, seed = shown(kept)
    form = {"csrf_token": token(kept), "action": "answer", "item_id": item_id, "seed": str(seed)}
    response = client.post(URL, data={**form, "choice": correct(app, item_id, seed)})
    assert response.status_code == 302
    assert 'id="rate-form"' in page(client)


def test_messages_are_never_kept_nor_shown_to_another_session(app, counted):
    one, two = app.test_client(), app.test_client()
    AuthActions(one).register("ada")  # "Welcome, ada": a message for this session
    AuthActions(two).login("ada", PASSWORD)
    assert "Welcome, ada" not in page(two)  # made for the other session, and kept
    item_id, _ = shown(page(two))
    assert "Welcome, ada" in page(one)  # its own message, on a page made for it
    assert "Welcome, ada" not in page(one) and "Welcome, ada" not in page(two)
    assert "Bookmarked:" in post(one, f"/questions/{item_id}/flag", {"action": "bookmark", "next": URL})
    assert "Bookmarked:" not in page(two) and "Bookmarked:" not in page(one)


# What the learner does in the browser shows at once


def test_an_answer_shows_its_feedback_and_the_rating_the_next_question(ada, app):
    item_id, seed = shown(page(ada))
    page(ada)
    form = {"action": "answer", "item_id": item_id, "seed": str(seed), "choice": wrong(app, item_id, seed)}
    assert 'id="rate-form"' in post(ada, URL, form)
    assert 'id="rate-form"' in page(ada)
    assert "Saved: next review" in post(ada, URL, {"action": "rate", "item_id": item_id, "seed": str(seed)})
    after = assert_current(app, ada)
    assert shown(after)[0] != item_id and 'id="undo-form"' in after


def test_undo_asks_the_question_again(ada, app):
    item_id, seed = shown(page(ada))
    answer_wrong(app, ada, item_id, seed)
    assert shown(page(ada))[0] != item_id
    page(ada)  # kept
    undone = post(ada, URL, {"action": "undo", "item_id": item_id, "seed": str(seed)})
    assert shown(undone) == (item_id, seed) and "Undone: your answer" in undone
    assert shown(assert_current(app, ada)) == (item_id, seed)


@pytest.mark.parametrize("action", ["suspend", "bury"])
def test_a_suspended_or_buried_question_leaves_the_page(ada, app, action):
    before = page(ada)
    item_id, _ = shown(before)
    page(ada)
    post(ada, f"/questions/{item_id}/flag", {"action": action, "next": URL})
    after = assert_current(app, ada)
    assert shown(after)[0] != item_id and "<strong>3</strong> new" in after


def test_a_bookmark_shows_on_the_card_and_in_the_mode_links(ada, app):
    item_id, _ = shown(page(ada))
    page(ada)
    post(ada, f"/questions/{item_id}/flag", {"action": "bookmark", "next": URL})
    after = assert_current(app, ada)
    assert 'aria-pressed="true"' in after and re.search(r"Bookmarked <span class=\"mode-count\">1</span>", after)


def test_a_new_daily_limit_shows_in_the_counts(ada, app):
    assert "<strong>4</strong> new" in page(ada)
    page(ada)
    post(ada, "/settings/", {"daily_new_limit": "2", "desired_retention": "0.9"})
    assert "<strong>2</strong> new" in assert_current(app, ada)


def test_each_mode_and_domain_has_its_own_page(ada, app, counted):
    for url in (URL, f"{URL}?mode=cram", f"{URL}?domain=1", f"{URL}?domain=1&mode=bookmarked"):
        page(ada, url)
        assert_current(app, ada, url)
    assert "Nothing left in this mode" in page(ada, f"{URL}?mode=cram")
    assert 'href="/study/DOP-C02?domain=1&amp;mode=wrong"' in page(ada, f"{URL}?domain=1")


# What another program writes to the database shows at the next request too


def other_program(app):
    """The engine on the app's database, as the terminal or another server process opens it."""
    return app_progress(app)


def test_an_answer_from_another_program_shows(ada, app):
    before = page(ada)
    item_id, seed = shown(before)
    with other_program(app) as progress:
        progress.learner(1).submit(item_id, seed, correct(app, item_id, seed), 3000, Rating.Easy)
    after = assert_current(app, ada)
    assert shown(after)[0] != item_id and "<strong>3</strong> new" in after


def test_a_rating_and_an_undo_from_another_program_show(ada, app):
    item_id, seed = shown(page(ada))
    with other_program(app) as progress:
        progress.learner(1).submit(item_id, seed, wrong(app, item_id, seed), 3000, rate_later=True)
    assert 'id="rate-form"' in page(ada)  # waiting for its rating
    with other_program(app) as progress:
        progress.learner(1).rate(item_id, seed, None)
    rated = assert_current(app, ada)
    assert 'id="rate-form"' not in rated and shown(rated)[0] != item_id
    with other_program(app) as progress:
        progress.learner(1).undo(item_id, seed)
    assert shown(assert_current(app, ada)) == (item_id, seed)


def test_flags_and_settings_from_another_program_show(ada, app):
    item_id, _ = shown(page(ada))
    with other_program(app) as progress:
        progress.learner(1).flag_question(item_id, "suspend")
    assert shown(assert_current(app, ada))[0] != item_id
    with other_program(app) as progress:
        progress.learner(1).update_settings(daily_new_limit=1)
    assert "<strong>1</strong> new" in assert_current(app, ada)
    with other_program(app) as progress:
        progress.learner(1).flag_question(item_id, "unsuspend")
    assert "<strong>1</strong> new" in assert_current(app, ada)


def test_a_write_by_hand_to_the_cards_shows(ada, app):
    item_id, seed = shown(page(ada))
    with other_program(app) as progress:
        progress.learner(1).submit(item_id, seed, correct(app, item_id, seed), 3000, Rating.Easy)
    moved = shown(assert_current(app, ada))[0]
    assert moved != item_id
    with other_program(app) as progress, progress.store.transaction() as db:  # as a tool on the file would
        db.execute("UPDATE cards SET due = ?, state = 2", ["2000-01-01T00:00:00.000000+00:00"])
    after = assert_current(app, ada)
    assert shown(after)[0] == item_id and "<strong>1</strong> due" in after


# The clock alone changes the queue


class Clock:
    """The app's clock (the engine's, which the kept pages are checked by too), set to noon tomorrow (UTC)
    and moved by the test: ``clock.move(minutes=11)``."""

    def __init__(self) -> None:
        real = datetime.now(UTC)
        self.shift = (
            datetime.combine(real.date() + timedelta(days=1), datetime.min.time(), UTC) + timedelta(hours=12) - real
        )

    def now(self) -> datetime:
        return datetime.now(UTC) + self.shift

    def move(self, **delta) -> None:
        self.shift += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    moved = Clock()

    class Moved(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.now(tz) + moved.shift

    monkeypatch.setattr(engine_clock, "datetime", Moved)
    return moved


def test_a_card_falling_due_shows_without_any_write(ada, app, clock, counted):
    item_id, seed = shown(page(ada))
    answer_wrong(app, ada, item_id, seed)  # due again in a minute
    before = page(ada)
    assert shown(before)[0] != item_id
    clock.move(seconds=30)
    assert page(ada) == before  # nothing changed yet: the page kept
    reads = len(counted)
    clock.move(minutes=1)
    after = page(ada)
    assert len(counted) == reads + 1 and shown(after)[0] == item_id  # fallen due: made again
    assert without_tokens(after) == without_tokens(fresh(app, ada))


def test_the_undo_button_goes_when_the_session_does(ada, app, clock):
    item_id, seed = shown(page(ada))
    answer_wrong(app, ada, item_id, seed)
    clock.move(minutes=5)
    assert 'id="undo-form"' in page(ada)
    clock.move(minutes=30)  # a longer break than a session allows
    assert 'id="undo-form"' not in page(ada)


def test_the_new_questions_come_back_with_the_next_day(ada, app, clock):
    post(ada, "/settings/", {"daily_new_limit": "1", "desired_retention": "0.9"})
    item_id, seed = shown(page(ada))
    answer_wrong(app, ada, item_id, seed)
    clock.move(minutes=2)  # the wrong one is due again: the only question today
    today = page(ada)
    assert shown(today)[0] == item_id and "<strong>0</strong> new" in today
    assert page(ada) == today
    clock.move(hours=12)  # past midnight
    assert "<strong>1</strong> new" in assert_current(app, ada)
