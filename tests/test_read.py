"""Readers: markup stripped, encodings decoded, and bad files refused with a clear message."""
from __future__ import annotations

import pytest
from documents import make_pdf

from scrutiny.read import ReadError, read_bytes, read_path


def test_markdown_artefacts_are_stripped():
    doc = read_bytes(b"## Title\n\nPublished on 8<sup>th</sup> March 2023 by **West Mercia**\xc2\xb9.\n\n"
                     b"See [the plan](https://example.org) and <https://example.org/x>.", "a.md")
    assert doc.text == ("Title\n\nPublished on 8th March 2023 by West Mercia.\n\n"
                        "See the plan and https://example.org/x.")


def test_windows_1252_is_decoded():
    doc = read_bytes("Commissioner\u2019s response \u2013 \u00a336,000".encode("cp1252"), "letter.txt")
    assert doc.text == "Commissioner's response - £36,000"


def test_pdf_keeps_paragraphs_across_pages():
    text = "\n\n".join(f"Paragraph {i} of the letter, long enough to matter." for i in range(80))
    doc = read_bytes(make_pdf(text), "long.pdf")
    assert doc.pages >= 2
    assert doc.text.split("\n\n") == text.split("\n\n")


def test_html_keeps_the_main_text_only():
    page = b"<html><body><header>Menu</header><article><h1>Response</h1><p>Dear <b>Home</b> Secretary</p>" \
           b"<script>var x;</script></article><footer>Footer</footer></body></html>"
    assert read_bytes(page, "p.html").text == "Response\n\nDear Home Secretary"


BAD = [
    ("empty.txt", b"", "empty file"),
    ("random.pdf", bytes(range(256)) * 40, "not a PDF"),
    ("notzip.docx", b"this is not a zip archive at all", "not a valid DOCX"),
    ("letter.xyz", b"Dear Home Secretary", "unsupported format (.xyz)"),
    ("binary.txt", b"\x00\x01\x02\x03" * 100, "binary data"),
]


@pytest.mark.parametrize("name,data,problem", BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_named_and_explained(name, data, problem):
    with pytest.raises(ReadError) as caught:
        read_bytes(data, name)
    assert str(caught.value).startswith(f"{name}: ") and problem in str(caught.value)
    assert "\n" not in str(caught.value)


def test_truncated_pdf():
    data = make_pdf("Dear Home Secretary\n\n" + "A sentence. " * 400)
    with pytest.raises(ReadError, match=r"^cut.pdf: not a readable PDF"):
        read_bytes(data[: len(data) // 2], "cut.pdf")


def test_encrypted_pdf():
    with pytest.raises(ReadError, match=r"^secret.pdf: encrypted PDF"):
        read_bytes(make_pdf("Dear Home Secretary", password="s3cret"), "secret.pdf")


def test_scanned_pdf_without_text_is_reported():
    import io

    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.rect(100, 100, 300, 300, fill=1)  # an image-like page: no text layer
    page.showPage()
    page.save()
    with pytest.raises(ReadError, match=r"^scan.pdf: scanned PDF with no text layer \(1 page\)"):
        read_bytes(buffer.getvalue(), "scan.pdf")


def test_fifty_megabyte_text_file_is_refused_before_reading(tmp_path):
    big = tmp_path / "huge.txt"
    with big.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    with pytest.raises(ReadError, match=r"huge.txt: file too large \(50.0 MB"):
        read_path(big)


def test_a_named_pipe_is_refused_not_waited_on(tmp_path):
    import os

    fifo = tmp_path / "letter.txt"
    os.mkfifo(fifo)
    with pytest.raises(ReadError, match=r"letter.txt: not a regular file"):
        read_path(fifo)


def test_html_nesting_is_counted_as_the_parser_nests():
    from scrutiny.limits import Limits

    limits = Limits(html_depth=50)
    paragraphs = "<p>Dear Home Secretary<p>" + "<li>item" * 200  # closed by the next of their kind
    svg = "<svg>" + '<path d="M0 0"/>' * 200 + "</svg>"  # each closes itself in SVG
    assert "Dear Home Secretary" in read_bytes(f"<html><body>{paragraphs}{svg}".encode(), "ok.html", limits).text
    for deep in ("<div>" * 60, "<div/>" * 60, "<svg>" + "<g>" * 60, "<span>" * 60):
        with pytest.raises(ReadError, match=r"nested too deeply; the limit is 50 levels \(SCRUTINY_LIMIT_HTML_DEPTH\)"):
            read_bytes(f"<html><body>{deep}Dear Home Secretary".encode(), "deep.html", limits)
