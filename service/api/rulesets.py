"""/v1/rulesets: see the live rules, validate rule files, reload without a restart."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from schemas.errors import ErrorSchema
from schemas.rulesets import ActiveRulesetSchema, ReloadResultSchema, ValidateRequestSchema, ValidationResultSchema

from ..auth import allow, current_principal
from ..errors import ApiError
from ..rulebook import RuleBookError, load_rulebook_texts
from ..rulesets.describe import describe_book, problem_dict
from .body import load_body

blp = Blueprint("rulesets", __name__, url_prefix="/v1/rulesets", description="The rule files")


@blp.route("/active")
class ActiveRuleset(MethodView):
    """The live rules."""

    @blp.response(200, ActiveRulesetSchema)
    @allow("officer")
    def get(self):
        """Show the live rule set: version, load time, and every rule in readable form."""
        current_app.extensions["rulesets"].follow()  # another worker (or SIGHUP) may have put a new version live
        return describe_book(current_app.extensions["triage"].live.book)


@blp.route("/validate")
class ValidateRuleset(MethodView):
    """Check rule files without loading them."""

    @blp.doc(requestBody={"required": True, "content": {"application/json": {"schema": "ValidateRequest"}}})
    @blp.alt_response(200, schema=ValidationResultSchema, description="The problems found, as `rules check` reports them")
    @blp.alt_response(422, schema=ErrorSchema, description="The body is not a set of files")
    @allow("officer")
    def post(self):
        """Check rule files (file name -> YAML text) and list every problem."""
        files = load_body(ValidateRequestSchema())["files"]
        contents = {name: text.encode("utf-8") for name, text in files.items()}
        try:
            book = load_rulebook_texts(contents)
            problems, version = list(book.warnings), book.version
        except RuleBookError as error:
            problems, version = error.problems, None
        errors = sum(problem.severity == "error" for problem in problems)
        return {"valid": not errors, "errors": errors, "warnings": len(problems) - errors, "version": version,
                "problems": [problem_dict(problem) for problem in problems]}


@blp.route("/reload")
class ReloadRuleset(MethodView):
    """Put edited rule files live."""

    @blp.alt_response(200, schema=ReloadResultSchema, description="The new version is live")
    @blp.alt_response(422, schema=ErrorSchema, description="Not reloaded: the old version stays live")
    @allow("officer")
    def post(self):
        """Load, check and test the rule directory; put it live in every worker only if all pass."""
        result = current_app.extensions["rulesets"].reload(actor=f"key:{current_principal().name}")
        if not result.loaded:
            raise ApiError(422, f"The rules were not reloaded; version {result.version} stays live.",
                           {"rules": result.problems, "tests": result.test_failures})
        return {"loaded": True, "version": result.version, "previous_version": result.previous_version}
