"""Terraform code-reading items: a configuration is shown and the question asks what Terraform makes of it.

The answers are computed from the configuration by the language's stated rules — instances of ``count`` are
addressed by index from 0, instances of ``for_each`` by key; ``count.index``, ``each.key`` and
``each.value`` take those values; a reference between resources orders their creation; a variable's
validation rejects values its condition refuses — so every key is derived, and every wrong option is a
value the same rules rule out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import replace

from .hands_on_common import TERRAFORM_CERTS, Context, choice_item
from .model import Choice, QuestionItem, QuestionType
from .proof import Proof

H = "https://w3id.org/opsprep/id/hcl/"
T = "https://w3id.org/opsprep/id/topic/"
_SOURCE = "http://purl.org/dc/terms/source"

#: resource types and a plausible argument each, for varied configurations
RESOURCES = (
    ("aws_instance", "web", 'ami           = "ami-0c55b159cbfafe1f0"\n  instance_type = "t3.micro"'),
    ("aws_s3_bucket", "logs", None),
    ("aws_sqs_queue", "jobs", None),
    ("aws_sns_topic", "alerts", None),
    ("aws_cloudwatch_log_group", "app", "retention_in_days = 30"),
    ("aws_ebs_volume", "data", 'availability_zone = "eu-west-1a"\n  size              = 20'),
)


def _digest(*parts: object) -> int:
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def _pages(ctx: Context, iris: tuple[str, ...]) -> tuple[str, ...]:
    """Sources of the language nodes first (current reference pages), then of the topics."""
    pages: list[str] = []
    for iri in iris:
        found = sorted(ctx.hands.nodes.get(iri, {}).get(_SOURCE, ()))
        name = iri.rsplit("/", 1)[-1].removesuffix("-block")
        # the page named after the node (meta-arguments/for_each) before pages that merely mention it
        pages.extend(sorted(found, key=lambda url: (name not in url and name.replace("_", "-") not in url, url))[:1])
    return ctx.sources(pages, [i for i in iris if i.startswith(T)])


def _item(
    ctx: Context,
    key: str,
    stem: str,
    code: str,
    answer: Choice,
    wrong: list[Choice],
    why: str,
    about: tuple[str, ...],
    parts: tuple,
) -> QuestionItem | None:
    wrong = [replace(c, proof=str(Proof.COMPUTED)) for c in wrong]
    return choice_item(
        f"hcl-read/{key}",
        QuestionType.CODE_READING,
        stem,
        (answer,),
        tuple(wrong),
        why,
        _pages(ctx, about),
        ctx.domains(about, TERRAFORM_CERTS),
        about,
        (key, *map(str, parts)),
        0.6,
        code=code,
        code_language="hcl",
    )


def _body(extra: str | None, line: str) -> str:
    lines = [line] + ([extra] if extra else [])
    return "\n  ".join(lines)


def count_address(ctx: Context) -> Iterator[QuestionItem]:
    """Which address names the last instance a ``count`` creates."""
    about = (H + "count", T + "terraform-count-for-each", T + "terraform-resource-address")
    for rtype, name, extra in RESOURCES:
        for n in (2, 3, 5):
            code = f'resource "{rtype}" "{name}" {{\n  {_body(extra, f"count = {n}")}\n}}\n'
            last = n - 1
            answer = Choice(
                f"{rtype}.{name}[{last}]",
                f"{rtype}.{name}[{last}]",
                note=f"count = {n} makes instances indexed 0 to {last}",
            )
            wrong = [
                Choice(
                    f"{rtype}.{name}[{n}]", f"{rtype}.{name}[{n}]", 0.9, f"indexes start at 0, so [{n}] does not exist"
                ),
                Choice(
                    f'{rtype}.{name}["{last}"]',
                    f'{rtype}.{name}["{last}"]',
                    0.8,
                    "count instances are indexed by number; a string key addresses for_each instances",
                ),
                Choice(
                    f"{rtype}.{name}.{last}", f"{rtype}.{name}.{last}", 0.6, "an instance index goes in square brackets"
                ),
                Choice(
                    f"{rtype}.{name}",
                    f"{rtype}.{name}",
                    0.5,
                    "with count set, the bare address names the whole group of instances, not one",
                ),
            ]
            yield _item(
                ctx,
                "count-address",
                f"Which resource address refers to the last {rtype} instance this configuration creates?",
                code,
                answer,
                wrong,
                f"With count = {n} Terraform creates {n} instances addressed {rtype}.{name}[0] to "
                f"{rtype}.{name}[{last}].",
                about,
                (rtype, name, n),
            )


KEY_SETS = (("blue", "green"), ("dev", "staging", "prod"), ("alice", "bob", "carol", "dan"), ("eu", "us", "ap"))


def for_each_address(ctx: Context) -> Iterator[QuestionItem]:
    """Which address names one instance of a ``for_each`` over a set of strings."""
    about = (H + "for_each", T + "terraform-count-for-each", T + "terraform-resource-address")
    for rtype, name, extra in RESOURCES:
        for keys in KEY_SETS:
            pick = keys[_digest(rtype, keys) % len(keys)]
            position = sorted(keys).index(pick)
            listed = ", ".join(f'"{k}"' for k in keys)
            code = f'resource "{rtype}" "{name}" {{\n  {_body(extra, f"for_each = toset([{listed}])")}\n}}\n'
            answer = Choice(
                f'{rtype}.{name}["{pick}"]',
                f'{rtype}.{name}["{pick}"]',
                note="for_each instances are addressed by their key",
            )
            wrong = [
                Choice(
                    f"{rtype}.{name}[{position}]",
                    f"{rtype}.{name}[{position}]",
                    0.9,
                    "for_each instances have keys, not numeric indexes",
                ),
                Choice(
                    f"{rtype}.{name}.{pick}",
                    f"{rtype}.{name}.{pick}",
                    0.7,
                    "a key goes in square brackets as a quoted string",
                ),
                Choice(
                    f"{rtype}.{name}[{pick}]",
                    f"{rtype}.{name}[{pick}]",
                    0.8,
                    "an unquoted word in brackets is not a string key",
                ),
                Choice(
                    f'{rtype}.{name}.each["{pick}"]',
                    f'{rtype}.{name}.each["{pick}"]',
                    0.5,
                    "each is only an object inside the block; it is not part of an address",
                ),
            ]
            yield _item(
                ctx,
                "for-each-address",
                f'Which resource address refers to the instance this configuration creates for "{pick}"?',
                code,
                answer,
                wrong,
                f"for_each over a set of strings makes one instance per element, addressed by the element: "
                f'{rtype}.{name}["{pick}"].',
                about,
                (rtype, name, keys),
            )


def count_index(ctx: Context) -> Iterator[QuestionItem]:
    """What a ``count.index`` expression evaluates to for one instance."""
    about = (H + "count", T + "terraform-count-for-each")
    shapes = (("web-${count.index}", 0), ("web-${count.index + 1}", 1), ("node-${count.index * 2}", None))
    for rtype, name, _ in RESOURCES[1:5]:
        for pattern, offset in shapes:
            for n, which in ((3, 1), (4, 2)):

                def value(i: int, p: str = pattern) -> str:
                    head = p.split("${")[0]
                    return f"{head}{i * 2 if '* 2' in p else i + (1 if '+ 1' in p else 0)}"

                code = (
                    f'resource "{rtype}" "{name}" {{\n  count = {n}\n\n  tags = {{\n    Name = "{pattern}"\n  }}\n}}\n'
                )
                right = value(which)
                options = {value(i) for i in range(-1, n + 2)} - {right}
                others = sorted(options, key=lambda v: (abs(_digest(v, which) % 7), v))[:4]
                answer = Choice(right, right, note=f"count.index is {which} for {rtype}.{name}[{which}]")
                wrong = [
                    Choice(v, v, 0.7, f"count.index is {which} for [{which}], which does not give {v}") for v in others
                ]
                yield _item(
                    ctx,
                    "count-index",
                    f"What is the Name tag of {rtype}.{name}[{which}]?",
                    code,
                    answer,
                    wrong,
                    f"count.index is the instance's index, counting from 0: for [{which}] the tag is {right}.",
                    about,
                    (rtype, pattern, n, which, offset),
                )


def each_value(ctx: Context) -> Iterator[QuestionItem]:
    """What ``each.key`` and ``each.value`` are for one instance of a ``for_each`` over a map."""
    about = (H + "for_each", T + "terraform-count-for-each")
    maps = (
        {"web": "t3.micro", "api": "t3.small", "batch": "c7i.large"},
        {"dev": "10.0.0.0/16", "prod": "10.1.0.0/16", "test": "10.2.0.0/16"},
        {"eu": "eu-west-1", "us": "us-east-1", "ap": "ap-southeast-2"},
    )
    for entries in maps:
        for which in entries:
            lines = "\n".join(f'    {k} = "{v}"' for k, v in entries.items())
            code = (
                f'resource "aws_ssm_parameter" "setting" {{\n  for_each = {{\n{lines}\n  }}\n\n'
                f'  name  = "/app/${{each.key}}"\n  type  = "String"\n  value = each.value\n}}\n'
            )
            right = f"/app/{which} = {entries[which]}"
            wrong = []
            for k, v in entries.items():
                if k != which:
                    wrong.append(
                        Choice(
                            f"/app/{which} = {v}",
                            f"/app/{which} = {v}",
                            0.8,
                            f"{v} is the value of key {k}, not {which}",
                        )
                    )
            wrong.append(
                Choice(
                    f"/app/{entries[which]} = {which}",
                    f"/app/{entries[which]} = {which}",
                    0.7,
                    "each.key is the map key and each.value its value, not the other way round",
                )
            )
            wrong.append(
                Choice(
                    f"/app/0 = {entries[which]}",
                    f"/app/0 = {entries[which]}",
                    0.5,
                    "each.key is the map key, not a position",
                )
            )
            answer = Choice(right, right, note=f'each.key is "{which}" and each.value "{entries[which]}"')
            yield _item(
                ctx,
                "each-value",
                f'What name and value does aws_ssm_parameter.setting["{which}"] get?',
                code,
                answer,
                wrong,
                f'For the instance with key "{which}", each.key is "{which}" and each.value is the map\'s value '
                f"for it, {entries[which]}.",
                about,
                (tuple(entries), which),
            )


def validation(ctx: Context) -> Iterator[QuestionItem]:
    """Which value a variable's validation rule rejects."""
    about = (H + "variable-block", T + "terraform-variables", T + "terraform-custom-conditions")
    cases = (
        ("environment", ["dev", "staging", "prod"], ["test", "qa", "production"]),
        ("region", ["eu-west-1", "eu-central-1", "us-east-1"], ["eu-west-2", "us-west-2", "ap-south-1"]),
        ("tier", ["small", "medium", "large"], ["xlarge", "tiny", "Large"]),
    )
    for name, allowed, refused in cases:
        for bad in refused:
            listed = ", ".join(f'"{v}"' for v in allowed)
            code = (
                f'variable "{name}" {{\n  type = string\n\n  validation {{\n'
                f"    condition     = contains([{listed}], var.{name})\n"
                f'    error_message = "Use one of: {", ".join(allowed)}."\n  }}\n}}\n'
            )
            answer = Choice(bad, f"-var='{name}={bad}'", note=f"{bad} is not in the list, so the condition is false")
            wrong = [
                Choice(v, f"-var='{name}={v}'", 0.7, f"{v} is in the list, so the condition holds") for v in allowed
            ]
            yield _item(
                ctx,
                "variable-validation",
                f"Which of these makes `terraform plan` stop with the error message of the variable {name}?",
                code,
                answer,
                wrong,
                "A validation block's condition must be true for the value; contains() is case-sensitive and "
                f"exact, so only {', '.join(allowed)} pass.",
                about,
                (name, bad),
            )


