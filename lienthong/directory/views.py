"""Directory pages: agencies, their units, people, roles and API credentials.

Views stay thin: :mod:`.selectors` decides what the person may see (outside the scope → 404, never saying
whether the agency exists) and whether they may change it (otherwise a 403 page); :mod:`.services` makes
every change, audited; :mod:`.forms` checks the input and shows a service's refusal next to its field.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lienthong.core.errors import DomainError, PermissionDenied

from . import selectors, services
from .forms import AgencyForm, CredentialForm, RoleGrantForm, UnitForm, add_domain_error
from .models import Agency, Person, Role, Tier

PAGE_SIZE = 50
HISTORY_SHOWN = 100


def _forbidden(request: HttpRequest, error: DomainError) -> HttpResponse:
    return render(request, "directory/forbidden.html", {"message": error.message}, status=403)


def _actor(request: HttpRequest) -> Person | None:
    return request.user if isinstance(request.user, Person) else None


AgencyView = Callable[..., HttpResponse]


def changes_agency(view: AgencyView) -> Callable[..., HttpResponse]:
    """Give ``view`` the agency named by ``code`` when the person may change it.

    Outside the person's scope → 404; inside but without the agency administrator role → a 403 page.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, code: str, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            agency = selectors.agency_for_change(request.user, code)
        except PermissionDenied as error:
            return _forbidden(request, error)
        return view(request, agency, *args, **kwargs)

    return wrapped


@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    """The agencies the person may see, searchable by code or name without diacritics."""
    q = request.GET.get("q", "").strip()[:200]
    tier = request.GET.get("tier", "")
    tier = tier if tier in Tier.values else ""
    agencies = selectors.search_agencies(request.user, q=q, tier=tier or None)
    page = Paginator(agencies, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "directory/agency_list.html",
        {"page": page, "q": q, "tier": tier, "tiers": Tier.choices, "total": len(agencies)},
    )


@login_required
def agency_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One agency: its record, hierarchy, mergers, units, people and the history of its record."""
    agency = selectors.agency_for(request.user, code)
    context = {
        "agency": agency,
        "can_change": selectors.can_change_agency(request.user, agency),
        "parent_visible": selectors.related_is_visible(request.user, agency.parent),
        "successor_visible": selectors.related_is_visible(request.user, agency.successor),
        "children": selectors.children_of(request.user, agency),
        "predecessors": selectors.predecessors_of(request.user, agency),
        "units": selectors.units_of(agency),
        "people": selectors.people_of(agency),
        "history": selectors.agency_history(agency, newest_first=True)[:HISTORY_SHOWN],
    }
    return render(request, "directory/agency_detail.html", context)


@login_required
@changes_agency
def agency_edit(request: HttpRequest, agency: Agency) -> HttpResponse:
    form = AgencyForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_agency(actor=_actor(request), agency=agency, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Đã lưu thông tin cơ quan."))
            return redirect("directory:agency_detail", agency.code)
    return render(request, "directory/agency_form.html", {"agency": agency, "form": form})


@login_required
@changes_agency
def unit_create(request: HttpRequest, agency: Agency) -> HttpResponse:
    form = UnitForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_unit(actor=_actor(request), agency=agency, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Đã thêm đơn vị."))
            return redirect("directory:agency_detail", agency.code)
    return render(request, "directory/unit_form.html", {"agency": agency, "form": form, "unit": None})


@login_required
@changes_agency
def unit_edit(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    unit = selectors.unit_for(agency, pk)
    form = UnitForm(request.POST or None, agency=agency, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_unit(actor=_actor(request), unit=unit, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Đã lưu đơn vị."))
            return redirect("directory:agency_detail", agency.code)
    return render(request, "directory/unit_form.html", {"agency": agency, "form": form, "unit": unit})


@login_required
def agency_people(request: HttpRequest, code: str) -> HttpResponse:
    """The people with a role in the agency; agency administrators also see revoked roles."""
    agency = selectors.agency_for(request.user, code)
    can_change = selectors.can_change_agency(request.user, agency)
    assignments = selectors.assignments_of(agency, include_revoked=can_change)
    page = Paginator(assignments, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "directory/agency_people.html", {"agency": agency, "page": page, "can_change": can_change}
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A person and the roles they hold in the agencies the viewer may see."""
    person = selectors.person_for(request.user, pk)
    roles = selectors.roles_seen_by(request.user, person)
    return render(request, "directory/person_detail.html", {"person": person, "roles": roles})


@login_required
@changes_agency
def role_grant(request: HttpRequest, agency: Agency) -> HttpResponse:
    form = RoleGrantForm(
        request.POST or None, agency=agency, may_grant_system_admin=selectors.is_system_admin(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = Person.objects.filter(username__iexact=data["username"].strip(), is_active=True).first()
        if person is None:
            form.add_error("username", _("Không có tài khoản đang hoạt động với tên đăng nhập này."))
        else:
            try:
                _assignment, changed = services.grant_role(
                    actor=_actor(request),
                    person=person,
                    agency=agency,
                    role=data["role"],
                    unit=data["unit"],
                    position=data["position"],
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                if changed:
                    messages.success(request, _("Đã phân quyền cho %(name)s.") % {"name": person})
                else:
                    messages.info(
                        request,
                        _("%(name)s đã có đúng vai trò này; không có gì thay đổi.") % {"name": person},
                    )
                return redirect("directory:agency_people", agency.code)
    return render(request, "directory/role_form.html", {"agency": agency, "form": form})


@login_required
@require_POST
@changes_agency
def role_revoke(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    assignment = selectors.assignment_for(agency, pk)
    if assignment.role == Role.SYSTEM_ADMIN and not selectors.is_system_admin(request.user):
        return _forbidden(request, PermissionDenied(_("Chỉ quản trị hệ thống được thu hồi vai trò này.")))
    services.revoke_role(actor=_actor(request), assignment=assignment)
    messages.success(
        request,
        _("Đã thu hồi vai trò %(role)s của %(name)s.")
        % {"role": assignment.get_role_display(), "name": assignment.person},
    )
    return redirect("directory:agency_people", agency.code)


@login_required
@changes_agency
def credentials(request: HttpRequest, agency: Agency) -> HttpResponse:
    """API credentials of external systems: list, issue (the token is shown once, here) and revoke."""
    form = CredentialForm(request.POST or None)
    token = None
    if request.method == "POST" and form.is_valid():
        try:
            _credential, token = services.create_api_credential(
                actor=_actor(request), agency=agency, name=form.cleaned_data["name"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            form = CredentialForm()
    response = render(
        request,
        "directory/credentials.html",
        {"agency": agency, "form": form, "token": token, "credentials": selectors.credentials_of(agency)},
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
@changes_agency
def credential_revoke(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    credential = selectors.credential_for(agency, pk)
    services.revoke_api_credential(actor=_actor(request), credential=credential)
    messages.success(request, _("Đã thu hồi khóa %(key)s.") % {"key": credential.key_id})
    return redirect("directory:credentials", agency.code)
