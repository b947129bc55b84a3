"""Copies of the shipped rules to edit: broken in each way the checker must catch, or changed as a policy officer would."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import RULES_DIR
from tests.service.rulebook.test_loader import append, edit, line_of


def copy_rules(tmp_path: Path, name: str = "rules") -> Path:
    """A private copy of rules/, test cases included."""
    return Path(shutil.copytree(RULES_DIR, tmp_path / name))


# --- the policy officer's walkthrough: persistence from 3 to 4 months ---------------------

CHANGED_CASE = "A persistent issue raised at the NAP that residents will lead is recommended for a CLS group"
_CHANGED_EXPECTATION = (
    "      routing: community_led_solution\n"
    "      reasons: [cls_recommended]\n"
    "      agencies: {Community Safety Partnership Support Officer: support}\n"
    "      fired: [derived_persistent]\n"
    "      review_required: true\n"
)
_UPDATED_EXPECTATION = (
    "      routing: cat\n"
    "      reasons: [cat_local_issue]\n"
    "      not_fired: [derived_persistent]\n"
    "      review_required: false\n"
)


def raise_persistence_threshold(directory: Path) -> None:
    """Change persistent_min_months from 3 to 4, as the README walks through."""
    edit(directory, "ruleset.yaml", "persistent_min_months: 3", "persistent_min_months: 4")


def update_changed_case(directory: Path) -> None:
    """Bring the one shipped case that 4 months changes up to date."""
    edit(directory, "tests/routing_test.yaml", _CHANGED_EXPECTATION, _UPDATED_EXPECTATION)


def changed_case_line(directory: Path) -> int:
    """The line the changed case starts on in tests/routing_test.yaml."""
    return line_of(directory, "tests/routing_test.yaml", f"- name: {CHANGED_CASE}")


# --- broken rule files, one kind each ----------------------------------------------------


@dataclass(frozen=True)
class Broken:
    """One way to break the rules, and the error the checker must give for it."""

    kind: str
    file: str
    old: str
    new: str
    rule: str
    needle: str  # text on the line the error must point at
    message: str  # part of the error message
    occurrence: int = 1

    def apply(self, directory: Path) -> None:
        """Break the rules in ``directory`` this way."""
        if self.old:
            edit(directory, self.file, self.old, self.new)
        else:
            append(directory, self.file, self.new)

    def prefix(self, directory: Path) -> str:
        """``file:line: rule: `` as the checker must print it, once applied."""
        return f"{self.file}:{line_of(directory, self.file, self.needle, self.occurrence)}: {self.rule}: "


BROKEN = [
    Broken("yaml syntax", "flags.yaml", "    flag: vulnerable_victim\n", "    flag: vulnerable_victim: oops\n",
           "-", "vulnerable_victim: oops", "YAML syntax"),
    Broken("unknown key", "flags.yaml", "    flag: high_crime_area\n", "    flag: high_crime_area\n    priority: 1\n",
           "flag_high_crime_area", "priority: 1", "unknown key 'priority'"),
    Broken("missing key", "flags.yaml", "    description: The issue spans more than one LNP area.\n", "",
           "flag_cross_area", "id: flag_cross_area", "missing key 'description'"),
    Broken("unknown fact", "flags.yaml", "when: high_crime_area", "when: high_crime_zone",
           "flag_high_crime_area", "high_crime_zone", "unknown fact 'high_crime_zone'"),
    Broken("unknown operator", "flags.yaml", "when: other_areas_count >= 1", "when: other_areas_count ~ 1",
           "flag_cross_area", "other_areas_count ~ 1", "cannot read condition"),
    Broken("wrong value type", "agencies.yaml", "when: hate_motivated\n", "when: hate_motivated == 3\n",
           "agency_police_for_hate", "hate_motivated == 3", "needs true or false, not 3"),
    Broken("unknown category", "flags.yaml", "- category == hate_incident", "- category == hate_crime",
           "flag_hate_incident", "category == hate_crime", "unknown category 'hate_crime'"),
    Broken("unknown agency", "agencies.yaml", "lead: Fire Service", "lead: Fire Brigade",
           "agency_table_deliberate_fire", "lead: Fire Brigade", "unknown agency 'Fire Brigade'"),
    Broken("duplicate id", "flags.yaml", "id: flag_cross_area", "id: flag_high_crime_area",
           "flag_high_crime_area", "id: flag_high_crime_area", "duplicate rule id", occurrence=2),
    Broken("undefined parameter", "flags.yaml", ">= case_review_min_reports", ">= case_review_minimum",
           "flag_asb_case_review_threshold", "case_review_minimum", "'case_review_minimum' is neither a value nor a defined parameter"),
    Broken("template naming an unknown fact", "flags.yaml", '"{area} location', '"{location} location',
           "flag_high_crime_area", "{location} location", "'{location}', which is not a fact"),
]
BROKEN_IDS = [broken.kind for broken in BROKEN]
UNKNOWN_FACT = next(broken for broken in BROKEN if broken.kind == "unknown fact")  # where any one kind will do


# --- rules that load but never matter: warnings ------------------------------------------

NEVER_FIRES = """
  - id: flag_never
    description: Ongoing for five months and for less than two.
    when:
      all:
        - months_ongoing >= 5
        - months_ongoing < 2
    flag: never
    reason: "Never"
"""

SHADOWED = """
  - id: cat_when_cat_asks_to_escalate
    description: Kept at the CAT although the CAT asked to escalate.
    when: cat_requests_escalation
    route: cat
    reason: "Shadowed by bt_cat_requests_escalation"
"""
