from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from hypothesis import given
from hypothesis import strategies as st

from lienthong.audit.chain import GENESIS_HASH, entry_hash, first_break
from lienthong.audit.models import AuditEntry
from lienthong.audit.selectors import history_of, verify_chain
from lienthong.audit.services import record


def _change(name: str) -> Group:
    with transaction.atomic():
        group = Group.objects.create(name=name)
        record(actor=None, action="group.create", obj=group, changes={"name": [None, name]})
    return group


def _disable_append_only_trigger(cursor) -> None:
    """Play an intruder with the table owner's rights, who can switch the database's own guard off."""
    if connection.vendor == "postgresql":
        cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")


@pytest.mark.django_db
def test_each_change_appends_an_entry_linked_to_the_previous_one():
    _change("a")
    _change("b")
    first, second = AuditEntry.objects.order_by("id")
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert verify_chain() == (2, None)


@pytest.mark.django_db
def test_an_objects_history_lists_only_its_own_entries():
    group = _change("phòng một cửa")
    _change("khác")
    assert [e.action for e in history_of(group)] == ["group.create"]
    assert history_of(group).get().object_label == "phòng một cửa"


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused():
    group = Group.objects.create(name="x")
    with pytest.raises(RuntimeError, match="inside the transaction"):
        record(actor=None, action="group.create", obj=group)


@pytest.mark.django_db
def test_entries_cannot_be_changed_or_deleted_through_the_application():
    _change("a")
    entry = AuditEntry.objects.get()
    entry.action = "forged"
    with pytest.raises(RuntimeError, match="append-only"):
        entry.save()
    with pytest.raises(RuntimeError, match="append-only"):
        entry.delete()


@pytest.mark.django_db
def test_verify_fails_and_names_the_entry_changed_behind_the_applications_back():
    for name in "abcd":
        _change(name)
    target = AuditEntry.objects.order_by("id")[2]
    with connection.cursor() as cursor:
        _disable_append_only_trigger(cursor)
        cursor.execute("UPDATE audit_auditentry SET actor = %s WHERE id = %s", ["kẻ giả mạo", target.pk])
    with pytest.raises(CommandError) as failure:
        call_command("audit", "verify")
    assert f"#{target.pk}" in str(failure.value)
    assert failure.value.returncode != 0


@pytest.mark.django_db
def test_verify_notices_a_removed_entry():
    for name in "abc":
        _change(name)
    middle = AuditEntry.objects.order_by("id")[1]
    with connection.cursor() as cursor:
        _disable_append_only_trigger(cursor)
    AuditEntry.objects.filter(pk=middle.pk).delete()  # a queryset delete skips the model's guard
    _, broken = verify_chain()
    assert broken is not None
    assert broken.entry_id == middle.pk + 1


@pytest.mark.django_db
def test_verify_passes_on_an_intact_log(capsys):
    _change("a")
    call_command("audit", "verify")
    assert "nguyên vẹn" in capsys.readouterr().out


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_itself_refuses_to_change_or_delete_an_audit_entry():
    _change("a")
    entry = AuditEntry.objects.get()
    for statement in (
        "UPDATE audit_auditentry SET actor = 'x' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [entry.pk])
    assert AuditEntry.objects.get().actor == entry.actor


@given(
    st.lists(
        st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=5), max_size=3), max_size=6
    )
)
def test_a_chain_built_by_entry_hash_always_verifies(contents):
    rows, prev = [], GENESIS_HASH
    for index, content in enumerate(contents, start=1):
        digest = entry_hash(prev, content)
        rows.append((index, prev, digest, content))
        prev = digest
    assert first_break(rows) is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_on_postgresql_keep_one_unbroken_chain():
    def write(worker: int) -> None:
        try:
            for n in range(15):
                _change(f"w{worker}-{n}")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(write, range(6)))
    assert verify_chain() == (90, None)


@pytest.mark.django_db
def test_an_anchor_kept_outside_catches_a_truncated_tail(capsys):
    for name in "abc":
        _change(name)
    call_command("audit", "verify")
    anchor = capsys.readouterr().out.strip().splitlines()[-1].split()[-1]
    call_command("audit", "verify", "--anchor", anchor)

    last = AuditEntry.objects.order_by("-id").first()
    with connection.cursor() as cursor:
        _disable_append_only_trigger(cursor)
    AuditEntry.objects.filter(pk=last.pk).delete()
    assert verify_chain()[1] is None  # the chain alone cannot see a cut tail
    with pytest.raises(CommandError, match=f"#{last.pk}") as failure:
        call_command("audit", "verify", "--anchor", anchor)
    assert failure.value.returncode == 4


@pytest.mark.django_db
def test_the_hash_does_not_depend_on_the_zone_a_moment_is_expressed_in():
    from zoneinfo import ZoneInfo

    _change("a")
    entry = AuditEntry.objects.get()
    utc_content = entry.content()
    entry.at = entry.at.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    assert entry.content() == utc_content
