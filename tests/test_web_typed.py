"""Typed answers and tasks on the study page, through the Flask test client: the POST paths (CSRF, blank,
overlong), the verdict shown back (escaped), undo keeping the text, and code blocks."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from opsprep.engine import open_store
from opsprep.graph.catalog import Catalog, ExamDomain, certification
from opsprep.questions import (
    Choice,
    QuestionBank,
    QuestionItem,
    QuestionType,
    Requirement,
    Response,
)
from opsprep.questions.facts import Facts
from opsprep.web.resources import BANK_KEY
from opsprep.web.study_typed import code_class

from .web_helpers import AuthActions, csrf_token, make_app

BASE = "https://example.org/"
CERT = f"{BASE}cert/kube"
#: domain 1 holds the manifest task, domain 2 the kubectl command, domain 3 a command-choice item with code
DOMAINS = [f"{BASE}domain/kube-{n}" for n in (1, 2, 3)]
DEPLOYMENT_PAGE = "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/"
SCALE_PAGE = "https://kubernetes.io/docs/reference/kubectl/generated/kubectl_scale/"

MODEL_MANIFEST = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 80
"""
STARTER = "apiVersion: apps/v1\nkind: Deployment\n"
SCALE = "kubectl scale deployment web --replicas=5 --namespace shop"
SHOWN_CODE = "kind: Service\nspec:\n  type: <b>NodePort</b>\n"


def _requirement(rid: str, text: str, path: str, op: str, value: str) -> Requirement:
    return Requirement(id=rid, text=text, document="Deployment/web", path=path, op=op, value=value)


TASK = QuestionItem(
    id="task-deployment-web",
    template="test-task",
    type=QuestionType.TASK,
    stem="Write a Deployment named web that runs three replicas of nginx:1.27, serving on port 80.",
    answers=(),
    distractors=(),
    explanation="A Deployment keeps spec.replicas Pods of its template running.",
    sources=(DEPLOYMENT_PAGE,),
    domains=(DOMAINS[0],),
    about=(),
    difficulty=0.5,
    response=Response(
        form="manifest",
        model_answer=MODEL_MANIFEST,
        starter=STARTER,
        language="yaml",
        requirements=(
            _requirement("name", "The Deployment is named web", "metadata.name", "equals", '"web"'),
            _requirement("replicas", "It runs three replicas", "spec.replicas", "equals", "3"),
            _requirement(
                "image", "Its container web runs nginx:1.27", "spec.template.spec.containers[name=web].image",
                "equals", '"nginx:1.27"',
            ),
            _requirement(
                "port", "The container serves on port 80",
                "spec.template.spec.containers[name=web].ports[*].containerPort", "equals", "80",
            ),
        ),
    ),
)  # fmt: skip
TYPED = QuestionItem(
    id="typed-kubectl-scale",
    template="test-typed",
    type=QuestionType.TYPED,
    stem="Type the command that scales the Deployment web in the namespace shop to five replicas.",
    answers=(),
    distractors=(),
    explanation="kubectl scale sets the replica count of a workload.",
    sources=(SCALE_PAGE,),
    domains=(DOMAINS[1],),
    about=(),
    difficulty=0.5,
    response=Response(form="kubectl", accepted=(SCALE,), language="shell"),
)
COMMAND = QuestionItem(
    id="command-with-code",
    template="test-command",
    type=QuestionType.COMMAND,
    stem="Which command creates the object shown?",
    answers=(Choice("apply", "kubectl apply -f service.yaml"),),
    distractors=(Choice("get", "kubectl get -f service.yaml"), Choice("delete", "kubectl delete -f service.yaml")),
    explanation="kubectl apply creates or updates the objects of a file.",
    sources=(DEPLOYMENT_PAGE,),
    domains=(DOMAINS[2],),
    about=(),
    difficulty=0.5,
    option_count=3,
    code=SHOWN_CODE,
    code_language="yaml",
)


def typed_bank() -> QuestionBank:
    """A bank of one certification, KUBE, with a Deployment task, a kubectl command to type and a command
    choice shown with code, one per domain."""
    pairs = zip(DOMAINS, (40, 40, 20), strict=True)
    domains = [ExamDomain(d, CERT, n, f"Domain {n}", weight=w) for n, (d, w) in enumerate(pairs, 1)]
    cert = certification(
        CERT,
        "KUBE",
        "Kubernetes hands-on",
        domains,
        question_count=3,
        minutes=30,
    )
    catalog = Catalog((cert,))
    return QuestionBank(Facts(things={}, labels={}, catalog=catalog, covered_by={}), [TASK, TYPED, COMMAND])


