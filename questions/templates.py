"""Declarative question templates: which fact, which things, and the wording of each stem.

A template names a fact of the graph (see :mod:`opsprep.questions.facts`), the class of thing it asks
about, and the sentences used to ask it. The generators in :mod:`opsprep.questions.generate` turn each
template into question items; nothing here touches the graph.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FacetTemplate:
    """Questions over one fact of one class of thing.

    ``{subject}`` is the thing's label, ``{value}`` the value's phrase (see ``value_phrases``), ``{n}`` a
    count word and ``{group}`` the label of the group (for cloud services: the platform).
    A stem left empty switches that question shape off.
    """

    id: str
    fact: str
    cls: str
    noun: str  # what the options are called: "tools", "services", ...
    ask_value: str = ""  # subject given, pick its value(s)
    ask_subject: str = ""  # value given, pick the thing that has it
    statement: str = ""  # a true-or-false sentence
    ask_many: str = ""  # value given, pick {n} things that have it
    ask_odd: str = ""  # value given, pick the one thing that does NOT have it
    group_by: str = ""  # keep options within one value of this fact (e.g. one platform)
    value_phrases: tuple[tuple[str, str], ...] = ()  # value label -> phrase used in stems
    #: "exam": filed under the exam domains that cover what the stem asks; otherwise the family of the
    #: DevOps foundations deck it belongs to (licences, maintainers, implementation languages, maturity)
    family: str = "exam"

    def phrase(self, label: str) -> str:
        """How a value reads inside a stem."""
        return dict(self.value_phrases).get(label, label)


TOOL_FACETS: tuple[FacetTemplate, ...] = (
    FacetTemplate(
        id="tool-agent-model",
        fact="agentModel",
        cls="Tool",
        noun="tools",
        ask_subject="Which of these tools is {value}?",
        statement="{subject} is {value}.",
        ask_many="Which {n} of these tools are {value}?",
        ask_odd="Which of these tools is NOT {value}?",
    ),
    FacetTemplate(
        id="tool-delivery-model",
        fact="deliveryModel",
        cls="Tool",
        noun="tools",
        ask_subject="Which of these tools works on a {value} model?",
        statement="{subject} works on a {value} model.",
        ask_many="Which {n} of these tools work on a {value} model?",
        ask_odd="Which of these tools does NOT work on a {value} model?",
    ),
    FacetTemplate(
        id="tool-configuration-style",
        fact="configurationStyle",
        cls="Tool",
        noun="tools",
        ask_subject="Which of these tools takes {value} approach?",
        statement="{subject} takes {value} approach.",
        ask_many="Which {n} of these tools take {value} approach?",
        ask_odd="Which of these tools does NOT take {value} approach?",
        value_phrases=(("declarative", "a declarative"), ("imperative", "an imperative")),
    ),
    FacetTemplate(
        id="tool-cncf-maturity",
        family="projects",
        fact="cncfMaturity",
        cls="Tool",
        noun="projects",
        ask_subject="Which of these projects has reached the {value} maturity level?",
        statement="{subject} is at the {value} maturity level.",
        ask_many="Which {n} of these projects are at the {value} maturity level?",
        ask_odd="Which of these projects is NOT at the {value} maturity level?",
    ),
    FacetTemplate(
        id="tool-license",
        family="projects",
        fact="license",
        cls="Tool",
        noun="tools",
        ask_value="Under which licence is {subject} distributed?",
        ask_subject="Which of these tools is distributed under {value}?",
        statement="{subject} is distributed under {value}.",
        value_phrases=(("Proprietary", "a proprietary licence"),),
    ),
    FacetTemplate(
        id="tool-language",
        family="projects",
        fact="programmingLanguage",
        cls="Tool",
        noun="tools",
        ask_value="Which programming language is {subject} written in?",
        ask_subject="Which of these tools is written in {value}?",
        statement="{subject} is written in {value}.",
        ask_many="Which {n} of these tools are written in {value}?",
    ),
    FacetTemplate(
        id="tool-configuration-language",
        fact="configurationLanguage",
        cls="Tool",
        noun="tools",
        ask_value="In which language or format do you write {subject} configuration?",
        ask_subject="Which of these tools do you configure in {value}?",
        statement="You write {subject} configuration in {value}.",
        ask_many="Which {n} of these tools do you configure in {value}?",
    ),
    FacetTemplate(
        id="tool-maintainer",
        family="projects",
        fact="maintainer",
        cls="Tool",
        noun="tools",
        ask_value="Which organisation maintains {subject}?",
        ask_subject="Which of these tools is maintained by {value}?",
        statement="{subject} is maintained by {value}.",
    ),
    # categories are not asked as an odd one out: a tool may fit a category its listed ones leave out (SAM
    # deploys as well as defines), so "which does NOT belong" would read an unlisted category as false
    FacetTemplate(
        id="tool-category",
        fact="inCategory",
        cls="Tool",
        noun="tools",
        ask_value="Which category does {subject} belong to?",
        ask_subject="Which of these tools belongs to the category “{value}”?",
        statement="{subject} belongs to the category “{value}”.",
        ask_many="Which {n} of these tools belong to the category “{value}”?",
    ),
    FacetTemplate(
        id="service-category",
        fact="inCategory",
        cls="CloudService",
        noun="services",
        group_by="onPlatform",
        ask_value="Which category does {subject} belong to?",
        ask_subject="Which {group} service belongs to the category “{value}”?",
        statement="{subject} belongs to the category “{value}”.",
        ask_many="Which {n} {group} services belong to the category “{value}”?",
    ),
    FacetTemplate(
        id="topic-kind",
        fact="broader",
        cls="Topic",
        noun="concepts",
        ask_value="{subject} is a kind of what?",
        ask_subject="Which of these is a kind of “{value}”?",
        statement="{subject} is a kind of “{value}”.",
        ask_many="Which {n} of these are kinds of “{value}”?",
        ask_odd="Which of these is NOT a kind of “{value}”?",
    ),
    FacetTemplate(
        id="topic-part",
        fact="partOf",
        cls="Topic",
        noun="components",
        ask_value="{subject} is a component of what?",
        ask_subject="Which of these is a component of {value}?",
        statement="{subject} is a component of {value}.",
        ask_many="Which {n} of these are components of {value}?",
    ),
    FacetTemplate(
        id="topic-step",
        fact="stepOf",
        cls="Topic",
        noun="steps",
        ask_value="{subject} is a step of which process?",
        ask_subject="Which of these is a step of {value}?",
        statement="{subject} is a step of {value}.",
        ask_many="Which {n} of these are steps of {value}?",
    ),
    FacetTemplate(
        id="topic-argument",
        fact="argumentOf",
        cls="Topic",
        noun="settings",
        ask_value="Where can you set {subject}?",
        ask_subject="Which of these can you set in the {value}?",
        statement="You can set {subject} in the {value}.",
        ask_many="Which {n} of these can you set in the {value}?",
    ),
    FacetTemplate(
        id="topic-stored-in",
        fact="storedIn",
        cls="Topic",
        noun="places",
        ask_value="Where is {subject} kept?",
        statement="{subject} is kept in {value}.",
    ),
    FacetTemplate(
        id="topic-feature",
        fact="featureOf",
        cls="Topic",
        noun="features",
        ask_value="{subject} is a feature of what?",
        ask_subject="Which of these is a feature of {value}?",
        statement="{subject} is a feature of {value}.",
        ask_many="Which {n} of these are features of {value}?",
    ),
)

#: Classes whose definitions become "definition → term" and "term → definition" questions,
#: with the noun used in the stem.
DEFINITION_CLASSES: dict[str, str] = {
    "Tool": "tool",
    "CloudService": "cloud service",
    "Topic": "concept",
    "Practice": "practice",
    "Role": "role",
    "ToolCategory": "category of tools",
}

DEFINITION_TO_TERM = "Which {noun} does this describe? “{definition}”"
TERM_TO_DEFINITION = "Which statement best describes {subject}?"
EQUIVALENT_ONE = "Which {platform} service is the counterpart of {subject}?"
EQUIVALENT_MANY = "Which {n} {platform} services are counterparts of {subject}?"
SCENARIO = "A team needs a tool that {requirements}. Which tool meets all of these requirements?"

#: How each scenario requirement reads, by fact and value label.
SCENARIO_PHRASES: dict[str, dict[str, str]] = {
    "agentModel": {
        "agentless": "needs no agent installed on the machines it manages",
        "agent-based": "runs an agent on every machine it manages",
    },
    "deliveryModel": {
        "push": "pushes changes out from a central controller",
        "pull": "lets each managed machine pull its desired state",
    },
    "configurationStyle": {
        "declarative": "describes the desired end state rather than the steps",
        "imperative": "runs explicit step-by-step instructions",
    },
    "configurationLanguage": {"*": "is configured in {value}"},
    "inCategory": {"*": "belongs to the category “{value}”"},
}

COUNT_WORDS = {2: "TWO", 3: "THREE"}
