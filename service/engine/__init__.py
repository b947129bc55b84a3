"""The durable_rules engine, behind one serialising facade."""

from .facade import Engine, EngineError, EngineRuleset

__all__ = ["Engine", "EngineError", "EngineRuleset"]
