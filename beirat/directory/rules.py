"""Who may see and change what in the directory. The only place that decides it."""

from __future__ import annotations

from beirat.core.roles import AnyUser, Role, has_role
from beirat.directory.models import Committee, PartnerOrganization


def can_manage_directory(user: AnyUser) -> bool:
    return has_role(user, Role.ADMIN, Role.CLERK)


def can_view_committee(user: AnyUser, committee: Committee) -> bool:
    return committee.public or can_manage_directory(user)


def can_view_partner(user: AnyUser, partner: PartnerOrganization) -> bool:
    return partner.public or can_manage_directory(user)


def may_name_members_publicly(committee: Committee) -> bool:
    """Identity shield: the board's members are never named, only organisations taking part."""
    return not committee.is_advisory_board
