"""Where items are filed (exam domains or the DevOps foundations deck), the exam's world, and the
giveaway rules."""

from __future__ import annotations

import pytest

from opsprep.engine import NotAnExam, Progress
from opsprep.questions.giveaways import Giveaway, content_words, giveaways, screen
from opsprep.questions.model import Choice
from opsprep.questions.scopes import FOUNDATIONS_IRI

from .conftest import NOW
from .web_helpers import AuthActions, csrf_token, make_app


@pytest.fixture(scope="module")
def bank(shipped_bank):
    return shipped_bank


def test_the_foundations_deck_follows_the_certifications_and_has_no_exam(bank):
    *certs, deck = bank.catalog
    assert all(c.is_exam for c in certs) and not deck.is_exam
    assert deck.code == "FOUNDATIONS" and deck.iri == FOUNDATIONS_IRI
    assert bank.for_certification(deck)
    exam_domains = {d.iri for c in certs for d in c.domains}
    for item in bank.for_certification(deck):
        assert not exam_domains & set(item.domains)  # an item is on an exam or in the deck, never both


def test_off_exam_facets_never_reach_an_exam(bank):
    off = ("tool-license/", "tool-language/", "tool-maintainer/", "tool-cncf-maturity/", "equivalent")
    for item in bank.items:
        if item.template.startswith(off):
            assert all(d.startswith(FOUNDATIONS_IRI) for d in item.domains), (item.template, item.domains)


def test_exam_items_are_about_what_their_domain_covers(bank):
    """Filed where the outline covers it, or where a curriculum competency of the domain needs it."""
    for item in bank.items:
        needed = set(bank.facts.hands_on.domains_for(set(item.about)))
        for domain in item.domains:
            if not domain.startswith(FOUNDATIONS_IRI):
                covered = any(domain in bank.facts.covered_by.get(iri, ()) for iri in item.about)
                assert covered or domain in needed, item.stem


def test_exam_items_draw_wrong_options_from_the_exams_world(bank):
    for item in bank.items:
        certs = {bank.catalog.cert_of(d).iri for d in item.domains if not d.startswith(FOUNDATIONS_IRI)}
        if not certs:
            continue
        world = set().union(*(bank.facts.worlds[c] for c in certs))
        for option in item.distractors:
            assert not option.iri or option.iri in world, (item.stem, option.text)


def test_the_foundations_deck_cannot_be_examined_but_can_be_studied(bank):
    with Progress.open(":memory:", bank) as progress:
        learner = progress.learner(progress.create_learner("ada").id)
        with pytest.raises(NotAnExam, match="no exam"):
            learner.start_exam("FOUNDATIONS", now=NOW)
        assert learner.next_card("FOUNDATIONS", now=NOW) is not None


def test_the_web_offers_no_foundations_exam_and_says_why_on_its_page(tmp_path):
    app = make_app(tmp_path)
    client = app.test_client()
    AuthActions(client).register("ada")
    assert "FOUNDATIONS" not in client.get("/exam/").get_data(as_text=True)
    page = client.get("/dashboard/FOUNDATIONS").get_data(as_text=True)
    assert "study deck with no exam" in page and "Take a FOUNDATIONS exam" not in page
    form = {"cert": "FOUNDATIONS", "csrf_token": csrf_token(client, "/exam/")}
    response = client.post("/exam/start", data=form)
    assert response.status_code == 400


def choice(facts, short, text=None):
    iri = f"https://w3id.org/opsprep/id/{short}"
    return Choice(iri, text or facts.things[iri].label, iri=iri)


def test_wrong_options_of_another_kind_or_platform_are_screened_out(bank):
    facts = bank.facts
    answers = [choice(facts, "aws/codebuild")]
    wrong = [
        choice(facts, "aws/codedeploy"),
        choice(facts, "aws/codepipeline"),
        choice(facts, "aws/cloudformation"),
        choice(facts, "azure/pipelines"),  # another platform: the AWS option would stand out
        choice(facts, "tool/jenkins"),  # a tool among services: another kind
    ]
    kept = screen(facts, "Which AWS service compiles source code and runs tests?", answers, wrong, 3)
    assert [c.key.rsplit("/", 1)[1] for c in kept] == ["codedeploy", "codepipeline", "cloudformation"]
    assert giveaways(facts, "Which service compiles code?", answers, wrong[3:]) == ["kind", "platform"]


def test_a_key_sharing_a_word_with_the_stem_needs_wrong_options_that_share_one_too(bank):
    facts = bank.facts
    stem = "Which service stores secrets and rotates them?"
    answers = [choice(facts, "aws/secrets-manager")]
    wrong = [choice(facts, "aws/kms"), choice(facts, "aws/iam"), choice(facts, "aws/cloudtrail")]
    assert content_words("Secrets Manager") & content_words(stem)
    with pytest.raises(Giveaway):
        screen(facts, stem, answers, wrong, 3)
    assert giveaways(facts, stem, answers, wrong) == ["words"]


def test_no_shipped_showing_breaks_a_giveaway_rule(bank):
    from opsprep.questions import present

    for item in bank.items:
        if item.type == "true_false":
            continue
        for seed in (0, 1):
            shown = present(item, seed)
            wrong = [c for c in item.distractors if c.key in {o.key for o in shown.options if not o.correct}]
            assert giveaways(bank.facts, item.stem, item.answers, wrong) == [], item.stem


def test_the_home_page_says_the_foundations_deck_has_no_exam(tmp_path):
    app = make_app(tmp_path)
    client = app.test_client()
    AuthActions(client).register("ada")
    page = client.get("/").get_data(as_text=True)
    assert "FOUNDATIONS" in page and "A study deck with no exam" in page
