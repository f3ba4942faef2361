"""Re-deriving the keys of hands-on choice items from the items themselves, independently of the templates.

A code-reading item about a manifest is re-graded: its key must be the one requirement the shown manifest
fails, every distractor one it meets. A Terraform code-reading item is re-computed from the configuration as
``python-hcl2`` parses it. A command item's wrong options must differ, after the typed-answer
normalisation, from every accepted form of the example. :func:`hands_on_unproven` says why an option is
not proven, like :func:`questions.lint.unproven` does for graph claims.
"""

from __future__ import annotations

import ast
import operator
import re

from .facts import Facts
from .model import QuestionItem
from .proof import Proof
from .terraform_state_items import expected as run_expected

HANDS_ON_PROOFS = frozenset(
    {
        Proof.SIBLING_COMMAND,
        Proof.MISSING_FLAG,
        Proof.SWAPPED_FLAG,
        Proof.OTHER_FLAG,
        Proof.MET_REQUIREMENT,
        Proof.COMPUTED,
    }
)


def is_hands_on(item: QuestionItem) -> bool:
    """Whether an item's options are proved by re-derivation rather than by graph claims."""
    return any(str(c.proof) in {str(p) for p in HANDS_ON_PROOFS} for c in item.distractors)


def hands_on_unproven(facts: Facts, item: QuestionItem) -> list[str]:
    """Why each option of a hands-on choice item is not proven (empty: the key and only the key is right)."""
    family = item.template.split("/", 1)[0]
    try:
        if family == "k8s-read":
            return _manifest(item)
        if family == "hcl-read":
            return _hcl(item)
        if family in ("command-choice", "command-flag"):
            return _command(facts, item)
    except Exception as error:  # a proof that cannot run proves nothing
        return [f"the proof could not run: {error}"]
    return [f"no proof for template {item.template}"]


# ---------------------------------------------------------------- manifests


def _manifest(item: QuestionItem) -> list[str]:
    from .manifest_tasks import requirement_of
    from .model import Response
    from .responses import grade_response

    problems = []
    options = [(c, True) for c in item.answers] + [(c, False) for c in item.distractors]
    reqs = tuple(requirement_of(c.key, c.text) for c, _ in options)
    verdict = grade_response(Response(form="manifest", requirements=reqs), item.code)
    if verdict.problems:
        problems.append(f"the shown manifest does not validate: {verdict.problems[0]}")
    met = {r.id: r.met for r in verdict.results}
    for (choice, correct), req in zip(options, reqs, strict=True):
        if correct and met.get(req.id, True):
            problems.append(f"key “{choice.text}”: the shown manifest meets it")
        if not correct and not met.get(req.id, False):
            problems.append(f"“{choice.text}”: the shown manifest fails it too")
    return problems


# ---------------------------------------------------------------- Terraform


def _unquote(text: str) -> str:
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text


def _resources(code: str) -> list[tuple[str, str, dict]]:
    import hcl2

    parsed = hcl2.loads(code)
    out = []
    for block in parsed.get("resource", []):
        for rtype, named in block.items():
            for name, body in named.items():
                out.append((_unquote(rtype), _unquote(name), body))
    return out


_ARITH = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul}


def _arith(text: str, index: int) -> int:
    tree = ast.parse(text.replace("count.index", str(index)), mode="eval")

    def ev(node: ast.AST) -> int:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int):
            return node.value
        if isinstance(node, ast.BinOp) and type(node.op) in _ARITH:
            return _ARITH[type(node.op)](ev(node.left), ev(node.right))
        raise ValueError(f"not plain arithmetic: {text}")

    return ev(tree)


