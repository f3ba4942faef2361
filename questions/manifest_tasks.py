"""Kubernetes hands-on items from :mod:`.manifest_recipes`: write a manifest, fix a broken one, and read a
manifest to find the requirement it fails.

Every requirement's path is resolved against the official API schema in the graph (the field it names is
the requirement's fact); a recipe naming a field the schema lacks yields no item. Fix and reading items show
one of the recipe's :class:`~.manifest_recipes.Fault` s seeded into its model manifest: valid, but doing
something other than the brief asks (a wrong value of an enum is another value the schema allows). A seeded
manifest is graded before it is used: it must fail exactly the requirements the fault names and be refused
by the schema only when the fault says so. Code-reading keys are proved the same way: of the options, only
the keyed requirement is unmet.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

import yaml

from .hands_on_common import KUBERNETES_CERTS, Context, choice_item, typed_item
from .manifest_recipes import DROP, KEEP, Edit, Fault, Need, Recipe, recipes
from .model import Choice, QuestionItem, QuestionType, Requirement, Response
from .proof import Proof
from .task_checks import parse_path, resolve

#: API versions Kubernetes no longer serves, by kind, with the release that removed them
#: (https://kubernetes.io/docs/reference/using-api/deprecation-guide/)
REMOVED_VERSIONS = {
    "Deployment": ("extensions/v1beta1", "v1.16"),
    "DaemonSet": ("extensions/v1beta1", "v1.16"),
    "StatefulSet": ("apps/v1beta2", "v1.16"),
    "Ingress": ("networking.k8s.io/v1beta1", "v1.22"),
    "CronJob": ("batch/v1beta1", "v1.25"),
    "PodDisruptionBudget": ("policy/v1beta1", "v1.25"),
    "HorizontalPodAutoscaler": ("autoscaling/v2beta2", "v1.26"),
    "Role": ("rbac.authorization.k8s.io/v1beta1", "v1.22"),
    "RoleBinding": ("rbac.authorization.k8s.io/v1beta1", "v1.22"),
    "ClusterRole": ("rbac.authorization.k8s.io/v1beta1", "v1.22"),
    "ClusterRoleBinding": ("rbac.authorization.k8s.io/v1beta1", "v1.22"),
}
DEPRECATION_GUIDE = "https://kubernetes.io/docs/reference/using-api/deprecation-guide/"


class _PlainDumper(yaml.SafeDumper):
    """Writes a value shared by two places twice, never as a YAML anchor and alias."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def dump(docs: tuple[dict, ...] | list[dict]) -> str:
    """YAML of one or more documents, keys in the order written, separated by ``---``."""
    return "---\n".join(yaml.dump(d, Dumper=_PlainDumper, sort_keys=False, default_flow_style=False) for d in docs)


def _schema_path(path: str) -> str:
    return path


def requirements(ctx: Context, recipe: Recipe) -> tuple[Requirement, ...] | None:
    """The recipe's needs as requirements, each resting on the schema field its path names; None when the
    schema lacks one of them."""
    found = [_requirement(ctx, recipe, need, f"r{n}") for n, need in enumerate(recipe.needs, start=1)]
    return None if None in found else tuple(found)


def _requirement(ctx: Context, recipe: Recipe, need: Need, rid: str) -> Requirement | None:
    kind = need.document.split("/", 1)[0]
    field = ctx.hands.field_at(kind, need.path) if kind in {d["kind"] for d in recipe.docs} else None
    if field is None:
        return None
    return Requirement(rid, need.text, need.document, need.path, need.op, json.dumps(need.value), fact=field.iri)


