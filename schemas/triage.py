"""The wire format of a triage request and of the decision returned for it."""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates

from .fields import IsoDate, StrictBoolean, StrictInteger, required

RAISED_BY = ("resident", "councillor", "agency", "community_group")
JAG_CLS_DECISIONS = ("not_considered", "pending", "endorsed", "declined")
ACTION_OUTCOMES = ("resolved", "partly_resolved", "not_resolved", "in_progress")
ROUTINGS = ("cat", "borough_tasking", "community_led_solution")
ROLES = ("lead", "support", "invited")


def _one_of(choices):
    return validate.OneOf(choices, error="Must be one of: {choices}.")


class ResourceSchema(Schema):
    """A resource the CAT asks for, and whether the area has it."""

    class Meta:
        unknown = RAISE

    name = fields.String(required=True, validate=validate.Length(1, 200), error_messages=required("the resource's name"))
    available_locally = StrictBoolean(required=True, error_messages=required("true or false"))


class LocalActionSchema(Schema):
    """Something the CAT has already tried, and how it went."""

    class Meta:
        unknown = RAISE

    action = fields.String(required=True, validate=validate.Length(1, 500), error_messages=required("what was done"))
    agency = fields.String(required=True, validate=validate.Length(1, 200), error_messages=required("who did it"))
    outcome = fields.String(required=True, validate=_one_of(ACTION_OUTCOMES),
                             error_messages=required(f"one of {', '.join(ACTION_OUTCOMES)}"))


class TriageRequestSchema(Schema):
    """One community safety issue to triage."""

    class Meta:
        unknown = RAISE

    error_messages = {"type": "Expected a JSON object with the issue's fields."}

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = tuple(categories)

    reference = fields.String(required=True, validate=validate.Length(1, 64), error_messages=required("1-64 characters"),
                              metadata={"description": "The calling system's id for the issue", "example": "ASB-2026-0113"})
    area = fields.String(required=True, validate=validate.Length(1, 100), error_messages=required("1-100 characters"),
                         metadata={"description": "The LNP / NAP area", "example": "Blakenall"})
    category = fields.String(required=True, error_messages=required("a category code"), metadata={
        "description": "A category code from the rule files (GET /v1/rulesets/active lists them)",
        "example": "anti_social_behaviour"})
    description = fields.String(validate=validate.Length(max=5000), metadata={"description": "What residents report"})
    raised_by = fields.String(load_default="resident", validate=_one_of(RAISED_BY))
    first_reported = IsoDate(required=True, error_messages=required("an ISO date such as 2026-03-31"),
                             metadata={"description": "ISO date it was first reported"})
    reports_last_6_months = StrictInteger(required=True, validate=validate.Range(min=0, max=100000),
                                          error_messages=required("a whole number of reports, 0 or more"))
    raised_at_nap = StrictBoolean(load_default=False)
    nap_priority_rank = StrictInteger(load_default=None, allow_none=True, validate=validate.Range(min=1, max=1000))
    raised_at_jag = StrictBoolean(load_default=False)
    jag_cls_decision = fields.String(load_default="not_considered", validate=_one_of(JAG_CLS_DECISIONS))
    resources_requested = fields.List(fields.Nested(ResourceSchema), load_default=list,
                                      validate=validate.Length(max=50))
    local_actions = fields.List(fields.Nested(LocalActionSchema), load_default=list,
                                validate=validate.Length(max=100))
    other_areas_affected = fields.List(fields.String(validate=validate.Length(1, 100)), load_default=list,
                                       validate=validate.Length(max=50))
    cat_requests_escalation = StrictBoolean(load_default=False)
    high_crime_area = StrictBoolean(load_default=False)
    vulnerable_victim = StrictBoolean(load_default=False)
    hate_motivated = StrictBoolean(load_default=False)
    residents_willing_to_lead = StrictBoolean(load_default=False)
    as_of = IsoDate(load_default=None, allow_none=True,
                        metadata={"description": "The date to evaluate for (default today); replays pass it"})

    @validates("category")
    def _known_category(self, value, **kwargs):
        if self.categories and value not in self.categories:
            raise ValidationError(f"Unknown category {value!r}. Known: {', '.join(self.categories)}.")


class ReasonSchema(Schema):
    """Why a rule fired, in words that name the facts."""

    rule = fields.String(required=True)
    text = fields.String(required=True)


class AgencySchema(Schema):
    """An agency that should act, its role and why."""

    name = fields.String(required=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    reason = fields.String(required=True)


class FlagSchema(Schema):
    """A safeguarding or information flag; flags never change the routing."""

    code = fields.String(required=True)
    text = fields.String(required=True)
    rule = fields.String(required=True)


class AlternativeRouteSchema(Schema):
    """Another route whose criteria also held."""

    routing = fields.String(required=True, validate=validate.OneOf(ROUTINGS))
    routing_label = fields.String(required=True)
    reasons = fields.List(fields.Nested(ReasonSchema), required=True)


class NearMissSchema(Schema):
    """A route that did not hold, and the first condition that kept it out."""

    routing = fields.String(required=True, validate=validate.OneOf(ROUTINGS))
    routing_label = fields.String(required=True)
    rule = fields.String(allow_none=True, required=True, metadata={"description": "The closest rule for that route"})
    text = fields.String(required=True)


class ReviewStateSchema(Schema):
    """A decision's review by chairs (only when a decision is read back)."""

    status = fields.String(required=True, validate=validate.OneOf(("not_reviewed", "awaiting_review", "accepted", "overridden")))
    routing = fields.String(required=True, validate=validate.OneOf(ROUTINGS), metadata={"description": "The routing in force"})
    reviewed_by = fields.String(allow_none=True, required=True)
    reviewed_at = fields.DateTime(allow_none=True, required=True)
    reviews = fields.Integer(required=True)


class RulesetRefSchema(Schema):
    """The rules that made a decision: their name and content hash."""

    name = fields.String(required=True)
    version = fields.String(required=True)


class DecisionSchema(Schema):
    """Where an issue should go, why, and who should act."""

    decision_id = fields.UUID(required=True)
    reference = fields.String(required=True)
    routing = fields.String(required=True, validate=validate.OneOf(ROUTINGS))
    routing_label = fields.String(required=True)
    also_recommended = fields.List(fields.Nested(AlternativeRouteSchema), required=True)
    reasons = fields.List(fields.Nested(ReasonSchema), required=True, validate=validate.Length(min=1))
    not_chosen = fields.List(fields.Nested(NearMissSchema), required=True,
                             metadata={"description": "Routes that did not hold, each with the first condition that failed"})
    agencies = fields.List(fields.Nested(AgencySchema), required=True, validate=validate.Length(min=1))
    next_steps = fields.List(fields.String(), required=True)
    flags = fields.List(fields.Nested(FlagSchema), required=True)
    review_required = fields.Boolean(required=True)
    facts = fields.Dict(keys=fields.String(), required=True,
                        metadata={"description": "The facts the rules saw, including derived facts"})
    rules_fired = fields.List(fields.String(), required=True)
    ruleset = fields.Nested(RulesetRefSchema, required=True)
    as_of = fields.Date(required=True)
    evaluated_at = fields.DateTime(required=True)
    review = fields.Nested(ReviewStateSchema, metadata={"description": "Only in GET /v1/decisions/<id>"})