def typed_app(tmp_path, **config):
    """The app over :func:`typed_bank`."""
    app = make_app(tmp_path, **config)
    app.extensions[BANK_KEY] = typed_bank()
    return app


def study_url(domain: int) -> str:
    return f"/study/KUBE?domain={domain}"


def shown(client, url):
    page = client.get(url).get_data(as_text=True)
    item = re.search(r'name="item_id" value="([^"]+)"', page)
    seed = re.search(r'name="seed" value="(\d+)"', page)
    return (item.group(1) if item else None), (int(seed.group(1)) if seed else None), page


def send(client, url, item_id, seed, text, **extra):
    form = {"action": "answer", "item_id": item_id, "seed": str(seed), "response": text, "response_ms": "9000"}
    return client.post(url, data={**form, **extra})


def reviews(app):
    with open_store(app.config["DATABASE"]) as store:
        return store.rows("SELECT item_id, correct, response, verdict FROM reviews ORDER BY id")


@pytest.fixture
def app(tmp_path):
    return typed_app(tmp_path)


@pytest.fixture
def client(app):
    client = app.test_client()
    assert AuthActions(client).register("ada").status_code == 302
    return client


def test_a_task_shows_an_editor_with_its_starter_and_requirements_but_no_answer(client):
    item_id, seed, page = shown(client, study_url(1))
    assert item_id == TASK.id
    editor = re.search(r"<textarea[^>]*name=\"response\"[^>]*>\n(.*?)</textarea>", page, re.S)
    assert editor, "no editor on the page"
    assert editor.group(1) == STARTER
    tag = editor.group(0)
    assert 'spellcheck="false"' in tag and 'autocapitalize="off"' in tag and "data-editor" in tag
    for r in TASK.response.requirements:
        assert str(escape(r.text)) in page
    assert "Esc</kbd>, then <kbd>Tab</kbd>" in page  # keyboard users are told how to leave the editor
    assert "containerPort: 80" not in page  # the model answer waits for the verdict
    assert "/static/editor.js" in page and "/static/prism-code.js" in page


def test_a_typed_command_shows_a_one_line_field(client):
    item_id, _, page = shown(client, study_url(2))
    assert item_id == TYPED.id
    assert re.search(r'<input type="text" id="answer-text" name="response"', page)
    assert "<textarea" not in page.split("Report a problem")[0] and SCALE not in page


def test_code_shown_with_a_question_is_escaped_and_command_options_are_monospace(client):
    _, _, page = shown(client, study_url(3))
    assert '<pre class="code-block"' in page and '<code class="language-yaml">' in page
    assert "&lt;b&gt;NodePort&lt;/b&gt;" in page and "<b>NodePort</b>" not in page
    assert 'class="options monospace"' in page
    assert "/static/prism-code.js" in page and "/static/editor.js" not in page  # colours, but no field to type in


def test_a_task_missing_a_requirement_is_partly_right_and_shows_the_model_answer(app, client):
    item_id, seed, _ = shown(client, study_url(1))
    wrong = MODEL_MANIFEST.replace("replicas: 3", "replicas: 2")
    response = send(client, study_url(1), item_id, seed, wrong)
    assert response.status_code == 302
    page = client.get(study_url(1)).get_data(as_text=True)
    assert "Partly right." in page and "3 of 4 requirements met" in page
    results = re.findall(r'<li class="(met|unmet)">\s*<span class="req-mark">', page)
    assert results == ["met", "unmet", "met", "met"]
    assert "It runs three replicas" in page
    assert f'aria-label="Model answer"><code class="language-yaml">{escape(MODEL_MANIFEST)}</code>' in page
    assert 'value="again"' in page and re.search(r'value="good"[^>]*disabled', page)  # as after a wrong answer
    [stored] = reviews(app)
    assert stored["correct"] == 0 and stored["response"] == wrong


def test_the_learners_text_is_shown_back_escaped(client):
    item_id, seed, _ = shown(client, study_url(1))
    hostile = MODEL_MANIFEST + "# <script>alert('x')</script>\n"
    send(client, study_url(1), item_id, seed, hostile)
    page = client.get(study_url(1)).get_data(as_text=True)
    assert "<script>alert('x')</script>" not in page
    assert "# &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "Right." in page and "4 of 4 requirements met" in page


def test_crlf_line_ends_from_a_textarea_are_stored_as_lf(app, client):
    item_id, seed, _ = shown(client, study_url(1))
    send(client, study_url(1), item_id, seed, MODEL_MANIFEST.replace("\n", "\r\n"))
    [stored] = reviews(app)
    assert stored["response"] == MODEL_MANIFEST and stored["correct"] == 1


