"""The rule book: rule files loaded, checked, compiled and versioned.

- ``loader.load_rulebook`` reads ``rules/*.yaml`` and checks it.
- ``compiler.compile_rulebook`` turns it into durable_rules JSON.
- ``service.engine.Engine`` evaluates that JSON under one lock.
"""

from .loader import check_directory, load_rulebook, load_rulebook_texts
from .model import Problem, Rule, RuleBook
from .problems import RuleBookError

__all__ = ["Problem", "Rule", "RuleBook", "RuleBookError", "check_directory", "load_rulebook", "load_rulebook_texts"]
