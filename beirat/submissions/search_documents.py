"""Submissions as search documents for IT management only (see beirat.search.sources).

Title and text only: contact data is never indexed, so no search can reach it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from beirat.search.sources import TRIAGE, SearchDocument, Source, register
from beirat.submissions.models import Event, Submission

SUBMISSION = "submission"


def submission_documents(ids: Sequence[int]) -> Iterator[SearchDocument]:
    additions = Prefetch(
        "events", queryset=Event.objects.filter(kind=Event.Kind.INFO_ADDED), to_attr="additions"
    )
    submissions = Submission.objects.filter(pk__in=ids).select_related("topic")
    for submission in submissions.prefetch_related(additions):
        yield SearchDocument(
            kind=SUBMISSION,
            object_id=submission.pk,
            variant="",
            audiences=(TRIAGE,),
            title=submission.title,
            text="\n".join([str(submission.topic or ""), submission.text, *_additions(submission)]),
            url=reverse("submissions:staff_detail", kwargs={"pk": submission.pk}),
            type=SUBMISSION,
            date=timezone.localtime(submission.received_at).date(),
            status=f"{SUBMISSION}:{submission.status}",
        )


def _additions(submission: Submission) -> list[str]:
    return list(submission.events.filter(kind=Event.Kind.INFO_ADDED).values_list("text", flat=True))


register(
    Source(
        kind=SUBMISSION,
        model=Submission,
        documents=submission_documents,
        all_ids=lambda: Submission.objects.order_by("pk").values_list("pk", flat=True),
        is_public=lambda submission: False,
        # The submitter's additions are part of what triage searches.
        watches={Event: lambda event: [event.submission_id] if event.kind == "info_added" else []},
        type_labels={SUBMISSION: Submission._meta.verbose_name},
        status_labels={
            f"{SUBMISSION}:{value}": label for value, label in Submission.Status.choices
        },
    )
)
