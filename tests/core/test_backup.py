import pytest
from django.conf import settings
from django.db import connection

from ratusha.core.backup import backup, restore
from ratusha.core.models import Blob
from ratusha.core.storage import blob_put, blob_read


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore(tmp_path):
    blob = blob_put(b"%PDF-1.4 test", mime="application/pdf")
    target = backup(tmp_path / "bk")
    assert (target / ("ratusha.sqlite3" if connection.vendor == "sqlite" else "ratusha.pgdump")).exists()
    assert (target / "backup.json").exists()
    assert (target / "audit.key").exists() or not (settings.DATA_DIR / "audit.key").exists()
    Blob.objects.all().delete()
    restore(target)
    connection.close()
    assert Blob.objects.filter(sha256=blob.sha256).exists()
    assert blob_read(blob.sha256) == b"%PDF-1.4 test"
