"""What a Terraform run does with its state, its lock, its logs and its configuration, and which plugin a
Kubernetes node reaches through an extension interface.

Terraform items show a configuration, a command or a lock message and ask what the run does. Each key is
computed by a rule the Terraform 1.12 documentation states, and every wrong option is what the same rule
gives for another configuration or command:

* state location — without a backend block, or with ``backend "local"``, the default workspace's state is
  ``path`` (default ``terraform.tfstate``) beside the root module and other workspaces' states live in
  ``workspace_dir`` (default ``terraform.tfstate.d``); the s3 backend keeps the default workspace at ``key``
  and another workspace at ``<workspace_key_prefix>/<name>/<key>`` (prefix ``env:``);
* locking — ``-lock=false`` locks nothing; the local backend locks with system APIs; the s3 backend locks
  only with ``use_lockfile = true`` (a lock file in the bucket) or the deprecated ``dynamodb_table`` (asked
  only where the graph records that the backend locks, or supports locking as an opt-in);
* a held lock — a run stops with an error, retries for ``-lock-timeout`` first, or with ``-lock=false``
  runs unlocked; ``terraform force-unlock`` needs the lock's ID;
* ``terraform validate`` — syntax and internal consistency only: a reference to something not declared
  fails, while missing variable values, missing state and unreachable services do not;
* ``TF_LOG`` — levels TRACE, DEBUG, INFO, WARN, ERROR from most to least verbose, JSON for TRACE as JSON;
  logs go to standard error, or are appended to ``TF_LOG_PATH``, which alone enables nothing;
  ``TF_LOG_CORE`` and ``TF_LOG_PROVIDER`` enable only their part;
* desired state — a plan proposes only the difference between the configuration and the refreshed state
  (so an unchanged configuration gives no changes); refresh-only, ``-refresh=false``, ``-destroy`` and
  ``-replace`` change what it proposes as the plan command's reference says.

:func:`expected` re-derives every key from the item alone (the shown code parsed with python-hcl2, the
command in the stem), for :mod:`.hands_on_proof`. Kubernetes items are typed answers (the runtime behind a
CRI socket) and tasks built from StorageClass recipes with :mod:`.manifest_tasks`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from urllib.parse import urlsplit

from .hands_on_common import KUBERNETES_CERTS, TERRAFORM_CERTS, Context, choice_item, typed_item
from .manifest_recipes import Need, Recipe
from .model import Choice, QuestionItem, QuestionType, Response
from .proof import Proof

ID = "https://w3id.org/opsprep/id/"
OPS = "https://w3id.org/opsprep/ontology#"
H, T, C, TOOL = ID + "hcl/", ID + "topic/", ID + "command/", ID + "tool/"
PAGE = "https://developer.hashicorp.com/terraform/"
S3_PAGE, WORKSPACES_PAGE = PAGE + "language/backend/s3", PAGE + "language/state/workspaces"
LOCAL_PAGE, LOCKING_PAGE = PAGE + "language/backend/local", PAGE + "language/state/locking"
APPLY_PAGE = PAGE + "cli/commands/apply"


def _pages(ctx: Context, first: tuple[str, ...], about: tuple[str, ...]) -> tuple[str, ...]:
    """The pages that state the rule — those of the worked examples named in ``first`` (or pages given there
    directly) — then those of the topics the item is about; none when a named example is missing."""
    found = {e.iri: e for e in ctx.hands.code_examples}
    if any("://" not in iri and iri not in found for iri in first):
        return ()  # the worked example that states the rule is not in the graph: no item rests on it
    pages = [p for iri in first for p in (found[iri].sources if iri in found else (iri,))]
    cited = ctx.sources(pages, [i for i in about if i.startswith(T)])
    host = urlsplit(pages[0]).netloc if pages else ""
    return tuple(p for p in cited if not host or urlsplit(p).netloc == host)  # the vendor's own pages only


def _choice(
    ctx: Context,
    kind: str,
    stem: str,
    code: str,
    language: str,
    answer: Choice,
    wrong: list[Choice],
    why: str,
    about: tuple[str, ...],
    examples: tuple[str, ...],
    parts: tuple,
    difficulty: float = 0.6,
) -> QuestionItem | None:
    wrong = [replace(c, proof=str(Proof.COMPUTED)) for c in wrong if c.text != answer.text]
    return choice_item(
        f"hcl-read/run-{kind}",
        QuestionType.CODE_READING,
        stem,
        (answer,),
        tuple(wrong),
        why,
        _pages(ctx, examples, about),
        ctx.domains(about, TERRAFORM_CERTS),
        about,
        (kind, *map(str, parts)),
        difficulty,
        code=code,
        code_language=language,
    )


def _block(kind: str, labels: tuple[str, ...], body: dict[str, object], indent: str = "") -> str:
    """An HCL block with aligned ``name = value`` lines (strings quoted, booleans and numbers bare)."""
    head = " ".join((kind, *(f'"{label}"' for label in labels)))
    if not body:
        return f"{indent}{head} {{}}"
    width = max(len(k) for k in body)
    lines = [f"{indent}{head} {{"]
    for key, value in body.items():
        shown = str(value).lower() if isinstance(value, bool) else value if isinstance(value, int) else f'"{value}"'
        lines.append(f"{indent}  {key.ljust(width)} = {shown}")
    lines.append(f"{indent}}}")
    return "\n".join(lines)


def _settings(backend: str | None, args: dict[str, object]) -> str:
    """A ``terraform`` block holding the backend, or a provider block when there is no backend."""
    if backend is None:
        return _block("provider", ("aws",), {"region": "eu-west-1"})
    return "terraform {\n" + _block("backend", (backend,), args, "  ") + "\n}"


def _resource(rtype: str, name: str, body: dict[str, object], count: int | None = None) -> str:
    """A resource block as ``terraform fmt`` writes it: ``count`` first and apart, then aligned arguments."""
    block = _block("resource", (rtype, name), body)
    if count is None:
        return block + "\n"
    head, rest = block.split("\n", 1)
    return f"{head}\n  count = {count}\n\n{rest}\n"


def _n(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


_BUCKET_RESOURCE = 'resource "aws_s3_bucket" "logs" {\n  bucket = "acme-app-logs"\n}'

# ---------------------------------------------------------------- where the state is kept

S3 = {"bucket": "acme-terraform-state", "key": "network/terraform.tfstate", "region": "eu-west-1"}

#: backend, its arguments, the selected workspace
LOCATION_CASES = (
    (None, {}, "default"),
    (None, {}, "staging"),
    ("local", {}, "default"),
    ("local", {}, "prod"),
    ("local", {"path": "state/network.tfstate"}, "default"),
    ("local", {"path": "envs/app.tfstate"}, "default"),
    ("local", {"workspace_dir": "state/workspaces"}, "dev"),
    ("local", {"path": "state/app.tfstate", "workspace_dir": "state/workspaces"}, "default"),
    ("s3", S3, "default"),
    ("s3", S3, "staging"),
    ("s3", {**S3, "workspace_key_prefix": "workspaces"}, "prod"),
    ("s3", {**S3, "key": "apps/api.tfstate"}, "dev"),
)


def _file(path: str) -> str:
    return f"The file {path}, relative to the root module directory"


def _folder(folder: str) -> str:
    return f"A state file of that workspace inside the {folder} directory"


def _object(bucket: str, key: str) -> str:
    return f"The object {key} in the S3 bucket {bucket}"


_BACKEND_SETTINGS = "The file .terraform/terraform.tfstate in the working directory"
_BACKUP = "The file terraform.tfstate.backup, relative to the root module directory"


def _location_stem(workspace: str) -> str:
    if workspace == "default":
        return (
            "With the default workspace selected, `terraform apply` runs in this root module. "
            "Where is the state it writes kept?"
        )
    return (
        f"After `terraform workspace select {workspace}`, `terraform apply` runs in this root module. "
        "Where is the state it writes kept?"
    )


def state_location(ctx: Context) -> Iterator[QuestionItem]:
    """Where a run keeps the state, for the local backend (implicit or declared) and the s3 backend."""
    for backend, args, workspace in LOCATION_CASES:
        code = _settings(backend, args) + "\n\n" + _BUCKET_RESOURCE + "\n"
        default = workspace == "default"
        settings = Choice(
            "settings", _BACKEND_SETTINGS, 0.6, "that file holds the working directory's backend settings, not state"
        )
        if backend == "s3":
            bucket, key = str(args["bucket"]), str(args["key"])
            prefix = str(args.get("workspace_key_prefix", "env:"))
            right = _object(bucket, key if default else f"{prefix}/{workspace}/{key}")
            if default:
                candidates = [
                    Choice(
                        "prefixed", _object(bucket, f"env:/default/{key}"), 0.9, "only other workspaces get a prefix"
                    ),
                    Choice("named", _object(bucket, f"default/{key}"), 0.8, "the default workspace is stored at key"),
                    Choice("local", _file("terraform.tfstate"), 0.5, "with an s3 backend the state is in the bucket"),
                    settings,
                ]
            else:
                other = "env:" if prefix != "env:" else "workspaces"
                candidates = [
                    Choice("key", _object(bucket, key), 0.9, "only the default workspace is stored at key itself"),
                    Choice(
                        "unprefixed",
                        _object(bucket, f"{workspace}/{key}"),
                        0.8,
                        f"another workspace's path starts with the workspace key prefix, here {prefix}",
                    ),
                    Choice(
                        "other-prefix",
                        _object(bucket, f"{other}/{workspace}/{key}"),
                        0.8,
                        f"the workspace key prefix is {prefix}",
                    ),
                    Choice(
                        "local", _folder("terraform.tfstate.d"), 0.5, "with an s3 backend the state is in the bucket"
                    ),
                    settings,
                ]
            about = (H + "backend-s3", T + "terraform-backend-s3", T + "terraform-workspace")
            examples = (S3_PAGE, WORKSPACES_PAGE)
            why = (
                f"The s3 backend keeps the default workspace's state at key; another workspace's state goes to "
                f"<workspace_key_prefix>/<workspace>/<key>, with the prefix {prefix}."
            )
        else:
            path = str(args.get("path", "terraform.tfstate"))
            folder = str(args.get("workspace_dir", "terraform.tfstate.d"))
            right = _file(path) if default else _folder(folder)
            candidates = [
                Choice(
                    "default-file",
                    _file(path) if not default else _file("terraform.tfstate"),
                    0.9,
                    "that file holds the default workspace's state"
                    if not default
                    else "path moves the state away from the default terraform.tfstate",
                ),
                Choice(
                    "folder",
                    # for another workspace, the tempting mistake is the default directory that workspace_dir moves
                    _folder(folder)
                    if default
                    else _folder("terraform.tfstate.d" if folder != "terraform.tfstate.d" else "workspaces"),
                    0.8,
                    "that directory holds the other workspaces' states, not the default one's"
                    if default
                    else f"workspace_dir moves the non-default workspaces' states to {folder}",
                ),
                settings,
                Choice(
                    "backup", _BACKUP, 0.4, f"the state is written to {path if default else folder}, not to a backup"
                ),
            ]
            about = (
                T + "terraform-backend-local",
                H + "backend-local",
                T + "terraform-state",
                T + "terraform-workspace",
            )
            examples = (H + "backend-local-ex2", H + "backend-local-ex3")
            why = (
                "The local backend (also used when no backend is declared) keeps the default workspace's state in "
                f"path, here {path}, relative to the root module, and the other workspaces' states in "
                f"workspace_dir, here {folder}."
            )
        answer = Choice("right", right, note="that is where this backend keeps the selected workspace's state")
        yield _choice(
            ctx,
            "state-location",
            _location_stem(workspace),
            code,
            "hcl",
            answer,
            candidates,
            why,
            about,
            examples,
            (backend, tuple(sorted(args.items())), workspace),
            0.65,
        )


# ---------------------------------------------------------------- locking

LOCK_FILE = "Yes: it takes a lock file stored in the bucket next to the state"
LOCK_TABLE = "Yes: it takes a lock in the DynamoDB table named in the configuration"
LOCK_BOTH = "Yes: it takes both a lock file in the bucket and a lock in a DynamoDB table"
LOCK_NONE = "No: nothing locks the state during this run"
LOCK_LOCAL = "Yes: it locks the local state file with the operating system's locking"

#: backend, its arguments, commands run against it
LOCK_CASES = (
    ("s3", {**S3, "use_lockfile": True}, ("terraform apply", "terraform apply -lock=false")),
    ("s3", {**S3, "use_lockfile": False}, ("terraform apply",)),
    ("s3", dict(S3), ("terraform apply", "terraform destroy")),
    ("s3", {**S3, "dynamodb_table": "terraform-locks"}, ("terraform apply", "terraform destroy")),
    ("local", {}, ("terraform apply", "terraform apply -lock=false")),
    (None, {}, ("terraform destroy", "terraform apply -lock=false")),
)


def _recorded(ctx: Context, iri: str, fact: str) -> bool:
    """The graph records ``fact`` as true for the node (a missing fact is unknown, and says nothing)."""
    return "true" in ctx.hands.nodes.get(iri, {}).get(OPS + fact, ())


def locking(ctx: Context) -> Iterator[QuestionItem]:
    """Whether, and how, a run locks the state for a backend configuration and command: only for backends
    whose locking the graph records (the local backend locks; the s3 backend supports it as an opt-in)."""
    known = {
        "s3": _recorded(ctx, H + "backend-s3", "supportsLocking") and _recorded(ctx, H + "backend-s3", "lockingOptIn"),
        "local": _recorded(ctx, H + "backend-local", "supportsLocking"),
    }
    notes = {
        LOCK_FILE: "only an s3 backend with use_lockfile = true locks with a file in the bucket, unless -lock=false",
        LOCK_TABLE: "only an s3 backend with a dynamodb_table locks in DynamoDB, unless -lock=false",
        LOCK_BOTH: "that needs both use_lockfile = true and a dynamodb_table, and no -lock=false",
        LOCK_NONE: "without -lock=false this backend configuration does lock the state",
        LOCK_LOCAL: "only the local backend, the default, locks a local state file, unless -lock=false",
    }
    for backend, args, commands in LOCK_CASES:
        if not known[backend or "local"]:
            continue
        code = _settings(backend, args) + "\n\n" + _BUCKET_RESOURCE + "\n"
        for command in commands:
            if "-lock=false" in command:
                right, why = LOCK_NONE, "-lock=false makes the run skip state locking altogether (not recommended)."
            elif backend != "s3":
                right, why = LOCK_LOCAL, "The local backend, the default, locks its state file using system APIs."
            elif args.get("use_lockfile") is True:
                right, why = LOCK_FILE, "With use_lockfile = true the s3 backend locks with a lock file in the bucket."
            elif "dynamodb_table" in args:
                right, why = LOCK_TABLE, "dynamodb_table switches on the deprecated DynamoDB locking of the s3 backend."
            else:
                right = LOCK_NONE
                why = (
                    "Locking is opt-in for the s3 backend: use_lockfile defaults to false and no dynamodb_table is set."
                )
            similar = {LOCK_NONE: 0.8, LOCK_FILE: 0.8, LOCK_TABLE: 0.7, LOCK_LOCAL: 0.6, LOCK_BOTH: 0.5}
            wrong = [Choice(text, text, similar[text], notes[text]) for text in similar]
            where = (H + "backend-s3",) if backend == "s3" else (T + "terraform-backend-local", H + "backend-local")
            about = (T + "state-locking", *where)
            if "-lock=false" in command:
                about += (C + "terraform-apply--lock",)
            examples = (T + "state-locking-ex1",) if backend == "s3" else (LOCAL_PAGE, LOCKING_PAGE, APPLY_PAGE)
            yield _choice(
                ctx,
                "lock",
                f"Does `{command}` lock the state of this configuration while it runs, and how?",
                code,
                "hcl",
                Choice(right, right, note="the rule for this backend and command"),
                wrong,
                why,
                about,
                examples,
                (backend, tuple(sorted(args.items())), command),
            )


def _duration(text: str) -> str:
    number, unit = int(text[:-1]), {"s": "second", "m": "minute"}[text[-1]]
    return f"{number} {unit}{'s' if number != 1 else ''}"


HELD_FAIL = "It stops with an error because it cannot take the lock"
HELD_NOLOCK = "It runs without taking the lock, so both runs may write the state at the same time"
HELD_WAIT = "It waits for as long as the lock is held, then runs"
HELD_BREAK = "It removes the teammate's lock and then runs"


def _held_retry(duration: str) -> str:
    return f"It keeps trying to take the lock for up to {duration}, then stops with an error if it is still held"


HELD_COMMANDS = (
    "terraform apply",
    "terraform destroy",
    "terraform apply -lock-timeout=5m",
    "terraform apply -lock-timeout=90s",
    "terraform apply -lock-timeout=30s",
    "terraform apply -lock=false",
)


def held_lock(ctx: Context) -> Iterator[QuestionItem]:
    """What a run does when another run holds the state lock: fail, retry for -lock-timeout, or skip locking."""
    code = _settings("s3", {**S3, "use_lockfile": True}) + "\n"
    for command in HELD_COMMANDS:
        timeout = re.search(r"-lock-timeout=(\d+[sm])", command)
        if "-lock=false" in command:
            right, why = HELD_NOLOCK, "-lock=false skips locking, which is dangerous while others run."
        elif timeout:
            right = _held_retry(_duration(timeout.group(1)))
            why = "-lock-timeout makes Terraform retry taking the lock for that long before it returns an error."
        else:
            right, why = HELD_FAIL, "If Terraform cannot take the state lock, it does not continue."
        wrong = [
            Choice("fail", HELD_FAIL, 0.8, "that happens only without -lock-timeout or -lock=false"),
            Choice("retry", _held_retry("5 minutes"), 0.8, "retrying needs -lock-timeout=5m on the command line"),
            Choice("nolock", HELD_NOLOCK, 0.6, "only -lock=false skips locking"),
            Choice(
                "wait", HELD_WAIT, 0.6, "Terraform never waits without limit: it fails or retries for -lock-timeout"
            ),
            Choice("break", HELD_BREAK, 0.4, "only terraform force-unlock removes a lock, and never on its own"),
        ]
        if timeout and timeout.group(1) != "5m":
            wrong[1] = replace(wrong[1], note=f"it retries for {_duration(timeout.group(1))}, not 5 minutes")
        yield _choice(
            ctx,
            "held-lock",
            f"A teammate's `terraform apply` is running and holds the state lock of this configuration. "
            f"Meanwhile you run `{command}`. What happens?",
            code,
            "hcl",
            Choice("right", right, note="that is what the options on this command line make it do"),
            wrong,
            why,
            (T + "state-locking", H + "backend-s3-use_lockfile", C + "terraform-apply--lock-timeout"),
            (T + "state-locking-ex2",),
            (command,),
            0.65,
        )


LOCKS = (
    ("9db590f1-b6fe-c5f2-2678-8804f089deba", "acme-terraform-state/network/terraform.tfstate", "ana@build-07"),
    ("2c7e7d1a-0f43-8a6b-51e2-d4b7a3c9e610", "acme-terraform-state/apps/api.tfstate", "ci@runner-3"),
    ("f04b8b2e-7d9c-1e35-a6f0-3c2d1b9e8a47", "acme-terraform-state/env:/staging/db.tfstate", "omar@laptop"),
)


def force_unlock(ctx: Context) -> Iterator[QuestionItem]:
    """Which command removes a lock left behind: terraform force-unlock with the lock's ID."""
    for lock_id, path, who in LOCKS:
        code = (
            "Lock Info:\n"
            f"  ID:        {lock_id}\n"
            f"  Path:      {path}\n"
            "  Operation: OperationTypeApply\n"
            f"  Who:       {who}\n"
            "  Version:   1.12.2\n"
            "  Created:   2025-06-03 09:14:27.512345 +0000 UTC\n"
            "  Info:\n"
        )
        right = f"terraform force-unlock {lock_id}"
        wrong = [
            Choice("who", f"terraform force-unlock {who}", 0.8, "Who names the holder; force-unlock needs the lock ID"),
            Choice("path", f"terraform force-unlock {path}", 0.7, "Path is where the state is; the ID names the lock"),
            Choice("bare", "terraform force-unlock -force", 0.7, "force-unlock needs the lock ID as its argument"),
            Choice(
                "nolock",
                "terraform apply -lock=false",
                0.5,
                "that runs without locking and leaves the lock where it is",
            ),
        ]
        yield _choice(
            ctx,
            "force-unlock",
            "Your own `terraform apply` was killed and automatic unlocking failed, so every later run stops with "
            "the lock information shown. Which command removes that lock?",
            code,
            "text",
            Choice("right", right, note="the lock ID is the ID line of the lock information"),
            wrong,
            "terraform force-unlock removes the lock on the current configuration's state; it takes the unique lock "
            f"ID that Terraform printed, here {lock_id}, so that it cannot remove the wrong lock.",
            (T + "terraform-force-unlock", T + "state-locking", C + "terraform-force-unlock"),
            (T + "terraform-force-unlock-ex1",),
            (lock_id,),
            0.55,
        )


