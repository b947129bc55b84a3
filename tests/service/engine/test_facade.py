"""The engine facade: the right rules fire, state is always deleted, threads are safe."""

from __future__ import annotations

import random
import re
import threading

import pytest

from service.engine import Engine, EngineError, EngineRuleset
from service.rulebook.compiler import compile_rulebook
from service.triage.ruleset import make_live

from . import reference
from .samples import fact_choices

HAND_MADE = {
    "old": {"all": [{"m": {"$gte": {"months_ongoing": 3}}}]},
    "at_nap": {"all": [{"m": {"raised_at_nap": True}}]},
    "not_at_jag": {"all": [{"m": {"raised_at_jag": False}}]},
    "not_noise": {"all": [{"m": {"$neq": {"category": "noise"}}}]},
    "nap_or_litter": {"all": [{"m": {"$or": [{"raised_at_nap": True}, {"category": "litter"}]}}]},
    "new_at_nap": {"all": [{"m": {"$and": [{"raised_at_nap": True}, {"$lt": {"months_ongoing": 3}}]}}]},
}
QUIET = {"months_ongoing": 0, "raised_at_nap": False, "raised_at_jag": True, "category": "noise"}

THREADS = 8
PER_THREAD = 5_000
CASES_PER_THREAD = 40


@pytest.fixture(scope="module")
def engine():
    """One engine for the module (rulesets are never freed, so register few)."""
    return Engine()


@pytest.fixture(scope="module")
def hand_made(engine) -> EngineRuleset:
    """The hand-made ruleset, registered once."""
    return engine.register("hand-made", HAND_MADE)


@pytest.fixture(scope="module")
def live(engine, book):
    """The default rule book, compiled and registered."""
    return make_live(book, engine)


# --- firing ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({**QUIET}, set()),
        ({**QUIET, "months_ongoing": 3}, {"old"}),
        ({**QUIET, "months_ongoing": 2, "raised_at_nap": True}, {"at_nap", "nap_or_litter", "new_at_nap"}),
        ({**QUIET, "raised_at_jag": False}, {"not_at_jag"}),
        ({**QUIET, "category": "litter"}, {"not_noise", "nap_or_litter"}),
        ({**QUIET, "months_ongoing": 5, "raised_at_nap": True, "raised_at_jag": False, "category": "graffiti"},
         {"old", "at_nap", "not_at_jag", "not_noise", "nap_or_litter"}),
    ],
)
def test_the_rules_whose_conditions_hold_fire(engine, hand_made, facts, expected):
    assert engine.evaluate(hand_made, facts) == expected


def test_the_result_is_what_the_reference_says(engine, hand_made):
    facts = {**QUIET, "months_ongoing": 4, "raised_at_nap": True, "category": "litter"}
    assert engine.evaluate(hand_made, facts) == reference.fired(HAND_MADE, facts)


def test_an_or_rule_with_both_branches_true_is_reported_once(engine, hand_made):
    facts = {**QUIET, "raised_at_nap": True, "category": "litter"}
    expected = {"at_nap", "nap_or_litter", "new_at_nap", "not_noise"}
    assert (engine.evaluate(hand_made, facts), engine.evaluate(hand_made, facts)) == (expected, expected)


def test_the_sentinel_rule_is_never_reported(engine, hand_made):
    assert not any("sentinel" in name for name in engine.evaluate(hand_made, QUIET))


def test_the_result_is_a_frozenset(engine, hand_made):
    assert isinstance(engine.evaluate(hand_made, QUIET), frozenset)


# --- registering ----------------------------------------------------------


def test_registering_the_same_label_twice_gives_fresh_names(engine):
    first = engine.register("same label", HAND_MADE)
    second = engine.register("same label", HAND_MADE)
    assert first.name != second.name


def test_both_registrations_of_a_label_evaluate(engine):
    first = engine.register("twice", HAND_MADE)
    second = engine.register("twice", {"young": {"all": [{"m": {"$lt": {"months_ongoing": 3}}}]}})
    assert (engine.evaluate(first, QUIET), engine.evaluate(second, QUIET)) == (set(), {"young"})


def test_a_ruleset_name_is_lower_case_letters_digits_and_underscores(engine):
    ruleset = engine.register("Community-Safety Triage v2.1!", HAND_MADE)
    assert re.fullmatch(r"[a-z0-9_]+", ruleset.name)
    assert ruleset.name.startswith("community_safety_triage_v2_1__")


