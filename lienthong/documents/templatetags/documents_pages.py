"""Template helpers of the documents pages: who gets the "Văn bản" link, links to pages that may not exist."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

from lienthong.documents.page_selectors import has_documents_role as _has_documents_role

register = template.Library()


@register.filter
def has_documents_role(user: Any) -> bool:
    return _has_documents_role(user)


@register.simple_tag
def optional_url(name: str) -> str:
    """The URL of ``name``, or empty while the page it names is not installed (search and registers are
    built separately and included through ``search_urls``)."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""
