"""Kubernetes hands-on items from :mod:`.manifest_recipes`: write a manifest, fix a broken one, and read a
manifest to find the requirement it fails.

Every requirement's path is resolved against the official API schema in the graph (the field it names is
the requirement's fact); a recipe naming a field the schema lacks yields no item. Code-reading keys are
proved by grading the shown manifest: exactly the keyed requirement is unmet.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Iterator

import yaml

from .hands_on_common import KUBERNETES_CERTS, Context, choice_item, typed_item
from .manifest_recipes import Need, Recipe, recipes
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
    kinds = {d["kind"]: d for d in recipe.docs}
    out = []
    for n, need in enumerate(recipe.needs, start=1):
        kind = need.document.split("/", 1)[0]
        if kind not in kinds:
            return None
        field = ctx.hands.field_at(kind, need.path)
        if field is None:
            return None
        out.append(
            Requirement(
                id=f"r{n}",
                text=need.text,
                document=need.document,
                path=need.path,
                op=need.op,
                value=json.dumps(need.value),
                fact=field.iri,
            )
        )
    return tuple(out)


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


def _break(recipe: Recipe, reqs: tuple[Requirement, ...]) -> tuple[list[dict], str, str] | None:
    """A broken copy of the model manifests, what was broken (for the explanation) and the requirement id it
    breaks (or "" for a schema error). Chosen reproducibly from the recipe."""
    docs = copy.deepcopy(list(recipe.docs))
    seed = _digest(recipe.names, recipe.situation)
    ways = ["value", "typo"]
    if recipe.docs[0]["kind"] in REMOVED_VERSIONS:
        ways.append("version")
    way = ways[seed % len(ways)]
    if way == "version":
        kind = docs[0]["kind"]
        old, release = REMOVED_VERSIONS[kind]
        docs[0]["apiVersion"] = old
        return docs, f"It used {old}, which Kubernetes stopped serving for {kind} in {release}.", ""
    if way == "typo":
        for doc in docs:
            spec = doc.get("spec")
            if isinstance(spec, dict):
                for key in ("replicas", "containers", "selector", "ports", "schedule", "podSelector", "rules"):
                    if key in spec:
                        spec[key.lower() if key.lower() != key else key[:-1]] = spec.pop(key)
                        return docs, f"spec.{key} was misspelt, so the schema refuses the manifest.", ""
    scalars = [
        (n, r)
        for n, r in enumerate(reqs)
        if r.op == "equals"
        and isinstance(json.loads(r.value), (int, str))
        and r.path not in ("kind", "apiVersion", "metadata.namespace")
    ]
    if not scalars:
        return None
    n, req = scalars[seed % len(scalars)]
    value = json.loads(req.value)
    wrong = value + 1 if isinstance(value, int) and not isinstance(value, bool) else None
    if wrong is None:
        return None  # string values are changed by code reading items only, where the options show them
    if not _set_path(docs, req, wrong):
        return None
    return docs, f"{req.path} was {wrong}, not {value}.", req.id


def _set_path(docs: list[dict], req: Requirement, value: object) -> bool:
    """Set the value at a requirement's path (the first place it names) in the document it names; False when
    the path names no existing key."""
    kind, _, name = req.document.partition("/")
    doc = next((d for d in docs if d["kind"] == kind and (not name or d["metadata"]["name"] == name)), None)
    steps = parse_path(req.path)
    if doc is None or steps[-1].kind != "key":
        return False
    parents, _ = resolve(doc, steps[:-1])
    parent = next((p for p in parents if isinstance(p, dict) and steps[-1].key in p), None)
    if parent is None:
        return False
    parent[steps[-1].key] = value
    return True


def fix_task(ctx: Context, recipe: Recipe) -> QuestionItem | None:
    """Fix a manifest that breaks one requirement or the schema."""
    reqs = requirements(ctx, recipe)
    if reqs is None:
        return None
    broken = _break(recipe, reqs)
    if broken is None:
        return None
    docs, what, _ = broken
    about = _about(ctx, recipe)
    stem = (
        f"{situation(recipe)} A colleague wrote the manifest in the editor, but it does not do what is needed "
        "or is refused by the Kubernetes v1.35 API. Fix it so that it meets every requirement listed below."
    )
    response = Response(
        form="manifest", model_answer=dump(recipe.docs), starter=dump(docs), requirements=reqs, language="yaml"
    )
    extra = (DEPRECATION_GUIDE,) if "stopped serving" in what else ()
    return typed_item(
        f"k8s-fix/{recipe.key}",
        QuestionType.TASK,
        stem,
        response,
        f"The manifest as given was wrong: {what} {recipe.explanation}",
        _sources(ctx, recipe, extra),
        _domains(ctx, recipe),
        about,
        ("fix", recipe.names, recipe.situation),
        0.75,
    )


def reading_item(ctx: Context, recipe: Recipe, grade) -> QuestionItem | None:
    """Show a manifest that fails exactly one requirement (proved by grading it) and ask which."""
    reqs = requirements(ctx, recipe)
    if reqs is None or len(reqs) < 5:
        return None
    seed = _digest("read", recipe.names, recipe.situation)
    candidates = [
        r
        for r in reqs
        if not _continued(r)
        and r.op == "equals"
        and r.path not in ("kind", "apiVersion", "metadata.namespace")
        and isinstance(json.loads(r.value), (int, str))
        and not isinstance(json.loads(r.value), bool)
    ]
    if not candidates:
        return None
    target = candidates[seed % len(candidates)]
    value = json.loads(target.value)
    wrong = value * 2 if isinstance(value, int) else _other_string(value)
    docs = copy.deepcopy(list(recipe.docs))
    if wrong is None or not _set_path(docs, target, wrong):
        return None
    text = dump(docs)
    verdict = grade(Response(form="manifest", requirements=reqs), text)
    unmet = [r.id for r in verdict.results if not r.met]
    if unmet != [target.id] or verdict.problems:
        return None  # the proof failed: the shown manifest must fail exactly the keyed requirement
    about = _about(ctx, recipe)
    met = [r for r in reqs if r.id != target.id and r.path not in ("kind", "apiVersion") and not _continued(r)]
    order = sorted(met, key=lambda r: _digest(seed.__str__(), r.id))
    answer = Choice(
        check_key(target),
        target.text,
        note=f"the manifest sets {target.path} to {wrong}",
        proof=str(Proof.MET_REQUIREMENT),
    )
    distractors = tuple(
        Choice(
            check_key(r),
            r.text,
            similarity=0.5,
            note=f"the manifest meets it ({r.path})",
            proof=str(Proof.MET_REQUIREMENT),
        )
        for r in order[:6]
    )
    stem = "Against its brief, which statement does this manifest get wrong?"
    return choice_item(
        f"k8s-read/{recipe.key}",
        QuestionType.CODE_READING,
        stem,
        (answer,),
        distractors,
        f"The manifest sets {target.path} to {json.dumps(wrong)}; the requirement needs {json.dumps(value)}. "
        f"{recipe.explanation}",
        _sources(ctx, recipe),
        _domains(ctx, recipe),
        about,
        ("read", recipe.names, recipe.situation),
        0.6,
        code=text,
        code_language="yaml",
    )


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


def _other_string(value: str) -> str | None:
    if value.endswith("Mi"):
        return value[:-2] + "Gi"
    if value.endswith("Gi"):
        return value[:-2] + "Mi"
    if ":" in value and "/" not in value.split(":")[-1]:
        name, tag = value.rsplit(":", 1)
        return f"{name}:latest" if tag != "latest" else None
    if value.startswith("/"):
        return value.rstrip("/") + "/tmp"
    return None


def _ends_at_field(ctx: Context, kind: str, path: str) -> bool:
    field = ctx.hands.field_at(kind, path)
    return field is not None and field.name == re.sub(r"\[[^\]]*\]", "", path).rsplit(".", 1)[-1]


def _plain_path(path: str) -> str:
    """A requirement's path as a learner writes it: list selectors become ``[]``."""
    return re.sub(r"\[[^\]]*\]", "[]", path)


