"""Every organisational unit gets the name citizens read: its designation, without the number."""

from django.db import migrations, models


def fill_public_names(apps, schema_editor):
    unit_model = apps.get_model("directory", "OrganizationalUnit")
    for unit in unit_model.objects.filter(public_name=""):
        unit.public_name = unit.name
        unit.save(update_fields=["public_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0002_committee_seat_count"),
    ]

    operations = [
        migrations.AddField(
            model_name="organizationalunit",
            name="public_name",
            field=models.CharField(
                default="",
                help_text=(
                    "So lesen Bürgerinnen und Bürger das Amt auf der Seite ihrer Eingabe und in "
                    "E-Mails, ohne Amtsnummer, zum Beispiel „Amt für Wirtschaftsförderung“. Es "
                    "steht in Sätzen wie „Ihre Eingabe wurde an das Amt für Wirtschaftsförderung "
                    "weitergeleitet.“"
                ),
                max_length=200,
                verbose_name="Bezeichnung für Bürgerinnen und Bürger",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_public_names, migrations.RunPython.noop),
    ]