# ---------------------------------------------------------------- terraform validate

VALID = "It reports success: the configuration is valid"
NO_STATE = "It reports an error: there is no state to compare the configuration with"
NO_NETWORK = "It reports an error: it cannot reach AWS to check the objects the configuration describes"


def _undeclared(name: str) -> str:
    return f"It reports an error: {name} is referred to but not declared"


def _no_value(name: str) -> str:
    return f"It reports an error: the variable {name} has no value"


_INSTANCE = (
    'resource "aws_instance" "web" {{\n  ami           = {ami}\n  instance_type = "t3.micro"\n'
    "  subnet_id     = {subnet}\n}}"
)

#: configuration, the one name it refers to without declaring ("" when valid), a name it does declare
VALIDATE_CASES = (
    (
        'variable "region" {\n  type = string\n}\n\nprovider "aws" {\n  region = var.region\n}\n\n'
        + _INSTANCE.format(ami='"ami-0c55b159cbfafe1f0"', subnet='"subnet-0a1b2c3d"'),
        "",
        "var.region",
    ),
    (
        _settings("s3", S3)
        + '\n\ndata "aws_ami" "ubuntu" {\n  most_recent = true\n  owners      = ["099720109477"]\n}\n\n'
        + _INSTANCE.format(ami="data.aws_ami.ubuntu.id", subnet='"subnet-0a1b2c3d"'),
        "",
        "data.aws_ami.ubuntu",
    ),
    (
        'resource "aws_subnet" "app" {\n  vpc_id     = aws_vpc.main.id\n  cidr_block = "10.0.1.0/24"\n}\n\n'
        + _INSTANCE.format(ami='"ami-0c55b159cbfafe1f0"', subnet="aws_subnet.app.id"),
        "aws_vpc.main",
        "aws_subnet.app",
    ),
    (
        'provider "aws" {\n  region = var.region\n}\n\nvariable "environment" {\n  type    = string\n'
        '  default = "dev"\n}\n\n' + _INSTANCE.format(ami='"ami-0c55b159cbfafe1f0"', subnet='"subnet-0a1b2c3d"'),
        "var.region",
        "var.environment",
    ),
    (
        'locals {\n  name = "web"\n}\n\nresource "aws_s3_bucket" "logs" {\n  bucket = "acme-${local.name}-logs"\n'
        "  tags   = local.common_tags\n}",
        "local.common_tags",
        "local.name",
    ),
    (
        'variable "subnet_id" {\n  type = string\n}\n\n'
        + _INSTANCE.format(ami="data.aws_ami.ubuntu.id", subnet="var.subnet_id"),
        "data.aws_ami.ubuntu",
        "var.subnet_id",
    ),
    (
        'resource "aws_s3_bucket" "log" {\n  bucket = "acme-audit-log"\n}\n\noutput "bucket_arn" {\n'
        "  value = aws_s3_bucket.logs.arn\n}",
        "aws_s3_bucket.logs",
        "aws_s3_bucket.log",
    ),
    (
        'variable "bucket_name" {\n  type = string\n}\n\nlocals {\n  tags = {\n    Team = "platform"\n  }\n}\n\n'
        'resource "aws_s3_bucket" "logs" {\n  bucket = var.bucket_name\n  tags   = local.tags\n}',
        "",
        "local.tags",
    ),
)


