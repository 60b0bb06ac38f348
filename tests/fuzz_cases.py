"""Hostile files for the fuzz tests and the fuzz benchmark, generated: nothing binary is committed.

`cases()` gives a few hundred files in every class that once crashed, hung or exhausted
Scrutiny: bit flips and truncations of valid PDF, DOCX, HTML and text letters; DOCX with
bad XML and zip bombs; PDF bombs (streams inflating to a gigabyte) and pages of many text
runs; deep HTML; impossible dates; odd encodings; huge single lines; text that made the
Markdown patterns quadratic. Each case may name the problem its one-line error must
mention; where damage is random (a bit flip may leave a file readable) any outcome will do.
The same seed gives the same files.
"""
from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from dataclasses import dataclass
from importlib import resources

from documents import make_docx, make_pdf


@dataclass(frozen=True)
class Case:
    name: str  # file name: its extension gives the format
    data: bytes
    expect: str | None = None  # a phrase the file's error must contain; None: any outcome


def letter() -> str:
    """A real response letter (one of the bundled samples)."""
    folder = resources.files("scrutiny").joinpath("samples")
    return sorted((f for f in folder.iterdir() if f.name.endswith(".txt")), key=lambda f: f.name)[1].read_text()


def html_page(text: str, head: str = "") -> str:
    paragraphs = "".join(f"<p>{p}</p>\n" for p in text.split("\n\n"))
    return f"<!doctype html><html><head><title>Response</title>{head}</head><body><main>{paragraphs}</main></body></html>"


# --- PDF -------------------------------------------------------------------------------------


def pdf_with(content: bytes, filters: str = "/FlateDecode", pages: int = 1) -> bytes:
    """A minimal PDF: `pages` references to one page whose content stream is `content`
    (already encoded with `filters`), in Helvetica."""
    kids = " ".join(["3 0 R"] * pages)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids.encode(), pages),
        (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
         b"/Contents 4 0 R >>"),
        b"<< /Length %d /Filter [%s] >>\nstream\n" % (len(content), filters.encode()) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def deflate_spaces(prefix: bytes, megabytes: int) -> bytes:
    """zlib data of `prefix` and then `megabytes` MB of spaces (about a thousandth of the size).

    A full flush makes each megabyte's deflated bytes the same, so one is made and repeated
    instead of deflating a gigabyte; the stream then ends as zlib would end it.
    """
    packer = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    head = packer.compress(prefix) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    checksum = zlib.adler32(prefix)
    for _ in range(megabytes):
        checksum = zlib.adler32(chunk, checksum)
    return head + block * megabytes + b"\x03\x00" + struct.pack(">I", checksum)  # an empty last block


