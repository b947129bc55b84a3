"""The LNP progress report (with a CSV download) and rule feedback for policy officers."""

from __future__ import annotations

import csv
import io
from itertools import groupby

from flask import Response, current_app, render_template

from ..reviews.reports import COLUMNS, area_report, rule_feedback
from . import bp
from .charts import stacked_bars
from .session import role_required


@bp.get("/reports/areas")
@role_required("chair", "officer")
def areas_report():
    """Per area and month: triaged, routed to each destination, reviewed, overridden."""
    rows = area_report(current_app.extensions["database"], current_app.config["TIMEZONE"])
    areas = [(area, list(group)) for area, group in groupby(rows, key=lambda row: row["area"])]
    charts = {area: stacked_bars(area, group, chart_id=f"chart-{index}") for index, (area, group) in enumerate(areas, 1)}
    return render_template("report.html", areas=areas, charts=charts)


@bp.get("/reports/areas.csv")
@role_required("chair", "officer")
def areas_report_csv():
    """The same table as a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for row in area_report(current_app.extensions["database"], current_app.config["TIMEZONE"]):
        writer.writerow({key: _cell(value) for key, value in row.items()})
    return Response(buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=lnp-progress.csv"})


def _cell(value):
    """A CSV cell a spreadsheet will not run as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@bp.get("/rules/feedback")
@role_required("officer")
def feedback():
    """Per rule: how often it fired and how often chairs overrode decisions it drove."""
    book = current_app.extensions["triage"].live.book
    descriptions = {rule.id: rule.description for rule in book.rules}
    return render_template("feedback.html", rows=rule_feedback(current_app.extensions["database"]),
                           descriptions=descriptions)
