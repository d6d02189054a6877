"""Bench-only Django settings: LiênThông's own settings with a URLconf that adds one minimal endpoint.

``POST /bench/insert`` parses a JSON body and inserts one row into ``bench_insert`` through Django's connection
(autocommit: one commit per request). It is the framework's ceiling for a write: the same middleware, the same
gunicorn, the same database, none of the business. ``dossier_intake.py`` serves the real application and this
endpoint from one server, so both are measured in the same conditions.

    DJANGO_SETTINGS_MODULE=benchsite gunicorn --pythonpath .,bench lienthong.wsgi:application
"""

from lienthong.settings import *  # noqa: F403  (the real settings, unchanged but for the URLconf)

ROOT_URLCONF = "benchsite_urls"
