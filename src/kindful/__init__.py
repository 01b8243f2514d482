"""kindful: a calm command-line companion for guided self-compassion practice."""

__version__ = "0.1.0"
