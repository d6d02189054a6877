"""Clerks issuing at the same moment on PostgreSQL: one register, numbers 1…n, no gap, no duplicate."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from lienthong.core.errors import DomainError
from lienthong.directory import services as directory
from lienthong.directory.models import Role
from lienthong.documents import services
from lienthong.documents.models import OutgoingDocument, Register

from .world import SECRET, World, build_world, tiny_pdf

DOCUMENTS = 200
CONNECTIONS = 8


def _run(threads: int, work: Callable[[int], None]) -> list[BaseException]:
    barrier = threading.Barrier(threads)
    errors: list[BaseException] = []

    def body(index: int) -> None:
        try:
            barrier.wait()
            work(index)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    started = [threading.Thread(target=body, args=(i,)) for i in range(threads)]
    for t in started:
        t.start()
    for t in started:
        t.join()
    return errors


def _signed(world: World, count: int) -> list[OutgoingDocument]:
    pdf = tiny_pdf()
    signed = []
    for index in range(count):
        document = services.create_draft(
            actor=world.a_unit_head,
            agency=world.a,
            content=world.content(subject=f"Văn bản thử số {index}", pdf=pdf, recipients=[]),
        )
        services.submit_draft(actor=world.a_unit_head, document=document)
        signed.append(services.sign_document(actor=world.a_director, document=document, secret=SECRET))
    return signed


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_clerks_issuing_200_documents_at_once_number_them_1_to_200_without_gap_or_duplicate() -> None:
    world = build_world()
    clerks = [world.a_clerk]
    for index in range(1, CONNECTIONS):
        clerk = directory.create_person(actor=None, username=f"a.vanthu{index}", full_name=f"Văn thư {index}")
        directory.grant_role(actor=None, person=clerk, agency=world.a, role=Role.CLERK)
        clerks.append(clerk)
    documents = _signed(world, DOCUMENTS)

    def work(index: int) -> None:
        for document in documents[index::CONNECTIONS]:
            services.issue_document(actor=clerks[index], document=document, secret=SECRET)

    assert _run(CONNECTIONS, work) == []
    numbers = sorted(OutgoingDocument.objects.values_list("number", flat=True))
    assert numbers == list(range(1, DOCUMENTS + 1))
    register = Register.objects.get(agency=world.a, direction="outgoing", secret=False)
    assert register.last_number == DOCUMENTS


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_clerks_issuing_one_document_at_once_one_wins_and_one_number_is_used() -> None:
    world = build_world()
    other = directory.create_person(actor=None, username="a.vanthu2", full_name="Văn thư hai")
    directory.grant_role(actor=None, person=other, agency=world.a, role=Role.CLERK)
    (document,) = _signed(world, 1)
    outcomes: list[str] = []

    def work(index: int) -> None:
        try:
            services.issue_document(actor=(world.a_clerk, other)[index], document=document, secret=SECRET)
            outcomes.append("issued")
        except DomainError as error:
            outcomes.append(f"{error.status}:{error.rule}")

    assert _run(2, work) == []
    assert sorted(outcomes) == ["409:already_issued", "issued"]
    assert Register.objects.get(agency=world.a, direction="outgoing").last_number == 1
