"""One-stop pages: the public status page (public_urls) and the officer pages (officer_urls)."""

from .officer_urls import urlpatterns as officer_patterns
from .public_urls import urlpatterns as public_patterns

app_name = "onestop"
urlpatterns = [*public_patterns, *officer_patterns]
