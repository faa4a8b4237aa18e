"""The citizen's key: code + secret, checked under the throttle (per address and per code).

Views and the API open a dossier or a feedback through here, so the throttle and the one generic
message apply to both the same way. Each look-up takes an attempt first (atomically, see
`portal/throttle.py`); a right pair gives it back.
"""

from __future__ import annotations

from django.conf import settings

from phucvu.core.exceptions import NotAllowed
from phucvu.core.throttle import address_in, client_address
from phucvu.dossiers.models import Dossier
from phucvu.portal import selectors, throttle
from phucvu.portal.models import Feedback, PortalAttempt, VoteChannel

FAILED = PortalAttempt.Kind.LOOKUP_FAILED


def open_dossier(*, code: str, secret: str, address: str) -> Dossier:
    """The dossier, or NotFound (one message whatever was wrong), or Throttled after too many failures."""
    attempt = throttle.take(FAILED, address, code=selectors.normalize_key(code))
    found = selectors.dossier_for_citizen(code=code, secret=secret)  # NotFound: the attempt stays, a miss
    throttle.release(attempt)
    return found


def open_feedback(*, code: str, secret: str, address: str) -> Feedback:
    attempt = throttle.take(FAILED, address, code=selectors.normalize_key(code))
    found = selectors.feedback_for_citizen(code=code, secret=secret)
    throttle.release(attempt)
    return found


def submission_allowed(address: str) -> None:
    """Count one public submission (dossier or feedback) from this address, refusing past the limit."""
    throttle.take(PortalAttempt.Kind.SUBMISSION, address)


def vote_channel(request) -> str:
    """The channel a citizen's vote comes by, or NotAllowed when it is not a citizen's.

    A signed-in cadre (or a request carrying an API token) may not cast a citizen's vote: the vote judges the
    cadres. The counter's voting device (a kiosk, its address in `PORTAL_KIOSK_NETWORKS`) opens the same page
    with no one signed in, and its votes are recorded as such; any other is online (docs/security.md §7).
    """
    user = getattr(request, "user", None)
    if (user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META \
            or "HTTP_X_API_KEY" in request.META:
        raise NotAllowed("Cán bộ đang đăng nhập không được đánh giá thay người dân. Mời người dân tự đánh giá "
                         "trên điện thoại của mình hoặc trên máy đánh giá tại quầy.")
    if address_in(client_address(request), getattr(settings, "PORTAL_KIOSK_NETWORKS", ())):
        return VoteChannel.KIOSK
    return VoteChannel.ONLINE