def dependency_order(ctx: Context) -> Iterator[QuestionItem]:
    """Which resource Terraform must create first, from references between resources."""
    about = (H + "depends_on", T + "terraform-resource-graph", T + "terraform-depends-on")
    chains = (
        (
            ("aws_vpc", "main", 'cidr_block = "10.0.0.0/16"'),
            ("aws_subnet", "app", 'vpc_id     = aws_vpc.main.id\n  cidr_block = "10.0.1.0/24"'),
            (
                "aws_instance",
                "web",
                'ami           = "ami-0c55b159cbfafe1f0"\n  instance_type = "t3.micro"\n'
                "  subnet_id     = aws_subnet.app.id",
            ),
        ),
        (
            ("aws_iam_role", "runner", 'assume_role_policy = file("trust.json")'),
            ("aws_iam_instance_profile", "runner", "role = aws_iam_role.runner.name"),
            (
                "aws_instance",
                "ci",
                'ami                  = "ami-0c55b159cbfafe1f0"\n  instance_type        = "t3.small"\n'
                "  iam_instance_profile = aws_iam_instance_profile.runner.name",
            ),
        ),
        (
            ("aws_vpc", "core", 'cidr_block = "10.1.0.0/16"'),
            ("aws_security_group", "db", "vpc_id = aws_vpc.core.id"),
            (
                "aws_db_instance",
                "orders",
                'engine                 = "postgres"\n  instance_class         = "db.t4g.micro"\n'
                '  allocated_storage      = 20\n  username               = "orders"\n'
                "  manage_master_user_password = true\n"
                "  vpc_security_group_ids = [aws_security_group.db.id]",
            ),
        ),
    )
    for chain in chains:
        for shown_order in range(3):
            blocks = [f'resource "{rtype}" "{rname}" {{\n  {body}\n}}\n' for rtype, rname, body in chain]
            order = blocks[shown_order:] + blocks[:shown_order]
            code = "\n".join(order)
            first, middle, last = (f"{t}.{n}" for t, n, _ in chain)
            answer = Choice(
                f"{first}, then {middle}, then {last}",
                f"{first}, then {middle}, then {last}",
                note="each resource refers to the one before it",
            )
            wrong = [
                Choice(
                    f"{last}, then {middle}, then {first}",
                    f"{last}, then {middle}, then {first}",
                    0.8,
                    f"{last} refers to {middle}, so it cannot be created before it",
                ),
                Choice(
                    f"{middle}, then {first}, then {last}",
                    f"{middle}, then {first}, then {last}",
                    0.7,
                    f"{middle} refers to {first}, so it must wait for it",
                ),
                Choice(
                    "All three at once, since none has depends_on",
                    "All three at once, since none has depends_on",
                    0.6,
                    "references between resources are dependencies too; depends_on is only for hidden ones",
                ),
                Choice(
                    "In the order the blocks appear in the file",
                    "In the order the blocks appear in the file",
                    0.5,
                    "the order of blocks in files does not matter to Terraform",
                ),
            ]
            yield _item(
                ctx,
                "dependency-order",
                "In which order does `terraform apply` create these resources?",
                code,
                answer,
                wrong,
                "A reference to another resource's attribute is an implicit dependency: Terraform builds the "
                "dependency graph from references and creates a resource only after those it refers to, "
                "whatever the order of the blocks.",
                about,
                (first, middle, last, shown_order),
            )


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split("."))


