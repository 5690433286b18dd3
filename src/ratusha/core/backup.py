"""`ratusha backup DIR` / `ratusha restore DIR`: the database, the stored files and the keys.

SQLite is copied with its online backup API (consistent while the server runs); PostgreSQL with
``pg_dump --format=custom`` / ``pg_restore --clean``. Blobs are content-addressed, so copying is
incremental: a file already in the target is skipped (its name is its hash).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection

KEY_FILES = ("secret.key", "audit.key")


def _pg_env_args() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    args = ["--host", str(db.get("HOST") or "127.0.0.1"), "--port", str(db.get("PORT") or 5432),
            "--username", str(db.get("USER") or "postgres")]
    env = {"PGPASSWORD": str(db.get("PASSWORD") or "")}
    return args, env


def backup(target: Path) -> Path:
    import os

    target.mkdir(parents=True, exist_ok=True)
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        src = sqlite3.connect(str(db["NAME"]))
        dst = sqlite3.connect(str(target / "ratusha.sqlite3"))
        with dst:
            src.backup(dst)
        src.close()
        dst.close()
    else:
        args, env = _pg_env_args()
        subprocess.run(["pg_dump", "--format=custom", "--file", str(target / "ratusha.pgdump"), *args,
                        str(db["NAME"])], check=True, env={**os.environ, **env})
    blobs = Path(settings.BLOB_DIR)
    copied = 0
    for path in blobs.rglob("*") if blobs.exists() else []:
        if path.is_file() and not path.name.startswith("."):
            dest = target / "blobs" / path.relative_to(blobs)
            if not dest.exists():
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, dest)
                copied += 1
    for name in KEY_FILES:
        if (settings.DATA_DIR / name).exists():
            shutil.copy2(settings.DATA_DIR / name, target / name)
    (target / "backup.json").write_text(json.dumps({
        "created": dt.datetime.now(dt.UTC).isoformat(), "vendor": connection.vendor, "blobs_copied": copied,
    }, indent=2))
    return target


def restore(source: Path) -> None:
    import os

    meta = json.loads((source / "backup.json").read_text())
    db = settings.DATABASES["default"]
    if meta["vendor"] != connection.vendor:
        raise ValueError("Копію зроблено з іншої СУБД; відновлюйте на тій самій.")
    connection.close()
    if connection.vendor == "sqlite":
        src = sqlite3.connect(str(source / "ratusha.sqlite3"))
        dst = sqlite3.connect(str(db["NAME"]))
        with dst:
            src.backup(dst)
        src.close()
        dst.close()
    else:
        args, env = _pg_env_args()
        subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", *args, "--dbname",
                        str(db["NAME"]), str(source / "ratusha.pgdump")], check=True, env={**os.environ, **env})
    blobs = Path(settings.BLOB_DIR)
    for path in (source / "blobs").rglob("*") if (source / "blobs").exists() else []:
        if path.is_file():
            dest = blobs / path.relative_to(source / "blobs")
            if not dest.exists():
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, dest)
    for name in KEY_FILES:
        if (source / name).exists():
            shutil.copy2(source / name, settings.DATA_DIR / name)
