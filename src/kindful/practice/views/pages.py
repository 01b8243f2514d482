"""Pages a coach hands over: one practice with its audio (``share``), a program (``publish``).

Each page is one HTML file that needs nothing from the network: the style and the script are
inside it, and so is the audio when it is embedded (as a ``data:`` address). The transcript is
the WebVTT file's cues, as a list that can be read, printed and followed: a small script marks
the line now heard, from the audio element's own text track, so the page follows the file
exactly. Nothing on a page names a practice's id, a file path or a log key.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from html import escape

from kindful.i18n import t
from kindful.lengths import clock, length
from kindful.practice.format.texts import pick
from kindful.practice.plan.planner import Plan
from kindful.practice.plan.written import Compiled
from kindful.practice.views.script import byline
from kindful.practice.views.script_formats import page, script_html


@dataclass(frozen=True)
class Heard:
    """A rendered practice as a page shows it: where its audio is, and its transcript."""

    src: str  # a data: address, or a file name beside the page
    mime: str  # audio/mpeg, audio/ogg, ...
    vtt: str  # the WebVTT text
    cues: list[tuple[float, float, str]]  # in the WebVTT's order: (start, end, text)
    seconds: float


def data_address(data: bytes, mime: str) -> str:
    """Give ``data`` as a ``data:`` address."""
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


_STYLE = """
audio { width: 100%; margin: .8em 0 .4em; }
.transcript { list-style: none; padding: 0; margin: 0; }
.transcript li { padding: .35em .5em; border-left: 3px solid transparent; cursor: pointer;
                 white-space: pre-line; }
.transcript li .at { color: #777; font-size: .85em; font-variant-numeric: tabular-nums;
                     margin-right: .6em; }
