from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from beirat.core.models import AuditEntry, OutboxMail, User

admin.site.register(User, UserAdmin)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["created_at", "actor_label", "action", "object_label"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_label", "actor_label"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        # Entries are written by the services only: a hand-made one would be a forged record,
        # and its form would list every account (board members included) as possible actors.
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # the audit trail is append-only

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(OutboxMail)
class OutboxMailAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["created_at", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status"]
