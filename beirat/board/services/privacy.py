"""The privacy role's look at the link between accounts and pseudonyms: every look is audited."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from beirat.board.models import MemberPseudonym
from beirat.core import audit
from beirat.core.models import User

PSEUDONYMS_VIEWED = "privacy.pseudonyms_viewed"


def record_look(*, officer: User, shown: int) -> None:
    """Side effect: one audit entry naming the officer and how many links were shown (never
    which account is behind which pseudonym: the audit log is read by administrators)."""
    with translation.override(settings.LANGUAGE_CODE):
        label = gettext("Zuordnung der Pseudonyme zu Konten")
    with transaction.atomic():
        audit.record_access(
            actor=officer,
            action=PSEUDONYMS_VIEWED,
            model=MemberPseudonym,
            object_label=label,
            changes={"pseudonyms_shown": {"before": None, "after": shown}},
        )
