"""Background tasks of the council app."""

from __future__ import annotations

from beirat.core.background import retrying_task
from beirat.council.models import Paper


@retrying_task(max_attempts=3)
def render_paper_pdf(paper_id: int) -> None:
    """Render and store the official PDF of a paper after it changed."""
    from beirat.council.documents import store_pdf

    paper = Paper.objects.filter(pk=paper_id).first()
    if paper is None or not paper.reference:
        return
    store_pdf(paper)
