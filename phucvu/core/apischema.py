"""What every app's JSON API answers the same way: the one error shape and the statuses it comes with.

`phucvu/api.py` turns every refusal (a `DomainError`, input the schema refuses, a missing login) into an
`Error`; an app's router names it for the statuses an operation may answer, so the OpenAPI schema has one
`Error` component, not one per app.
"""

from __future__ import annotations

from ninja import Schema


class Error(Schema):
    code: str
    message: str
    details: object | None = None


# A staff operation: outside the visibility rule or the table of who may act, not found, a stale version or
# a state that does not allow it, refused input.
ERRORS: dict[int, type[Error]] = {403: Error, 404: Error, 409: Error, 422: Error}
# A public (anonymous) operation: a wrong code or secret, refused input, the look-up throttle.
PUBLIC_ERRORS: dict[int, type[Error]] = {404: Error, 422: Error, 429: Error}

# A list operation answers at most this many items a page, whatever `per_page` asks.
MAX_PAGE = 200


def page_bounds(page: int, per_page: int) -> tuple[int, int]:
    """The page (from 1) and the page size (1 to MAX_PAGE) a list operation answers."""
    return max(1, page), max(1, min(per_page, MAX_PAGE))
