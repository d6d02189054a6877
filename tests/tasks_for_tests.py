"""A task used only by the worker tests: it writes a row, so the test sees the worker really ran it."""

from django.contrib.auth.models import Group
from django_tasks import task


@task()
def create_group(name: str) -> int:
    return Group.objects.create(name=name).pk
