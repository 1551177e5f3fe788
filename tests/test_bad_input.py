"""Bad input is rejected with an ``IngestError`` naming the file and a machine-readable code."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from pipeline.ingest.errors import IngestError
from pipeline.ingest.reader import read_document


def _text_pdf(path: Path, encrypt: str | None = None) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    c.setFont("Helvetica", 11)
    for i in range(40):
        c.drawString(60, 780 - 14 * i, f"Line {i} of a small valid test document about mTOR.")
    c.showPage()
    c.save()
    return path


def _zero_page_pdf(path: Path) -> Path:
    """A well-formed PDF whose page tree is empty (reportlab cannot write one)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    path.write_bytes(out.getvalue())
    return path


def _image_only_pdf(path: Path) -> Path:
    from PIL import Image

    image = Image.new("RGB", (200, 100), (40, 90, 160))
    c = canvas.Canvas(str(path), pagesize=A4)
    c.drawImage(ImageReader(image), 100, 500, width=300, height=150)
    c.showPage()
    c.save()
    return path


def _assert_rejected(path: Path, code: str) -> None:
    with pytest.raises(IngestError) as info:
        read_document(path)
    assert info.value.code == code, str(info.value)
    assert path.name in str(info.value)


def test_corrupt_bytes_named_pdf(tmp_path):
    path = tmp_path / "garbage.pdf"
    path.write_bytes(b"<html><body>Not found</body></html>\n" * 20)
    _assert_rejected(path, "not_a_pdf")


def test_corrupt_pdf_body(tmp_path):
    path = tmp_path / "mangled.pdf"
    path.write_bytes(b"%PDF-1.4\n" + b"\x00\xff garbage \x13" * 200 + b"\n%%EOF\n")
    _assert_rejected(path, "corrupt")


def test_truncated_pdf(tmp_path):
    whole = _text_pdf(tmp_path / "whole.pdf").read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(whole[: len(whole) // 2])
    _assert_rejected(path, "corrupt")


def test_encrypted_pdf(tmp_path):
    _assert_rejected(_text_pdf(tmp_path / "locked.pdf", encrypt="pw"), "encrypted")


def test_zero_page_pdf(tmp_path):
    _assert_rejected(_zero_page_pdf(tmp_path / "nopages.pdf"), "empty")


def test_empty_file(tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    _assert_rejected(path, "empty")


def test_image_only_pdf(tmp_path):
    _assert_rejected(_image_only_pdf(tmp_path / "scan.pdf"), "no_text_layer")


@pytest.mark.parametrize("name", ["setup.exe", "paper.docx"])
def test_wrong_extension(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"MZ\x90\x00 binary payload" * 10)
    _assert_rejected(path, "unsupported_type")


def test_huge_file(tmp_path, monkeypatch):
    path = _text_pdf(tmp_path / "big.pdf")
    monkeypatch.setenv("PIPELINE_MAX_BYTES", "1000")
    _assert_rejected(path, "too_large")


@pytest.mark.skipif(
    importlib.util.find_spec("pipeline.ingest.text") is None, reason="text ingester not present"
)
def test_undecodable_text(tmp_path):
    path = tmp_path / "binary.txt"
    path.write_bytes(bytes(range(0, 32)) * 20 + b"\x81\x8d\x8f\x90\x9d" * 20)
    _assert_rejected(path, "undecodable")


def test_valid_pdf_is_read(tmp_path):
    doc = read_document(_text_pdf(tmp_path / "fine.pdf"))
    assert doc.source_type == "pdf" and doc.n_pages == 1 and "mTOR" in doc.text


@pytest.mark.skipif(
    importlib.util.find_spec("pipeline.ingest.text") is None, reason="text ingester not present"
)
def test_text_file_dispatched_to_text_ingester(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("A title\n\nEverolimus inhibits mTORC1 in breast cancer cells.\n", encoding="utf-8")
    doc = read_document(path)
    assert doc.source_type == "txt" and "Everolimus" in doc.text
