"""Directory pages: sign-in (auth_urls), agencies and people (page_urls), CSV/XLSX import (import_urls)."""

from .auth_urls import urlpatterns as auth_patterns
from .import_urls import urlpatterns as import_patterns
from .page_urls import urlpatterns as page_patterns

app_name = "directory"
urlpatterns = [*auth_patterns, *page_patterns, *import_patterns]
