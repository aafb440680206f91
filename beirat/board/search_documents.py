"""The board's statements and recommendations as search documents (see beirat.search.sources).

Nothing of a member is indexed: statements belong to the board, progress updates name offices.
Recommendations that are not public are found by IT management only.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from beirat.board import queries
from beirat.board.models import BoardStatement, OfficeAssignment, ProgressUpdate, Recommendation
from beirat.search.sources import PUBLIC, TRIAGE, SearchDocument, Source, register

STATEMENT = "statement"
RECOMMENDATION = "recommendation"


def statement_documents(ids: Sequence[int]) -> Iterator[SearchDocument]:
    for statement in BoardStatement.objects.filter(pk__in=ids):
        yield SearchDocument(
            kind=STATEMENT,
            object_id=statement.pk,
            variant="",
            audiences=(PUBLIC,),
            title=statement.title,
            text=statement.text,
            url=statement.get_absolute_url(),
            type=STATEMENT,
            date=timezone.localtime(statement.published_at).date(),
        )


def recommendation_documents(ids: Sequence[int]) -> Iterator[SearchDocument]:
    public_updates = Prefetch(
        "updates", queryset=queries.public_updates(), to_attr="public_updates"
    )
    found = Recommendation.objects.filter(pk__in=ids).prefetch_related(
        "assignments__office", public_updates
    )
    for item in found:
        pieces = [item.get_kind_display(), item.text]
        pieces += [str(assignment.office) for assignment in item.assignments.all()]
        pieces += [update.text for update in item.public_updates]
        if item.status == Recommendation.Status.NOT_IMPLEMENTED:
            pieces.append(item.reason)
        yield SearchDocument(
            kind=RECOMMENDATION,
            object_id=item.pk,
            variant="",
            audiences=(PUBLIC,) if item.public else (TRIAGE,),
            title=item.title,
            text="\n".join(piece for piece in pieces if piece),
            url=item.get_absolute_url()
            if item.public
            else reverse("board:staff_recommendation", kwargs={"pk": item.pk}),
            type=RECOMMENDATION,
            date=timezone.localtime(item.created_at).date(),
            status=f"{RECOMMENDATION}:{item.status}",
        )


register(
    Source(
        kind=STATEMENT,
        model=BoardStatement,
        documents=statement_documents,
        all_ids=lambda: BoardStatement.objects.order_by("pk").values_list("pk", flat=True),
        is_public=lambda statement: True,
        type_labels={STATEMENT: BoardStatement._meta.verbose_name},
    )
)

register(
    Source(
        kind=RECOMMENDATION,
        model=Recommendation,
        documents=recommendation_documents,
        all_ids=lambda: Recommendation.objects.order_by("pk").values_list("pk", flat=True),
        is_public=lambda item: item.public,
        watches={
            ProgressUpdate: lambda update: [update.recommendation_id],
            OfficeAssignment: lambda assignment: [assignment.recommendation_id],
        },
        type_labels={RECOMMENDATION: Recommendation._meta.verbose_name},
        status_labels={
            f"{RECOMMENDATION}:{value}": label for value, label in Recommendation.Status.choices
        },
    )
)
