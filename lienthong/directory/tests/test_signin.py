"""Officer sign-in: password, TOTP second step, lock-out after repeated failures, sessions that expire."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pyotp
import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lienthong.audit.models import AuditEntry
from lienthong.directory import services, signin
from lienthong.directory.auth_views import PENDING_KEY
from lienthong.directory.models import Person, Role

PASSWORD = "Hoa-sen-nở-2025"
LOGIN = "/dang-nhap/"
TOTP_VERIFY = "/dang-nhap/ma-xac-thuc/"
TOTP_SETUP = "/tai-khoan/xac-thuc-hai-lop/"
LOGOUT = "/dang-xuat/"
GENERIC = "Tên đăng nhập hoặc mật khẩu không đúng."


@pytest.fixture(autouse=True)
def _fast_hashes_and_limits(settings):
    # PBKDF2 at full strength costs ~0.4 s per check; these tests check the rules, not the hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LIENTHONG_LOGIN_MAX_FAILURES = 5
    settings.LIENTHONG_LOGIN_LOCKOUT_MINUTES = 15


@pytest.fixture
def officer(db) -> Person:
    agency = services.create_agency(
        actor=None,
        code="000.00.00.H56",
        name="Ủy ban nhân dân tỉnh Khánh Hòa",
        short_name="UBND",
        tier="province",
    )
    person = services.create_person(actor=None, username="nvan", full_name="Nguyễn Văn An", password=PASSWORD)
    services.grant_role(actor=None, person=person, agency=agency, role=Role.CLERK)
    return person


def _post_login(client: Client, username: str = "nvan", password: str = PASSWORD, **extra: str):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def _actions(person: Person) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="directory.person", object_id=str(person.pk))
        .exclude(action="person.create")
        .values_list("action", flat=True)
    )


def _enable_totp(person: Person) -> pyotp.TOTP:
    secret = pyotp.random_base32()
    Person.objects.filter(pk=person.pk).update(totp_secret=secret, totp_enabled=True)
    return pyotp.TOTP(secret)


def _wrong_code(totp: pyotp.TOTP) -> str:
    valid = {totp.at(time.time() + step * 30) for step in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


# --- password -------------------------------------------------------------------------------------------


def test_officer_with_the_right_password_signs_in_and_reaches_home(client, officer):
    response = _post_login(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    home = client.get(response["Location"])
    assert home.status_code == 200
    text = home.content.decode()
    assert "Xin chào, Nguyễn Văn An" in text
    assert "Ủy ban nhân dân tỉnh Khánh Hòa" in text
    assert _actions(officer) == ["signin.success"]


def test_login_page_is_labelled_for_assistive_tech_and_password_managers(client, db):
    response = client.get(LOGIN)
    text = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_username">Tên đăng nhập</label>' in text
    assert '<label for="id_password">Mật khẩu</label>' in text
    assert 'autocomplete="username"' in text
    assert 'autocomplete="current-password"' in text
    assert "no-store" in response["Cache-Control"]


def test_a_failed_sign_in_shows_an_error_summary_with_role_alert(client, officer):
    response = _post_login(client, password="sai-mat-khau")
    text = response.content.decode()
    assert response.status_code == 400
    assert 'role="alert"' in text
    assert GENERIC in text


def test_five_wrong_passwords_lock_the_account(client, officer):
    for attempt in range(1, 5):
        response = _post_login(client, password="sai-mat-khau")
        assert response.status_code == 400
        assert GENERIC in response.content.decode()
        officer.refresh_from_db()
        assert officer.failed_logins == attempt
        assert officer.locked_until is None
    response = _post_login(client, password="sai-mat-khau")
    officer.refresh_from_db()
    assert response.status_code == 403
    assert officer.locked_until is not None
    minutes = (officer.locked_until - timezone.now()).total_seconds() / 60
    assert 14 < minutes <= 15
    text = response.content.decode()
    assert "Tài khoản tạm thời bị khóa" in text
    assert signin.format_vietnam_time(officer.locked_until) in text
    assert _actions(officer) == ["signin.failed"] * 4 + ["signin.locked"]


def test_locked_account_is_refused_with_the_right_password_until_the_lock_ends(client, officer):
    until = timezone.now() + timedelta(minutes=10)
    Person.objects.filter(pk=officer.pk).update(locked_until=until)

    refused = _post_login(client)
    assert refused.status_code == 403
    assert "Tài khoản tạm thời bị khóa" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302

    Person.objects.filter(pk=officer.pk).update(locked_until=timezone.now() - timedelta(seconds=1))
    accepted = _post_login(client)
    assert accepted.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    officer.refresh_from_db()
    assert officer.locked_until is None
    assert officer.failed_logins == 0


def test_lock_message_gives_the_end_of_the_lock_in_vietnam_time(client, officer):
    # 01:30 UTC is 08:30 in Hà Nội, whatever the server's own clock zone.
    until = timezone.now().replace(hour=1, minute=30, second=0, microsecond=0) + timedelta(days=1)
    Person.objects.filter(pk=officer.pk).update(locked_until=until)
    text = _post_login(client).content.decode()
    local = until + timedelta(hours=7)
    assert f"08:30 ngày {local:%d/%m/%Y}" in text


def test_successful_sign_in_resets_the_failure_counter(client, officer):
    for _ in range(3):
        _post_login(client, password="sai-mat-khau")
    assert _post_login(client).status_code == 302
    officer.refresh_from_db()
    assert officer.failed_logins == 0
    entry = AuditEntry.objects.filter(action="signin.success").get()
    assert entry.actor_id == officer.pk
    assert entry.changes["failed_logins"] == [3, 0]


def test_unknown_user_gets_the_same_message_as_a_wrong_password(client, officer):
    wrong_password = _post_login(client, password="sai-mat-khau")
    unknown_name = _post_login(client, username="khong-ai-ca")
    assert wrong_password.status_code == unknown_name.status_code == 400
    assert GENERIC in unknown_name.content.decode()
    # Only the known account's failure is audited; the unknown name leaves no row to grow the chain.
    assert list(AuditEntry.objects.filter(action__startswith="signin.").values_list("action", flat=True)) == [
        "signin.failed"
    ]


def test_closed_account_with_the_right_password_gets_the_generic_message(client, officer):
    Person.objects.filter(pk=officer.pk).update(is_active=False)
    response = _post_login(client)
    assert response.status_code == 400
    assert GENERIC in response.content.decode()


def test_user_name_is_matched_without_regard_to_case(client, officer):
    assert _post_login(client, username="NVan").status_code == 302


# --- next, session rotation, expiry, sign-out -----------------------------------------------------------


def test_next_is_followed_when_it_stays_on_the_site(client, officer):
    response = _post_login(client, next=TOTP_SETUP)
    assert response["Location"] == TOTP_SETUP


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_next_pointing_elsewhere_is_ignored(client, officer, target):
    response = _post_login(client, next=target)
    assert response["Location"] == reverse("home")


def test_sign_in_rotates_the_session_key(client, officer):
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    _post_login(client)
    assert client.session.session_key != before
    assert client.session["_auth_user_id"] == str(officer.pk)


def test_session_ends_after_eight_idle_hours_and_at_browser_close(client, officer):
    response = _post_login(client)
    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == ""  # a browser-session cookie: gone when the browser closes
    assert client.session.get_expire_at_browser_close()
    record = Session.objects.get(session_key=client.session.session_key)
    idle = (record.expire_date - timezone.now()).total_seconds()
    assert 8 * 3600 - 60 < idle <= 8 * 3600


def test_expired_session_is_sent_to_the_login_page(client, officer):
    _post_login(client)
    assert client.get(reverse("home")).status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/"


def test_logout_by_get_is_refused_and_by_post_works(client, officer):
    _post_login(client)
    assert client.get(LOGOUT).status_code == 405
    assert client.get(reverse("home")).status_code == 200
    response = client.post(LOGOUT)
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert client.get(reverse("home")).status_code == 302
    assert _actions(officer)[-1] == "signout"


def test_signed_in_person_opening_the_login_page_goes_home(client, officer):
    _post_login(client)
    assert client.get(LOGIN)["Location"] == reverse("home")


# --- TOTP at sign-in ------------------------------------------------------------------------------------


def test_totp_is_required_when_enabled(client, officer):
    totp = _enable_totp(officer)
    response = _post_login(client, next=TOTP_SETUP)
    assert response["Location"] == TOTP_VERIFY
    assert "_auth_user_id" not in client.session  # the password alone does not sign in
    assert client.get(reverse("home")).status_code == 302

    page = client.get(TOTP_VERIFY).content.decode()
    assert 'autocomplete="one-time-code"' in page
    done = client.post(TOTP_VERIFY, {"code": totp.now()})
    assert done.status_code == 302
    assert done["Location"] == TOTP_SETUP
    assert client.session["_auth_user_id"] == str(officer.pk)
    assert AuditEntry.objects.get(action="signin.success").changes["method"] == "password+totp"


def test_a_code_that_already_signed_in_cannot_sign_in_again(client, officer):
    totp = _enable_totp(officer)
    code = totp.now()
    _post_login(client)
    assert client.post(TOTP_VERIFY, {"code": code})["Location"] != TOTP_VERIFY
    client.post(reverse("directory:logout"))

    second = Client()
    _post_login(second)
    replay = second.post(TOTP_VERIFY, {"code": code})
    assert replay.status_code == 400
    assert "_auth_user_id" not in second.session
    assert AuditEntry.objects.filter(action="signin.failed").count() == 1


def test_wrong_totp_code_counts_as_a_failure(client, officer):
    totp = _enable_totp(officer)
    _post_login(client)
    response = client.post(TOTP_VERIFY, {"code": _wrong_code(totp)})
    assert response.status_code == 400
    assert "Mã xác thực không đúng" in response.content.decode()
    officer.refresh_from_db()
    assert officer.failed_logins == 1
    entry = AuditEntry.objects.get(action="signin.failed")
    assert entry.changes["reason"] == "totp"
    assert "_auth_user_id" not in client.session


def test_five_wrong_totp_codes_lock_the_account(client, officer):
    totp = _enable_totp(officer)
    _post_login(client)
    for _ in range(4):
        assert client.post(TOTP_VERIFY, {"code": _wrong_code(totp)}).status_code == 400
    response = client.post(TOTP_VERIFY, {"code": _wrong_code(totp)}, follow=True)
    assert response.redirect_chain[-1][0] == LOGIN
    assert "Tài khoản tạm thời bị khóa" in response.content.decode()
    officer.refresh_from_db()
    assert officer.locked_until is not None
    # Even a right password and a right code are refused now.
    assert _post_login(client).status_code == 403


def test_code_with_a_space_as_the_app_shows_it_is_accepted(client, officer):
    totp = _enable_totp(officer)
    _post_login(client)
    code = totp.now()
    assert client.post(TOTP_VERIFY, {"code": f"{code[:3]} {code[3:]}"}).status_code == 302


def test_totp_step_without_the_password_step_goes_back_to_login(client, officer):
    _enable_totp(officer)
    response = client.get(TOTP_VERIFY)
    assert response["Location"] == LOGIN


def test_waiting_totp_step_expires_after_five_minutes(client, officer):
    totp = _enable_totp(officer)
    _post_login(client)
    session = client.session
    session[PENDING_KEY] = {**session[PENDING_KEY], "since": time.time() - 301}
    session.save()
    response = client.post(TOTP_VERIFY, {"code": totp.now()})
    assert response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session


def test_codes_one_step_away_are_accepted_and_two_steps_are_not():
    secret = pyotp.random_base32()
    totp = pyotp.TOTP(secret)
    now = timezone.now()
    for step, accepted in [(-2, False), (-1, True), (0, True), (1, True), (2, False)]:
        code = totp.at(now + timedelta(seconds=30 * step))
        # A code may repeat by chance in another window; skip that rare case instead of flaking.
        if not accepted and code in {totp.at(now + timedelta(seconds=30 * s)) for s in (-1, 0, 1)}:
            continue
        assert signin.verify_code(secret, code, at=now) is accepted


# --- TOTP enrolment -------------------------------------------------------------------------------------


def test_enrolment_and_confirmation_turn_totp_on(client, officer):
    client.force_login(officer)
    start_page = client.get(TOTP_SETUP).content.decode()
    assert "Bắt đầu thiết lập" in start_page
    officer.refresh_from_db()
    assert officer.totp_secret == ""  # looking at the page changes nothing

    assert client.post(TOTP_SETUP, {"action": "start"})["Location"] == TOTP_SETUP
    officer.refresh_from_db()
    secret = officer.totp_secret
    assert len(secret) == 32
    assert not officer.totp_enabled

    page = client.get(TOTP_SETUP).content.decode()
    assert '<svg role="img"' in page
    assert signin.grouped_secret(secret) in page
    reloaded = client.get(TOTP_SETUP).content.decode()
    assert signin.grouped_secret(secret) in reloaded  # reloading keeps the secret the person just scanned

    totp = pyotp.TOTP(secret)
    wrong = client.post(TOTP_SETUP, {"action": "confirm", "code": _wrong_code(totp)})
    assert wrong.status_code == 400
    assert 'role="alert"' in wrong.content.decode()
    officer.refresh_from_db()
    assert not officer.totp_enabled

    ok = client.post(TOTP_SETUP, {"action": "confirm", "code": totp.now()}, follow=True)
    assert "Đã bật xác thực hai lớp" in ok.content.decode()
    officer.refresh_from_db()
    assert officer.totp_enabled
    assert officer.totp_secret == secret
    assert _actions(officer) == ["totp.enrol", "totp.confirm"]
    assert secret not in str(list(AuditEntry.objects.values_list("changes", flat=True)))

    # The next sign-in asks for the code.
    client.post(LOGOUT)
    assert _post_login(client)["Location"] == TOTP_VERIFY


def test_renewing_the_secret_replaces_the_one_not_yet_confirmed(client, officer):
    client.force_login(officer)
    client.post(TOTP_SETUP, {"action": "start"})
    first = Person.objects.get(pk=officer.pk).totp_secret
    client.post(TOTP_SETUP, {"action": "renew"})
    assert Person.objects.get(pk=officer.pk).totp_secret not in {"", first}


def test_disabling_totp_needs_a_current_code_and_wrong_codes_count(client, officer):
    totp = _enable_totp(officer)
    client.force_login(officer)
    wrong = client.post(TOTP_SETUP, {"action": "disable", "code": _wrong_code(totp)})
    assert wrong.status_code == 400
    officer.refresh_from_db()
    assert officer.totp_enabled
    assert officer.failed_logins == 1

    client.post(TOTP_SETUP, {"action": "disable", "code": totp.now()})
    officer.refresh_from_db()
    assert not officer.totp_enabled
    assert officer.totp_secret == ""
    assert _actions(officer)[-1] == "totp.disable"


def test_totp_setup_needs_a_signed_in_person(client, db):
    response = client.get(TOTP_SETUP)
    assert response["Location"] == f"{LOGIN}?next={TOTP_SETUP}"


# --- concurrency ----------------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_wrong_passwords_are_all_counted(settings):
    person = services.create_person(
        actor=None, username="ttbinh", full_name="Trần Thị Bình", password=PASSWORD
    )
    attempts = 8
    barrier = threading.Barrier(attempts)
    outcomes: list[signin.Outcome] = []

    def attempt() -> None:
        try:
            barrier.wait()
            outcomes.append(signin.check_password(username="ttbinh", password="sai-mat-khau").outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(attempts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    person.refresh_from_db()
    assert person.locked_until is not None
    actions = list(AuditEntry.objects.filter(action__startswith="signin.").values_list("action", flat=True))
    # Every attempt that saw the account unlocked was counted: none lost to a race.
    assert actions == ["signin.failed"] * 4 + ["signin.locked"]
    assert outcomes.count(signin.Outcome.FAILED) == 4
    assert outcomes.count(signin.Outcome.LOCKED) == attempts - 4