def test_a_typed_command_in_a_variant_form_is_right_and_the_accepted_forms_are_shown(client):
    item_id, seed, _ = shown(client, study_url(2))
    send(client, study_url(2), item_id, seed, "k scale deploy/web -n shop --replicas 5")
    page = client.get(study_url(2)).get_data(as_text=True)
    assert "Right." in page and "Accepted answer" in page and f"<code>{SCALE}</code>" in page
    assert "<code>k scale deploy/web -n shop --replicas 5</code>" in page


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_a_blank_answer_is_refused_with_a_message_and_nothing_is_stored(app, client, text):
    item_id, seed, _ = shown(client, study_url(1))
    response = send(client, study_url(1), item_id, seed, text)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Type an answer." in page and 'aria-invalid="true"' in page
    assert reviews(app) == []
    assert shown(client, study_url(1))[:2] == (item_id, seed)  # the same question is asked again


def test_an_answer_over_twenty_thousand_characters_is_refused_and_kept_in_the_field(app, client):
    item_id, seed, _ = shown(client, study_url(1))
    text = "a" * 20_001
    response = send(client, study_url(1), item_id, seed, text)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "20,001 characters" in page and "20,000" in page
    assert text in page  # nothing typed is lost
    assert reviews(app) == []
    assert send(client, study_url(1), item_id, seed, "a" * 20_000).status_code == 302  # the limit itself is fine
    assert len(reviews(app)) == 1


def test_undo_asks_the_same_showing_of_the_task_again_with_what_was_typed(client):
    """The same showing, and its editor holds the manifest as the learner wrote it (from the server, so it
    comes back without JavaScript too)."""
    item_id, seed, _ = shown(client, study_url(1))
    typed = MODEL_MANIFEST.replace("nginx:1.27", "nginx:1.25")
    send(client, study_url(1), item_id, seed, typed)
    response = client.post(study_url(1), data={"action": "undo", "item_id": item_id, "seed": str(seed)})
    assert response.status_code == 302
    again_id, again_seed, page = shown(client, study_url(1))
    assert (again_id, again_seed) == (item_id, seed)
    assert "nginx:1.25" in page and "nginx:1.27" not in page.split("</textarea>")[0].rsplit("<textarea", 1)[-1]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.text(max_size=300), st.sampled_from(["\x00", "\r\r\n", "{{ 7*7 }}", "- [", "a: b: c"])))
def test_whatever_is_typed_gets_a_verdict_or_a_clear_refusal(app, client, text):
    """Any text in either field is graded (then taken back, so that the next example is graded too) or refused
    with a message; never a server error."""
    for domain in (1, 2):
        item_id, seed, _ = shown(client, study_url(domain))
        response = send(client, study_url(domain), item_id, seed, text)
        assert response.status_code in (302, 400), response.status_code
        if response.status_code == 400:
            assert "Type an answer." in response.get_data(as_text=True)
            continue
        page = client.get(study_url(domain)).get_data(as_text=True)
        assert 'id="rate-form"' in page and ("Right." in page or "Wrong." in page or "Partly right." in page)
        client.post(study_url(domain), data={"action": "undo", "item_id": item_id, "seed": str(seed)})


@pytest.fixture
def guarded(tmp_path):
    """The app with real CSRF checks, and a logged-in client."""
    app = typed_app(tmp_path, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    assert AuthActions(client).register("ada").status_code == 302
    return app, client


@pytest.mark.parametrize("token", [None, "forged"])
def test_a_typed_answer_without_the_sessions_csrf_token_is_refused(guarded, token):
    app, client = guarded
    item_id, seed, _ = shown(client, study_url(1))
    extra = {} if token is None else {"csrf_token": token}
    response = send(client, study_url(1), item_id, seed, MODEL_MANIFEST, **extra)
    assert response.status_code == 400
    assert "That form has expired" in response.get_data(as_text=True)
    assert reviews(app) == []


def test_a_typed_answer_with_the_csrf_token_is_taken(guarded):
    app, client = guarded
    item_id, seed, _ = shown(client, study_url(1))
    response = send(client, study_url(1), item_id, seed, MODEL_MANIFEST, csrf_token=csrf_token(client, "/"))
    assert response.status_code == 302
    assert [r["correct"] for r in reviews(app)] == [1]


@pytest.mark.parametrize(
    ("language", "css"),
    [("yaml", "language-yaml"), ("YAML", "language-yaml"), ("hcl", "language-hcl"), ("shell", "language-bash"),
     ("text", "language-none"), ("", "language-none"), (None, "language-none"), ("<x>", "language-none")],
)  # fmt: skip
def test_code_blocks_name_the_prism_language_or_none(language, css):
    assert code_class(language) == css
