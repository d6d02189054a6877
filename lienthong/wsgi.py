"""WSGI entry point for gunicorn: ``gunicorn lienthong.wsgi``."""

import gc
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lienthong.settings")
application = get_wsgi_application()

# Load every view and API module now rather than on the first request, then move the ~200,000 objects of a
# loaded process out of the garbage collector's reach: they live as long as the process, and a full collection
# that walks them all takes 50–110 ms, which showed up as the slowest 1 % of requests under load.
get_resolver(settings.ROOT_URLCONF).url_patterns  # noqa: B018 - importing the URLconf is the point
gc.collect()
gc.freeze()
