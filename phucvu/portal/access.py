"""The citizen's key: code + secret, checked under the per-address throttle.

Views and the API open a dossier or a feedback through here, so the throttle and the one generic
message apply to both the same way.
"""

from __future__ import annotations

from phucvu.core.exceptions import NotFound
from phucvu.dossiers.models import Dossier
from phucvu.portal import selectors, throttle
from phucvu.portal.models import Feedback, PortalAttempt

FAILED = PortalAttempt.Kind.LOOKUP_FAILED


def open_dossier(*, code: str, secret: str, address: str) -> Dossier:
    """The dossier, or NotFound (one message whatever was wrong), or Throttled after too many failures."""
    throttle.check(FAILED, address)
    try:
        return selectors.dossier_for_citizen(code=code, secret=secret)
    except NotFound:
        throttle.record(FAILED, address)
        raise


def open_feedback(*, code: str, secret: str, address: str) -> Feedback:
    throttle.check(FAILED, address)
    try:
        return selectors.feedback_for_citizen(code=code, secret=secret)
    except NotFound:
        throttle.record(FAILED, address)
        raise


def submission_allowed(address: str) -> None:
    """Count one public submission (dossier or feedback) from this address, refusing past the limit."""
    throttle.check(PortalAttempt.Kind.SUBMISSION, address)
    throttle.record(PortalAttempt.Kind.SUBMISSION, address)
