"""Reads of the agency tree, and THE visibility rule every list, detail, export and API goes through."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext

from phucvu.core.exceptions import NotAllowed, NotFound
from phucvu.core.text import fold
from phucvu.organization.models import AUTHORITY_LEVEL, Agency, AgencyKind, Role, Staff

# Roles that oversee the whole authority they belong to (a department's inspector sees the province).
OVERSIGHT_ROLES = {Role.INSPECTOR, Role.HR_OFFICER, Role.SYSTEM_ADMIN}


def staff_of(user) -> Staff | None:
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return None
    try:
        return user.staff
    except Staff.DoesNotExist:
        return None


def authority_of(agency: Agency) -> Agency:
    """The nearest ancestor-or-self that is a province, district or commune authority."""
    node: Agency | None = agency
    while node is not None and node.kind not in AUTHORITY_LEVEL:
        node = node.parent
    return node or agency


def scope_root(staff: Staff) -> Agency:
    """The root of the subtree a staff member may see.

    - an explicit scope wins;
    - inspectors, HR officers and admins see the whole authority they belong to;
    - everyone else sees their own agency's subtree, and a desk clerk the authority the desk serves
      (a commune desk clerk sees the commune).
    """
    if staff.scope_id and staff.scope is not None:
        return staff.scope
    agency = staff.agency
    if staff.role in OVERSIGHT_ROLES:
        return authority_of(agency)
    if agency.kind == AgencyKind.DESK and agency.parent_id and agency.parent is not None:
        return agency.parent
    return agency


def visible_agencies(user) -> QuerySet[Agency]:
    """THE visibility rule: the agencies whose records `user` may see. Superusers see everything."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return Agency.objects.all()
    staff = staff_of(user)
    if staff is None or not staff.active:
        return Agency.objects.none()
    root = scope_root(staff)
    return Agency.objects.filter(path__startswith=root.path)


def visible_agency_ids(user) -> QuerySet:
    return visible_agencies(user).values("pk")


def acting_staff(user) -> Staff:
    """The cadre behind an API call that acts: refused when the account is no cadre's."""
    staff = staff_of(user)
    if staff is None:
        raise NotAllowed("Tài khoản này không gắn với cán bộ nào nên không thực hiện được thao tác.")
    return staff


def can_see_agency(user, agency_id: int) -> bool:
    return visible_agencies(user).filter(pk=agency_id).exists()


def ensure_visible(user, agency_id: int) -> None:
    if not can_see_agency(user, agency_id):
        raise NotAllowed(gettext("Bạn không có quyền xem hoặc xử lý dữ liệu của đơn vị này."))


def agency_subtree(agency: Agency, *, include_self: bool = True) -> QuerySet[Agency]:
    qs = Agency.objects.filter(path__startswith=agency.path)
    return qs if include_self else qs.exclude(pk=agency.pk)


def agency_search(*, user, query: str = "", kind: str = "", level: str = "",
                  include_closed: bool = True) -> QuerySet[Agency]:

    qs = visible_agencies(user).select_related("parent")
    if query:
        key = fold(query)
        qs = qs.filter(Q(search_key__contains=key) | Q(code__iexact=query) | Q(electronic_id__iexact=query))
    if kind:
        qs = qs.filter(kind=kind)
    if level:
        qs = qs.filter(level=level)
    if not include_closed:
        qs = qs.filter(valid_to__isnull=True)
    return qs.order_by("path")


def agency_by_code(code: str) -> Agency | None:
    return Agency.objects.filter(code=code).first()


def agency_card(agency: Agency) -> dict:
    """What the agency page shows: ancestors, children, staff, and succession both ways."""
    ancestor_paths = [agency.path[:i] for i in range(8, len(agency.path), 8)]
    return {
        "agency": agency,
        "ancestors": list(Agency.objects.filter(path__in=ancestor_paths).order_by("depth")),
        "children": list(agency.children.order_by("kind", "name")),
        "staff": list(agency.staff.filter(active=True).order_by("role", "full_name")),
        "predecessors": list(agency.successions_in.select_related("predecessor")),
        "successors": list(agency.successions_out.select_related("successor")),
    }


def staff_search(*, user, query: str = "", role: str = "", category: str = "",
                 include_inactive: bool = False) -> QuerySet[Staff]:
    """Staff of the agencies `user` may see; `query` matches names without accents, usernames, agencies."""

    qs = Staff.objects.filter(agency__in=visible_agency_ids(user)).select_related("agency", "user")
    if query:
        key = fold(query)
        qs = qs.filter(Q(search_key__contains=key) | Q(user__username__iexact=query)
                       | Q(agency__search_key__contains=key))
    if role:
        qs = qs.filter(role=role)
    if category:
        qs = qs.filter(category=category)
    if not include_inactive:
        qs = qs.filter(active=True)
    return qs.order_by("search_key", "pk")


def agency_visible(*, user, agency_id: int) -> Agency:
    """One agency the user may see: 404 if there is none with that id, 403 if it is outside the scope."""

    if not Agency.objects.filter(pk=agency_id).exists():
        raise NotFound(gettext("Không tìm thấy đơn vị."))
    ensure_visible(user, agency_id)
    return Agency.objects.select_related("parent").get(pk=agency_id)


def scope_overview(user) -> dict:
    """What the home page shows of the organization: the scope's units by level, its people by category."""

    agencies = visible_agencies(user)
    active = agencies.filter(valid_to__isnull=True)
    by_level = dict(active.filter(kind__in=list(AUTHORITY_LEVEL)).values_list("level").annotate(n=Count("pk")))
    people = Staff.objects.filter(agency__in=agencies.values("pk"), active=True)
    by_category = dict(people.values_list("category").annotate(n=Count("pk")))
    return {
        "provinces": by_level.get("province", 0),
        "districts": by_level.get("district", 0),
        "communes": by_level.get("commune", 0),
        "desks": active.filter(kind__in=[AgencyKind.DESK, AgencyKind.CENTER]).count(),
        "closed": agencies.filter(valid_to__isnull=False).count(),
        "staff": sum(by_category.values()),
        "by_category": by_category,
    }