.transcript li.now { border-left-color: #5a7d5a; background: #eef4ec; }
.hint { color: #666; font-size: .9em; }
section.practice { margin-top: 2.5em; border-top: 1px solid #ccc; }
@media (max-width: 480px) {
  body { margin: 1em auto; font-size: 16px; }
  table, tbody, tr, td { display: block; width: auto; }
  td.at, td.length { display: inline; text-align: left; width: auto; padding: .2em .3em; }
  td.kind { display: inline; }
  tr { border-top: 1px solid #ddd; padding: .3em 0; }
  td { border: 0; }
}
@media print {
  audio, .hint { display: none; }
  .transcript li.now { background: none; border-left-color: transparent; }
}
"""

# Marks the transcript's line for the cue being heard, from the audio's own text track; a line
# clicked plays from there; "#at=SECONDS" in the address starts there.
_SCRIPT = """
(function () {
  document.querySelectorAll("audio[data-follow]").forEach(function (audio) {
    var lines = Array.prototype.slice.call(
      document.querySelectorAll('[data-for="' + audio.id + '"] li'));
    var element = audio.querySelector("track");
    var track = element && element.track;
    function mark() {
      var now = "", cues = track && track.cues, at = audio.currentTime;
      for (var i = 0; cues && i < cues.length; i++) {
        if (cues[i].startTime <= at && at < cues[i].endTime) { now = cues[i].id; }
      }
      lines.forEach(function (line) {
        var on = line.getAttribute("data-cue") === now;
        line.classList.toggle("now", on);
        if (on) { line.setAttribute("aria-current", "true"); }
        else { line.removeAttribute("aria-current"); }
      });
      audio.setAttribute("data-now", now);
    }
    if (track) {
      track.mode = "hidden";
      track.addEventListener("cuechange", mark);
      element.addEventListener("load", function () {
        audio.setAttribute("data-cues", String(track.cues.length));
        mark();
      });
    }
    audio.addEventListener("timeupdate", mark);
    audio.addEventListener("seeked", mark);
    audio.addEventListener("loadedmetadata", function () {
      audio.setAttribute("data-duration", audio.duration.toFixed(3));
      var wanted = /[#&]at=([0-9.]+)/.exec(location.hash);
      if (wanted && audio === document.querySelector("audio[data-follow]")) {
        audio.currentTime = parseFloat(wanted[1]);
      }
    });
    lines.forEach(function (line) {
      line.addEventListener("click", function () {
        audio.currentTime = parseFloat(line.getAttribute("data-start"));
        audio.play();
      });
    });
  });
})();
"""


def player(heard: Heard, lang: str, name: str) -> str:
    """Give the audio player and its transcript as HTML; ``name`` tells players apart."""
    e = escape
    vtt = data_address(heard.vtt.encode("utf-8"), "text/vtt")
    label = t(lang, "handover.transcript")
    out = [
        f'<audio id="{e(name)}" controls preload="metadata" data-follow'
        f' data-seconds="{heard.seconds:.3f}">',
        f'  <source src="{e(heard.src)}" type="{e(heard.mime)}">',
        f'  <track kind="captions" srclang="{e(lang)}" label="{e(label)}" src="{vtt}" default>',
        "</audio>",
        f'<p class="hint">{e(t(lang, "handover.hint"))}</p>',
        f'<ol class="transcript" data-for="{e(name)}">',
    ]
    for number, (start, end, text) in enumerate(heard.cues, 1):
        out.append(
            f'  <li data-cue="{number}" data-start="{start:.3f}" data-end="{end:.3f}">'
            f'<span class="at">{clock(int(start))}</span>{e(text)}</li>'
        )
    out.append("</ol>")
    return "\n".join(out)


def share_page(practice: Compiled, plan: Plan, lang: str, heard: Heard) -> str:
    """Give the page for one practice: title, author and licence, player, transcript, script."""
    e = escape
    body = [f"<h1>{e(plan.title)}</h1>"]
    if practice.summary is not None:
        body.append(f'<p class="summary">{e(pick(practice.summary, lang))}</p>')
    body.append(f'<p class="meta">{e(length(heard.seconds, lang))}</p>')
    if by := byline(practice, lang):
        body.append(f'<p class="byline">{e(by)}</p>')
    body.append(f"<h2>{e(t(lang, 'handover.listen'))}</h2>")
    body.append(player(heard, lang, "audio"))
    body.append('<section class="practice">')
    body.append(script_html(practice, plan, lang, level=2))
    body.append("</section>")
    return page(plan.title, lang, "\n".join(body), style=_STYLE, script=_SCRIPT)


@dataclass(frozen=True)
class Episode:
    """One practice of a program as its page shows it."""

    number: int
    practice: Compiled
    plan: Plan
    heard: Heard


def program_page(
    title: str,
    summary: str,
    weeks: list[tuple[str, str, list[list[int]]]],
    episodes: list[Episode],
    lang: str,
) -> str:
    """Give the page of a program: its weeks and days, then each practice with its player.

    ``weeks`` holds each week's title, text and days, a day being the numbers of its episodes.
    """
    e = escape
    body = [f"<h1>{e(title)}</h1>"]
    if summary:
        body.append(f'<p class="summary">{e(summary)}</p>')
    body.append(f'<p class="hint">{e(t(lang, "handover.feed_hint"))}</p>')
    titles = {episode.number: episode.plan.title for episode in episodes}
    for number, (week_title, text, days) in enumerate(weeks, 1):
        body.append(f"<h2>{e(t(lang, 'handover.week', week=number))}: {e(week_title)}</h2>")
        if text:
            body.append(f'<p class="text">{e(text)}</p>')
        body.append('<ol class="days">')
        for day in days:
            links = ", ".join(f'<a href="#p{n}">{e(titles[n])}</a>' for n in day)
            body.append(f"  <li>{links}</li>")
        body.append("</ol>")
    for episode in episodes:
        body.append(f'<section class="practice" id="p{episode.number}">')
        heading, _, script = script_html(episode.practice, episode.plan, lang, level=2).partition(
            "\n"
        )
        body += [heading, player(episode.heard, lang, f"audio{episode.number}"), script]
        body.append("</section>")
    return page(title, lang, "\n".join(body), style=_STYLE, script=_SCRIPT)
