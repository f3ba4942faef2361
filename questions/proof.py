"""Why an option is wrong: the graph must prove it, never merely fail to mention it.

The graph is read open-world. A thing that lacks a recorded value is unknown, not a counterexample.
An option is provably wrong for "``thing`` has ``value`` for ``fact``" only when one of these holds:

* the fact is functional (one value per thing) and the thing has another value;
* a sourced negative statement denies it;
* the thing has a value that cannot stand beside this one (``ops:disjointWith``, through the
  "is a kind of" hierarchy);
* the thing's values for the fact are complete (a sourced statement says so, or the property is
  closed) and the value is neither recorded nor above or below a recorded value.
"""

from __future__ import annotations

from enum import StrEnum

from .facts import Facts, Thing

#: facts whose values form a hierarchy: a thing in a narrower value is also in the broader ones
HIERARCHICAL = frozenset({"inCategory", "broader"})


class Proof(StrEnum):
    """The kinds of reason the graph gives for an option being wrong."""

    FUNCTIONAL = "functional"
    NEGATIVE = "negative"
    DISJOINT = "disjoint"
    COMPLETE = "complete"
    #: the option contradicts a recorded fact (it holds what an odd-one-out stem excludes; "False"
    #: against a recorded statement)
    RECORDED = "recorded"
    #: the option is another thing: its name, or its definition, answers a different question
    DEFINITION = "definition"
    # hands-on items (questions.hands_on_proof re-derives each from the item itself)
    #: another subcommand of the same command group: a different operation
    SIBLING_COMMAND = "sibling-command"
    #: the worked example without a flag the task needs
    MISSING_FLAG = "missing-flag"
    #: the worked example with a flag swapped for another flag of the command
    SWAPPED_FLAG = "swapped-flag"
    #: another flag of the same command, with a different stated effect
    OTHER_FLAG = "other-flag"
    #: a requirement the shown manifest meets (the key is the one it fails): re-graded
    MET_REQUIREMENT = "met-requirement"
    #: a value the language's rules rule out for the shown configuration: recomputed from the parsed code
    COMPUTED = "computed"
    # scenario items (questions.solution_proof re-derives each from the capability facts)
    #: a step of the solution has a sourced limitation on a stated need
    LIMITATION = "limitation"
    #: a step meets another need of the facet a stated need belongs to (another setting of one choice)
    FACET = "facet"
    #: the solution meets every need, at strictly more effort or cost than the answer
    OVERHEAD = "overhead"


def holds(thing: Thing, fact: str, value: str) -> bool:
    """The graph records ``value`` for ``fact`` on ``thing``."""
    return value in thing.values(fact)


def refutation(facts: Facts, thing: Thing, fact: str, value: str) -> Proof | None:
    """The reason the graph gives that ``thing`` does not have ``value`` for ``fact``, or None."""
    recorded = thing.values(fact)
    if value in recorded:
        return None
    if (thing.iri, fact, value) in facts.negatives:
        return Proof.NEGATIVE
    if not recorded:
        return None
    if fact in facts.functional:
        return Proof.FUNCTIONAL
    hierarchical = fact in HIERARCHICAL
    above_value = facts.up(value) if hierarchical else frozenset((value,))
    reach = frozenset().union(*(facts.up(r) for r in recorded)) if hierarchical else frozenset(recorded)
    if value in reach:
        return None  # implied by a recorded value (a kind of a kind)
    # a concept is itself of its own kind: NodePort, disjoint with ClusterIP, is no kind of ClusterIP
    kinds = reach | {thing.iri} if fact == "broader" else reach
    if any(other in facts.disjoint(mine) for mine in kinds for other in above_value):
        return Proof.DISJOINT
    if hierarchical and any(r in above_value for r in recorded):
        return None  # a narrower kind of a recorded value: even a complete list leaves it open
    if fact in thing.complete or fact in facts.closed:
        return Proof.COMPLETE
    return None


def provably_lacks(thing: Thing, fact: str, value: str, facts: Facts) -> bool:
    """True when the graph proves that ``thing`` does not have ``value`` for ``fact``."""
    return refutation(facts, thing, fact, value) is not None
