"""Every write to the agency tree and staff goes through here."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone

from phucvu.core.exceptions import DomainError, InvalidInput, InvalidTransition, NotFound
from phucvu.organization.models import (
    AUTHORITY_LEVEL,
    Agency,
    AgencyKind,
    ApiToken,
    Category,
    Level,
    Role,
    Staff,
    Succession,
    path_segment,
)

# API tokens (docs/security.md §6): the longest lifetime one may ask for, and how stale `last_used_at` may be.
MAX_TOKEN_DAYS = 730
LAST_USED_PRECISION = dt.timedelta(minutes=1)


def derive_level(kind: str, parent: Agency | None) -> str:
    """An authority has its own level; anything else serves the authority above it."""
    if kind in AUTHORITY_LEVEL:
        return AUTHORITY_LEVEL[AgencyKind(kind)]
    if parent is not None:
        return parent.level
    return Level.PROVINCE


def _place(agency: Agency) -> None:
    parent = agency.parent
    agency.level = derive_level(agency.kind, parent)
    agency.depth = 0 if parent is None else parent.depth + 1
    agency.path = (parent.path if parent else "") + path_segment(agency.pk)


def field_codes_text(codes: str | list[str]) -> str:
    """The fields a unit is in charge of as stored: codes without spaces around them, `|`-separated."""
    items = codes.split("|") if isinstance(codes, str) else codes
    return "|".join(c.strip() for c in items if c and c.strip())


@transaction.atomic
def agency_create(*, code: str, name: str, kind: str, parent: Agency | None = None, electronic_id: str = "",
                  unit_code: str = "", address: str = "", valid_from: dt.date | None = None,
                  valid_to: dt.date | None = None, field_codes: str | list[str] = "") -> Agency:
    if kind not in AgencyKind.values:
        raise InvalidInput(f"Loại đơn vị không hợp lệ: '{kind}'.")
    agency = Agency(code=code, name=name, kind=kind, parent=parent, electronic_id=electronic_id,
                    unit_code=unit_code, address=address, valid_from=valid_from, valid_to=valid_to,
                    level=derive_level(kind, parent), field_codes=field_codes_text(field_codes))
    agency.save()  # the id is needed for the path
    _place(agency)
    agency.save(update_fields=["level", "depth", "path"])
    return agency


@transaction.atomic
def agency_update(*, agency: Agency, **fields) -> Agency:
    """Change an agency; moving it under another parent re-roots its whole subtree in one statement."""
    old_path, old_depth = agency.path, agency.depth
    if "field_codes" in fields:
        fields["field_codes"] = field_codes_text(fields["field_codes"])
    for name, value in fields.items():
        setattr(agency, name, value)
    if agency.parent is not None and agency.parent.path.startswith(old_path):
        raise InvalidInput("Không thể đặt một đơn vị dưới chính nó hoặc đơn vị cấp dưới của nó.")
    _place(agency)
    agency.save()
    if agency.path != old_path:
        Agency.objects.filter(path__startswith=old_path).exclude(pk=agency.pk).update(
            path=Concat(Value(agency.path), Substr("path", len(old_path) + 1)),
            depth=F("depth") + (agency.depth - old_depth),
        )
    if "kind" in fields or "parent" in fields:
        _relevel_descendants(agency)
    return agency


def _relevel_descendants(root: Agency) -> None:
    for child in Agency.objects.filter(parent=root):
        level = derive_level(child.kind, root)
        if level != child.level:
            Agency.objects.filter(pk=child.pk).update(level=level)
            child.level = level
        _relevel_descendants(child)


@transaction.atomic
def agency_succeed(*, predecessors: list[Agency], successor: Agency, effective: dt.date,
                   kind: str = Succession.Kind.MERGE, legal_basis: str = "") -> list[Succession]:
    """Record a merge or split. Predecessors close the day before; their history is kept as it was."""
    links = []
    for old in predecessors:
        if old.pk == successor.pk:
            raise InvalidInput("Đơn vị không thể kế thừa chính nó.")
        if old.valid_to is None or old.valid_to >= effective:
            old.valid_to = effective - dt.timedelta(days=1)
            old.save(update_fields=["valid_to", "updated_at"])
        link, _ = Succession.objects.update_or_create(
            predecessor=old, successor=successor,
            defaults={"kind": kind, "effective": effective, "legal_basis": legal_basis},
        )
        links.append(link)
    # A transfer goes to a body that already existed (a district's work to the province): its dates stay.
    if kind != Succession.Kind.TRANSFER and (successor.valid_from is None or successor.valid_from > effective):
        successor.valid_from = effective
        successor.save(update_fields=["valid_from", "updated_at"])
    return links


@transaction.atomic
def staff_create(*, username: str, password: str = "", full_name: str, agency: Agency, role: str,
                 position: str = "", category: str = Category.CC, email: str = "",
                 scope: Agency | None = None, is_staff_admin: bool = False, password_hash: str = "") -> Staff:
    """A login and its staff row. `password_hash`: a hash already made (`make_password`), for creating many
    accounts with one password without hashing it for each (the demo)."""
    if role not in Role.values:
        raise InvalidInput(f"Vai trò không hợp lệ: '{role}'.")
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise InvalidInput(f"Tên đăng nhập '{username}' đã có.")
    parts = full_name.split()
    user = user_model(username=username, email=email, first_name=parts[-1] if parts else "",
                      last_name=" ".join(parts[:-1]), is_staff=is_staff_admin or role == Role.SYSTEM_ADMIN,
                      is_superuser=role == Role.SYSTEM_ADMIN)
    if password_hash:
        user.password = password_hash
    else:
        user.set_password(password)
    user.save()
    return Staff.objects.create(user=user, full_name=full_name, agency=agency, role=role, position=position,
                                category=category, scope=scope)


# Checks other apps register from their AppConfig.ready() that may refuse a change of a cadre (discipline: no
# transfer, appointment or leaving while a discipline case is open). Each gets the cadre and the changed
# fields as {name: (before, after)} and raises a DomainError to refuse.
STAFF_CHANGE_CHECKS: list[Callable[[Staff, dict[str, tuple[object, object]]], None]] = []
WATCHED_FIELDS = ("agency_id", "role", "position", "active")


def register_staff_change_check(check: Callable[[Staff, dict[str, tuple[object, object]]], None]) -> None:
    if check not in STAFF_CHANGE_CHECKS:
        STAFF_CHANGE_CHECKS.append(check)


@transaction.atomic
def staff_save(*, staff: Staff, **fields) -> Staff:
    """Create or change a staff row (the admin's path); the role and agency must be real."""
    for name, value in fields.items():
        setattr(staff, name, value)
    if staff.role not in Role.values:
        raise InvalidInput(f"Vai trò không hợp lệ: '{staff.role}'.")
    if staff.pk is not None and STAFF_CHANGE_CHECKS:
        before = Staff.objects.filter(pk=staff.pk).values(*WATCHED_FIELDS).first() or {}
        changes = {name: (before[name], getattr(staff, name)) for name in WATCHED_FIELDS
                   if name in before and before[name] != getattr(staff, name)}
        if changes:
            for check in STAFF_CHANGE_CHECKS:
                check(staff, changes)
    if staff.scope_id and staff.agency_id and staff.scope_id == staff.agency_id:
        staff.scope = None  # the same as no explicit scope
    staff.save()
    return staff


def api_token_issue(*, user, name: str = "", days: int | None = None, now: dt.datetime | None = None) -> str:
    """Create a token and return its clear text once; only the digest is kept. It expires after `days`
    (default `API_TOKEN_LIFETIME_DAYS`)."""
    return _issue(user=user, name=name, days=days, now=now)[1]


def _issue(*, user, name: str, days: int | None, now: dt.datetime | None) -> tuple[ApiToken, str]:
    lifetime = int(settings.API_TOKEN_LIFETIME_DAYS if days is None else days)
    if not 1 <= lifetime <= MAX_TOKEN_DAYS:
        raise InvalidInput(f"Thời hạn của khóa API phải từ 1 đến {MAX_TOKEN_DAYS} ngày, không phải {lifetime}.")
    now = now or timezone.now()
    clear = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name[:80], digest=token_digest(clear),
                                    expires_at=now + dt.timedelta(days=lifetime))
    return token, clear


