"""Settings for the test suite: production settings, a throw-away data directory, fast hashing."""

import os
import tempfile

os.environ.setdefault("MELDWIJZER_DATA_DIR", tempfile.mkdtemp(prefix="meldwijzer-test-"))

from meldwijzer.conf.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# An import runs in the test's own thread, so that it sees the test's transaction; the tests of
# the background thread switch this on themselves.
SOCIAL_MAP_IMPORT_IN_BACKGROUND = False
# Tests that change cases do not wait for report layouts; the tests of laying out after a change
# switch it on themselves.
REPORT_PDF_PREPARE = "off"
# One cache per test process: the workers share the data directory, but not their databases.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    # A second connection to the test database, as a read replica would be; the analyses read
    # from it only in tests/core/test_routers.py, which switch ANALYSIS_DATABASE to it.
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
