"""Waakvlam settings: one module, everything that differs between machines comes from the environment.

See the README's configuration table; INTERFACE.md is the contract for the variable names.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from waakvlam.config.env import database_config, email_config, env_bool, env_list, secret_key

BASE_DIR = Path(os.environ.get("WAAKVLAM_HOME", Path(__file__).resolve().parents[2]))
VAR_DIR = Path(os.environ.get("WAAKVLAM_VAR_DIR", BASE_DIR / "var"))

ENVIRONMENT = os.environ.get("WAAKVLAM_ENV", "development").strip().lower()
if ENVIRONMENT not in {"development", "production", "test"}:
    raise ImproperlyConfigured(
        f"WAAKVLAM_ENV={ENVIRONMENT!r} is unknown; use development (default), test or production."
    )
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool("WAAKVLAM_DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("WAAKVLAM_DEBUG must never be on in production (WAAKVLAM_ENV=production).")

SECRET_KEY = secret_key(VAR_DIR, PRODUCTION)
ALLOWED_HOSTS = env_list("WAAKVLAM_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("WAAKVLAM_CSRF_TRUSTED_ORIGINS", "")

DATABASES = {"default": database_config(os.environ.get("DATABASE_URL", "sqlite:///var/waakvlam.sqlite3"), BASE_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "ninja",
    "waakvlam.core",
    "waakvlam.privacy",
    "waakvlam.administration",
    "waakvlam.households",
    "waakvlam.intake",
    "waakvlam.bulkimport",
    "waakvlam.routing",
    "waakvlam.notify",
    "waakvlam.followup",
    "waakvlam.contact",
    "waakvlam.handover",
    "waakvlam.cases",
    "waakvlam.network",
    "waakvlam.attention",
    "waakvlam.insight",
    "waakvlam.socialmap",
    "waakvlam.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "waakvlam.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "waakvlam.core.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Below the messages, so a refusal it answers can leave a message (core/errors.py view_refusal).
    "waakvlam.core.middleware.DomainErrorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "waakvlam.config.urls"
WSGI_APPLICATION = "waakvlam.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "waakvlam.core.context_processors.navigation",
            ],
        },
    }
]

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

# Sessions expire when idle: every request pushes the expiry forward.
SESSION_COOKIE_AGE = int(os.environ.get("WAAKVLAM_SESSION_IDLE_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_HSTS_SECONDS = 31536000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
BEHIND_PROXY = env_bool("WAAKVLAM_BEHIND_PROXY")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Two-factor: TOTP for every role that sees personal data (see core.roles).
OTP_TOTP_ISSUER = "Waakvlam"

# Brute-force protection: lock a username, and separately an address, after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("WAAKVLAM_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
# Lock the account, throttle the address (core/login_throttle.py): a team behind one router is not shut
# out because one member mistyped.
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_LOCKOUT_CALLABLE = "waakvlam.core.login_throttle.locked_out_response"
# axes warns that it no longer limits by address; core/login_throttle.py does that instead.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("WAAKVLAM_LOGIN_ADDRESS_FAILURE_LIMIT", "50"))
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "waakvlam.core.net.client_address"

# Optional OIDC login for organisations that run an identity provider.
OIDC_ENABLED = bool(os.environ.get("WAAKVLAM_OIDC_CLIENT_ID"))
if OIDC_ENABLED:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("waakvlam.core.oidc.WaakvlamOIDCBackend")
    OIDC_RP_CLIENT_ID = os.environ["WAAKVLAM_OIDC_CLIENT_ID"]
    OIDC_RP_CLIENT_SECRET = os.environ.get("WAAKVLAM_OIDC_CLIENT_SECRET", "")
    OIDC_RP_SIGN_ALGO = os.environ.get("WAAKVLAM_OIDC_SIGN_ALGO", "RS256")
    try:
        OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ["WAAKVLAM_OIDC_AUTHORIZATION_ENDPOINT"]
        OIDC_OP_TOKEN_ENDPOINT = os.environ["WAAKVLAM_OIDC_TOKEN_ENDPOINT"]
        OIDC_OP_USER_ENDPOINT = os.environ["WAAKVLAM_OIDC_USER_ENDPOINT"]
        OIDC_OP_JWKS_ENDPOINT = os.environ.get("WAAKVLAM_OIDC_JWKS_ENDPOINT", "")
    except KeyError as missing:
        raise ImproperlyConfigured(
            f"OIDC is switched on (WAAKVLAM_OIDC_CLIENT_ID is set) but {missing.args[0]} is missing."
        ) from None
    OIDC_CREATE_USER = False  # roles and organisations are assigned in Waakvlam, never by the provider

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "waakvlam" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("WAAKVLAM_TIME_ZONE", "Europe/Amsterdam")

STATIC_URL = "/static/"
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # plotly.js straight from the plotly wheel (insight's charts and map), never copied into the repository
    "waakvlam.insight.staticfiles.PlotlyFinder",
]
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Outside production we serve static files straight from the apps, so no collectstatic step is needed;
# the (empty) root exists only so that WhiteNoise does not warn about it at every start of `make run`.
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_AUTOREFRESH = DEBUG

for _key, _value in email_config(os.environ.get("WAAKVLAM_EMAIL_URL", "console")).items():
    globals()[_key] = _value
# A stuck SMTP server must not hold a worker past its delivery lease.
EMAIL_TIMEOUT = int(os.environ.get("WAAKVLAM_EMAIL_TIMEOUT", "30"))
# Links in e-mails point here; the hour (local time) at which the daily digest goes out.
WAAKVLAM_BASE_URL = os.environ.get("WAAKVLAM_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Public reports: how many per client address per minute, and which municipality receives a report whose
# postcode matches none of ours (the first municipality when unset).
WAAKVLAM_PUBLIC_RATE_LIMIT = int(os.environ.get("WAAKVLAM_PUBLIC_RATE_LIMIT", "10"))
WAAKVLAM_MUNICIPALITY = os.environ.get("WAAKVLAM_MUNICIPALITY", "").strip().upper()
WAAKVLAM_DIGEST_HOUR = int(os.environ.get("WAAKVLAM_DIGEST_HOUR", "7"))
if not 0 <= WAAKVLAM_DIGEST_HOUR <= 23:
    raise ImproperlyConfigured("WAAKVLAM_DIGEST_HOUR must be an hour from 0 to 23.")
DEFAULT_FROM_EMAIL = os.environ.get("WAAKVLAM_FROM_EMAIL", "Waakvlam <noreply@waakvlam.localhost>")

# The access log's hash chain is keyed, so someone with write access to the database alone cannot
# recompute it after an edit. Several keys separated by commas rotate it: the first signs new entries,
# every one listed verifies old ones (each entry records which key signed it).
ACCESS_LOG_KEYS = env_list("WAAKVLAM_ACCESS_LOG_KEY", "")
if not ACCESS_LOG_KEYS:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "WAAKVLAM_ACCESS_LOG_KEY is not set. In production the access log is signed with a key of its own, "
            "kept apart from WAAKVLAM_SECRET_KEY, e.g. $(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    ACCESS_LOG_KEYS = [SECRET_KEY]
# The worker appends the chain's signed head here every pass; keep it where the database role cannot write
# (docs/threat-model.md).
ACCESS_LOG_ANCHOR_FILE = Path(os.environ.get("WAAKVLAM_ACCESS_LOG_ANCHOR_FILE", VAR_DIR / "access-log-anchors.jsonl"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("WAAKVLAM_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- Field encryption (owned by intake: contact details of reporters) --------------------------------------
# WAAKVLAM_FIELD_ENCRYPTION_KEY: a long random string, or several separated by commas to rotate (the first
# encrypts, every one listed decrypts). Required in production; elsewhere derived from the secret key, so
# development and tests need nothing. Waakvlam's encrypted fields (waakvlam.core.encryption) derive their
# Fernet keys from these alone, so rotating WAAKVLAM_SECRET_KEY never makes stored contact details unreadable.
FIELD_ENCRYPTION_KEYS = env_list("WAAKVLAM_FIELD_ENCRYPTION_KEY", "")
if not FIELD_ENCRYPTION_KEYS:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "WAAKVLAM_FIELD_ENCRYPTION_KEY is not set. In production contact details are encrypted with a key "
            "of their own, e.g. WAAKVLAM_FIELD_ENCRYPTION_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    import hashlib as _hashlib
    import hmac as _hmac

    FIELD_ENCRYPTION_KEYS = [_hmac.new(SECRET_KEY.encode(), b"waakvlam-field-encryption", _hashlib.sha256).hexdigest()]
if PRODUCTION and any(len(_k) < 32 for _k in FIELD_ENCRYPTION_KEYS):
    raise ImproperlyConfigured("Each WAAKVLAM_FIELD_ENCRYPTION_KEY must be at least 32 characters in production.")
# django-fernet-encrypted-fields' own setting (its fields mix in SECRET_KEY; ours do not).
SALT_KEY = FIELD_ENCRYPTION_KEYS
# The keyed hash (blind index) for finding a reporter by e-mail address without decrypting. It defaults to a
# key derived from the LAST field key listed, so putting a new key in front ("new,old") changes nothing here;
# before removing that last key, set WAAKVLAM_BLIND_INDEX_KEY to keep look-ups working.
BLIND_INDEX_KEY = os.environ.get("WAAKVLAM_BLIND_INDEX_KEY", "").strip() or FIELD_ENCRYPTION_KEYS[-1]
# --- end of field encryption -------------------------------------------------------------------------------
