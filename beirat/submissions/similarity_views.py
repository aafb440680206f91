"""Triage's similar-items panel: what it shows, the "nicht ähnlich" mark and the export of the
judged pairs. The panel reads stored vectors only (beirat/submissions/similarity.py)."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from beirat.core.access import staff_page
from beirat.core.roles import AnyUser
from beirat.search import queries as search
from beirat.search import services as search_services
from beirat.search import vectors
from beirat.search.models import SimilarityLabel
from beirat.submissions import queries, rules, similarity
from beirat.submissions.models import Submission

triage_page = staff_page(rules.can_triage)
SIMILAR_KINDS = ("submission", "paper", "mandate", "statement", "recommendation")


def _key(submission: Submission) -> str:
    return f"submission:{submission.pk}"


def panel(user: AnyUser, submission: Submission) -> dict[str, object]:
    """The panel's context: the suggestions, and whether they are compared by meaning yet."""
    vector = vectors.stored_vector("submission", submission.pk)
    if vector is None:
        _embed_soon(submission)
    exclude = [_key(submission), *search.judged_not_similar(_key(submission))]
    items = similarity.similar_items(
        user,
        f"{submission.title}\n{submission.text}",
        kinds=SIMILAR_KINDS,
        exclude=exclude,
        vector=vector,
    )
    return {
        "similar": items,
        "similar_by_meaning": vector is not None,
        "similar_threshold": round(similarity.THRESHOLD * 100),
    }


def _embed_soon(submission: Submission) -> None:
    """No vector yet (the worker is behind, or its task was lost): ask the worker again."""
    from beirat.search.tasks import PRIORITY, embed_texts

    try:
        embed_texts.using(priority=PRIORITY).enqueue([_key(submission)])
    except Exception:  # the page works without; the next view asks again
        return


@triage_page
@require_POST
def not_similar(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one suggestion "nicht ähnlich": it leaves this submission's panel and is kept as a
    labelled pair, with the numbers the panel showed."""
    submission = queries.get_submission_for_triage(pk)
    other = request.POST.get("vorschlag", "")
    kind, _colon, other_id = other.partition(":")
    detail = reverse("submissions:staff_detail", kwargs={"pk": submission.pk})
    found = (
        search.hits_for(request.user, [other], SIMILAR_KINDS)
        if kind in SIMILAR_KINDS and other_id.isdigit()
        else []
    )
    if not found or other == _key(submission):
        messages.error(request, _("Diesen Vorschlag gibt es nicht mehr."))
        return redirect(detail + "#aehnliche")
    record(submission, found[0], SimilarityLabel.Label.NOT_SIMILAR)
    messages.success(
        request,
        _("„%(title)s“ ist als nicht ähnlich vermerkt und wird hier nicht mehr vorgeschlagen.")
        % {"title": found[0].title},
    )
    return redirect(detail + "#aehnliche")


def record(submission: Submission, hit: search.Hit, label: str) -> None:
    """Keep the judgement of a pair with the score the panel gives it now."""
    vector = vectors.stored_vector("submission", submission.pk)
    item = similarity.rank(f"{submission.title}\n{submission.text}", [hit], vector=vector)[0]
    search_services.label_pair(
        key=_key(submission),
        other=item.key,
        label=label,
        score=item.score,
        cosine=item.cosine,
        lexical=similarity.lexical_score(
            f"{submission.title}\n{submission.text}", f"{hit.title}\n{hit.text}"
        ),
        model=vectors.model_name() if item.cosine is not None else "",
    )


def record_merge(submission: Submission, into: Submission, user: AnyUser) -> None:
    """A merge says: the same idea. Kept as a labelled pair like a "nicht ähnlich" mark."""
    found = search.hits_for(user, [_key(into)], SIMILAR_KINDS)
    if found:
        record(submission, found[0], SimilarityLabel.Label.SAME_IDEA)


@triage_page
def export_labels(request: HttpRequest) -> HttpResponse:
    """The judged pairs as CSV for the next calibration: ids, judgement and the numbers the panel
    gave, never a text, a name or who judged (texts of submissions may name people)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="aehnlichkeit-urteile-{stamp}.csv"'
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        ["kind", "id", "other_kind", "other_id", "label", "score", "cosine", "lexical", "model"]
    )
    for row in search.labelled_pairs():
        writer.writerow(
            [
                row.kind,
                row.object_id,
                row.other_kind,
                row.other_id,
                row.label,
                _number(row.score),
                _number(row.cosine),
                _number(row.lexical),
                row.model,
            ]
        )
    return response


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"
