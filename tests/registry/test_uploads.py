import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from ratusha.core.errors import ApplicationError
from ratusha.core.models import Blob
from ratusha.core.storage import blob_read
from ratusha.registry.models import DocumentFile
from ratusha.registry.services import StagedFile, staged_from_token, upload_check, upload_stage
from ratusha.registry.services.uploads import MIME_DOCX, MIME_ODT, MIME_XLSX, clean_file_name
from tests.registry.conftest import PNG_1PX, make_pdf

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Про ремонт дороги")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_pdf_is_accepted():
    assert upload_check(name="лист.pdf", content=make_pdf()) == "application/pdf"


def test_docx_made_by_python_docx_is_docx():
    assert upload_check(name="лист.docx", content=_docx()) == MIME_DOCX


def test_xlsx_and_odt_are_told_apart_by_zip_members():
    xlsx = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
    odt = _zip({"mimetype": MIME_ODT.encode(), "content.xml": b"<office:document-content/>"})
    assert upload_check(name="a.xlsx", content=xlsx) == MIME_XLSX
    assert upload_check(name="a.odt", content=odt) == MIME_ODT


def test_plain_zip_and_other_office_zip_are_refused():
    with pytest.raises(ApplicationError):
        upload_check(name="archive.zip", content=_zip({"readme.txt": b"hi"}))
    with pytest.raises(ApplicationError):  # an ODS spreadsheet is not in the allowed list
        upload_check(name="a.docx", content=_zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}))


def test_utf8_text_is_text_and_binary_is_refused():
    assert upload_check(name="note.txt", content="Звернення щодо дороги".encode()) == "text/plain"
    with pytest.raises(ApplicationError):
        upload_check(name="note.txt", content=b"abc\x00def")
    with pytest.raises(ApplicationError):  # cp1251 is not UTF-8
        upload_check(name="note.txt", content="Звернення".encode("cp1251"))


def test_png_named_pdf_is_judged_by_content():
    assert upload_check(name="scan.pdf", content=PNG_1PX) == "image/png"


def test_exe_named_pdf_is_refused_with_the_allowed_types_named():
    with pytest.raises(ApplicationError) as exc:
        upload_check(name="scan.pdf", content=EXE)
    assert exc.value.field == "files"
    assert exc.value.code == "upload_type"
    assert "scan.pdf" in exc.value.message
    for label in ("PDF", "PNG", "JPEG", "DOCX", "ODT"):
        assert label in exc.value.message


def test_empty_file_is_refused():
    with pytest.raises(ApplicationError) as exc:
        upload_check(name="empty.pdf", content=b"")
    assert exc.value.code == "upload_empty"
    assert "порожній" in exc.value.message


@override_settings(MAX_UPLOAD_MB=1)
def test_oversize_is_refused_with_the_limit_in_mb():
    big = make_pdf() + b"0" * (1024 * 1024)
    with pytest.raises(ApplicationError) as exc:
        upload_check(name="big.pdf", content=big)
    assert exc.value.code == "upload_too_large"
    assert "1 МБ" in exc.value.message
    # A file object that declares its size is refused before it is read.
    upload = SimpleUploadedFile("big.pdf", big, content_type="application/pdf")
    with pytest.raises(ApplicationError):
        upload_check(name="big.pdf", content=upload)
    # Exactly at the limit is fine.
    exact = make_pdf()
    exact += b"\n" * (1024 * 1024 - len(exact))
    assert upload_check(name="ok.pdf", content=exact) == "application/pdf"


def test_file_objects_are_read_from_the_start():
    stream = io.BytesIO(make_pdf())
    stream.read(10)
    assert upload_check(name="a.pdf", content=stream) == "application/pdf"
    upload = SimpleUploadedFile("a.pdf", make_pdf(), content_type="application/octet-stream")
    assert upload_check(name="a.pdf", content=upload) == "application/pdf"


def test_file_names_lose_paths_and_control_characters():
    assert clean_file_name("C:\\Users\\x\\лист.pdf") == "лист.pdf"
    assert clean_file_name("../../etc/passwd") == "passwd"
    assert clean_file_name("a\x00b\n.pdf") == "ab.pdf"
    assert clean_file_name("") == "file"
    assert len(clean_file_name("а" * 400 + ".pdf")) == 255
    assert clean_file_name("а" * 400 + ".pdf").endswith(".pdf")


def test_stage_stores_the_blob_and_the_token_brings_it_back(registrar):
    staged = upload_stage(actor=registrar, name="scan.pdf", content=PNG_1PX)
    assert isinstance(staged, StagedFile)
    assert staged.mime == "image/png"
    assert staged.name == "scan.pdf"
    assert staged.size == len(PNG_1PX)
    assert Blob.objects.filter(sha256=staged.sha256).exists()
    assert blob_read(staged.sha256) == PNG_1PX
    again = staged_from_token(staged.token, registrar)
    assert (again.sha256, again.name, again.mime) == (staged.sha256, "scan.pdf", "image/png")


def test_another_users_token_or_a_forged_token_is_refused(registrar, executor):
    staged = upload_stage(actor=registrar, name="a.pdf", content=make_pdf())
    with pytest.raises(ApplicationError) as exc:
        staged_from_token(staged.token, executor)
    assert exc.value.field == "files"
    with pytest.raises(ApplicationError):
        staged_from_token(staged.token[:-2] + "xx", registrar)
    with pytest.raises(ApplicationError):
        staged_from_token("", registrar)
    with pytest.raises(ApplicationError):
        staged_from_token(staged.token, None)


def test_expired_token_is_refused(registrar):
    staged = upload_stage(actor=registrar, name="a.pdf", content=make_pdf())
    with pytest.raises(ApplicationError):
        staged_from_token(staged.token, registrar, max_age=-1)


def test_stage_refuses_bad_files_and_stores_nothing(registrar):
    before = Blob.objects.count()
    with pytest.raises(ApplicationError):
        upload_stage(actor=registrar, name="virus.pdf", content=EXE)
    assert Blob.objects.count() == before


def test_staged_file_is_attached_on_registration(register, registrar):
    staged = upload_stage(actor=registrar, name="скан.pdf", content=make_pdf("x"))
    doc = register(files=[staged_from_token(staged.token, registrar)])
    file = DocumentFile.objects.get(document=doc)
    assert (file.blob_id, file.name, file.version, file.is_current) == (staged.sha256, "скан.pdf", 1, True)


def test_registration_with_a_bad_file_registers_nothing(register):
    from ratusha.registry.models import Document
    from tests.registry.conftest import file_input

    with pytest.raises(ApplicationError):
        register(files=[file_input(name="ok.pdf"), file_input(name="bad.pdf", content=EXE)])
    assert Document.objects.count() == 0
    assert DocumentFile.objects.count() == 0
    doc = register(files=[file_input()])
    assert doc.seq == 1
