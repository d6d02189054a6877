"""Catalogue pages: public search and procedure pages (public_urls), import pages (import_urls), internal
processes (process_urls)."""

from .import_urls import urlpatterns as import_patterns
from .process_urls import urlpatterns as process_patterns
from .public_urls import urlpatterns as public_patterns

app_name = "catalog"
urlpatterns = [*public_patterns, *import_patterns, *process_patterns]
