"""The WSGI application ``bench_pages --concurrent`` runs under gunicorn: the portal with the
bare view of ``pestor.bench_urls`` added. Not for serving the portal."""

import os

import django
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pestor.settings")
django.setup(set_prefix=False)
settings.ROOT_URLCONF = "pestor.bench_urls"

application = WSGIHandler()