def _sources(ctx: Context, recipe: Recipe, extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    pages = [p for kind in recipe.kinds for p in ctx.hands.kinds[kind].sources[:1] if kind in ctx.hands.kinds]
    return ctx.sources([*pages, *extra], recipe.about)


def _about(ctx: Context, recipe: Recipe) -> tuple[str, ...]:
    kinds = [ctx.hands.kinds[k].iri for k in recipe.kinds if k in ctx.hands.kinds]
    return (*kinds, *recipe.about)


def _domains(ctx: Context, recipe: Recipe) -> list[str]:
    """Where a recipe's items are filed: every CKA/CKAD domain that needs or covers one of its specific
    topics (a probe, a security context), else where its kind or main topic is taught."""
    specific = [d for iri in recipe.about[1:] for d in ctx.domains((iri,), KUBERNETES_CERTS)]
    return list(dict.fromkeys(specific)) or ctx.domains(_about(ctx, recipe), KUBERNETES_CERTS)


def situation(recipe: Recipe) -> str:
    """The recipe's situation as a sentence: one that opens with a lower-case workload name gets a subject."""
    text = recipe.situation
    return f"The workload {text}" if text[:1].islower() else text


def _digest(*parts: str) -> int:
    return int(hashlib.sha256("|".join(parts).encode()).hexdigest()[:8], 16)


def write_task(ctx: Context, recipe: Recipe) -> QuestionItem | None:
    """Write the manifest for a recipe from scratch."""
    reqs = requirements(ctx, recipe)
    if reqs is None:
        return None
    about = _about(ctx, recipe)
    what = " and ".join(f"{d['kind']}" for d in recipe.docs)
    stem = (
        f"{situation(recipe)} Write the {what} manifest{'s' if len(recipe.docs) > 1 else ''} so that it meets "
        "every requirement listed below; it is checked against the Kubernetes v1.35 API."
    )
    response = Response(form="manifest", model_answer=dump(recipe.docs), requirements=reqs, language="yaml")
    return typed_item(
        f"k8s-task/{recipe.key}",
        QuestionType.TASK,
        stem,
        response,
        recipe.explanation,
        _sources(ctx, recipe),
        _domains(ctx, recipe),
        about,
        ("write", recipe.names, recipe.situation),
        0.7,
    )


def version_fault(recipe: Recipe) -> Fault | None:
    """The recipe's first document under an API version Kubernetes no longer serves for its kind, when there
    is one: a schema fault about the brief's requirement on the API version."""
    doc = recipe.docs[0]
    kind = doc["kind"]
    if kind not in REMOVED_VERSIONS:
        return None
    old, release = REMOVED_VERSIONS[kind]
    return Fault(
        (Edit(f"{kind}/{doc['metadata']['name']}", "apiVersion", old),),
        ("apiVersion",),
        f"It used {old}, which Kubernetes stopped serving for {kind} in {release}; v1.35 serves {kind} as "
        f"{doc['apiVersion']}.",
        schema=True,
    )


@dataclass(frozen=True)
class Seeded:
    """A recipe's model manifests with one fault seeded, proved by grading: ``failed`` are exactly the
    requirements the fault names (the one it is about first); ``met`` the others whose sentences still hold,
    and ``shows`` the fault's statements of what the manifest does instead, each with what was found."""

    fault: Fault
    text: str
    failed: tuple[Requirement, ...]
    met: tuple[tuple[Requirement, str], ...]
    shows: tuple[tuple[Requirement, str], ...] = ()


def seed(ctx: Context, recipe: Recipe, reqs: tuple[Requirement, ...], fault: Fault, grade) -> Seeded | None:
    """The recipe's manifests with the fault seeded, or None when the fault does not do what it says: an edit
    names no key of the manifest or gives an enum field a value the schema does not allow (or the value it
    had); the graded result fails other requirements than the fault names, or one of its ``shows``; or the
    schema refuses it without the fault saying so (or accepts it when the fault says it refuses it)."""
    docs = copy.deepcopy(list(recipe.docs))
    for edit in fault.edits:
        if not (fault.schema or _allowed(ctx, docs, edit)) or not apply_edit(docs, edit):
            return None
    document = fault.edits[0].document
    wanted = [next((r for r in reqs if r.document == document and r.path == p), None) for p in fault.breaks]
    shows = [_requirement(ctx, recipe, need, f"s{n}") for n, need in enumerate(fault.shows, start=1)]
    if None in wanted or None in shows:
        return None
    text = dump(docs)
    verdict = grade(Response(form="manifest", requirements=(*reqs, *shows)), text)
    if {r.id for r in verdict.results if not r.met} != {r.id for r in wanted}:
        return None
    if bool(verdict.problems) != fault.schema:
        return None
    found = {r.id: r.detail.rstrip(".") for r in verdict.results}
    moot = {r.id for r in reqs if r.document == document and r.path in fault.moot}
    met = tuple((r, found[r.id]) for r in reqs if r.id not in moot and r not in wanted)
    return Seeded(fault, text, tuple(wanted), met, tuple((r, found[r.id]) for r in shows))


def _document(docs: list[dict], ref: str) -> dict | None:
    kind, _, name = ref.partition("/")
    return next((d for d in docs if d["kind"] == kind and (not name or d["metadata"]["name"] == name)), None)


def _parent(docs: list[dict], ref: str, path: str) -> tuple[dict | None, str]:
    """The mapping that holds (or is to hold) the last key of a path, and that key."""
    doc = _document(docs, ref)
    steps = parse_path(path)
    if doc is None or steps[-1].kind != "key":
        return None, ""
    key = steps[-1].key
    parents = [p for p in resolve(doc, steps[:-1])[0] if isinstance(p, dict)]
    return next((p for p in parents if key in p), parents[0] if parents else None), key


def apply_edit(docs: list[dict], edit: Edit) -> bool:
    """Apply one edit in place (see :class:`~.manifest_recipes.Edit`); False when its path names nothing to
    change: no parent mapping, or no key to remove or rename."""
    parent, key = _parent(docs, edit.document, edit.path)
    if parent is None or (key not in parent and (edit.value is DROP or edit.to or edit.value is KEEP)):
        return False
    if edit.value is DROP:
        del parent[key]
    elif edit.to:
        value = parent[key] if edit.value is KEEP else copy.deepcopy(edit.value)
        items = [(edit.to, value) if k == key else (k, v) for k, v in parent.items()]
        parent.clear()
        parent.update(items)
    else:
        parent[key] = copy.deepcopy(edit.value)
    return True


def _set_path(docs: list[dict], req: Requirement, value: object) -> bool:
    """Set the value at a requirement's path (the first place it names) in the document it names; False when
    the path names no existing key."""
    parent, key = _parent(docs, req.document, req.path)
    if parent is None or key not in parent:
        return False
    parent[key] = value
    return True


def _allowed(ctx: Context, docs: list[dict], edit: Edit) -> bool:
    """Whether an edit that gives a field a new scalar value gives an enum field another of its allowed
    values (fields without allowed values in the graph take any)."""
    if edit.value in (DROP, KEEP) or edit.to or isinstance(edit.value, dict | list):
        return True
    field = ctx.hands.field_at(edit.document.split("/", 1)[0], edit.path)
    if field is None or not field.allowed:
        return True
    parent, key = _parent(docs, edit.document, edit.path)
    old = parent.get(key) if parent is not None else None
    return edit.value in field.allowed and edit.value != old


def seeded_faults(ctx: Context, recipe: Recipe, reqs: tuple[Requirement, ...], grade) -> list[Seeded]:
    """Every fault of the recipe (and the removed-version fault its kind has) that does what it says."""
    faults = [*recipe.faults, *filter(None, [version_fault(recipe)])]
    return [s for f in faults if (s := seed(ctx, recipe, reqs, f, grade)) is not None]


def _fix_choice(recipe: Recipe, seeded: list[Seeded]) -> Seeded | None:
    """The fault a fix task shows: one that changes behaviour, a schema fault only for one recipe in five
    (or when the recipe has no other)."""
    if not seeded:
        return None
    number = _digest(recipe.names, recipe.situation)
    semantic = [s for s in seeded if not s.fault.schema]
    schema = [s for s in seeded if s.fault.schema]
    pool = schema if schema and (not semantic or number % 5 == 0) else semantic
    return pool[number % len(pool)]


def _quoted(reqs: tuple[Requirement, ...]) -> str:
    texts = [f"“{r.text}”" for r in reqs]
    return texts[0] if len(texts) == 1 else ", ".join(texts[:-1]) + " and " + texts[-1]


def fix_task(ctx: Context, recipe: Recipe, grade=None) -> QuestionItem | None:
    """Fix a manifest in which one of the recipe's faults is seeded."""
    reqs = requirements(ctx, recipe)
    if reqs is None:
        return None
    if grade is None:
        from .responses import grade_response as grade  # the grader needs the schema package
    chosen = _fix_choice(recipe, seeded_faults(ctx, recipe, reqs, grade))
    if chosen is None:
        return None
    about = _about(ctx, recipe)
    stem = (
        f"{situation(recipe)} A colleague wrote the manifest in the editor, but it does not do what is needed "
        "or is refused by the Kubernetes v1.35 API. Fix it so that it meets every requirement listed below."
    )
    response = Response(
        form="manifest", model_answer=dump(recipe.docs), starter=chosen.text, requirements=reqs, language="yaml"
    )
    refused = ", and the API refuses it" if chosen.fault.schema else ""
    extra = (DEPRECATION_GUIDE,) if chosen.fault.breaks == ("apiVersion",) else ()
    return typed_item(
        f"k8s-fix/{recipe.key}",
        QuestionType.TASK,
        stem,
        response,
        f"As given, the manifest fails {_quoted(chosen.failed)}{refused}. {chosen.fault.why} {recipe.explanation}",
        _sources(ctx, recipe, extra),
        _domains(ctx, recipe),
        about,
        ("fix", recipe.names, recipe.situation),
        0.75,
    )


def _optionable(req: Requirement) -> bool:
    """Whether a requirement reads as an option on its own (not the kind or API version every manifest
    states, not part of a longer sentence)."""
    return req.path not in ("kind", "apiVersion") and not _continued(req)


def names_value(req: Requirement) -> bool:
    """Whether a requirement's text states the value it checks (``It keeps 3 replicas running.``), so a
    manifest can be checked against it by comparing values alone."""
    return any(_mentions(req.text, v) for v in _scalars(json.loads(req.value)))


def _scalars(value: object) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _scalars(v)]
    if isinstance(value, list):
        return [s for v in value for s in _scalars(v)]
    if isinstance(value, bool):
        return ["true" if value else "false"]
    return [] if value is None or value == "" else [str(value)]


