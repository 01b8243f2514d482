"""A program as a podcast feed: RSS 2.0 with the iTunes namespace, by the standard library.

The items follow the program: ``itunes:type`` is ``serial`` and each item has its episode
number, and the publication dates rise one minute apart up to the last practice, so that an
app that sorts by date keeps the program's order too. Each enclosure has its file's true
byte length. With a base address the enclosures and links are absolute, as podcast apps
need; without one they are relative to the feed, for a folder opened from a disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import format_datetime
from xml.etree import ElementTree as ET

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"


@dataclass(frozen=True)
class Item:
    """One practice in the feed."""

    number: int
    title: str
    summary: str
    file: str  # the audio file's name in the folder
    size: int  # bytes
    seconds: float
    author: str


def duration(seconds: float) -> str:
    """Give ``HH:MM:SS`` as iTunes reads a duration."""
    whole = round(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def feed(
    title: str,
    summary: str,
    lang: str,
    author: str,
    items: list[Item],
    *,
    base_url: str | None,
    published: datetime,
) -> bytes:
    """Give the feed's XML (UTF-8). ``published`` dates the last item."""
    ET.register_namespace("itunes", ITUNES)
    base = (base_url.rstrip("/") + "/") if base_url else ""

    def sub(parent: ET.Element, tag: str, content: str | None = None, **attrs: str) -> ET.Element:
        name = f"{{{ITUNES}}}{tag[7:]}" if tag.startswith("itunes:") else tag
        element = ET.SubElement(parent, name, attrs)
        if content is not None:
            element.text = content
        return element

    rss = ET.Element("rss", {"version": "2.0"})
    channel = sub(rss, "channel")
    sub(channel, "title", title)
    sub(channel, "link", base + "index.html")
    sub(channel, "description", summary or title)
    sub(channel, "language", lang)
    sub(channel, "generator", "kindful")
    sub(channel, "itunes:author", author)
    sub(channel, "itunes:summary", summary or title)
    sub(channel, "itunes:type", "serial")
    sub(channel, "itunes:explicit", "false")
    sub(channel, "itunes:category", text="Health & Fitness")
    for item in items:
        entry = sub(channel, "item")
        sub(entry, "title", item.title)
        sub(entry, "description", item.summary or item.title)
        sub(entry, "link", f"{base}index.html#p{item.number}")
        sub(entry, "guid", base + item.file, isPermaLink="false")
        when = published - timedelta(minutes=len(items) - item.number)
        sub(entry, "pubDate", format_datetime(when))
        sub(entry, "enclosure", url=base + item.file, length=str(item.size), type="audio/mpeg")
        sub(entry, "itunes:title", item.title)
        sub(entry, "itunes:author", item.author)
        sub(entry, "itunes:summary", item.summary or item.title)
        sub(entry, "itunes:duration", duration(item.seconds))
        sub(entry, "itunes:episode", str(item.number))
        sub(entry, "itunes:episodeType", "full")
    ET.indent(rss)
    xml: bytes = ET.tostring(rss, encoding="utf-8", xml_declaration=True)
    return xml + b"\n"
