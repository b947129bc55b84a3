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
    rows = area_report(current_app.extensions["database"])
    areas = [(area, list(group)) for area, group in groupby(rows, key=lambda row: row["area"])]
    charts = {area: stacked_bars(area, group) for area, group in areas}
    return render_template("report.html", areas=areas, charts=charts)


@bp.get("/reports/areas.csv")
@role_required("chair", "officer")
def areas_report_csv():
    """The same table as a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(area_report(current_app.extensions["database"]))
    return Response(buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=lnp-progress.csv"})


@bp.get("/rules/feedback")
@role_required("officer")
def feedback():
    """Per rule: how often it fired and how often chairs overrode decisions it drove."""
    book = current_app.extensions["triage"].live.book
    descriptions = {rule.id: rule.description for rule in book.rules}
    return render_template("feedback.html", rows=rule_feedback(current_app.extensions["database"]),
                           descriptions=descriptions)
