"""The request mix the benchmark sends: realistic issues, weighted.

Each issue is written as the JSON body a caller would POST. The in-process
benchmark passes it through the API's own request schema first, so
``TriageService.decide`` sees exactly what it sees behind ``POST /v1/triage``.
"""

from __future__ import annotations

AS_OF = "2026-11-01"

_ALLEYWAY_ACTIONS = [
    {"action": "graffiti removal", "agency": "Street Pride", "outcome": "resolved"},
    {"action": "cutting back of bushes", "agency": "Green Spaces", "outcome": "resolved"},
    {"action": "improved lighting", "agency": "Engineering and Transportation", "outcome": "in_progress"},
    {"action": "extra patrols", "agency": "Neighbourhood Police Team", "outcome": "partly_resolved"},
]


def _issue(reference: str, **fields) -> dict:
    issue = {
        "reference": reference,
        "area": "Blakenall",
        "category": "anti_social_behaviour",
        "description": "Residents report groups gathering in the alleyway behind the shops in the evenings.",
        "first_reported": "2026-10-01",
        "reports_last_6_months": 1,
        "as_of": AS_OF,
    }
    issue.update(fields)
    return issue


# (weight, what it exercises, JSON body). Weights sum to 20.
MIX: tuple[tuple[int, str, dict], ...] = (
    (4, "cat: local graffiti", _issue("BENCH-CAT-1", category="graffiti", description="Tags on the underpass wall.")),
    (3, "cat: alleyway ASB, local actions only", _issue("BENCH-CAT-2", local_actions=_ALLEYWAY_ACTIONS, raised_by="councillor")),
    (2, "cat: noise, two reports", _issue("BENCH-CAT-3", category="noise", area="Bloxwich", reports_last_6_months=2)),
    (3, "borough_tasking: domehawk camera not available locally",
     _issue("BENCH-BT-1", local_actions=_ALLEYWAY_ACTIONS,
            resources_requested=[{"name": "domehawk camera", "available_locally": False},
                                 {"name": "litter pick kit", "available_locally": True}])),
    (2, "borough_tasking: spans other areas + cross_area flag",
     _issue("BENCH-BT-2", category="drug_dealing", other_areas_affected=["Birchills", "Leamore"], cat_requests_escalation=True)),
    (2, "community_led_solution: persistent, NAP, residents lead",
     _issue("BENCH-CLS-1", category="youth_nuisance", first_reported="2026-03-10", reports_last_6_months=6,
            raised_at_nap=True, nap_priority_rank=2, residents_willing_to_lead=True)),
    (1, "community_led_solution: JAG endorsed",
     _issue("BENCH-CLS-2", category="street_drinking", first_reported="2026-01-05", reports_last_6_months=9,
            raised_at_nap=True, raised_at_jag=True, jag_cls_decision="endorsed", residents_willing_to_lead=True)),
    (1, "cat: persistent but not raised at NAP/JAG (cls_prerequisite_missing)",
     _issue("BENCH-CAT-4", category="litter", first_reported="2026-05-01", reports_last_6_months=4)),
    (2, "cat with flags: hate incident, vulnerable victim, high-crime area",
     _issue("BENCH-FLAG-1", category="hate_incident", hate_motivated=True, vulnerable_victim=True, high_crime_area=True,
            reports_last_6_months=3, raised_by="agency")),
)


def json_bodies() -> list[dict]:
    """The mix as JSON request bodies, each repeated by its weight."""
    return [body for weight, _, body in MIX for _ in range(weight)]


def validated_requests(schema) -> list[dict]:
    """The mix as validated dicts (loaded by the API's own request schema), interleaved.

    Each issue is repeated by its weight; the order is shuffled deterministically so
    that consecutive decisions differ, as they would in real traffic.
    """
    bodies = json_bodies()
    order = sorted(range(len(bodies)), key=lambda i: (i * 7) % len(bodies))
    return [schema.load(bodies[i]) for i in order]