def _mentions(text: str, token: str) -> bool:
    """Whether ``token`` stands in ``text`` as a word of its own (``v1`` is not in ``v1.35``)."""
    return re.search(rf"(?<![\w./-]){re.escape(token)}(?![\w/-]|\.\w)", text) is not None


def reading_item(ctx: Context, recipe: Recipe, grade) -> QuestionItem | None:
    """Show a manifest with a fault seeded that the schema accepts, and ask which statement is not true of
    it: the need it fails, beside statements it meets. Those that take knowing a field to check come first
    (what the faulty manifest does instead, then the brief's needs that state behaviour rather than a
    value); an item whose other options could all be checked by comparing values is not made."""
    reqs = requirements(ctx, recipe)
    if reqs is None:
        return None
    seeded = seeded_faults(ctx, recipe, reqs, grade)
    usable = [s for s in seeded if not s.fault.schema and _optionable(s.failed[0])]
    if not usable:
        return None
    fixed = _fix_choice(recipe, seeded)
    number = _digest("read", recipe.names, recipe.situation)
    others = [s for s in usable if s is not fixed] or usable  # not the fault the fix task shows, if it can
    chosen = others[number % len(others)]
    target = chosen.failed[0]
    true = [(r, found, 0) for r, found in chosen.shows]
    true += [(r, found, _rank(r)) for r, found in chosen.met if not _continued(r)]
    true = list({r.text: (r, found, rank) for r, found, rank in reversed(true)}.values())[::-1]  # one per text
    order = sorted(true, key=lambda t: (t[2], _digest(str(number), t[0].id)))
    knowing = sum(1 for _, _, rank in order if rank <= 1)
    if not knowing:
        return None
    answer = Choice(check_key(target), target.text, note="it is not true", proof=str(Proof.MET_REQUIREMENT))
    distractors = tuple(
        Choice(
            check_key(r),
            r.text,
            similarity=(0.8, 0.6, 0.4)[min(rank, 2)],
            note=f"it is true of the manifest ({found})",
            proof=str(Proof.MET_REQUIREMENT),
        )
        for r, found, rank in order[: min(6, max(3, knowing))]
    )
    # no situation: the need a fault breaks restates it, so its words would point at the key
    stem = "A colleague wrote the manifest below. Which of these statements is not true of it?"
    return choice_item(
        f"k8s-read/{recipe.key}",
        QuestionType.CODE_READING,
        stem,
        (answer,),
        distractors,
        f"“{target.text}” is not true of the manifest. {chosen.fault.why} {recipe.explanation}",
        _sources(ctx, recipe),
        _domains(ctx, recipe),
        _about(ctx, recipe),
        ("read", recipe.names, recipe.situation),
        0.6,
        code=chosen.text,
        code_language="yaml",
    )