def _expected(item: QuestionItem) -> str:
    """The one right option text of a Terraform code-reading item, computed from the parsed code."""
    if item.template.startswith("hcl-read/run-"):
        return run_expected(item)
    resources = _resources(item.code) if "resource" in item.code else []
    kind = item.template.split("/", 1)[1]
    if kind == "count-address":
        rtype, name, body = resources[0]
        return f"{rtype}.{name}[{int(body['count']) - 1}]"
    if kind == "for-each-address":
        rtype, name, body = resources[0]
        keys = re.findall(r'"([^"]*)"', body["for_each"])
        wanted = re.search(r'for "([^"]+)"', item.stem).group(1)
        if wanted not in keys:
            raise ValueError(f"{wanted} is not a key of the for_each")
        return f'{rtype}.{name}["{wanted}"]'
    if kind == "count-index":
        rtype, name, body = resources[0]
        index = int(re.search(r"\[(\d+)\]\?$", item.stem).group(1))
        if index >= int(body["count"]):
            raise ValueError("the index is out of range")
        pattern = _unquote(body["tags"]["Name"])
        head, expr = pattern.split("${", 1)
        return f"{head}{_arith(expr.rstrip('}'), index)}"
    if kind == "each-value":
        rtype, name, body = resources[0]
        entries = {_unquote(k): _unquote(v) for k, v in body["for_each"].items()}
        wanted = re.search(r'\["([^"]+)"\]', item.stem).group(1)
        return f"/app/{wanted} = {entries[wanted]}"
    if kind == "variable-validation":
        import hcl2

        variables = hcl2.loads(item.code)["variable"][0]
        ((name, body),) = variables.items()
        allowed = set(re.findall(r'"([^"]*)"', body["validation"][0]["condition"].split("]")[0]))
        refused = [c for c in (*item.answers, *item.distractors) if c.key not in allowed]
        if len(refused) != 1:
            raise ValueError("exactly one option must fall outside the allowed values")
        return refused[0].text
    if kind == "dependency-order":
        addresses = {f"{t}.{n}": body for t, n, body in resources}
        needs = {
            a: {r for r in addresses if r != a and re.search(rf"\b{re.escape(r)}\.", str(body))}
            for a, body in addresses.items()
        }
        order: list[str] = []
        while len(order) < len(addresses):
            ready = sorted(a for a in addresses if a not in order and needs[a] <= set(order))
            if len(ready) != 1:
                raise ValueError("the creation order is not a single chain")
            order.append(ready[0])
        return ", then ".join(order)
    if kind.startswith("version-constraint"):
        from packaging.specifiers import SpecifierSet  # PEP 440's ~= is Terraform's ~>

        constraint = re.search(r'version\s*=\s*"([^"]+)"', item.code).group(1)
        spec = SpecifierSet(constraint.replace("~>", "~=").replace(" ", ""))
        fits = [c.text for c in (*item.answers, *item.distractors) if c.text in spec]
        if len(fits) != 1:
            raise ValueError(f"{len(fits)} options meet {constraint}")
        return fits[0]
    if kind == "provider-alias":
        import hcl2

        parsed = hcl2.loads(item.code)
        regions = {}
        for block in parsed["provider"]:
            for _, body in block.items():
                regions[_unquote(body.get("alias", "")) or ""] = _unquote(body["region"])
        rtype, name, body = resources[0]
        chosen = body.get("provider", "")
        alias = chosen.strip("${}").split(".", 1)[1] if chosen else ""
        return f"In {regions[alias]}"
    if kind == "data-vs-resource":
        rtype, name, _ = resources[0]
        return f"Only {rtype}.{name}"
    if kind == "data-address":
        import hcl2

        ((dtype, named),) = hcl2.loads(item.code)["data"][0].items()
        ((dname, _),) = named.items()
        return f"data.{_unquote(dtype)}.{_unquote(dname)}.<attribute>"
    if kind == "cloud-workspaces":
        import hcl2

        cloud = hcl2.loads(item.code)["terraform"][0]["cloud"][0]
        org = _unquote(cloud["organization"])
        spaces = cloud["workspaces"][0]
        if "name" in spaces:
            name = _unquote(spaces["name"])
            return f"Only the workspace {name} of {org}; terraform workspace select cannot switch to another"
        tags = [_unquote(t) for t in spaces["tags"]]
        return f"Any workspace of {org} that has every one of the tags {' and '.join(tags)}"
    raise ValueError(f"no computation for {kind}")


def _hcl(item: QuestionItem) -> list[str]:
    expected = _expected(item)
    problems = []
    for answer in item.answers:
        if answer.text != expected:
            problems.append(f"key “{answer.text}”: the configuration gives “{expected}”")
    for wrong in item.distractors:
        if wrong.text == expected:
            problems.append(f"“{wrong.text}”: that is what the configuration gives")
    return problems


# ---------------------------------------------------------------- commands


def _command(facts: Facts, item: QuestionItem) -> list[str]:
    hands = facts.hands_on
    if item.template.startswith("command-flag"):
        answer = item.answers[0]
        flag = hands.flags.get(answer.key)
        if flag is None:
            return [f"key “{answer.text}” is no declared flag"]
        if flag.definition.strip().rstrip(".")[1:] not in item.stem:
            return [f"key “{answer.text}”: the stem does not describe what it does"]
        problems = []
        for wrong in item.distractors:
            other = hands.flags.get(wrong.key)
            if other is None or other.command != flag.command:
                problems.append(f"“{wrong.text}” is no flag of the same command")
            elif other.iri == flag.iri or other.definition.casefold() == flag.definition.casefold():
                problems.append(f"“{wrong.text}” is described as doing the same thing")
        return problems
    from .model import Response
    from .responses import grade_response

    answer = item.answers[0]
    example = next((e for e in hands.examples if e.text == answer.key and item.stem.startswith(e.task)), None)
    if example is None:
        return [f"key “{answer.text}” is no worked example of the graph for this task"]
    form = item.template.split("/", 1)[1]
    form = {"etcdutl": "etcdctl"}.get(form, form)
    typed = Response(form=form, accepted=(example.text, *example.also))
    return [
        f"“{wrong.text}”: graded as the same command line as an accepted form"
        for wrong in item.distractors
        if grade_response(typed, wrong.text).correct
    ]
