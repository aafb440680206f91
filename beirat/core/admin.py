from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from beirat.core.models import AuditEntry, OutboxMail, User

admin.site.register(User, UserAdmin)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["created_at", "actor_label", "action", "object_label"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_label", "actor_label"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # the audit trail is append-only

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(OutboxMail)
class OutboxMailAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["created_at", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status"]