_COMPARE = {
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    "!=": lambda a, b: a != b,
    "=": lambda a, b: a == b,
}


def allows(constraint: str, version: str) -> bool:
    """Whether a version constraint string (``">= 1.2, < 2.0"``, ``"~> 1.4.0"``) allows a version, by the
    language's rules: comma-separated conditions must all hold; ``~>`` lets only the right-most given
    component grow."""
    have = _version(version)
    for part in constraint.split(","):
        op, _, want = part.strip().partition(" ")
        if not want:
            op, want = "=", op
        wanted = _version(want)
        padded = wanted + (0,) * (len(have) - len(wanted))
        if op == "~>":
            prefix = wanted[:-1] if len(wanted) > 1 else wanted
            if have[: len(prefix)] != prefix or have < padded:
                return False
        elif not _COMPARE[op](have, padded):
            return False
    return True


CONSTRAINTS = (
    ("~> 1.2.0", ("1.2.7", "1.3.0", "1.1.9", "2.0.0", "1.2.0")),
    ("~> 1.2", ("1.9.3", "2.0.0", "1.1.0", "0.9.0", "1.2.0")),
    ("~> 5.40", ("5.82.1", "6.0.0", "5.39.0", "4.67.0")),
    ("~> 3.1.4", ("3.1.10", "3.2.0", "3.1.3", "4.0.0")),
    (">= 4.0, < 5.0", ("4.67.0", "5.0.0", "3.76.1", "5.1.0")),
    (">= 2.1, != 2.3.0", ("2.3.1", "2.3.0", "2.0.9", "1.9.0")),
    ("~> 0.14", ("0.15.5", "1.0.0", "0.13.7", "0.9.0")),
    ("> 1.0, <= 1.5", ("1.5.0", "1.0.0", "1.6.0", "0.9.0")),
)


