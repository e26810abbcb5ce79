"""Validation: the rule catalogue, the streaming engine and the rules grouped by scope."""
