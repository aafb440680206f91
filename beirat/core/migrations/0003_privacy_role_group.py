from django.db import migrations

# The privacy role (beirat/core/roles.py): the only one that reads which account is behind a
# board member's pseudonym.
PRIVACY = "privacy"


def create_privacy_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name=PRIVACY)


def remove_privacy_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name=PRIVACY).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0002_role_groups")]

    operations = [migrations.RunPython(create_privacy_group, remove_privacy_group)]
