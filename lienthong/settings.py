"""Settings for LiênThông, read from environment variables.

Every setting has a working default for the embedded mode (SQLite and files under ``var/``), so a fresh
clone runs with no configuration. Production sets ``DATABASE_URL``, ``LIENTHONG_SECRET_KEY`` and
``LIENTHONG_ALLOWED_HOSTS`` at least; see ``docs/van-hanh/cau-hinh.md``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
DATA_DIR = Path(os.environ.get("LIENTHONG_DATA_DIR", PROJECT_DIR / "var")).resolve()


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name}={value!r}: phải là một số nguyên (must be an integer)") from None


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"{name}={value!r}: phải là một số (must be a number)") from None


def _secret_key() -> str:
    """Use the configured key; in the embedded mode keep a generated one beside the database.

    Several app servers must share one key, so production sets ``LIENTHONG_SECRET_KEY``.
    """
    configured = os.environ.get("LIENTHONG_SECRET_KEY")
    if configured:
        return configured
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def database_from_url(url: str) -> dict[str, object]:
    """Translate ``postgresql://user@host:port/name`` or ``sqlite:///path`` into Django's form."""
    parsed = urlparse(url)
    if parsed.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": _env_int("LIENTHONG_DB_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
            # Parameters travel separately from the SQL and psycopg prepares a statement once a connection
            # has sent it a few times, so PostgreSQL stops parsing and planning it on every request
            # (bench/README.md, intake). Django turns preparing off unless told; 0 here turns it off again
            # for a connection pooler that cannot keep prepared statements (pgbouncer in transaction mode
            # before 1.21).
            "OPTIONS": {
                "server_side_binding": True,
                "prepare_threshold": _env_int("LIENTHONG_DB_PREPARE_THRESHOLD", 5) or None,
                # PostgreSQL's own default (auto): a prepared statement whose plan does not depend on its
                # values — an intake's writes, audit_append()'s inside — is planned once per connection
                # instead of on every request (0.3 ms of PostgreSQL CPU per intake, bench/README.md). Reads
                # whose best plan depends on their values (document search, officer queues) ask for a plan
                # of their own values each time (lienthong.core.plans). LIENTHONG_DB_PLAN_CACHE_MODE=
                # force_custom_plan plans every statement afresh, as before 2026-12-07.
                "options": "-c plan_cache_mode=" + os.environ.get("LIENTHONG_DB_PLAN_CACHE_MODE", "auto"),
            },
        }
    if parsed.scheme == "sqlite":
        # sqlite:///relative/path and sqlite:////absolute/path, as other tools read them
        return _sqlite(Path(unquote(parsed.path)[1:]))
    raise ValueError(f"DATABASE_URL: unsupported scheme {parsed.scheme!r}; use postgresql:// or sqlite:///")


def _sqlite(path: Path) -> dict[str, object]:
    path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        # WAL and a busy timeout let the web process and the worker share the file without "database is
        # locked"; IMMEDIATE transactions take the write lock up front instead of failing on upgrade.
        "OPTIONS": {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        },
        "TEST": {"NAME": str(path.parent / "test.sqlite3")},
    }


SECRET_KEY = _secret_key()
DEBUG = _env_bool("LIENTHONG_DEBUG", False)
ALLOWED_HOSTS = _env_list("LIENTHONG_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = _env_list("LIENTHONG_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",  # serves Swagger UI from its own static files instead of a CDN
    "django_tasks",
    "django_tasks_db",
    "lienthong.core",
    "lienthong.audit",
    "lienthong.worktime",
    "lienthong.directory",
    "lienthong.catalog",
    "lienthong.signing",
    "lienthong.onestop",
    "lienthong.documents",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "lienthong.urls"
WSGI_APPLICATION = "lienthong.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(os.environ["DATABASE_URL"])
    if os.environ.get("DATABASE_URL")
    else _sqlite(DATA_DIR / "lienthong.sqlite3")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "directory.Person"
LOGIN_URL = "directory:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "directory:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in protection: after this many failures in a row the account is locked for a while.
LIENTHONG_LOGIN_MAX_FAILURES = _env_int("LIENTHONG_LOGIN_MAX_FAILURES", 5)
LIENTHONG_LOGIN_LOCKOUT_MINUTES = _env_int("LIENTHONG_LOGIN_LOCKOUT_MINUTES", 15)
# Sessions end after this much inactivity, and when the browser closes.
SESSION_COOKIE_AGE = _env_int("LIENTHONG_SESSION_SECONDS", 8 * 3600)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _env_bool("LIENTHONG_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {
        "BACKEND": "lienthong.core.storage.DurableFileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "files")},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the apps' static folders when collectstatic has not run (tests, development).
WHITENOISE_USE_FINDERS = True

# The cache lives in the database, so counters (sign-in throttles, look-up limits) hold across every app server.
# Run `lienthong createcachetable` after `migrate` (`lienthong run` does both).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "lienthong_cache",
    }
}

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# How long an app server trusts its in-memory working-day calendar before checking the version in the database.
LIENTHONG_CALENDAR_CHECK_SECONDS = _env_float("LIENTHONG_CALENDAR_CHECK_SECONDS", 2)

# How long an app server keeps a procedure it looked up for receiving dossiers before reading it again.
LIENTHONG_CATALOG_CACHE_SECONDS = _env_float("LIENTHONG_CATALOG_CACHE_SECONDS", 2)

# How long an app server keeps an external system's API credential it looked up before reading it again.
LIENTHONG_CREDENTIAL_CACHE_SECONDS = _env_float("LIENTHONG_CREDENTIAL_CACHE_SECONDS", 2)

# The address citizens reach the platform at: QR codes on slips link to its public status page.
LIENTHONG_PUBLIC_URL = os.environ.get("LIENTHONG_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")

# The largest file accepted as a dossier component or result, and the largest request body that carries them.
LIENTHONG_UPLOAD_MAX_BYTES = _env_int("LIENTHONG_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = LIENTHONG_UPLOAD_MAX_BYTES * 4 // 3 * 5 + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = LIENTHONG_UPLOAD_MAX_BYTES

# Signer back-ends keys may be registered with (keyfile, pkcs11, csc); a province may refuse key files for leaders.
LIENTHONG_SIGNER_BACKENDS = _env_list("LIENTHONG_SIGNER_BACKENDS", ["keyfile", "pkcs11", "csc"])
# The PKCS#11 libraries of the tokens and HSMs in use; a key's config may name only one of these.
LIENTHONG_PKCS11_MODULES = _env_list("LIENTHONG_PKCS11_MODULES", ["/usr/lib/softhsm/libsofthsm2.so"])

# Digital signatures: the root certificates a PDF signature must chain to (PEM files or directories of *.pem,
# comma-separated), and the RFC 3161 time-stamp authority that makes signatures PAdES B-T (empty: B-B).
LIENTHONG_TRUST_ANCHORS = _env_list("LIENTHONG_TRUST_ANCHORS", [str(DATA_DIR / "trust")])
LIENTHONG_TSA_URL = os.environ.get("LIENTHONG_TSA_URL", "").strip()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LIENTHONG_LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools narrate every PDF they build at INFO; only their warnings matter to operators.
    "loggers": {
        "django.request": {"level": "ERROR"},
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # pyHanko logs every untrusted signature with a traceback; the validation report already says it.
        "pyhanko": {"level": "ERROR"},
    },
}
