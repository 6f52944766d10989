"""The WSGI application that `lingting serve` (gunicorn) and runserver serve."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lingting.config.settings")
application = get_wsgi_application()

from lingting.core.startup import require_secret_key  # noqa: E402  (needs the settings)

# Refused here, a gunicorn worker fails to boot and gunicorn stops with the message.
require_secret_key()