def version_constraints(ctx: Context) -> Iterator[QuestionItem]:
    """Which version a module's or provider's version constraint allows."""
    about_module = (T + "terraform-version-constraint", T + "terraform-pessimistic-constraint-operator")
    for constraint, versions in CONSTRAINTS:
        allowed = [v for v in versions if allows(constraint, v)]
        refused = [v for v in versions if not allows(constraint, v)]
        for pick in allowed:
            for where in ("module", "provider"):
                if where == "module":
                    code = (
                        'module "network" {\n  source  = "terraform-aws-modules/vpc/aws"\n'
                        f'  version = "{constraint}"\n}}\n'
                    )
                    stem = "Which of these module versions can `terraform init` install for this module block?"
                else:
                    code = (
                        'terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n'
                        f'      version = "{constraint}"\n    }}\n  }}\n}}\n'
                    )
                    stem = "Which of these versions of the AWS provider does this configuration accept?"
                answer = Choice(pick, pick, note=f"{pick} meets every condition of {constraint}")
                wrong = [Choice(v, v, 0.7, f"{v} breaks {constraint}") for v in refused]
                yield _item(
                    ctx,
                    f"version-constraint-{where}",
                    stem,
                    code,
                    answer,
                    wrong,
                    f"{constraint}: conditions separated by commas must all hold, and ~> lets only the right-most "
                    f"version component given increase; of the options only {pick} qualifies.",
                    about_module,
                    (constraint, pick, where),
                )


