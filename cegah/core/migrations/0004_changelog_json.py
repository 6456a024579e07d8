"""The change log's before/after as PostgreSQL ``json`` (``core.models.TextJSONField``).

Only PostgreSQL's column type changes; on SQLite both are text, and altering the field the
usual way would rebuild the table there and lose the indexes migration 0003 made by hand.
"""

from django.db import migrations

import cegah.core.models

COLUMNS = ("before", "after")


def column_type(name):
    def alter(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = schema_editor.quote_name("core_changelog")
        changes = ", ".join(
            f"ALTER COLUMN {schema_editor.quote_name(c)} TYPE {name} "
            f"USING {schema_editor.quote_name(c)}::{name}"
            for c in COLUMNS
        )
        schema_editor.execute(f"ALTER TABLE {table} {changes}")

    return alter


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_changelog_indexes_by_id"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="changelog",
                    name=name,
                    field=cegah.core.models.TextJSONField(
                        blank=True, null=True, verbose_name=name
                    ),
                )
                for name in COLUMNS
            ],
            database_operations=[
                migrations.RunPython(column_type("json"), column_type("jsonb")),
            ],
        ),
    ]
