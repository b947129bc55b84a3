"""The HTML structure check the page tests rely on finds each kind of problem it claims to."""

from __future__ import annotations

import pytest

from tests.service.web.support import structure_problems

SOUND = """<!doctype html><html lang="en-GB"><body><a class="skip-link" href="#main">Skip</a>
<main id="main" tabindex="-1"><h1>Title</h1><h2>Part</h2>
<form><input type="hidden" name="csrf_token" value="x"><label for="q">Query</label><input id="q" name="q">
<button type="submit">Go</button></form>
<table><caption>Rows</caption><thead><tr><th scope="col">A</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>
</main></body></html>"""


def test_a_sound_page_has_no_problems():
    assert structure_problems(SOUND) == []


@pytest.mark.parametrize("change, problem", [
    (('lang="en-GB"', ""), "no lang attribute"),
    (("<h2>Part</h2>", "<h1>Part</h1>"), "expected one h1"),
    (("<h2>Part</h2>", "<h3>Part</h3>"), "heading level jumps from h1 to h3"),
    (('<a class="skip-link" href="#main">Skip</a>', ""), "not a working skip link"),
    (('href="#main"', 'href="#nowhere"'), "not a working skip link"),
    (('<label for="q">Query</label>', ""), "no <label for>"),
    (('<input id="q" name="q">', '<input name="q"><select id="s"></select>'), "no <label for>"),
    (('scope="col"', ""), "<th> without a valid scope"),
    (("<caption>Rows</caption>", ""), "table without a caption"),
    (('<h2>Part</h2>', '<h2 id="q">Part</h2>'), "duplicate id 'q'"),
    (('name="q">', 'name="q" aria-describedby="q-error">'), "aria-describedby points at missing id 'q-error'"),
    (("Go</button>", "</button>"), "a button without text"),
])
def test_each_kind_of_problem_is_found(change, problem):
    assert any(problem in found for found in structure_problems(SOUND.replace(*change)))