PROVIDER_PAIRS = (("eu-west-1", "us-east-1"), ("us-west-2", "eu-central-1"), ("ap-southeast-2", "eu-west-2"))


def provider_alias(ctx: Context) -> Iterator[QuestionItem]:
    """Which provider configuration (and so which region) a resource uses."""
    about = (H + "provider", T + "terraform-provider-alias")
    for default, other in PROVIDER_PAIRS:
        for alias in ("west", "backup", "dr"):
            for uses_alias in (True, False):
                line = f"\n  provider = aws.{alias}" if uses_alias else ""
                code = (
                    f'provider "aws" {{\n  region = "{default}"\n}}\n\n'
                    f'provider "aws" {{\n  alias  = "{alias}"\n  region = "{other}"\n}}\n\n'
                    f'resource "aws_s3_bucket" "replica" {{\n  bucket = "acme-replica-{alias}"{line}\n}}\n'
                )
                right = other if uses_alias else default
                wrong_region = default if uses_alias else other
                answer = Choice(right, f"In {right}", note="the provider configuration the resource uses sets it")
                wrong = [
                    Choice(
                        wrong_region,
                        f"In {wrong_region}",
                        0.8,
                        "that region belongs to the other provider configuration",
                    ),
                    Choice(
                        "both",
                        f"In both {default} and {other}",
                        0.6,
                        "a resource instance belongs to exactly one provider configuration",
                    ),
                    Choice(
                        "error",
                        "Nowhere: `terraform plan` fails because two aws providers are configured",
                        0.5,
                        "two configurations of one provider are allowed when all but one have an alias",
                    ),
                ]
                why = (
                    f"The resource sets provider = aws.{alias}, so it uses the aliased configuration in {other}."
                    if uses_alias
                    else "Without a provider argument a resource uses the default (unaliased) configuration of its "
                    f"provider, in {default}."
                )
                yield _item(
                    ctx,
                    "provider-alias",
                    f"In which AWS region does Terraform create the bucket acme-replica-{alias}?",
                    code,
                    answer,
                    wrong,
                    why,
                    about,
                    (default, other, alias, uses_alias),
                )


