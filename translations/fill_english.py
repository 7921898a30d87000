"""English is the language of the message ids: fill the English catalogue with them.

Run by `make translations-update`; a person still checks the Danish and Arabic ones.
"""

from pathlib import Path

from babel.messages.pofile import read_po, write_po

PATH = Path(__file__).with_name("en") / "LC_MESSAGES" / "messages.po"

with PATH.open("rb") as handle:
    catalogue = read_po(handle)
for message in catalogue:
    if message.id and (
        not message.string
        or message.fuzzy
        or not all(
            message.string if isinstance(message.string, tuple) else [message.string]
        )
    ):
        message.string = message.id
        message.flags.discard("fuzzy")
with PATH.open("wb") as handle:
    write_po(handle, catalogue, width=0, sort_by_file=True, ignore_obsolete=True)
