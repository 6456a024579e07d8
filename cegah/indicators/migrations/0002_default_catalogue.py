"""Every install starts with the default catalogue (DESIGN §3). The loader only creates
what is missing, so running it on a database that already has some entries, or an admin's
edits, changes nothing that exists."""

from django.db import migrations


def load(apps, schema_editor):
    from cegah.indicators.catalogue import load_default_catalogue

    load_default_catalogue(apps)


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
