"""English interface strings. Keep the keys in step with ``de.py``."""

MESSAGES: dict[str, str] = {
    # list / show
    "list.empty": "No practices found.",
    "list.id": "id",
    "list.title": "title",
    "list.length": "length",
    "list.languages": "languages",
    "list.origin": "from",
    "list.shadows": "shadows {origin}",
    "show.total": "Timed total: {total}",
    "show.untimed": "waits for you",
    "show.inputs": "Asked before the first step",
    "show.sources": "Sources",
    "show.default": "default",
    "show.steps": "{count} steps",
}
