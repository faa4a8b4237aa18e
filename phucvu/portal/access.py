"""The citizen's key: code + secret, checked under the throttle (per address and per code).

Views and the API open a dossier or a feedback through here, so the throttle and the one generic
message apply to both the same way. Each look-up takes an attempt first (atomically, see
`portal/throttle.py`); a right pair gives it back.
"""

from __future__ import annotations

from phucvu.dossiers.models import Dossier
from phucvu.portal import selectors, throttle
from phucvu.portal.models import Feedback, PortalAttempt

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

