"""Collecting problems found in rule files, each with its file and line."""

from __future__ import annotations

from .model import Problem


class RuleBookError(Exception):
    """Rule files that cannot be loaded; ``problems`` lists every error found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(str(problem) for problem in problems)
        super().__init__(f"{len(problems)} problem(s) in the rule files:\n{lines}")


class Problems:
    """Problems found so far while reading one rule directory."""

    def __init__(self):
        self.items: list[Problem] = []

    def error(self, file: str, line: int, rule: str, message: str) -> None:
        """Record an error: the rule files cannot be used as they are."""
        self.items.append(Problem(file, line, rule, message, "error"))

    def warning(self, file: str, line: int, rule: str, message: str) -> None:
        """Record a warning: the files work but probably not as meant."""
        self.items.append(Problem(file, line, rule, message, "warning"))

    @property
    def errors(self) -> list[Problem]:
        """Only the errors."""
        return [problem for problem in self.items if problem.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Only the warnings."""
        return [problem for problem in self.items if problem.severity == "warning"]
