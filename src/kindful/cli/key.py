"""The reflections key: ``kindful key new`` makes it, ``kindful key seal-old`` seals the past.

See docs/privacy.md. The cryptography is age's (``journal/sealing.py``); this module asks,
writes the files and says what happened.
"""

from __future__ import annotations

import typer

from kindful.cli import passphrase as passphrases
from kindful.cli.app import LANG_HELP, KindfulGroup, KindfulTyper, app, languages
from kindful.safe_text import say

key_app = KindfulTyper(
    name="key",
    cls=KindfulGroup,
    help="The key that seals your reflections: new, seal-old.",
    no_args_is_help=True,
)
app.add_typer(key_app, name="key")


@key_app.command("new")
def new(
    passphrase_fd: int | None = passphrases.option(),
    lang: str | None = typer.Option(None, "--lang", metavar="CODE", help=LANG_HELP),
) -> None:
    """Make a key pair: reflections are sealed to it from now on, and open with your passphrase.

    The private key goes beside the settings, readable by you alone, sealed with a passphrase;
    the public key becomes the setting reflections_to. Lose the key or the passphrase, and the
    reflections sealed to it are lost.
    """
    import os

    from kindful import atomic
    from kindful.errors import KindfulError
    from kindful.i18n import t
    from kindful.journal.sealing import new_key
    from kindful.paths import key_path, private_folder
    from kindful.settings import load_settings, set_setting

    ui = languages(lang).ui
    path = key_path()
    if os.path.lexists(path):
        raise KindfulError(t(ui, "key.exists"), path=path)
    before = load_settings().reflections_to  # a settings file that does not load stops it here
    say(t(ui, "key.warning"), err=True)
    passphrase = passphrases.ask(passphrase_fd, ui, twice=True)
    if passphrase is None:
        raise KindfulError(t(ui, "key.passphrase_needed"))
    made = new_key(passphrase)
    try:
        private_folder(path.parent)
        if os.path.lexists(path):  # made meanwhile by another kindful
            raise KindfulError(t(ui, "key.exists"), path=path)
        atomic.write_bytes(path, made.key_file)  # private: mkstemp makes it 0600
    except OSError as error:
        raise KindfulError(f"cannot write the key: {error.strerror}", path=path) from None
    config = set_setting("reflections_to", made.public)
    say(t(ui, "key.made", path=path))
    say(t(ui, "key.sealing_to", public=made.public, config=config))
    if before is not None and before != made.public:
        say(t(ui, "key.before", public=before))
    say(t(ui, "key.seal_old_hint"))


@key_app.command("seal-old")
def seal_old(
    lang: str | None = typer.Option(None, "--lang", metavar="CODE", help=LANG_HELP),
) -> None:
    """Seal the reflections already in the log to your key; every other byte stays as it is."""
    from kindful.errors import KindfulError
    from kindful.i18n import t, tn
    from kindful.journal.sealing import seal_old as sealing
    from kindful.paths import home
    from kindful.settings import load_settings

    ui = languages(lang).ui
    recipient = load_settings().reflections_to
    if recipient is None:
        raise KindfulError(t(ui, "key.no_recipient"))
    count = sealing(home(), recipient)
    if count:
        say(tn(ui, "key.sealed_old", count, count=count))
    else:
        say(t(ui, "key.nothing_to_seal"))
