"""Deutsche Texte der Oberfläche. Die Schlüssel bleiben im Gleichschritt mit ``en.py``."""

MESSAGES: dict[str, str] = {
    # list / show
    "list.empty": "Keine Übungen gefunden.",
    "list.id": "ID",
    "list.title": "Titel",
    "list.length": "Dauer",
    "list.languages": "Sprachen",
    "list.origin": "Herkunft",
    "list.shadows": "verdeckt {origin}",
    "show.total": "Gesamte Zeit: {total}",
    "show.untimed": "wartet auf dich",
    "show.inputs": "Vor dem ersten Schritt gefragt",
    "show.sources": "Quellen",
    "show.default": "Vorgabe",
    "show.steps": "{count} Schritte",
}
