"""Quick Create's defaults that callers need without loading the anthropic SDK."""

DEFAULT_MODEL = "claude-haiku-5-5"
"""A fast, cheap Claude model; the setting can name another."""
