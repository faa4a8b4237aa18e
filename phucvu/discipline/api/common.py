"""What the discipline API's routers share: the error shape, paging, the acting cadre."""

from __future__ import annotations

from django.http import HttpRequest

from phucvu.core.exceptions import NotAllowed
from phucvu.dossiers.api import ERRORS, MAX_PAGE
from phucvu.organization.models import Staff
from phucvu.organization.selectors import staff_of

__all__ = ["ERRORS", "actor", "bounds"]  # the one error shape of the API, as the dossiers' router defines it


def bounds(page: int, per_page: int) -> tuple[int, int]:
    return max(1, page), max(1, min(per_page, MAX_PAGE))


def actor(request: HttpRequest) -> Staff:
    staff = staff_of(request.user)
    if staff is None:
        raise NotAllowed("Tài khoản này không gắn với cán bộ nào nên không thực hiện được thao tác.")
    return staff
