"""One-stop pages: the public status page (public_urls); officer pages come later."""

from .public_urls import urlpatterns as public_patterns

app_name = "onestop"
urlpatterns = [*public_patterns]