def text_runs(runs: int, text: bytes = b"ab") -> bytes:
    """A content stream placing `runs` pieces of text, each at its own position."""
    ops = [b"BT /F1 4 Tf"]
    for i in range(runs):
        ops.append(b"1 0 0 1 %d %d Tm (%s) Tj" % (20 + (i % 60) * 9, 820 - (i // 60) % 200 * 4, text))
    ops.append(b"ET")
    return b"\n".join(ops)


def pdf_cases() -> list[Case]:
    hello = b"BT /F1 12 Tf 72 720 Td (Dear Home Secretary) Tj ET\n"
    return [
        Case("bomb-1gb-stream.pdf", pdf_with(deflate_spaces(hello, 1024)), "inflates too far"),
        # The inflation budget counts one layer of deflate; the memory cap stops the second.
        Case("bomb-twice-deflated.pdf", pdf_with(zlib.compress(deflate_spaces(hello, 1024), 9),
                                                 "/FlateDecode /FlateDecode"), "memory"),
        Case("runs-200000.pdf", pdf_with(zlib.compress(text_runs(200_000, b"a"))), "page 1 "),
        Case("runs-6000.pdf", pdf_with(zlib.compress(text_runs(6_000))), "separate pieces of text"),
        Case("runs-4000-long.pdf", pdf_with(zlib.compress(text_runs(4_000, b"x" * 30))), "too much text"),
        Case("pages-5000.pdf", pdf_with(zlib.compress(hello), pages=5_000), "too many pages"),
        Case("no-xref.pdf", pdf_with(zlib.compress(hello)).split(b"xref")[0]),
        Case("not-deflate.pdf", pdf_with(b"\x78\x9c" + bytes(range(256)) * 40)),
        Case("unfiltered.pdf", pdf_with(hello, "")),
        Case("header-only.pdf", b"%PDF-1.7\n"),
    ]


# --- DOCX ------------------------------------------------------------------------------------


def docx_with(base: bytes, replace: dict[str, bytes | None]) -> bytes:
    """`base` with some parts replaced (None removes a part)."""
    source = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            data = replace.get(name, source.read(name))
            if data is not None:
                archive.writestr(name, data)
    return out.getvalue()


def docx_cases(base: bytes) -> list[Case]:
    parts = zipfile.ZipFile(io.BytesIO(base))
    xml, types, rels = (parts.read(n) for n in ("word/document.xml", "[Content_Types].xml",
                                                "word/_rels/document.xml.rels"))
    head, body = xml.split(b"<w:body>")

    def nested(depth: int) -> bytes:
        return head + b"<w:body>" + b"<w:sdt><w:sdtContent>" * depth + body.replace(
            b"</w:body>", b"</w:sdtContent></w:sdt>" * depth + b"</w:body>")

    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("word/document.xml", "w") as part:
        part.write(head + b"<w:body><w:p><w:r><w:t>")
        for _ in range(256):
            part.write(b" " * (1 << 20))
    laughs = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
              + b"".join(b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&%s;" % bytes([97 + i])) * 10) for i in range(9))
              + b"]>" + xml.split(b"?>", 1)[1].replace(b"<w:body>", b"<w:body><w:p><w:r><w:t>&j;</w:t></w:r></w:p>"))
    return [
        Case("cut-xml.docx", docx_with(base, {"word/document.xml": xml[: len(xml) // 2]}), "not a valid DOCX"),
        Case("unclosed.docx", docx_with(base, {"word/document.xml": xml.replace(b"</w:body>", b"")}),
             "not a valid DOCX"),
        Case("deep-300.docx", docx_with(base, {"word/document.xml": nested(300)}), "not a valid DOCX"),
        Case("deep-50000.docx", docx_with(base, {"word/document.xml": nested(50_000)}), "not a valid DOCX"),
        Case("undefined-entity.docx", docx_with(base, {"word/document.xml": xml.replace(b"<w:body>", b"<w:body>&nope;")}),
             "not a valid DOCX"),
        Case("billion-laughs.docx", docx_with(base, {"word/document.xml": laughs})),
        Case("bad-utf8.docx", docx_with(base, {"word/document.xml": xml.replace(b"<w:body>", b"<w:body>\xff\xfe\xc3")}),
             "not a valid DOCX"),
        Case("no-document.docx", docx_with(base, {"word/document.xml": None}), "not a valid DOCX"),
        Case("no-content-types.docx", docx_with(base, {"[Content_Types].xml": None}), "not a valid DOCX"),
        Case("bad-content-types.docx", docx_with(base, {"[Content_Types].xml": b"<Types"}), "not a valid DOCX"),
        Case("bad-rels.docx", docx_with(base, {"_rels/.rels": b"<Relationships><Relationship Id="}),
             "not a valid DOCX"),
        # XML that parses but that python-docx follows into None or a plain element (bit flips
        # in a name: the causes of the damaged samples in ../shared/fuzz/cases/docx-damaged-*)
        Case("override-without-partname.docx", docx_with(base, {"[Content_Types].xml": types.replace(
            b"<Override PartName=", b"<Override PardName=", 1)}), "not a valid DOCX"),
        Case("types-in-another-namespace.docx", docx_with(base, {"[Content_Types].xml": types.replace(
            b"schemas.openxmlformats.org", b"schemqs.openxmlformats.org", 1)}), "not a valid DOCX"),
        Case("relationship-without-target.docx", docx_with(base, {"word/_rels/document.xml.rels": rels.replace(
            b" Target=", b" Targed=", 1)}), "not a valid DOCX"),
        Case("text-node-20mb.docx", docx_with(base, {"word/document.xml": xml.replace(
            b"</w:body>", b"<w:p><w:r><w:t>" + b"a" * (20 << 20) + b"</w:t></w:r></w:p></w:body>")})),
        Case("bomb-256mb.docx", bomb.getvalue(), "inflate too far"),
        Case("plain-zip.docx", docx_with(base, {n: None for n in zipfile.ZipFile(io.BytesIO(base)).namelist()
                                                 if n != "word/document.xml"}), "not a valid DOCX"),
        Case("empty-zip.docx", docx_with(base, dict.fromkeys(zipfile.ZipFile(io.BytesIO(base)).namelist())),
             "not a valid DOCX"),
    ]


# --- HTML, text and Markdown -----------------------------------------------------------------


def html_cases(text: str) -> list[Case]:
    first, rest = text.split("\n\n", 1)
    return [
        Case("div-1000.html", html_page(text).replace("<main>", "<main>" + "<div>" * 1000).encode(),
             "nested too deeply"),
        Case("div-1000000.html", ("<html><body>" + "<div>" * 1_000_000 + "x").encode(), "nested too deeply"),
        Case("div-closed-1000.html", html_page("<div>" * 1000 + first + "</div>" * 1000 + "\n\n" + rest).encode(),
             "nested too deeply"),
        Case("span-100000.html", ("<html><body>" + "<span>" * 100_000 + text).encode(), "nested too deeply"),
        Case("b-100000.html", ("<html><body>" + "<b>" * 100_000 + text).encode()),
        Case("table-20000.html", ("<html><body>" + "<table><tr><td>" * 20_000 + text).encode()),
        Case("p-500000.html", ("<html><body>" + "<p>x" * 500_000).encode()),
        Case("script-divs.html", html_page(text, "<script>" + "<div>" * 100_000 + "</script>").encode()),
        Case("unclosed-script.html", ("<html><body>" + text + "<script>" + "<div>" * 10_000).encode()),
        Case("attribute-5mb.html", html_page(text).replace("<main>", '<main class="' + "a" * (5 << 20) + '">').encode()),
        Case("comment-open.html", ("<html><body><!--" + text * 50).encode()),
    ]


def date_cases(text: str) -> list[Case]:
    cases = []
    for value in ("2023-02-30", "9999-12-31", "0000-00-00", "2023-13-01", "0001-01-01", "2023-02-29T25:61"):
        for tag in (f'<meta name="date" content="{value}">', f'<meta property="article:published_time" content="{value}">'):
            cases.append(Case(f"meta-{value[:10]}-{len(cases)}.html", html_page(text, tag).encode()))
        cases.append(Case(f"time-{value[:10]}.html", html_page(text).replace(
            "<main>", f'<main><time datetime="{value}">then</time>').encode()))
    for written in ("30th February 2020", "31 April 2020", "29 February 2021", "1 January 99999", "0 March 2020",
                    "32nd March 2020", "27/13/2020", "31.02.2020", "March 2020 2020 2020"):
        cases.append(Case(f"letter-dated-{written.replace(' ', '-').replace('/', '-')}.txt",
                          text.replace("27th March 2020", written).encode()))
    return cases


def encoding_cases(text: str) -> list[Case]:
    return [
        Case("odd-utf16le.txt", ("\ufeff" + text).encode("utf-16-le")[:-1]),
        Case("odd-utf16be.txt", ("\ufeff" + text).encode("utf-16-be")[:-1]),
        Case("utf16-no-bom.txt", text.encode("utf-16-le"), "binary data"),
        Case("utf32.txt", text.encode("utf-32")),
        Case("lone-surrogates.txt", text.encode("utf-8") + "\ud800\udfff".encode("utf-8", "surrogatepass")),
        Case("overlong-utf8.txt", text.encode() + b"\xc0\xaf\xe0\x80\xaf" * 1000),
        Case("bom-only.txt", b"\xef\xbb\xbf", "no text"),
        Case("utf16-bom-only.txt", b"\xff\xfe", "no text"),
        Case("nul-late.txt", text.encode() + b"\x00" * 100),
        Case("control-chars.txt", text.encode() + bytes(range(1, 32)) * 100),
        Case("odd-utf16.html", ("\ufeff" + html_page(text)).encode("utf-16-le")[:-1]),
        Case("cp1252.md", text.replace("'", "\u2019").encode("cp1252", "replace")),
        Case("combining.txt", (text + "a\u0301" * 200_000).encode()),
        Case("nfkc-expands.txt", ("\ufdfa" * 100_000).encode(), None),
    ]


def pattern_cases(text: str) -> list[Case]:
    """Text that once sent a pattern back over itself for every mark: time grew with the square."""
    repeated = ["[", "[^", "*a ", "_a ", "**a ", "[a](", "![", "<http:", "<a ", "# ", "- ", "\\*", "*",
                "Recommendation 1 ", "1. ", "12 March 2020 ", "West Mercia Police ", "Dear ", "\n\n", "a"]
    cases = [Case(f"repeat-{i:02d}.md", (text + "\n\n" + token * (200_000 // len(token))).encode())
             for i, token in enumerate(repeated)]
    cases += [
        Case("brackets-only.md", b"[" * 200_000),
        Case("line-3mb.txt", b"a" * (3 << 20), "too much text"),
        Case("line-1mb-words.txt", (text.replace("\n", " ") + " word" * 200_000).encode()),
        Case("letter-x100.txt", "\n\n".join([text] * 100).encode()),
        Case("spaces-5mb.txt", b"Dear Home Secretary" + b" " * (5 << 20) + b"x", "too much text"),
        Case("newlines-1mb.txt", text.encode() + b"\n" * (1 << 20)),
    ]
    return cases


# --- damage to valid files --------------------------------------------------------------------


def damaged(name: str, data: bytes, rng: random.Random, flips: int, cuts: int) -> list[Case]:
    stem, suffix = name.rsplit(".", 1)
    out = []
    for i in range(flips):
        mutated = bytearray(data)
        for _ in range(rng.choice((1, 2, 8, 64))):
            mutated[rng.randrange(len(mutated))] ^= 1 << rng.randrange(8)
        out.append(Case(f"{stem}-flip{i:02d}.{suffix}", bytes(mutated)))
    for i in range(cuts):
        out.append(Case(f"{stem}-cut{i:02d}.{suffix}", data[: rng.randrange(1, len(data))]))
    return out


def cases(seed: int = 8) -> list[Case]:
    rng = random.Random(seed)
    text = letter()
    pdf, docx = make_pdf(text), make_docx(text)
    valid = [Case("valid.txt", text.encode()), Case("valid.md", text.encode()), Case("valid.pdf", pdf),
             Case("valid.docx", docx), Case("valid.html", html_page(text).encode())]
    out = list(valid)
    for case in valid:
        out += damaged(case.name, case.data, rng, flips=30, cuts=10)
    out += pdf_cases() + docx_cases(docx) + html_cases(text) + date_cases(text) + encoding_cases(text) + pattern_cases(text)
    return out