def field_item(ctx: Context, recipe: Recipe) -> QuestionItem | None:
    """Type the field path that carries one requirement of the recipe."""
    reqs = requirements(ctx, recipe)
    if reqs is None:
        return None
    usable = [
        r
        for r in reqs
        if r.path.count(".") >= 2
        and '"' not in r.path
        and not r.path.startswith("metadata.")
        and not r.text.startswith("…")
        and not r.text.endswith("…")
    ]
    # the requirements that make this brief what it is, before those every workload has (image, labels);
    # only paths that end at a field of the schema (a label key inside a map is not a field)
    kind_of = {r.id: r.document.split("/", 1)[0] for r in usable}
    specific = [
        r
        for r in usable
        if not r.path.endswith((".image", "matchLabels.app", "labels.app"))
        and _ends_at_field(ctx, kind_of[r.id], r.path)
    ]
    if not specific:
        return None
    req = specific[_digest("path", recipe.names, recipe.situation) % len(specific)]
    kind = req.document.split("/", 1)[0]
    about = _about(ctx, recipe)
    stem = (
        f"{situation(recipe)} In the {kind} manifest, which field path carries this requirement: “{req.text}” "
        "Type the path from the top of the manifest, writing [] for an element of a list."
    )
    path = _plain_path(req.path)
    return typed_item(
        f"k8s-path/{recipe.key}",
        QuestionType.TYPED,
        stem,
        Response(form="field_path", accepted=(path,)),
        f"The requirement is set at {path} of the {kind}. {recipe.explanation}",
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
            fix_task(ctx, recipe),
            reading_item(ctx, recipe, grade_response),
            field_item(ctx, recipe),
        )
        for item in built:
            if item is not None:
                yield item


__all__ = ["Need", "manifest_items"]
