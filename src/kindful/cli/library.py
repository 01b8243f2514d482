"""Commands about practices: list, show, validate, schema, new."""

from kindful.cli.app import app  # noqa: F401
