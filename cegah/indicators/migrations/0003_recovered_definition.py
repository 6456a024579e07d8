"""Derived site elements are disaggregated by site type (sites registered, functioning,
assessed and the maturity sum, each per type: ``dx=SITES_FUNCTIONING.smp``), they count
verified assessments only, and KAWASAN_RAWAN_RECOVERED counts what the drug-prone-area
register calls recovered: a category better than the village's previous assessment, not only
a move from bahaya/waspada to siaga/aman (issue 4). A definition an admin has edited is kept;
the disaggregation changes only where the element has no values yet."""

from django.db import migrations, models

SITE_TYPE_ELEMENTS = ("SITES_REGISTERED", "SITES_FUNCTIONING", "SITES_ASSESSED", "MATURITY_SUM")

# The shipped definitions before this migration: replaced only where still unedited.
OLD_DEFINITIONS = {
    "SITES_REGISTERED": (
        "Jumlah kawasan/lembaga sasaran (sekolah, tempat kerja, pelabuhan, bandara, desa, dan lainnya) yang terdaftar di Cegah pada akhir triwulan. Dihitung otomatis dari daftar kawasan.",
        "Number of target sites (schools, workplaces, ports, airports, villages and others) registered in Cegah at the end of the quarter. Computed from the site registry.",
    ),
    "SITES_FUNCTIONING": (
        "Jumlah kawasan yang penilaian terakhirnya bertingkat kematangan 3 atau lebih dan telah diverifikasi, pada akhir triwulan. Dihitung otomatis dari penilaian kawasan.",
        "Number of sites whose latest assessment has maturity 3 or more and is verified, at the end of the quarter. Computed from the site assessments.",
    ),
    "SITES_ASSESSED": (
        "Jumlah kawasan yang memiliki sekurang-kurangnya satu penilaian sistem pencegahan pada akhir triwulan. Penyebut rata-rata tingkat kematangan. Dihitung otomatis.",
        "Number of sites with at least one prevention-system assessment at the end of the quarter. The denominator of the mean maturity. Computed.",
    ),
    "MATURITY_SUM": (
        "Jumlah tingkat kematangan (0–4) penilaian terakhir setiap kawasan yang telah dinilai, pada akhir triwulan; dibagi jumlah kawasan yang dinilai menjadi rata-rata kematangan. Dihitung otomatis.",
        "Sum of the maturity levels (0–4) of each assessed site's latest assessment at the end of the quarter; divided by the sites assessed it gives the mean maturity. Computed.",
    ),
    "KAWASAN_RAWAN_RECOVERED": (
        "Jumlah desa/kawasan yang tahun sebelumnya berkategori bahaya atau waspada dan pada tahun pelaporan turun menjadi siaga atau aman. Dihitung otomatis dari riwayat penilaian kawasan rawan.",
        "Number of villages/areas in the danger or alert category the year before that moved down to standby or safe in the reporting year. Computed from the assessment history.",
    ),
}


def update(apps, schema_editor):
    from cegah.indicators.catalogue import DATA_ELEMENTS

    model = apps.get_model("indicators", "DataElement")
    value = apps.get_model("indicators", "DataValue")
    shipped = {e.code: e for e in DATA_ELEMENTS}
    for code, (old_id, old_en) in OLD_DEFINITIONS.items():
        element = shipped[code]
        model.objects.filter(code=code, definition_id=old_id).update(
            definition_id=element.definition_id
        )
        model.objects.filter(code=code, definition_en=old_en).update(
            definition_en=element.definition_en
        )
    for code in SITE_TYPE_ELEMENTS:
        if not value.objects.filter(data_element__code=code).exists():
            model.objects.filter(code=code, disaggregation="").update(disaggregation="site")


class Migration(migrations.Migration):
    dependencies = [("indicators", "0002_default_catalogue")]

    operations = [
        migrations.AlterField(
            model_name="dataelement",
            name="disaggregation",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "None"),
                    ("sex", "Sex"),
                    ("age", "Age band"),
                    ("sex_age", "Sex and age band"),
                    ("site", "Site type"),
                ],
                max_length=8,
                verbose_name="disaggregation",
            ),
        ),
        migrations.RunPython(update, migrations.RunPython.noop),
    ]
