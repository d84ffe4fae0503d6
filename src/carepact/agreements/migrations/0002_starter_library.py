"""Install the starter clause library (version 1 of each clause) written by the project."""

from django.db import migrations


def install(apps, schema_editor):
    from carepact.agreements.starter import install as install_starter

    install_starter(
        apps.get_model("agreements", "Clause"), apps.get_model("agreements", "ClauseVersion")
    )


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
