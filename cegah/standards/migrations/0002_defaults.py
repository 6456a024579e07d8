"""Every install starts with the default standards (one per family of site types, version
1, published) and the default drug-prone category rule. The loader only creates what is
missing, so an admin's versions are never touched."""

from django.db import migrations


def load(apps, schema_editor):
    from cegah.standards.defaults import load_defaults

    load_defaults(apps)


class Migration(migrations.Migration):
    dependencies = [("standards", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