@pytest.mark.parametrize(
    "definition",
    [
        {"bad_operator": {"all": [{"m": {"$bogus": {"months_ongoing": 3}}}]}},
        {"and_not_a_list": {"all": [{"m": {"$and": {"months_ongoing": 3}}}]}},
        {"list_value": {"all": [{"m": {"category": ["noise", "litter"]}}]}},
        {"unknown_rule_key": {"every": [{"m": {"months_ongoing": 3}}]}},
    ],
)
def test_an_invalid_definition_is_an_engine_error(engine, definition):
    with pytest.raises(EngineError, match="rejected ruleset"):
        engine.register("invalid", definition)


def test_the_engine_still_works_after_refusing_a_definition(engine, hand_made):
    with pytest.raises(EngineError):
        engine.register("invalid", {"bad": {"all": [{"m": {"$bogus": {"a": 1}}}]}})
    assert engine.evaluate(hand_made, {**QUIET, "months_ongoing": 9}) == {"old"}


# --- the fact message -----------------------------------------------------

def test_a_fact_named_sid_cannot_choose_the_state_id(engine, hand_made):
    facts = {**QUIET, "sid": "chosen", "months_ongoing": 4}
    assert [engine.evaluate(hand_made, facts) for _ in range(2)] == [{"old"}, {"old"}]


# --- state is always deleted ----------------------------------------------


def test_the_same_facts_evaluate_3000_times(engine):
    ruleset = engine.register("repeat", HAND_MADE)  # a fresh ruleset: no other test's sids
    facts = {**QUIET, "months_ongoing": 7, "raised_at_nap": True}
    expected = reference.fired(HAND_MADE, facts)
    results = [engine.evaluate(ruleset, facts) for _ in range(3000)]
    assert results.count(expected) == 3000


def test_facts_matching_no_rule_evaluate_3000_times(engine):
    ruleset = engine.register("repeat-quiet", HAND_MADE)
    results = [engine.evaluate(ruleset, QUIET) for _ in range(3000)]
    assert results.count(frozenset()) == 3000


def test_facts_the_engine_cannot_read_are_an_engine_error(engine, hand_made):
    with pytest.raises(EngineError):
        engine.evaluate(hand_made, {**QUIET, "months_ongoing": 1e-05})  # written 1e-05: error 204


def test_the_engine_still_works_after_an_engine_error(engine, hand_made):
    with pytest.raises(EngineError):
        engine.evaluate(hand_made, {**QUIET, "months_ongoing": 1e-05})
    assert engine.evaluate(hand_made, {**QUIET, "months_ongoing": 3}) == {"old"}


def test_an_engine_error_names_the_real_failure(engine, hand_made):
    with pytest.raises(EngineError) as caught:
        engine.evaluate(hand_made, {**QUIET, "months_ongoing": 1e-05})
    assert "204" in str(caught.value)


def test_a_rule_named_sentinel_is_not_silently_dropped(engine):
    definition = {"sentinel": {"all": [{"m": {"months_ongoing": 5}}]}}
    try:
        ruleset = engine.register("sentinel-name", definition)
    except (EngineError, ValueError):
        return  # refusing the name is a fix too
    assert engine.evaluate(ruleset, {**QUIET, "months_ongoing": 5}) == {"sentinel"}


# --- the default ruleset, single-threaded and from 8 threads ----------------


def sample_facts(rng: random.Random, choices: dict) -> dict:
    """One random set of facts from the candidate values."""
    return {name: rng.choice(values) for name, values in choices.items()}


def thread_cases(live) -> list[list[dict]]:
    """Facts for each thread, different per thread (seeded, so repeatable)."""
    definition = compile_rulebook(live.book).definition
    choices = fact_choices(live.tested_facts, live.book.categories, definition)
    return [[sample_facts(random.Random(index * 1000 + n), choices) for n in range(CASES_PER_THREAD)] for index in range(THREADS)]


def test_the_default_ruleset_fires_what_the_reference_says(engine, live):
    definition = compile_rulebook(live.book).definition
    for facts in (facts for cases in thread_cases(live) for facts in cases):
        assert engine.evaluate(live.engine_ruleset, facts) == reference.fired(definition, facts), facts


def test_concurrent_evaluations_of_the_default_ruleset_are_all_right(engine, live):
    cases = thread_cases(live)
    expected = [[engine.evaluate(live.engine_ruleset, facts) for facts in thread] for thread in cases]
    assert len({result for thread in expected for result in thread}) > THREADS, "facts too alike to catch mix-ups"
    wrong, crashes = [0] * THREADS, []
    start = threading.Barrier(THREADS)

    def evaluate_many(index: int) -> None:
        start.wait()
        try:
            for n in range(PER_THREAD):
                case = n % CASES_PER_THREAD
                if engine.evaluate(live.engine_ruleset, cases[index][case]) != expected[index][case]:
                    wrong[index] += 1
        except Exception as error:  # every crash is reported below
            crashes.append(error)

    threads = [threading.Thread(target=evaluate_many, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (crashes, wrong) == ([], [0] * THREADS)
