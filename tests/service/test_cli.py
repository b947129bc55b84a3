"""flask decisions verify / purge."""

from __future__ import annotations

from sqlalchemy import text

from tests.conftest import make_issue


def _triage(client, count):
    return [client.post("/v1/triage", json=make_issue(reference=f"C{i}")).get_json() for i in range(count)]


def test_verify_passes_on_an_untouched_log(app, client):
    _triage(client, 3)
    result = app.test_cli_runner().invoke(args=["decisions", "verify"])
    assert result.exit_code == 0
    assert "3 record(s) verified" in result.output


def test_verify_fails_and_names_the_tampered_record(app, client):
    decisions = _triage(client, 3)
    with app.extensions["database"].engine.begin() as connection:
        connection.execute(text("UPDATE decisions SET category = 'noise' WHERE seq = 2"))
    result = app.test_cli_runner().invoke(args=["decisions", "verify"])
    assert result.exit_code == 1
    assert decisions[1]["decision_id"] in result.output


def test_purge_reports_how_many_it_removed(app, client):
    _triage(client, 2)
    with app.extensions["database"].engine.begin() as connection:
        connection.execute(text("UPDATE decisions SET evaluated_at = '2020-01-01 00:00:00' WHERE seq = 1"))
    result = app.test_cli_runner().invoke(args=["decisions", "purge", "--older-than", "365d"])
    assert result.exit_code == 0
    assert "Purged 1 decision(s)" in result.output


def test_purge_refuses_a_bad_age(app):
    result = app.test_cli_runner().invoke(args=["decisions", "purge", "--older-than", "soon"])
    assert result.exit_code == 2
    assert "365d" in result.output
