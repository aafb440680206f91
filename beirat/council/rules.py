"""Who may see and change council records. The only place that decides it."""

from __future__ import annotations

from beirat.core.roles import AnyUser, Role, has_role
from beirat.council.models import AgendaItem, Meeting, Paper


def can_manage_council(user: AnyUser) -> bool:
    return has_role(user, Role.CLERK, Role.ADMIN)


def can_view_paper(user: AnyUser, paper: Paper) -> bool:
    return paper.is_public or can_manage_council(user)


def can_view_meeting(user: AnyUser, meeting: Meeting) -> bool:
    return (meeting.public and meeting.committee.public) or can_manage_council(user)


def can_view_agenda_item(user: AnyUser, item: AgendaItem) -> bool:
    return item.public or can_manage_council(user)
