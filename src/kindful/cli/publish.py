"""The ``publish`` command: a program as a folder for any static host, and a podcast feed.

Only typer and the standard library load with this module.
"""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

import typer

from kindful.cli.app import LANG_HELP, app, languages
from kindful.cli.render import RenderError
from kindful.safe_text import say


@app.command()
def publish(
    program: str = typer.Argument(..., help="A program id, or a path to a program file."),
    output: Path | None = typer.Option(
        None, "--output", "-o", metavar="DIR", help="The folder to write (made if missing)."
    ),
    lang: str | None = typer.Option(None, "--lang", help=LANG_HELP),
    base_url: str | None = typer.Option(
        None,
        "--base-url",
        metavar="URL",
        help="Where the folder will be served: makes the feed's addresses absolute.",
    ),
    voice: str | None = typer.Option(
        None, "--voice", metavar="NAME", help="The voice: an engine's voice name or a piper model."
    ),
    force: bool = typer.Option(False, "--force", help="Write over the folder's files unasked."),
    bitrate: int | None = typer.Option(
        None, "--bitrate", metavar="KBPS", help="kbit/s of each MP3 (default 64)."
    ),
) -> None:
    """Write a program as a folder: index.html, an MP3 per practice, and feed.xml to subscribe to.

    The feed is RSS 2.0 with the iTunes namespace, its items in the program's order.
    """
    from datetime import datetime

    from kindful import i18n
    from kindful.cli.render import check_format, may_write_over, planned
    from kindful.cli.share import make_heard
    from kindful.cli.stopping import stopping
    from kindful.errors import UsageError
    from kindful.practice.views.pages import Episode, program_page
    from kindful.program.feed import Item, feed
    from kindful.program.library import find_program
    from kindful.program.outline import pick
    from kindful.settings import load_settings

    wanted = languages(lang)
    ui = wanted.ui
    if output is None:
        raise UsageError(i18n.t(ui, "handover.no_folder"))
    if base_url is not None and not base_url.startswith(("https://", "http://")):
        raise UsageError(f"--base-url should start with https:// or http://, not {base_url!r}")
    check_format(Path("a.mp3"), bitrate, ui)
    outline = find_program(program)
    chosen = wanted.for_texts(outline.languages)
    ui = wanted.ui_beside(chosen)
    if output.exists() and not output.is_dir():
        raise RenderError(i18n.t(ui, "handover.not_a_folder"), path=output)
    order: list[str] = []
    for _, _, ids in outline.days():
        order += [ref for ref in ids if ref not in order]
    files = [f"{n:02d}.mp3" for n in range(1, len(order) + 1)]
    may_write_over([output / name for name in ["index.html", "feed.xml", *files]], force, ui)
    output.mkdir(parents=True, exist_ok=True)
    settings = load_settings()
    title = pick(outline.title, chosen)
    episodes: list[Episode] = []
    items: list[Item] = []
    with stopping(ui):
        for number, (ref, name) in enumerate(zip(order, files, strict=True), 1):
            _, plan, found = planned(ref, chosen, None, None)
            audio = output / name
            heard = make_heard(plan, found, audio, voice, settings, ui, bitrate, name, title)
            episodes.append(Episode(number, found.practice, plan, heard))
            practice = found.practice
            items.append(
                Item(
                    number=number,
                    title=plan.title,
                    summary=pick(practice.summary, plan.lang) if practice.summary else "",
                    file=name,
                    size=audio.stat().st_size,
                    seconds=heard.seconds,
                    author=practice.author or "kindful",
                )
            )
        number_of = {ref: n for n, ref in enumerate(order, 1)}
        weeks = [
            (
                pick(week.title, chosen),
                pick(week.text, chosen),
                [[number_of[ref] for ref in day] for day in week.days],
            )
            for week in outline.weeks
        ]
        summary = pick(outline.summary, chosen)
        from kindful.atomic import write_bytes, write_text

        try:
            write_text(output / "index.html", program_page(title, summary, weeks, episodes, chosen))
            authors = sorted({item.author for item in items})
            xml = feed(
                title,
                summary,
                chosen,
                ", ".join(authors),
                items,
                base_url=base_url,
                published=datetime.now(UTC).replace(microsecond=0),
            )
            write_bytes(output / "feed.xml", xml)
        except OSError as error:
            reason = error.strerror or str(error)
            message = i18n.t(ui, "sound.render.cannot_write", reason=reason)
            raise RenderError(message, path=output) from None
    from kindful.cli.render import _shareable

    _shareable(output / "index.html", output / "feed.xml")
    say(i18n.t(ui, "handover.published", path=output, count=len(order)), flush=True)
