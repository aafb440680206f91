"""IT management releases a submission's attachments to an office, forwarding by forwarding.

An office reads none of the attachments (they may carry what the citizen would not show an
office) unless IT management released them for that office's forwarding, when forwarding or
later on the submission's page; a release can be withdrawn. What the office may read is decided
in ``queries.attachments_visible_to_office()``. Every release and every withdrawal is one audit
entry on the forwarding, naming the attachment by its number (its file name may name a person).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from beirat.core import audit
from beirat.core.models import User
from beirat.submissions.models import Attachment, Forwarding

RELEASE = "submissions.release_attachment"
WITHDRAW = "submissions.withdraw_attachment"


def release_attachments(
    *, forwarding: Forwarding, attachments: Iterable[Attachment], actor: User
) -> None:
    """The office of ``forwarding`` may read exactly ``attachments`` from now on: those not yet
    released are released, released ones not named are withdrawn. Side effect: an audit entry
    for each attachment released or withdrawn (none when nothing changes)."""
    chosen = {item.pk: item for item in attachments}
    if any(item.submission_id != forwarding.submission_id for item in chosen.values()):
        raise ValidationError(
            {"attachments": gettext("Freigeben lassen sich nur Anhänge dieser Eingabe.")}
        )
    with transaction.atomic():
        # One change of the releases at a time: two people saving at once would otherwise
        # both compare with the same "before" and write audit entries that do not add up.
        Forwarding.objects.select_for_update().filter(pk=forwarding.pk).first()
        released = set(forwarding.released_attachments.values_list("pk", flat=True))
        added = sorted(chosen.keys() - released)
        withdrawn = sorted(released - chosen.keys())
        if added:
            forwarding.released_attachments.add(*added)
        if withdrawn:
            forwarding.released_attachments.remove(*withdrawn)
        for pk in added:
            _audit(forwarding, actor, RELEASE, before=None, after=pk)
        for pk in withdrawn:
            _audit(forwarding, actor, WITHDRAW, before=pk, after=None)


def _audit(
    forwarding: Forwarding, actor: User, action: str, *, before: int | None, after: int | None
) -> None:
    changes = {"attachment": {"before": before, "after": after}}
    audit.record(actor=actor, action=action, instance=forwarding, changes=changes)