def _rank(req: Requirement) -> int:
    """How much knowing a statement takes to check against a manifest: 1 for one that states behaviour, 2
    for the API version, 3 for one that names its value, 4 for the namespace, 5 for the kind and name."""
    if req.path == "kind":
        return 5
    if req.path == "metadata.namespace":
        return 4
    if names_value(req):
        return 3
    return 2 if req.path == "apiVersion" else 1


def _continued(req: Requirement) -> bool:
    """A requirement written as part of a longer sentence ("…from its key log.level."): not an option alone."""
    return req.text.startswith("…") or req.text.endswith("…")


def check_key(req: Requirement) -> str:
    """An option key that is the requirement's check itself, so the option can be re-graded from the item."""
    return json.dumps({"id": req.id, "document": req.document, "path": req.path, "op": req.op, "value": req.value})


def requirement_of(key: str, text: str = "") -> Requirement:
    """The requirement an option key of :func:`check_key` holds."""
    data = json.loads(key)
    return Requirement(data["id"], text, data["document"], data["path"], data["op"], data["value"])


def _ends_at_field(ctx: Context, kind: str, path: str) -> bool:
    field = ctx.hands.field_at(kind, path)
    return field is not None and field.name == re.sub(r"\[[^\]]*\]", "", path).rsplit(".", 1)[-1]


