"""One catalogue of interface strings per language; every catalogue has the same keys."""
