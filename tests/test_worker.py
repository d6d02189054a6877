"""The background queue: what the web process enqueues, `lienthong worker` runs (SQLite and PostgreSQL)."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django_tasks import TaskResultStatus

from tests.tasks_for_tests import create_group


@pytest.mark.django_db(transaction=True)
def test_a_task_enqueued_by_the_web_process_is_run_by_the_worker():
    result = create_group.enqueue("tổ công tác")
    assert result.status == TaskResultStatus.READY

    call_command("worker", "--batch", "--no-startup-delay")

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert Group.objects.get(pk=result.return_value).name == "tổ công tác"


@pytest.mark.django_db(transaction=True)
def test_a_finished_task_is_not_run_again_by_the_next_worker():
    results = [create_group.enqueue(f"nhóm {n}") for n in range(5)]
    call_command("worker", "--batch", "--no-startup-delay")
    call_command("worker", "--batch", "--no-startup-delay")
    for result in results:
        result.refresh()
        assert result.status == TaskResultStatus.SUCCESSFUL
    assert Group.objects.filter(name__startswith="nhóm ").count() == 5
