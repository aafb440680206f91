"""The directory in the Django admin. Identity shield: no page of it names a board member (their
people, memberships and accounts are left out of lists and choices); only the account
administration names accounts, and only the privacy role learns who a member is."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet

from beirat.directory import models, queries

for model in (
    models.Body,
    models.OrganizationalUnit,
    models.Committee,
    models.CommitteeName,
    models.PartnerOrganization,
    models.Cooperation,
    models.PartnerEvent,
):
    admin.site.register(model)


class ShieldedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Offers no board member's person or account in a choice (Person.user, a one-to-one
    field, is a foreign key too)."""

    def formfield_for_foreignkey(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        if db_field.name == "person":
            kwargs["queryset"] = queries.nameable_persons_for_staff()
        elif db_field.name == "user":
            kwargs["queryset"] = queries.accounts_for_staff()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(models.Person)
class PersonAdmin(ShieldedAdmin):
    def get_queryset(self, request: Any) -> QuerySet[models.Person]:
        return super().get_queryset(request).filter(pk__in=queries.nameable_persons_for_staff())


@admin.register(models.Membership)
class MembershipAdmin(ShieldedAdmin):
    def get_queryset(self, request: Any) -> QuerySet[models.Membership]:
        return super().get_queryset(request).exclude(person__in=queries.unnamed_persons())


@admin.register(models.PartnerContact)
class PartnerContactAdmin(ShieldedAdmin):
    def get_queryset(self, request: Any) -> QuerySet[models.PartnerContact]:
        return super().get_queryset(request).exclude(person__in=queries.unnamed_persons())


@admin.register(models.OfficeStaff)
class OfficeStaffAdmin(ShieldedAdmin):
    def get_queryset(self, request: Any) -> QuerySet[models.OfficeStaff]:
        return super().get_queryset(request).filter(user__in=queries.accounts_for_staff())
