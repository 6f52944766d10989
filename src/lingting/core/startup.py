"""What a web server checks before it serves anyone (`lingting serve`, gunicorn, runserver)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Anyone can read this key in the source, so anyone could forge sessions signed with it: it
# is for DEBUG (a developer's machine), the tests and the management commands only.
DEVELOPMENT_SECRET_KEY = "lingting-development-key-not-for-production"

SECRET_KEY_MISSING = (
    "SECRET_KEY is not set (or is the development key) and DEBUG is off: Lingting will not "
    "serve with a key anyone can read in its source. Set SECRET_KEY in the environment to a "
    "long random value, made for example with\n"
    "    python3 -c 'import secrets; print(secrets.token_urlsafe(50))'\n"
    "(in production: in /etc/lingting/lingting.env, see deploy/), or DEBUG=1 on a "
    "development machine."
)


def require_secret_key() -> None:
    """Refuse to serve with DEBUG off and no real SECRET_KEY."""
    if not settings.DEBUG and settings.SECRET_KEY in ("", DEVELOPMENT_SECRET_KEY):
        raise ImproperlyConfigured(SECRET_KEY_MISSING)
