"""What the discipline API's routers share: the error shape, paging, the acting cadre."""

from __future__ import annotations

from django.http import HttpRequest

from phucvu.core.apischema import ERRORS, page_bounds
from phucvu.organization.models import Staff
from phucvu.organization.selectors import acting_staff

__all__ = ["ERRORS", "actor", "bounds"]  # the one error shape of the API (core.apischema)

bounds = page_bounds


def actor(request: HttpRequest) -> Staff:
    return acting_staff(request.user)
