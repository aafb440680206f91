"""Retention rule for the board's expert requests (registered in BoardConfig.ready())."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from beirat.board.models import ExpertAnswer, ExpertRequest
from beirat.core import audit, retention


def _closed_with_content(cutoff: datetime.datetime) -> Iterable[int]:
    closed = ExpertRequest.objects.filter(status=ExpertRequest.Status.CLOSED, closed_at__lt=cutoff)
    due = closed.filter(~Q(excerpt="") | Q(answers__isnull=False)).distinct()
    return due.values_list("pk", flat=True)


def erase_request(pk: int) -> bool:
    request = ExpertRequest.objects.filter(pk=pk).first()
    if request is None or not (request.excerpt or request.answers.exists()):
        return False

    def work() -> bool:
        answer_ids = list(request.answers.values_list("pk", flat=True))
        request.answers.all().delete()
        request.excerpt = ""
        request.save(update_fields=["excerpt"])
        # The audit trail is kept longer than answers and excerpt: it must not keep them.
        with translation.override(settings.LANGUAGE_CODE):
            anyone = gettext("Mitglied des Beirats")
        audit.reduce_history(ExpertAnswer, answer_ids, actor_label=anyone)
        audit.reduce_history(ExpertRequest, [request.pk], fields={"excerpt"})
        return True

    return retention.erase_with_audit(
        action="board.retention.expert_request", instance=request, work=work
    )


def register() -> None:
    retention.register(
        retention.Rule(
            key="expert_requests",
            record_type=_("Fachfragen an den Digitalbeirat"),
            content=_(
                "der geschwärzte Auszug aus der Eingabe und die einzelnen Antworten der Mitglieder"
            ),
            starts=_("ab Schließen der Fachfrage"),
            then=_(
                "Auszug und Einzelantworten werden gelöscht, auch aus dem Protokoll der "
                "Änderungen (dort bleibt nur, dass und wann geantwortet wurde, ohne Pseudonym); "
                "Frage und veröffentlichte Stellungnahme des Beirats bleiben."
            ),
            legal_basis=_("Art. 6 Abs. 1 Buchst. e DSGVO"),
            due=_closed_with_content,
            erase=erase_request,
        )
    )
