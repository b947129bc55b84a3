"""The wire format of the rule set endpoints: active rules, validation, reload."""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates


class RuleViewSchema(Schema):
    """One rule in readable form."""

    id = fields.String(required=True)
    kind = fields.String(required=True)
    description = fields.String(required=True)
    conditions = fields.String(required=True, metadata={"description": "The conditions in plain English"})
    route = fields.String(allow_none=True)
    fallback = fields.Boolean()
    flag = fields.String(allow_none=True)
    agencies = fields.List(fields.Dict())
    next_steps = fields.List(fields.String())
    reason = fields.String(metadata={"description": "The reason template"})
    review_required = fields.Boolean()
    source = fields.String(metadata={"description": "file:line where the rule is written"})


class RouteViewSchema(Schema):
    """A route, in precedence order."""

    code = fields.String(required=True)
    label = fields.String(required=True)
    review_required = fields.Boolean(required=True)


class ActiveRulesetSchema(Schema):
    """The live rule set."""

    name = fields.String(required=True)
    version = fields.String(required=True)
    description = fields.String()
    loaded_at = fields.DateTime(required=True)
    parameters = fields.Dict()
    routes = fields.List(fields.Nested(RouteViewSchema))
    categories = fields.Dict(keys=fields.String(), values=fields.String())
    derived_facts = fields.Dict(keys=fields.String(), values=fields.String())
    rules = fields.List(fields.Nested(RuleViewSchema))


class ValidateRequestSchema(Schema):
    """Rule files to check: file name -> YAML text."""

    class Meta:
        unknown = RAISE

    files = fields.Dict(keys=fields.String(validate=validate.Length(1, 100)), values=fields.String(), required=True,
                        metadata={"example": {"ruleset.yaml": "ruleset:\n  name: example\n"}})

    @validates("files")
    def _yaml_names(self, value, **kwargs):
        if not value:
            raise ValidationError("Give at least one rule file.")
        bad = [name for name in value if not name.endswith((".yaml", ".yml")) or "/" in name or "\\" in name]
        if bad:
            raise ValidationError(f"File names must be plain *.yaml names: {', '.join(bad)}.")


class ProblemSchema(Schema):
    """One problem in a rule file."""

    file = fields.String(required=True)
    line = fields.Integer(required=True)
    rule = fields.String(required=True)
    message = fields.String(required=True)
    severity = fields.String(required=True, validate=validate.OneOf(("error", "warning")))
    text = fields.String(required=True, metadata={"description": "file:line: rule: message"})


class ValidationResultSchema(Schema):
    """What the checker found."""

    valid = fields.Boolean(required=True)
    errors = fields.Integer(required=True)
    warnings = fields.Integer(required=True)
    version = fields.String(allow_none=True, metadata={"description": "The version these files would have"})
    problems = fields.List(fields.Nested(ProblemSchema), required=True)


class ReloadResultSchema(Schema):
    """The outcome of a successful reload."""

    loaded = fields.Boolean(required=True)
    version = fields.String(required=True)
    previous_version = fields.String(required=True)
