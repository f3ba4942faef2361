"""The dashboard: readiness, domains weakest first, the two SVG charts, recent exams; each learner their own."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from .web_helpers import AuthActions, app_progress


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
    html = client.get("/dashboard/DOP-C02").get_data(as_text=True)
    assert f'href="/exam/{attempt_id}/result"' in html and "0 of 4" in html and "not passed" in html
