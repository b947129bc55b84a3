"""The facts a rule may test or quote, with their types.

Python derives these facts from each request (see ``service.triage.facts``). Rule
conditions may only test *condition facts* (yes/no, whole numbers, fixed codes);
*text facts* such as resource names can only be quoted in reason templates, so the
engine never sees free text.
"""

from __future__ import annotations

from dataclasses import dataclass

BOOL = "yes/no"
INT = "whole number"
CODE = "code"
TEXT = "text"

RAISED_BY = ("resident", "councillor", "agency", "community_group")
JAG_CLS_DECISIONS = ("not_considered", "pending", "endorsed", "declined")
ACTION_OUTCOMES = ("resolved", "partly_resolved", "not_resolved", "in_progress")


@dataclass(frozen=True)
class FactSpec:
    """One fact: its name, type, the codes it may take, and what it means."""

    name: str
    type: str
    meaning: str
    codes: tuple[str, ...] = ()
    negative: str = ""  # for yes/no facts: the meaning when the fact is false

    @property
    def testable(self) -> bool:
        """Whether rule conditions may test this fact."""
        return self.type != TEXT


_FACTS = (
    FactSpec("category", CODE, "the issue's category code (from the rule files)"),
    FactSpec("raised_by", CODE, "who raised the issue", RAISED_BY),
    FactSpec("months_ongoing", INT, "whole months from first report to the evaluation date"),
    FactSpec("reports_last_6_months", INT, "separate reports in the last six months"),
    FactSpec("raised_at_nap", BOOL, "raised at the Neighbourhood Action Panel",
             negative="not raised at the Neighbourhood Action Panel"),
    FactSpec("raised_at_jag", BOOL, "raised at the Joint Action Group",
             negative="not raised at the Joint Action Group"),
    FactSpec("nap_priority_rank", INT, "its rank among the NAP's priorities (0 when not ranked)"),
    FactSpec("jag_cls_decision", CODE, "what the JAG decided about a CLS group", JAG_CLS_DECISIONS),
    FactSpec("resources_requested_count", INT, "resources the CAT has asked for"),
    FactSpec("resources_unavailable_count", INT, "requested resources not available locally"),
    FactSpec("other_areas_count", INT, "other LNP areas the issue spans"),
    FactSpec("local_actions_count", INT, "actions the CAT has already tried"),
    FactSpec("local_actions_unresolved_count", INT, "actions that did not or only partly resolved it"),
    FactSpec("local_actions_in_progress_count", INT, "actions still in progress"),
    FactSpec("local_actions_resolved_count", INT, "actions that resolved it"),
    FactSpec("cat_requests_escalation", BOOL, "the CAT says it cannot resolve it locally",
             negative="the CAT has not asked to escalate it"),
    FactSpec("high_crime_area", BOOL, "the location is a recognised hotspot",
             negative="the location is not a recognised hotspot"),
    FactSpec("vulnerable_victim", BOOL, "a victim is vulnerable", negative="no victim is known to be vulnerable"),
    FactSpec("hate_motivated", BOOL, "the issue is hate-motivated", negative="the issue is not hate-motivated"),
    FactSpec("residents_willing_to_lead", BOOL, "residents are ready to take the lead",
             negative="no residents are ready to take the lead"),
    FactSpec("times_triaged_before", INT, "earlier decisions recorded for the same reference"),
    FactSpec("times_routed_to_cat_before", INT, "earlier decisions for the same reference that went to the CAT"),
    FactSpec("reference", TEXT, "the calling system's id for the issue"),
    FactSpec("area", TEXT, "the LNP / NAP area"),
    FactSpec("category_label", TEXT, "the category in plain English"),
    FactSpec("resources_unavailable", TEXT, "names of requested resources not available locally"),
    FactSpec("other_areas", TEXT, "names of the other LNP areas"),
    FactSpec("first_reported", TEXT, "the date it was first reported"),
    FactSpec("as_of", TEXT, "the date the evaluation is made for"),
)

FACTS: dict[str, FactSpec] = {spec.name: spec for spec in _FACTS}
CONDITION_FACTS = tuple(name for name, spec in FACTS.items() if spec.testable)