def validate(ctx: Context) -> Iterator[QuestionItem]:
    """What ``terraform validate`` reports: undeclared references, never missing values, state or network."""
    stem = (
        "The working directory was initialised with `terraform init -backend=false`. No variable values are set, "
        "no state exists and there is no network access. What does `terraform validate` report?"
    )
    for code, missing, declared in VALIDATE_CASES:
        right = _undeclared(missing) if missing else VALID
        unset = re.search(r'variable "(\w+)" \{\n  type = string\n\}', code)
        wrong = [
            Choice("valid", VALID, 0.8, f"{missing} is used but no block declares it"),
            Choice("declared", _undeclared(declared), 0.8, f"{declared} is declared in the configuration"),
            Choice("network", NO_NETWORK, 0.6, "validate never contacts provider APIs or remote services"),
            Choice("state", NO_STATE, 0.5, "validate checks the configuration whatever the state"),
        ]
        if unset:
            wrong.insert(
                2,
                Choice(
                    "value",
                    _no_value(unset.group(1)),
                    0.7,
                    "validate checks the configuration regardless of any variable values",
                ),
            )
        why = (
            f"validate checks syntax and internal consistency: {missing} is referred to, but nothing declares it."
            if missing
            else "validate checks only that the configuration is syntactically valid and internally consistent, "
            "whatever the variable values and the state, and it contacts no backend or provider API."
        )
        yield _choice(
            ctx,
            "validate",
            stem,
            code + "\n",
            "hcl",
            Choice("right", right, note="what validate checks decides it"),
            wrong,
            why,
            (T + "terraform-validate", C + "terraform-validate", T + "terraform-references"),
            (T + "terraform-validate-ex1",),
            (code,),
            0.65,
        )


