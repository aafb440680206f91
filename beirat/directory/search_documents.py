"""Partner organisations as search documents (see beirat.search.sources).

Contact persons are left out on purpose: a partner's contact may also sit on the board, and
search must never become a way to connect a name with the board (identity shield).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from django.urls import reverse

from beirat.directory.models import Committee, Cooperation, PartnerEvent, PartnerOrganization
from beirat.search.sources import (
    COUNCIL,
    PUBLIC,
    SearchDocument,
    Source,
    register,
    register_facet_names,
)

PARTNER = "partner"


def partner_documents(ids: Sequence[int]) -> Iterator[SearchDocument]:
    partners = PartnerOrganization.objects.filter(pk__in=ids).prefetch_related(
        "cooperations", "events"
    )
    for partner in partners:
        pieces = [partner.short_name, partner.get_kind_display(), partner.description]
        for cooperation in partner.cooperations.all():
            pieces += [cooperation.title, cooperation.description]
        for event in partner.events.all():
            pieces += [event.title, event.description]
        yield SearchDocument(
            kind=PARTNER,
            object_id=partner.pk,
            variant="",
            audiences=(PUBLIC,) if partner.public else (COUNCIL,),
            title=partner.name,
            text="\n".join(piece for piece in pieces if piece),
            url=partner.get_absolute_url()
            if partner.public
            else reverse("directory:staff_partner", kwargs={"slug": partner.slug}),
            type=PARTNER,
        )


register(
    Source(
        kind=PARTNER,
        model=PartnerOrganization,
        documents=partner_documents,
        all_ids=lambda: PartnerOrganization.objects.order_by("pk").values_list("pk", flat=True),
        is_public=lambda partner: partner.public,
        watches={
            Cooperation: lambda cooperation: [cooperation.partner_id],
            PartnerEvent: lambda event: [event.partner_id],
        },
        type_labels={PARTNER: PartnerOrganization._meta.verbose_name},
    )
)


def committee_names() -> dict[int, str]:
    """Labels of the committee facet. Names of non-public committees are included: a facet
    only ever shows the committees of documents the viewer may see."""
    return dict(Committee.objects.values_list("pk", "name"))


register_facet_names("committee", committee_names, changed_by=(Committee,))
