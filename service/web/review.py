"""The review queue, a decision's page, and accepting or overriding its routing."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..reviews import ReviewProblem, review_decision
from ..reviews.queue import awaiting_review, decision_page, known_areas
from ..reviews.reviews import ROUTINGS
from . import bp
from .session import role_required

ROUTING_LABELS = {"cat": "CAT", "borough_tasking": "Borough Tasking Group", "community_led_solution": "Community Led Solution"}


def _database():
    return current_app.extensions["database"]


@bp.get("/review")
@role_required("chair")
def queue():
    """Decisions awaiting review, filterable, those needing review first."""
    filters, problems = _queue_filters(request.args)
    page = awaiting_review(_database(), filters, request.args.get("page", 1, type=int) or 1, datetime.now(UTC))
    return render_template("queue.html", page=page, filters=request.args, problems=problems,
                           areas=known_areas(_database()), routings=ROUTING_LABELS,
                           flags=_flag_codes())


def _queue_filters(args) -> tuple[dict, dict]:
    filters, problems = {}, {}
    for name in ("area", "flag"):
        if args.get(name):
            filters[name] = args[name][:100]
    if args.get("routing"):
        if args["routing"] in ROUTINGS:
            filters["routing"] = args["routing"]
        else:
            problems["routing"] = "Choose one of the listed routings."
    for name in ("from", "to"):
        if args.get(name):
            try:
                filters[name] = date.fromisoformat(args[name])
            except ValueError:
                problems[name] = "Enter a date as YYYY-MM-DD."
    return filters, problems


def _flag_codes() -> list[str]:
    book = current_app.extensions["triage"].live.book
    return sorted({rule.flag for rule in book.rules if rule.flag})


@bp.get("/review/<decision_id>")
@role_required("chair")
def decision(decision_id):
    """One decision: the issue, the recommendation and why, and its reviews."""
    data = decision_page(_database(), decision_id)
    if data is None:
        abort(404)
    return render_template("decision.html", **data, routings=ROUTING_LABELS, form_errors={}, form={})


@bp.post("/review/<decision_id>")
@role_required("chair")
def review(decision_id):
    """Accept the recommended routing, or override it with a written reason."""
    action = request.form.get("action", "")
    try:
        review_decision(_database(), decision_id, current_user.username, action,
                        routing=request.form.get("routing") or None, reason=request.form.get("reason", ""))
    except ReviewProblem as problem:
        data = decision_page(_database(), decision_id)
        if data is None:
            abort(404)
        return render_template("decision.html", **data, routings=ROUTING_LABELS,
                               form_errors={problem.field: str(problem)}, form=request.form), 422
    flash("Override recorded." if action == "override" else "Recommendation accepted.")
    return redirect(url_for("web.decision", decision_id=decision_id) + "#reviews")