# ---------------------------------------------------------------- verbose logging

LEVELS = ("TRACE", "DEBUG", "INFO", "WARN", "ERROR")


def _levels_text(level: str) -> str:
    if level == "JSON":
        return "Messages of every level, TRACE to ERROR, encoded as JSON"
    if level == "TRACE":
        return "Messages of every level, TRACE to ERROR, as plain text"
    shown = LEVELS[LEVELS.index(level) :]
    if len(shown) == 1:
        return "ERROR messages only"
    return f"{', '.join(shown[:-1])} and {shown[-1]} messages only"


def _script(env: dict[str, str], command: str) -> str:
    return "".join(f"export {k}={v}\n" for k, v in env.items()) + command + "\n"


def log_levels(ctx: Context) -> Iterator[QuestionItem]:
    """Which messages a ``TF_LOG`` level records: that level and the less verbose ones."""
    for level, command in zip((*LEVELS, "JSON"), ("terraform apply", "terraform plan") * 3, strict=True):
        right = _levels_text(level)
        rank = {name: n for n, name in enumerate(LEVELS)} | {"JSON": 0}
        wrong = [
            Choice(other, _levels_text(other), 1 - abs(rank[other] - rank[level]) / 10, f"that is TF_LOG={other}")
            for other in (*LEVELS, "JSON")
            if other != level
        ]
        wrong.sort(key=lambda c: -c.similarity)
        yield _choice(
            ctx,
            "log-level",
            "Which log messages does this run record?",
            _script({"TF_LOG": level}, command),
            "shell",
            Choice(level, right, note=f"TF_LOG={level} records its level and every less verbose one"),
            wrong,
            "TF_LOG levels run from the most verbose, TRACE, through DEBUG, INFO and WARN to ERROR; a level "
            "records its own messages and those of the less verbose levels, and JSON records from TRACE up as JSON.",
            (T + "terraform-verbose-logging",),
            (T + "terraform-verbose-logging-ex1", T + "terraform-verbose-logging-ex2"),
            (level, command),
        )


LOG_STDERR = "To standard error, on the terminal"
LOG_STDOUT = "To standard output, mixed with the command's normal output"
LOG_OFF = "Nowhere: detailed logging stays off"


def _log_append(path: str) -> str:
    return f"Appended to {path}"


def _log_replace(path: str) -> str:
    return f"Written to {path}, replacing what the file held"


DESTINATION_CASES = (
    ({"TF_LOG": "DEBUG"}, "terraform plan"),
    ({"TF_LOG": "TRACE", "TF_LOG_PATH": "./terraform.log"}, "terraform apply"),
    ({"TF_LOG_PATH": "./terraform.log"}, "terraform apply"),
    ({"TF_LOG": "JSON", "TF_LOG_PATH": "logs/plan.json"}, "terraform plan"),
    ({"TF_LOG": "WARN"}, "terraform init"),
    ({"TF_LOG_PATH": "crash.log"}, "terraform plan"),
    ({"TF_LOG": "INFO", "TF_LOG_PATH": "crash.log"}, "terraform destroy"),
)


