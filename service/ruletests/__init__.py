"""Rule test cases beside the rules, like OPA's _test files."""

from .cases import Case, load_cases
from .runner import CaseResult, TestRun, run_cases

__all__ = ["Case", "CaseResult", "TestRun", "load_cases", "run_cases"]