def token_digest(clear: str) -> str:
    return hashlib.sha256(clear.encode()).hexdigest()


@transaction.atomic
def api_token_rotate(*, token_id: int, user=None, days: int | None = None) -> str:
    """Rotation: a new token for the same account and name, the old one revoked in the same transaction
    (`replaced_by` points to its successor). `user`: when given, the token must be theirs. Returns the new
    token's clear text."""
    old = ApiToken.objects.select_for_update().filter(pk=token_id).first()
    if old is None or (user is not None and old.user_id != user.pk):
        raise NotFound("Không tìm thấy khóa API này.")
    if old.revoked_at is not None:
        raise InvalidTransition("Khóa API này đã bị thu hồi, không đổi được; hãy cấp khóa mới.")
    now = timezone.now()
    new, clear = _issue(user=old.user, name=old.name, days=days, now=now)
    old.revoked_at, old.replaced_by = now, new
    old.save(update_fields=["revoked_at", "replaced_by"])
    return clear


def api_token_revoke(*, token_id: int) -> ApiToken:
    token = ApiToken.objects.filter(pk=token_id).first()
    if token is None:
        raise NotFound("Không tìm thấy khóa API này.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


class TokenExpired(DomainError):
    code = "token_expired"
    http_status = 401


def api_token_authenticate(clear: str, *, now: dt.datetime | None = None) -> ApiToken | None:
    """The token's row when it is valid (and its last use recorded, at most once a minute); None when it is
    unknown, revoked or its account is inactive; `TokenExpired` (a clear 401) past its expiry."""
    now = now or timezone.now()
    token = ApiToken.objects.select_related("user").filter(digest=token_digest(clear), revoked_at__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    if token.expires_at is None or token.expires_at <= now:
        when = timezone.localtime(token.expires_at).strftime("%d/%m/%Y %H:%M") if token.expires_at else "?"
        raise TokenExpired(f"Khóa API đã hết hạn lúc {when}. Hãy đổi khóa (phucvu api-token TÊN --rotate "
                           f"{token.pk}) hoặc xin cấp khóa mới.", details={"expired_at": when})
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        # One cheap UPDATE a minute per token at most, not one per request.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