def log_destination(ctx: Context) -> Iterator[QuestionItem]:
    """Where the detailed logs go: standard error, appended to TF_LOG_PATH, or nowhere without TF_LOG."""
    for env, command in DESTINATION_CASES:
        path = env.get("TF_LOG_PATH", "./terraform.log")
        on = "TF_LOG" in env
        if not on:
            right = LOG_OFF
            why = "TF_LOG_PATH only says where logs go; no logging happens unless TF_LOG is set as well."
        elif "TF_LOG_PATH" in env:
            right = _log_append(path)
            why = "With TF_LOG set, TF_LOG_PATH makes Terraform append the logs to that file."
        else:
            right = LOG_STDERR
            why = "TF_LOG turns the detailed logs on, and they appear on standard error unless TF_LOG_PATH is set."
        off = "TF_LOG is not set, so nothing is logged"
        to_file = "TF_LOG_PATH" in env
        wrong = [
            Choice("stderr", LOG_STDERR, 0.8, off if not on else "TF_LOG_PATH sends them to its file"),
            Choice("append", _log_append(path), 0.8, off if not on else "without TF_LOG_PATH no file is written"),
            Choice(
                "replace",
                _log_replace(path),
                0.7,
                off if not on else "the file is appended to, not replaced" if to_file else "no file is written",
            ),
            Choice("off", LOG_OFF, 0.6, "TF_LOG is set, so logging is on"),
            Choice("stdout", LOG_STDOUT, 0.4, "the detailed logs go to standard error or to the log file"),
        ]
        yield _choice(
            ctx,
            "log-destination",
            "Where do Terraform's detailed logs of this run go?",
            _script(env, command),
            "shell",
            Choice("right", right, note="TF_LOG enables the logs and TF_LOG_PATH names their file"),
            wrong,
            why,
            (T + "terraform-verbose-logging",),
            (T + "terraform-verbose-logging-ex1",),
            (tuple(sorted(env.items())), command),
        )


LOG_CORE = "Only the logs of Terraform itself (core)"
LOG_PROVIDERS = "Only the logs of the provider plugins"
LOG_BOTH = "The logs of both Terraform core and the provider plugins"
LOG_NONE = "None: these variables log nothing unless TF_LOG is set too"

SUBSET_CASES = (
    ({"TF_LOG_CORE": "TRACE"}, "terraform plan"),
    ({"TF_LOG_PROVIDER": "DEBUG"}, "terraform apply"),
    ({"TF_LOG_CORE": "INFO", "TF_LOG_PROVIDER": "TRACE"}, "terraform plan"),
    ({"TF_LOG": "DEBUG"}, "terraform apply"),
)


def log_subset(ctx: Context) -> Iterator[QuestionItem]:
    """Whose logs TF_LOG_CORE and TF_LOG_PROVIDER turn on."""
    for env, command in SUBSET_CASES:
        core = "TF_LOG_CORE" in env or "TF_LOG" in env
        providers = "TF_LOG_PROVIDER" in env or "TF_LOG" in env
        right = LOG_BOTH if core and providers else LOG_CORE if core else LOG_PROVIDERS
        wrong = [
            Choice(
                "core",
                LOG_CORE,
                0.8,
                "the provider plugins' logs are on as well" if core else "nothing here turns core's logs on",
            ),
            Choice(
                "providers",
                LOG_PROVIDERS,
                0.8,
                "Terraform core's logs are on as well" if providers else "nothing here turns the providers' logs on",
            ),
            Choice("both", LOG_BOTH, 0.7, "each of these variables turns on only its own part of the logs"),
            Choice("none", LOG_NONE, 0.6, "TF_LOG_CORE and TF_LOG_PROVIDER enable their part of the logs themselves"),
        ]
        yield _choice(
            ctx,
            "log-subset",
            "Whose detailed logs does this run write?",
            _script(env, command),
            "shell",
            Choice("right", right, note="each variable enables the logs it names"),
            wrong,
            "TF_LOG enables all detailed logs; TF_LOG_CORE and TF_LOG_PROVIDER take the same levels but each "
            "enables only Terraform core's logs or only the provider plugins' logs.",
            (T + "terraform-verbose-logging",),
            (T + "terraform-verbose-logging-ex3",),
            (tuple(sorted(env.items())), command),
        )


#: what to do, the environment it needs, the command
LOG_TASKS = (
    ("DEBUG-level logs appended to ./apply.log", {"TF_LOG": "DEBUG", "TF_LOG_PATH": "./apply.log"}, "terraform apply"),
    (
        "the most verbose plain-text logs appended to ./plan.log",
        {"TF_LOG": "TRACE", "TF_LOG_PATH": "./plan.log"},
        "terraform plan",
    ),
    ("JSON-encoded logs of every level on standard error", {"TF_LOG": "JSON"}, "terraform init"),
    ("only the provider plugins' logs, at TRACE level", {"TF_LOG_PROVIDER": "TRACE"}, "terraform plan"),
)


def log_typed(ctx: Context) -> Iterator[QuestionItem]:
    """Type the command line that runs a command with the wanted logging, for that command only."""
    about = (T + "terraform-verbose-logging",)
    for what, env, command in LOG_TASKS:
        line = " ".join(f"{k}={v}" for k, v in env.items()) + " " + command
        also = [line.replace("./", "")] if "./" in line else []
        response = Response(form="terraform", accepted=(line, *also), language="shell")
        yield typed_item(
            "run-typed/log-command",
            QuestionType.TYPED,
            f"Run `{command}` with {what}, setting the environment variables for this one command only. "
            "Type the command line.",
            response,
            "TF_LOG sets the level (TRACE, DEBUG, INFO, WARN, ERROR, or JSON for TRACE as JSON) and TF_LOG_PATH "
            "the file the logs are appended to; TF_LOG_CORE and TF_LOG_PROVIDER enable only core's or only the "
            "providers' logs.",
            _pages(ctx, (T + "terraform-verbose-logging-ex1", T + "terraform-verbose-logging-ex3"), about),
            ctx.domains(about, TERRAFORM_CERTS),
            about,
            ("log-command", line),
            0.6,
        )


# ---------------------------------------------------------------- desired state, drift and replacement

#: resource type, name, other arguments, count in the configuration, instances in the state
INSTANCE = {"ami": "ami-0c55b159cbfafe1f0", "instance_type": "t3.micro"}
VOLUME = {"availability_zone": "eu-west-1a", "size": 20}
COUNT_CASES = (
    ("aws_instance", "web", INSTANCE, 2, 2),
    ("aws_instance", "web", INSTANCE, 3, 2),
    ("aws_sqs_queue", "jobs", {"name_prefix": "jobs-"}, 1, 3),
    ("aws_s3_bucket", "logs", {"bucket_prefix": "acme-logs-"}, 4, 2),
    ("aws_sns_topic", "alerts", {"name_prefix": "alerts-"}, 3, 3),
    ("aws_ebs_volume", "data", VOLUME, 2, 3),
)