def _holder(ctx: Context, kind: str, doc: dict | None, paths: tuple[str, ...]) -> list[str]:
    """The object that holds the requirement's field, when that field is all the model sets in it
    (``startupProbe.tcpSocket`` holds only ``port``): naming the object names the same setting."""
    if doc is None or len(paths) != 1 or "." not in paths[0]:
        return []
    parent = paths[0].rsplit(".", 1)[0]
    if parent.count(".") < 2 or parent.endswith(("]", ".metadata")) or not _ends_at_field(ctx, kind, parent):
        return []
    values, _ = resolve(doc, parse_path(parent))
    if len(values) == 1 and isinstance(values[0], dict) and len(values[0]) == 1:
        return [_plain_path(parent)]
    return []


def _plain_path(path: str) -> str:
    """A requirement's path as a learner writes it: list selectors become ``[]``."""
    return re.sub(r"\[[^\]]*\]", "[]", path)


def _carried_at(req: Requirement) -> tuple[str, ...]:
    """The field paths a requirement is written at: its own path, or for a ``runs`` check the ``command`` of the
    exec action, or the ``command`` (and ``args``, which may hold the script) of the container."""
    if req.op != "runs":
        return (req.path,)
    if req.path.endswith(".exec"):
        return (f"{req.path}.command",)
    return (f"{req.path}.command", f"{req.path}.args")


def field_item(ctx: Context, recipe: Recipe) -> QuestionItem | None:
    """Type the field path that carries one requirement of the recipe."""
    reqs = requirements(ctx, recipe)
    if reqs is None:
        return None
    # a sentence continued by the next requirement ("…and its effect NoSchedule") is carried by several fields
    continued = {r.id for r, after in zip(reqs, reqs[1:], strict=False) if after.text.startswith("…")}
    usable = [
        (r, paths)
        for r in reqs
        if (paths := _carried_at(r))[0].count(".") >= 2
        and r.id not in continued
        and '"' not in r.path
        and not r.path.startswith("metadata.")
        and not r.text.startswith("…")
        and not r.text.endswith("…")
        # a field that must not hold a value, or be set at all, does not carry what the sentence says
        and r.op not in ("not_equals", "absent")
    ]
    # the requirements that make this brief what it is, before those every workload has (image, labels);
    # only paths that end at a field of the schema (a label key inside a map is not a field)
    specific = [
        (r, paths)
        for r, paths in usable
        if not paths[0].endswith((".image", "matchLabels.app", "labels.app"))
        and _ends_at_field(ctx, r.document.split("/", 1)[0], paths[0])
    ]
    if not specific:
        return None
    req, paths = specific[_digest("path", recipe.names, recipe.situation) % len(specific)]
    kind = req.document.split("/", 1)[0]
    about = _about(ctx, recipe)
    doc = _document(list(recipe.docs), req.document)
    version = f"{doc['apiVersion']} " if doc and doc.get("apiVersion") else ""  # a kind may be served in several
    stem = (
        f"{situation(recipe)} In the {version}{kind} manifest, which field path carries this requirement: "
        f"“{req.text}” Type the path from the top of the manifest, writing [] for an element of a list."
    )
    path = _plain_path(paths[0])
    accepted = [*(_plain_path(p) for p in paths), *_holder(ctx, kind, doc, paths)]
    return typed_item(
        f"k8s-path/{recipe.key}",
        QuestionType.TYPED,
        stem,
        Response(form="field_path", accepted=tuple(dict.fromkeys(accepted))),
        f"The requirement is set at {path} of the {kind}"
        + "".join(f", or at {_plain_path(p)} when the command is only the shell" for p in paths[1:])
        + f". {recipe.explanation}",
        _sources(ctx, recipe),
        _domains(ctx, recipe),
        about,
        ("path", recipe.names, recipe.situation, req.path),
        0.65,
    )


def manifest_items(ctx: Context) -> Iterator[QuestionItem]:
    """Write, fix and read items for every recipe whose fields the schema has."""
    if not ctx.hands.kinds:
        return
    from .responses import grade_response  # the grader needs the schema package; imported when used

    for recipe in recipes():
        built = (
            write_task(ctx, recipe),
            fix_task(ctx, recipe, grade_response),
            reading_item(ctx, recipe, grade_response),
            field_item(ctx, recipe),
        )
        for item in built:
            if item is not None:
                yield item


__all__ = ["Need", "manifest_items"]