DATA_CASES = (
    (
        "aws_ami",
        "ubuntu",
        'most_recent = true\n  owners      = ["099720109477"]',
        "aws_instance",
        "web",
        'ami           = data.aws_ami.ubuntu.id\n  instance_type = "t3.micro"',
    ),
    (
        "aws_vpc",
        "shared",
        'tags = {\n    Name = "shared"\n  }',
        "aws_subnet",
        "app",
        'vpc_id     = data.aws_vpc.shared.id\n  cidr_block = "10.0.8.0/24"',
    ),
    (
        "aws_caller_identity",
        "current",
        None,
        "aws_s3_bucket",
        "audit",
        'bucket = "audit-${data.aws_caller_identity.current.account_id}"',
    ),
    (
        "aws_iam_policy_document",
        "read",
        'statement {\n    actions   = ["s3:GetObject"]\n    resources = ["*"]\n  }',
        "aws_iam_policy",
        "read",
        "policy = data.aws_iam_policy_document.read.json",
    ),
)


def data_or_resource(ctx: Context) -> Iterator[QuestionItem]:
    """Which objects of a configuration Terraform manages, and how a data source is referred to."""
    about = (H + "data-block", H + "resource-block", T + "terraform-data-source")
    for dtype, dname, dbody, rtype, rname, rbody in DATA_CASES:
        code = (
            f'data "{dtype}" "{dname}" {{\n' + (f"  {dbody}\n" if dbody else "") + "}\n\n"
            f'resource "{rtype}" "{rname}" {{\n  {rbody}\n}}\n'
        )
        answer = Choice("resource", f"Only {rtype}.{rname}", note="a resource block declares an object to manage")
        wrong = [
            Choice(
                "data",
                f"Only the {dtype} object read by data.{dtype}.{dname}",
                0.8,
                "a data block only reads an object; Terraform never creates or destroys it",
            ),
            Choice("both", f"Both {rtype}.{rname} and the {dtype} object", 0.7, "the data source is read, not managed"),
            Choice(
                "none",
                "Neither: a configuration with a data block is read-only",
                0.5,
                "the resource block is still created and managed",
            ),
        ]
        yield _item(
            ctx,
            "data-vs-resource",
            "Which objects can `terraform apply` create, change or destroy because of this configuration?",
            code,
            answer,
            wrong,
            "A data block reads information about an object that exists outside this configuration; only "
            "resource blocks declare objects Terraform creates, updates and destroys.",
            about,
            (dtype, rtype, "manage"),
        )
        ref = f"data.{dtype}.{dname}"
        answer = Choice(ref, f"{ref}.<attribute>", note="data sources are addressed with the data. prefix")
        wrong = [
            Choice(
                f"{dtype}.{dname}",
                f"{dtype}.{dname}.<attribute>",
                0.8,
                "without the data. prefix the address names a managed resource",
            ),
            Choice(f"data.{dname}", f"data.{dname}.<attribute>", 0.7, "the address needs the data source's type"),
            Choice(f"var.{dname}", f"var.{dname}.<attribute>", 0.5, "var. refers to input variables"),
        ]
        yield _item(
            ctx,
            "data-address",
            f"How does another block of this configuration refer to an attribute of the {dtype} data source?",
            code,
            answer,
            wrong,
            f"A data source is referred to as data.<TYPE>.<NAME>.<ATTRIBUTE>, here {ref}.",
            about,
            (dtype, rtype, "address"),
        )


