"""Very large valid letters: a real response's opening, then paragraphs of the kind such a
letter has, repeated to ~1.4 MB (under every reading budget), naming custody in every other
one: a word every search may ask for, thousands of times in each letter."""
from __future__ import annotations

from conftest import corpus_files

LARGE_BYTES = 1_400_000
COMMON_WORD = "custody"
PARAGRAPHS = (
    b"The force has reviewed its arrangements for the detention of vulnerable people and the "
    b"training of custody officers, as the report recommended.",
    b"Staff now record each detainee's needs on arrival, and a sergeant reviews the record "
    b"before the end of every shift.",
    b"My office will scrutinise performance quarterly through the independent custody visiting "
    b"scheme and the force's own audits.",
    b"Mental health practitioners are present in the main suite, and children are diverted "
    b"wherever an alternative exists.",
)


def large_letter(n: int) -> bytes:
    """The nth large letter: its own first line (so each is a document of its own) and a word
    of its own (`rare_word(n)`) once, at the end."""
    body = b"\n\n".join(PARAGRAPHS) + b"\n\n"
    return (b"Letter %d of a series.\n\n" % n + corpus_files()[0].read_bytes() + b"\n\n"
            + body * (LARGE_BYTES // len(body)) + b"Also: " + rare_word(n).encode() + b".\n")


def rare_word(n: int) -> str:
    return "zanzibar" + "abcdefghij"[n % 10]
