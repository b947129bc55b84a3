"""Access control: API keys with roles, rate limits, security headers."""

from .access import allow, current_principal
from .keys import ROLES, KeyProblem, Principal, create_key, list_keys, revoke_key

__all__ = ["ROLES", "KeyProblem", "Principal", "allow", "create_key", "current_principal", "list_keys", "revoke_key"]
