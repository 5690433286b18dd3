"""Settings for the test suite: a throw-away data dir, fast password hashing, in-memory mail."""

import os
import tempfile

os.environ.setdefault("RATUSHA_DATA_DIR", tempfile.mkdtemp(prefix="ratusha-test-"))
if os.environ.get("PYTEST_XDIST_WORKER"):
    # One process per core (pytest-xdist): each gets its own data dir (files, caches' version stamps).
    _worker_dir = os.path.join(os.environ["RATUSHA_DATA_DIR"], os.environ["PYTEST_XDIST_WORKER"])
    os.makedirs(_worker_dir, exist_ok=True)
    os.environ["RATUSHA_DATA_DIR"] = _worker_dir
os.environ.setdefault("RATUSHA_SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("RATUSHA_AUDIT_KEY", "test-audit-key")
# Approvals tests confirm with TOTP; tests/signatures switch to the PAdES strategy themselves.
os.environ.setdefault("RATUSHA_APPROVALS_SIGNATURE_STRATEGY", "ratusha.workflow.approvals.signing.OtpConfirmation")

from ratusha.settings import *  # noqa: E402,F403
from ratusha.settings import PASSWORD_HASHERS as _HASHERS  # noqa: E402

# Argon2 stays first in production; tests hash with MD5 for speed, one test checks Argon2 itself.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *_HASHERS]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
EXCHANGE_ALLOW_HTTP = True
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, not shared-cache memory: concurrency tests need SQLite's real locking (busy_timeout).
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405