def _addresses(base: str, indexes: range) -> str:
    names = [f"{base}[{i}]" for i in indexes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _apply_outcome(base: str, want: int, have: int) -> str:
    if want == have:
        return "Nothing: it reports that no changes are needed"
    if want > have:
        return f"Creates {_addresses(base, range(have, want))} and leaves the others as they are"
    return f"Destroys {_addresses(base, range(want, have))} and leaves the others as they are"


def desired_count(ctx: Context) -> Iterator[QuestionItem]:
    """What apply does when the configuration's count and the instances in the state differ, or do not."""
    for rtype, name, args, want, have in COUNT_CASES:
        base = f"{rtype}.{name}"
        code = _resource(rtype, name, args, want)
        right = _apply_outcome(base, want, have)
        wrong = [
            Choice("more", f"Creates {_n(want, 'new instance')} next to the {have} it already manages", 0.8),
            Choice(
                "recreate",
                f"Destroys {'both' if have == 2 else f'all {have}'} instances and creates {_n(want, 'new one')}",
                0.6,
            ),
            Choice("nothing", _apply_outcome(base, 1, 1), 0.8),
        ]
        if want > have:
            wrong.append(
                Choice(
                    "shifted",
                    f"Creates {_addresses(base, range(have + 1, want + 1))} and leaves the others as they are",
                    0.9,
                )
            )
        elif want < have:
            wrong.append(
                Choice(
                    "first",
                    f"Destroys {_addresses(base, range(0, have - want))} and leaves the others as they are",
                    0.9,
                )
            )
        else:
            wrong.append(Choice("extra", f"Creates {base}[{want}] and leaves the others as they are", 0.7))
        notes = {
            "more": "the configuration states how many instances should exist, not how many to add",
            "recreate": "only the instances that differ from the configuration are changed",
            "nothing": f"the configuration wants {want} instances and the state holds {have}",
            "shifted": f"count instances are indexed from 0, so the new ones are [{have}] up to [{want - 1}]",
            "first": f"the configuration still declares {_addresses(base, range(want))}; only higher indexes go",
            "extra": f"{base}[{want}] is not declared: count = {want} means [0] to [{want - 1}]",
        }
        wrong = [replace(c, note=notes[c.key]) for c in wrong]
        yield _choice(
            ctx,
            "desired-count",
            f"`terraform state list` shows {_addresses(base, range(have))}, and nothing has changed outside "
            "Terraform since the last apply. What does `terraform apply` do with this configuration?",
            code,
            "hcl",
            Choice("right", right, note="it makes the real instances match the declared ones, no more"),
            wrong,
            f"The configuration declares the wanted instances, {_addresses(base, range(want))}; a plan compares them "
            "with the state and proposes only the difference, "
            + (
                "so applying a configuration that already matches changes nothing."
                if want == have
                else f"which here means it {right[0].lower()}{right[1:].split(' and leaves')[0]}."
            ),
            (T + "desired-state", T + "idempotency", H + "count", T + "terraform-count-for-each"),
            (T + "idempotency-ex1",),
            (rtype, want, have),
        )


#: resource type, name, the other arguments, the attribute changed by hand, its value in the configuration, the
#: value set outside Terraform
DRIFT_CASES = (
    ("aws_instance", "web", {"ami": "ami-0c55b159cbfafe1f0"}, "instance_type", "t3.micro", "t3.large"),
    ("aws_sqs_queue", "jobs", {"name": "jobs"}, "visibility_timeout_seconds", 30, 120),
    ("aws_cloudwatch_log_group", "app", {"name": "/app/web"}, "retention_in_days", 30, 7),
)
DRIFT_COMMANDS = (
    "terraform plan",
    "terraform plan -refresh-only",
    "terraform plan -refresh=false",
    "terraform plan -destroy",
)


def _drift_outcomes(address: str, attr: str, old: str, new: str) -> dict[str, str]:
    return {
        "terraform plan": f"Changing {address} back so that {attr} is {old} again",
        "terraform plan -refresh-only": f"Only recording {attr} = {new} in the state; nothing changes in AWS",
        "terraform plan -refresh=false": "Nothing for it: without refreshing, Terraform does not see the change",
        "terraform plan -destroy": f"Destroying {address}, as it does every object in the state",
        "error": "Nothing: it stops with an error because the object no longer matches the state",
    }


def drift(ctx: Context) -> Iterator[QuestionItem]:
    """What each planning mode proposes after a change made outside Terraform."""
    notes = {
        "terraform plan": "only the normal planning mode proposes to undo the change",
        "terraform plan -refresh-only": "only refresh-only mode just records the change in the state",
        "terraform plan -refresh=false": "only -refresh=false skips reading the real object",
        "terraform plan -destroy": "only destroy mode plans to destroy objects here",
        "error": "drift never makes a plan fail: it is either read and planned from, or, with -refresh=false, "
        "not read at all",
    }
    for rtype, name, args, attr, old, new in DRIFT_CASES:
        address = f"{rtype}.{name}"
        code = _resource(rtype, name, {**args, attr: old})
        outcomes = _drift_outcomes(address, attr, str(old), str(new))
        for command in DRIFT_COMMANDS:
            wrong = [Choice(k, v, 0.7, notes[k]) for k, v in outcomes.items() if k != command]
            yield _choice(
                ctx,
                "drift",
                f"Someone changed {attr} of {address} from {old} to {new} in the AWS console; the configuration "
                f"was not edited. What does `{command}` propose for {address}?",
                code,
                "hcl",
                Choice(command, outcomes[command], note="what this plan does with a change made outside Terraform"),
                wrong,
                "A normal plan reads the real objects and proposes changes that make them match the configuration; "
                "refresh-only mode only updates the state and outputs to match changes made outside Terraform; "
                "-refresh=false ignores such changes; destroy mode plans to destroy every object in the state.",
                (T + "drift", T + "terraform-refresh-only-planning-mode", T + "terraform-planning-mode"),
                (T + "drift-ex1",),
                (rtype, command),
            )


REPLACE_CASES = (("aws_instance", "web", 3, 1), ("aws_instance", "api", 2, 0), ("aws_ebs_volume", "data", 4, 3))


def replacement(ctx: Context) -> Iterator[QuestionItem]:
    """What ``-replace`` does when nothing has changed: replaces that one instance only."""
    for rtype, name, count, index in REPLACE_CASES:
        base, address = f"{rtype}.{name}", f"{rtype}.{name}[{index}]"
        code = _resource(rtype, name, INSTANCE if rtype == "aws_instance" else VOLUME, count)
        wrong = [
            Choice("nothing", "Nothing: no changes are needed because nothing changed", 0.8),
            Choice("all", f"Replaces every instance of {base}, all {count} of them", 0.7),
            Choice("update", f"Updates {address} in place without replacing it", 0.7),
            Choice("destroy", f"Destroys {address} without creating a new one", 0.5),
        ]
        notes = {
            "nothing": "-replace plans a replacement even when the configuration has not changed",
            "all": "-replace names one instance address; the others are untouched",
            "update": "-replace turns an update, or no action, into a replace action",
            "destroy": "a replacement creates a new object for the same configuration",
        }
        yield _choice(
            ctx,
            "replace",
            "Neither the configuration nor the real objects have changed since the last apply. What does "
            f"`terraform apply -replace='{address}'` do?",
            code,
            "hcl",
            Choice(
                "right",
                f"Replaces {address} with a new object and leaves the other instances alone",
                note="-replace forces a replacement of just the instance it names",
            ),
            [replace(c, note=notes[c.key]) for c in wrong],
            "-replace makes Terraform plan to replace the instance at the given address even if it would otherwise "
            "need no change, for example because the object is degraded; this follows immutable infrastructure.",
            (T + "immutable-infrastructure", T + "terraform-replace-option", C + "terraform-apply--replace"),
            (T + "immutable-infrastructure-ex1",),
            (rtype, count, index),
        )


# ---------------------------------------------------------------- Kubernetes extension interfaces

_JOIN = (
    "sudo kubeadm join 10.0.0.10:6443 --token abcdef.0123456789abcdef \\\n"
    "  --discovery-token-ca-cert-hash sha256:<hash> \\\n  --cri-socket {socket}\n"
)


def _runtime_names(label: str, alt: tuple[str, ...]) -> tuple[str, ...]:
    names = [label, *alt, label.lower(), label.lower().replace("-", "")]
    return tuple(dict.fromkeys(names))


def cri_runtime(ctx: Context) -> Iterator[QuestionItem]:
    """Type the container runtime a node's kubelet (or kubeadm) reaches through a CRI socket."""
    by_iri = {e.iri: e for e in ctx.hands.code_examples}
    join = by_iri.get(T + "cri-ex3")
    for example in ctx.hands.code_examples:
        if T + "cri" not in example.example_of or example.language != "yaml":
            continue
        runtime = next((ctx.facts.things.get(i) for i in example.example_of if i.startswith(TOOL)), None)
        socket = re.search(r"containerRuntimeEndpoint:\s*(\S+)", example.code)
        if runtime is None or socket is None:
            continue
        response = Response(form="value", accepted=_runtime_names(runtime.label, runtime.alt_labels))
        about = (T + "cri", runtime.iri)
        shown = (
            (example.code + "\n", "yaml", "This is the kubelet configuration of a node", example.sources),
            (
                _JOIN.format(socket=socket.group(1)),
                "shell",
                "A node is joined to the cluster with this command",
                join.sources if join else (),
            ),
        )
        for code, language, situation, pages in shown:
            if not pages:
                continue
            yield typed_item(
                "k8s-typed/cri-runtime",
                QuestionType.TYPED,
                f"{situation}. Each runtime installed there listens on its default CRI socket. Which container "
                "runtime is reached through the CRI? Type its name.",
                response,
                f"{socket.group(1).removeprefix('unix://')} is the default CRI socket of {runtime.label} on Linux; "
                + (
                    "the kubelet reaches its container runtime through the CRI at containerRuntimeEndpoint."
                    if language == "yaml"
                    else "kubeadm connects to the container runtime at the CRI socket given with --cri-socket."
                ),
                ctx.sources([*pages, *example.sources], (T + "cri",)),
                ctx.domains(about, KUBERNETES_CERTS),
                about,
                ("cri-runtime", runtime.iri, language),
                0.55,
                code=code,
                code_language=language,
            )


def _csi_claim(sc: str, driver: str, claim: str, ns: str, size: str) -> Recipe:
    """A StorageClass whose CSI driver provisions volumes on demand, and a claim that asks for it."""
    klass = {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": {"name": sc},
        "provisioner": driver,
        "volumeBindingMode": "WaitForFirstConsumer",
    }
    pvc = {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": claim, "namespace": ns},
        "spec": {
            "accessModes": ["ReadWriteOnce"],
            "storageClassName": sc,
            "resources": {"requests": {"storage": size}},
        },
    }
    sref, cref = f"StorageClass/{sc}", f"PersistentVolumeClaim/{claim}"
    needs = (
        Need(f"It is a StorageClass named {sc}.", sref, "kind", "equals", "StorageClass"),
        Need(f"Its volumes are created by the CSI driver {driver}.", sref, "provisioner", "equals", driver),
        Need(
            "A volume is created only once a Pod using the claim is scheduled.",
            sref,
            "volumeBindingMode",
            "equals",
            "WaitForFirstConsumer",
        ),
        Need(f"It is a PersistentVolumeClaim named {claim}.", cref, "kind", "equals", "PersistentVolumeClaim"),
        Need(f"The claim lives in the namespace {ns}.", cref, "metadata.namespace", "equals", ns),
        Need(f"The claim asks for the class {sc}…", cref, "spec.storageClassName", "equals", sc),
        Need(f"…and {size} of storage…", cref, "spec.resources.requests.storage", "equals", size),
        Need("…mountable read-write by one node.", cref, "spec.accessModes", "contains", "ReadWriteOnce"),
    )
    return Recipe(
        "csi-claim",
        f"The CSI driver {driver} is installed in the cluster, and the claim {claim} in {ns} must get a volume "
        "that this driver creates on demand.",
        (klass, pvc),
        needs,
        (T + "storage-class-provisioner", T + "dynamic-volume-provisioning", T + "csi", T + "storage-class"),
        "A StorageClass names in provisioner the volume plugin, here a CSI driver, that creates a PersistentVolume "
        "when a claim asks for the class by storageClassName; WaitForFirstConsumer delays that until a Pod uses it.",
        ("StorageClass", "PersistentVolumeClaim"),
    )


def _default_csi_class(sc: str, driver: str) -> Recipe:
    """A StorageClass backed by a CSI driver, marked as the cluster's default."""
    doc = {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": {"name": sc, "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
        "provisioner": driver,
        "reclaimPolicy": "Delete",
        "allowVolumeExpansion": True,
    }
    ref = f"StorageClass/{sc}"
    needs = (
        Need(f"It is a StorageClass named {sc}.", ref, "kind", "equals", "StorageClass"),
        Need(f"Its volumes are created by the CSI driver {driver}.", ref, "provisioner", "equals", driver),
        Need(
            "Claims that name no class get this one: it is marked as the default StorageClass.",
            ref,
            'metadata.annotations."storageclass.kubernetes.io/is-default-class"',
            "equals",
            "true",
        ),
        Need("A volume is deleted together with its claim.", ref, "reclaimPolicy", "equals", "Delete"),
        Need("Claims of this class may be enlarged later.", ref, "allowVolumeExpansion", "equals", True),
    )
    return Recipe(
        "default-csi-class",
        f"Claims that name no StorageClass stay Pending; they should get volumes from the CSI driver {driver}.",
        (doc,),
        needs,
        (T + "storage-class-provisioner", T + "default-storage-class", T + "csi", T + "storage-class"),
        "provisioner names the CSI driver that creates the volumes; the annotation "
        'storageclass.kubernetes.io/is-default-class set to "true" makes the class the one given to claims that '
        "name none (at most one class should carry it).",
        ("StorageClass",),
    )


CSI_CLAIMS = (
    ("fast-ebs", "ebs.csi.aws.com", "orders-db", "shop", "20Gi"),
    ("balanced-pd", "pd.csi.storage.gke.io", "reports", "finance", "50Gi"),
)
CSI_DEFAULTS = (("gp3", "ebs.csi.aws.com"), ("standard-rwo", "pd.csi.storage.gke.io"))
DEFAULT_CLASS_PAGE = "https://kubernetes.io/docs/tasks/administer-cluster/change-default-storage-class/"


def csi_tasks(ctx: Context) -> Iterator[QuestionItem]:
    """Write, fix and read StorageClasses whose provisioner is a CSI driver."""
    if not ctx.hands.kinds:
        return
    from . import manifest_tasks
    from .responses import grade_response

    recipes = [_csi_claim(*args) for args in CSI_CLAIMS] + [_default_csi_class(*args) for args in CSI_DEFAULTS]
    for recipe in recipes:
        for item in (
            manifest_tasks.write_task(ctx, recipe),
            manifest_tasks.fix_task(ctx, recipe),
            manifest_tasks.reading_item(ctx, recipe, grade_response),
        ):
            if item is not None and recipe.key == "default-csi-class":
                item = replace(item, sources=tuple(dict.fromkeys((DEFAULT_CLASS_PAGE, *item.sources)))[:4])
            if item is not None:
                yield item


# ---------------------------------------------------------------- all, and the proof


def terraform_state_items(ctx: Context) -> Iterator[QuestionItem]:
    """Every item of this module."""
    templates = (
        state_location,
        locking,
        held_lock,
        force_unlock,
        validate,
        log_levels,
        log_destination,
        log_subset,
        log_typed,
        desired_count,
        drift,
        replacement,
        cri_runtime,
        csi_tasks,
    )
    for template in templates:
        for item in template(ctx):
            if item is not None:
                yield item


def _strip(text: object) -> str:
    text = str(text)
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text


def _parse(code: str) -> dict:
    import hcl2

    return hcl2.loads(code)


def _backend_of(parsed: dict) -> tuple[str, dict[str, str]]:
    for block in parsed.get("terraform", []):
        for backend in block.get("backend", []):
            for label, body in backend.items():
                return _strip(label), {k: _strip(v) for k, v in body.items() if not k.startswith("__")}
    return "local", {}


def _command_in(stem: str) -> str:
    found = re.findall(r"`(terraform [^`]+)`", stem)
    if not found:
        raise ValueError("the stem names no terraform command")
    return found[-1]


def _exports(code: str) -> dict[str, str]:
    return dict(re.findall(r"^export (\w+)=(\S+)$", code, re.M))


def _expressions(node: object) -> Iterator[str]:
    """Every expression of a parsed configuration: ``${...}`` values and interpolations inside strings."""
    if isinstance(node, dict):
        for key, value in node.items():
            if not str(key).startswith("__"):
                yield from _expressions(value)
    elif isinstance(node, list):
        for value in node:
            yield from _expressions(value)
    elif isinstance(node, str):
        yield from re.findall(r"\$\{([^}]*)\}", node)


def _declared(parsed: dict) -> set[str]:
    names = set()
    for block in parsed.get("resource", []):
        for rtype, named in block.items():
            names.update(f"{_strip(rtype)}.{_strip(n)}" for n in named)
    for block in parsed.get("data", []):
        for dtype, named in block.items():
            names.update(f"data.{_strip(dtype)}.{_strip(n)}" for n in named)
    for kind, prefix in (("variable", "var"), ("module", "module")):
        for block in parsed.get(kind, []):
            names.update(f"{prefix}.{_strip(n)}" for n in block)
    for block in parsed.get("locals", []):
        names.update(f"local.{k}" for k in block if not k.startswith("__"))
    return names


_REFERENCE = re.compile(
    r"(?<![\w.])(?:(var|local|module)\.(\w+)|data\.(\w+)\.(\w+)|([a-z][a-z0-9]*_[a-z0-9_]+)\.(\w+))"
)


def _referenced(parsed: dict) -> set[str]:
    found = set()
    for expression in _expressions(parsed):
        for m in _REFERENCE.finditer(expression):
            if m.group(1):
                found.add(f"{m.group(1)}.{m.group(2)}")
            elif m.group(3):
                found.add(f"data.{m.group(3)}.{m.group(4)}")
            else:
                found.add(f"{m.group(5)}.{m.group(6)}")
    return found


def _expected_location(item: QuestionItem) -> str:
    backend, args = _backend_of(_parse(item.code))
    selected = re.search(r"terraform workspace select (\S+?)`", item.stem)
    workspace = selected.group(1) if selected else "default"
    if backend == "s3":
        key = args["key"]
        if workspace != "default":
            key = f"{args.get('workspace_key_prefix', 'env:')}/{workspace}/{key}"
        return f"The object {key} in the S3 bucket {args['bucket']}"
    if backend != "local":
        raise ValueError(f"no location rule for the {backend} backend")
    if workspace == "default":
        return f"The file {args.get('path', 'terraform.tfstate')}, relative to the root module directory"
    if "path" in args and "workspace_dir" not in args:
        raise ValueError("the pages state no rule for a non-default workspace with only path set")
    return f"A state file of that workspace inside the {args.get('workspace_dir', 'terraform.tfstate.d')} directory"


def _expected_lock(item: QuestionItem) -> str:
    command = _command_in(item.stem)
    backend, args = _backend_of(_parse(item.code))
    if "-lock=false" in command.split():
        return LOCK_NONE
    if backend == "local":
        return LOCK_LOCAL
    if backend != "s3":
        raise ValueError(f"no locking rule for the {backend} backend")
    lock_file, table = str(args.get("use_lockfile", "false")).lower() == "true", "dynamodb_table" in args
    return LOCK_BOTH if lock_file and table else LOCK_FILE if lock_file else LOCK_TABLE if table else LOCK_NONE


def _expected_held(item: QuestionItem) -> str:
    words = _command_in(item.stem).split()
    if "-lock=false" in words:
        return HELD_NOLOCK
    timeout = next((w.split("=", 1)[1] for w in words if w.startswith("-lock-timeout=")), None)
    if timeout is None:
        return HELD_FAIL
    number, unit = int(timeout[:-1]), {"s": "second", "m": "minute"}[timeout[-1]]
    return _held_retry(f"{number} {unit}{'' if number == 1 else 's'}")


def _expected_validate(item: QuestionItem) -> str:
    parsed = _parse(item.code)
    missing = sorted(_referenced(parsed) - _declared(parsed))
    if len(missing) > 1:
        raise ValueError(f"several undeclared references: {missing}")
    return _undeclared(missing[0]) if missing else VALID


def _expected_destination(item: QuestionItem) -> str:
    env = _exports(item.code)
    if "TF_LOG" not in env:
        return LOG_OFF
    return _log_append(env["TF_LOG_PATH"]) if "TF_LOG_PATH" in env else LOG_STDERR


def _expected_subset(item: QuestionItem) -> str:
    env = _exports(item.code)
    core = bool({"TF_LOG", "TF_LOG_CORE"} & set(env))
    providers = bool({"TF_LOG", "TF_LOG_PROVIDER"} & set(env))
    if not (core or providers):
        return LOG_NONE
    return LOG_BOTH if core and providers else LOG_CORE if core else LOG_PROVIDERS


def _expected_count(item: QuestionItem) -> str:
    ((rtype, named),) = _parse(item.code)["resource"][0].items()
    ((name, body),) = ((n, b) for n, b in named.items())
    base = f"{_strip(rtype)}.{_strip(name)}"
    want = int(body["count"])
    listed = re.search(r"shows (.+?), and nothing", item.stem).group(1)
    have = sorted(int(i) for i in re.findall(rf"{re.escape(base)}\[(\d+)\]", listed))
    if have != list(range(len(have))):
        raise ValueError("the state's indexes are not 0 to n-1")
    return _apply_outcome(base, want, len(have))


def _expected_drift(item: QuestionItem) -> str:
    ((rtype, named),) = _parse(item.code)["resource"][0].items()
    ((name, body),) = ((n, b) for n, b in named.items())
    address = f"{_strip(rtype)}.{_strip(name)}"
    change = re.search(r"changed (\w+) of \S+ from (\S+) to (\S+) in", item.stem)
    attr, old, new = change.groups()
    if _strip(body[attr]) != old:
        raise ValueError("the configuration does not hold the value the stem says")
    return _drift_outcomes(address, attr, old, new)[_command_in(item.stem)]


def _expected_replace(item: QuestionItem) -> str:
    ((rtype, named),) = _parse(item.code)["resource"][0].items()
    ((name, body),) = ((n, b) for n, b in named.items())
    address = re.search(r"-replace='([^']+)'", item.stem).group(1)
    index = int(re.fullmatch(rf"{re.escape(_strip(rtype))}\.{re.escape(_strip(name))}\[(\d+)\]", address).group(1))
    if index >= int(body["count"]):
        raise ValueError("the address is not an instance of the configuration")
    return f"Replaces {address} with a new object and leaves the other instances alone"


def expected(item: QuestionItem) -> str:
    """The one right option text of an item of this module, re-derived from its code and stem alone."""
    kind = item.template.split("/", 1)[1].removeprefix("run-")
    if kind == "state-location":
        return _expected_location(item)
    if kind == "lock":
        return _expected_lock(item)
    if kind == "held-lock":
        return _expected_held(item)
    if kind == "force-unlock":
        return "terraform force-unlock " + re.search(r"^  ID:\s+(\S+)$", item.code, re.M).group(1)
    if kind == "validate":
        return _expected_validate(item)
    if kind == "log-level":
        return _levels_text(_exports(item.code)["TF_LOG"])
    if kind == "log-destination":
        return _expected_destination(item)
    if kind == "log-subset":
        return _expected_subset(item)
    if kind == "desired-count":
        return _expected_count(item)
    if kind == "drift":
        return _expected_drift(item)
    if kind == "replace":
        return _expected_replace(item)
    raise ValueError(f"no computation for {kind}")
