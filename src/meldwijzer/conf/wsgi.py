"""WSGI entry point, served by gunicorn (`meldwijzer serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meldwijzer.conf.settings")
application = get_wsgi_application()