CLOUD_CASES = (
    ("acme", ("name", "networking-prod")),
    ("acme", ("tags", ("app", "prod"))),
    ("initech", ("name", "billing-staging")),
    ("initech", ("tags", ("billing",))),
    ("globex", ("name", "platform-dev")),
    ("globex", ("tags", ("platform", "eu", "dev"))),
)


def cloud_workspaces(ctx: Context) -> Iterator[QuestionItem]:
    """Which HCP Terraform workspaces a working directory with a ``cloud`` block can use."""
    about = (T + "terraform-cloud-block", T + "hcp-terraform-workspace")
    for org, (kind, value) in CLOUD_CASES:
        if kind == "name":
            inner = f'name = "{value}"'
            right = f"Only the workspace {value} of {org}; terraform workspace select cannot switch to another"
            wrong = [
                (f"Any workspace of {org} whose name starts with {value}", "name names one single workspace"),
                (
                    f"The workspace {value}, and others chosen with terraform workspace select",
                    "with name set the CLI cannot select or create other workspaces",
                ),
                (f"Every workspace of the organization {org}", "name limits the directory to one workspace"),
            ]
        else:
            listed = ", ".join(f'"{t}"' for t in value)
            inner = f"tags = [{listed}]"
            shown = " and ".join(value)
            right = f"Any workspace of {org} that has every one of the tags {shown}"
            wrong = [
                (
                    f"Any workspace of {org} that has at least one of the tags {shown}"
                    if len(value) > 1
                    else f"Every workspace of {org}, whatever its tags",
                    "a workspace needs all the listed tags",
                ),
                (f"Only a workspace named {value[0]}", "tags select workspaces by tag, not by name"),
                (f"Workspaces of any organization tagged {shown}", "the organization argument limits it to one"),
            ]
        code = (
            f'terraform {{\n  cloud {{\n    organization = "{org}"\n\n    workspaces {{\n      {inner}\n'
            "    }\n  }\n}\n"
        )
        answer = Choice(right, right, note="what the workspaces block allows")
        options = [Choice(text, text, 0.7, why) for text, why in wrong]
        yield _item(
            ctx,
            "cloud-workspaces",
            "Which HCP Terraform workspaces can this working directory use?",
            code,
            answer,
            options,
            "In a cloud block, workspaces.name ties the directory to that one workspace (the CLI cannot select or "
            "create others), while workspaces.tags lets it use any workspace of the organization carrying all of "
            "the tags.",
            about,
            (org, kind, value),
        )


def hcl_items(ctx: Context) -> Iterator[QuestionItem]:
    """Every Terraform code-reading item."""
    templates = (
        count_address,
        for_each_address,
        count_index,
        each_value,
        validation,
        dependency_order,
        version_constraints,
        provider_alias,
        data_or_resource,
        cloud_workspaces,
    )
    for template in templates:
        for item in template(ctx):
            if item is not None:
                yield item
