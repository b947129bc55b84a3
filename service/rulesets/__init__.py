"""Which rule version is live, and reloading it without a restart."""

from .manager import ReloadResult, RulesetManager

__all__ = ["ReloadResult", "RulesetManager"]
