import datetime

from beirat.core import audit
from beirat.core.models import AuditEntry
from beirat.core.roles import Role
from tests.factories.core import UserFactory, user_with_role
from tests.factories.directory import UnitFactory


def test_diff_lists_only_changed_values():
    before = {"name": "IT-Beirat", "public": True}
    after = {"name": "Digitalbeirat", "public": True}
    assert audit.diff(before, after) == {"name": {"before": "IT-Beirat", "after": "Digitalbeirat"}}


def test_snapshot_makes_dates_json_safe(db):
    unit = UnitFactory()
    unit.modified_at = datetime.datetime(2025, 6, 26, 12, 0, tzinfo=datetime.UTC)
    assert audit.snapshot(unit, ["modified_at"]) == {"modified_at": "2025-06-26T12:00:00+00:00"}


def test_record_keeps_the_actor_name_after_the_account_is_deleted(db):
    actor = UserFactory(username="sachbearbeitung")
    unit = UnitFactory()
    audit.record(actor=actor, action="unit.updated", instance=unit, changes={"x": 1})
    actor.delete()
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.actor_label, entry.object_id) == (
        None,
        "sachbearbeitung",
        str(unit.pk),
    )


def test_system_changes_are_recorded_as_system(db):
    audit.record(actor=None, action="unit.created", instance=UnitFactory())
    assert AuditEntry.objects.get().actor_label == "System"


def test_nobody_writes_an_audit_entry_by_hand_in_the_admin(client, db):
    operator = user_with_role(Role.ADMIN, username="betrieb", is_staff=True, is_superuser=True)
    client.force_login(operator)

    response = client.get("/admin/core/auditentry/add/")

    assert response.status_code == 403
    assert client.get("/admin/core/auditentry/").status_code == 200
