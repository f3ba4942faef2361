"""The dashboard: readiness, domains weakest first, the two SVG charts, recent exams; each learner their own."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest

from opsprep.engine.synthetic import synthetic_bank
from opsprep.web.resources import BANK_KEY

from .web_helpers import AuthActions, app_progress, make_app


def study(app, learner_id, domains=(), count=10) -> int:
    """Answer up to ``count`` questions rightly through the engine; returns how many were answered."""
    done = 0
    with app_progress(app) as progress:
        learner = progress.learner(learner_id)
        for _ in range(count):
            card = learner.next_card("DOP-C02", domains)
            if card is None or card.kind != "new":
                break
            learner.submit(card.item.id, card.seed, card.presentation.correct_letters, 4000)
            done += 1
    return done


SVG = "{http://www.w3.org/2000/svg}"


def charts(html: str) -> list[ET.Element]:
    return [ET.fromstring(svg) for svg in re.findall(r"<svg.*?</svg>", html, flags=re.S)]


def text_of(svg: ET.Element, cls: str) -> list[str]:
    return [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text") if t.get("class") == cls]


@pytest.mark.parametrize("url", ["/dashboard/", "/dashboard/DOP-C02"])
def test_login_required(app, url):
    response = app.test_client().get(url)
    assert response.status_code == 302 and response.location.startswith("/login")


def test_unknown_certification_is_404(client):
    assert client.get("/dashboard/NOPE").status_code == 404


def test_a_new_learner_sees_empty_charts_and_every_domain(client):
    html = client.get("/dashboard/DOP-C02").get_data(as_text=True)
    assert "0.0%" in html and "Readiness is" in html
    reviews, forecast = charts(html)
    assert reviews.get("role") == "img" and reviews.find("{http://www.w3.org/2000/svg}title").text.startswith("Answers")
    assert text_of(reviews, "chart-empty") == ["No answers yet"]
    assert "No answers in the last 30 days." in reviews.find("{http://www.w3.org/2000/svg}desc").text
    assert len(list(reviews.iter("{http://www.w3.org/2000/svg}rect"))) == 30
    assert len(list(forecast.iter("{http://www.w3.org/2000/svg}rect"))) == 30
    assert 'href="/study/DOP-C02?domain=1"' in html and 'href="/study/DOP-C02?domain=2"' in html
    assert "No DOP-C02 exams yet" in html


def test_studying_changes_readiness_charts_and_puts_the_weakest_domain_first(app, client):
    answered = study(app, 1, domains=["1"])
    assert answered >= 1
    html = client.get("/dashboard/DOP-C02").get_data(as_text=True)
    assert float(re.search(r'class="big-figure">([\d.]+)%', html).group(1)) > 0
    reviews, forecast = charts(html)
    assert text_of(reviews, "chart-value")[-1] == str(answered)  # today, the last bar
    desc = reviews.find("{http://www.w3.org/2000/svg}desc").text
    assert f"{answered} answers in the last 30 days ({answered} right)" in desc
    assert sum(int(v) for v in text_of(forecast, "chart-value")) == answered
    rows = re.findall(r'<th scope="row">(.*?)</th>', html, flags=re.S)
    assert rows[0].startswith("2. ")  # domain 2, never studied, is the weakest
    assert f"{answered} of" in html


def test_each_learner_sees_only_their_own_progress(app, client):
    study(app, 1)
    other = app.test_client()
    AuthActions(other).register("bob")
    html = other.get("/dashboard/DOP-C02").get_data(as_text=True)
    reviews, _ = charts(html)
    assert text_of(reviews, "chart-empty") == ["No answers yet"]
    assert "0.0%" in html


def test_the_overview_lists_every_certification(app, client):
    study(app, 1, count=2)
    html = client.get("/dashboard/").get_data(as_text=True)
    assert 'href="/dashboard/DOP-C02"' in html and 'href="/study/DOP-C02"' in html
    assert "2 of 4 questions seen" in html


def test_finished_exams_show_up(app, client):
    response = client.post("/exam/start", data={"cert": "DOP-C02", "length": "short"})
    attempt_id = int(response.location.split("/")[2])
    html = client.get("/dashboard/DOP-C02").get_data(as_text=True)
    assert f'href="/exam/{attempt_id}/"' in html and "in progress" in html
    client.post(f"/exam/{attempt_id}/finish")
    with app_progress(app) as progress:
        questions = progress.learner(1).attempt(attempt_id).result.total  # as many as the exam drew
    html = client.get("/dashboard/DOP-C02").get_data(as_text=True)
    assert f'href="/exam/{attempt_id}/result"' in html and f"0 of {questions}" in html and "not passed" in html


def test_every_page_counts_questions_seen_the_same_way(tmp_path):
    """A question serving two domains counts once: the overview, the certification page and home agree."""
    app = make_app(tmp_path)
    app.extensions[BANK_KEY] = synthetic_bank(items=40, weights=(50.0, 50.0))  # every 7th item serves both
    client = app.test_client()
    AuthActions(client).register("ada")
    with app_progress(app) as progress:
        me = progress.learner(1)
        for _ in range(15):
            card = me.next_card("SYN")
            me.submit(card.item.id, card.seed, card.presentation.correct_letters, 3000)
        answered = [progress.bank.get(item_id) for (item_id,) in progress.store.tuples("SELECT item_id FROM cards")]
    assert len(answered) == 15 and any(len(item.domains) == 2 for item in answered)
    assert "15 of 40 questions seen" in client.get("/").get_data(as_text=True)
    assert "15 of 40 questions seen" in client.get("/dashboard/").get_data(as_text=True)
    assert "25 of 40 never seen" in client.get("/dashboard/SYN").get_data(as_text=True)


def answer_on(app, learner_id, cert, moment):
    """One right answer in ``cert`` at ``moment``, through the engine."""
    with app_progress(app) as progress:
        learner = progress.learner(learner_id)
        card = learner.next_card(cert, now=moment)
        learner.submit(card.item.id, card.seed, card.presentation.correct_letters, 3000, now=moment)


def test_the_overview_shows_study_habits(app, client):
    html = client.get("/dashboard/").get_data(as_text=True)
    assert "Answer your first question to start a streak." in html
    [calendar] = [svg for svg in charts(html) if "study-calendar" in svg.get("class")]
    assert "No reviews in the last 182 days" in calendar.find(f"{SVG}desc").text
    now = datetime.now(UTC)
    for days_ago, cert in [(2, "DOP-C02"), (1, "DOP-C02"), (1, "FOUNDATIONS"), (0, "FOUNDATIONS")]:  # any counts
        answer_on(app, 1, cert, now - timedelta(days=days_ago))
    html = client.get("/dashboard/").get_data(as_text=True)
    # three days in a row, today included (or, should midnight pass meanwhile, up to yesterday: still current)
    assert re.search(r'id="current-streak"><span class="big-figure">3</span>', html)
    assert re.search(r'id="longest-streak"><span class="big-figure">3</span>', html)
    assert "3 days in a row, today included." in html or "3 days in a row up to yesterday" in html
    [calendar] = [svg for svg in charts(html) if "study-calendar" in svg.get("class")]
    assert calendar.get("role") == "img" and calendar.find(f"{SVG}title").text == "Reviews per day, last 26 weeks"
    cells = [r for r in calendar.iter(f"{SVG}rect") if "calendar-day" in r.get("class")]
    assert len(cells) == 182 and sum(int(r.get("data-count")) for r in cells) == 4
    yesterday = (now - timedelta(days=1)).date()
    tips = [r.find(f"{SVG}title").text for r in cells]
    assert f"2 reviews on {yesterday:%a} {yesterday.day} {yesterday:%b %Y}" in tips
    listed = re.findall(r"<li>(\d+ reviews? on [^<]+)</li>", html)
    assert (
        len(listed) == 3 and listed[1] == f"2 reviews on {yesterday:%a} {yesterday.day} {yesterday:%b %Y}"
    )  # newest first


def test_where_progress_is_kept(app, client):
    database = app.config["DATABASE"]
    settings = client.get("/settings/").get_data(as_text=True)
    assert f'<code id="progress-database">{database}</code>' in settings
    assert f"opsprep study --learner ada --db {database}" in settings  # not the instance folder's database
    assert f"<code>{database}</code>" in client.get("/dashboard/").get_data(as_text=True)


def test_the_terminal_command_needs_no_db_for_the_instance_database(tmp_path):
    app = make_app(tmp_path, DATABASE=None)
    client = app.test_client()
    AuthActions(client).register("Ada Lovelace")
    settings = client.get("/settings/").get_data(as_text=True)
    assert str(tmp_path / "instance" / "progress.db") in settings
    assert "opsprep study --learner &#39;Ada Lovelace&#39;</code>" in settings


def test_home_and_dashboard_show_the_engines_new_counts_per_certification(app, client):
    with app_progress(app) as progress:
        me = progress.learner(1)
        me.update_settings(daily_new_limit=3)
        expected = {code: me.counts(code) for code in ("DOP-C02", "FOUNDATIONS")}
    assert study(app, 1, count=3) == 3  # the day's three new DOP-C02 questions
    with app_progress(app) as progress:
        counts = {code: progress.learner(1).counts(code) for code in ("DOP-C02", "FOUNDATIONS")}
    assert counts["DOP-C02"].new == 0 and counts["FOUNDATIONS"].new == expected["FOUNDATIONS"].new
    home = client.get("/").get_data(as_text=True)
    overview = client.get("/dashboard/").get_data(as_text=True)
    for code, count in counts.items():
        card = re.search(rf'<h2 id="cert-\d+">{code} .*?</li>\s*(?=<li class="cert-card|</ul>)', home, re.S).group()
        assert f'<div class="count-new"><dt>New</dt><dd>{count.new}</dd></div>' in card
        assert f"{count.new_today} of\n      {count.new_limit} new questions started today" in card
        section = re.search(rf'<section class="cert-card".*?>{code}</a>.*?</section>', overview, re.S).group()
        assert f"{count.new} new today" in section


def test_domain_weights_show_with_their_own_precision(tmp_path):
    """Bug: Terraform's eight 12.5 % domains each read "12% of the exam"."""
    app = make_app(tmp_path)
    app.extensions[BANK_KEY] = synthetic_bank(items=40, weights=(12.5,) * 6 + (20.0, 5.0))
    client = app.test_client()
    AuthActions(client).register("ada")
    html = client.get("/dashboard/SYN").get_data(as_text=True)
    assert html.count("12.5% of the exam") == 6 and "20% of the exam" in html and "5% of the exam" in html
    assert "12% of the exam" not in html and "13% of the exam" not in html
