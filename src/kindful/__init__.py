"""kindful: a calm command-line companion for guided self-compassion practice."""

# The one place the version is written: the package metadata is read from here. Raised with
# each release, and part of every cache key (kindful.cache).
__version__ = "0.2.0"
