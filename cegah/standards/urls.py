from django.urls import path

from . import views

urlpatterns = [
    # Standards: national reference data, changed by national admins only.
    path("standards/", views.standard_list, name="standard-list"),
    path("standards/<int:pk>/", views.standard_detail, name="standard-detail"),
    path("standards/<int:pk>/salin/", views.standard_copy, name="standard-copy"),
    path("standards/<int:pk>/ubah/", views.standard_edit, name="standard-edit"),
    path("standards/<int:pk>/terbitkan/", views.standard_publish, name="standard-publish"),
    path("standards/<int:pk>/hapus/", views.standard_delete, name="standard-delete"),
    path("standards/<int:pk>/komponen/baru/", views.component_form, name="component-create"),
    path(
        "standards/<int:pk>/komponen/<int:component_pk>/ubah/",
        views.component_form,
        name="component-edit",
    ),
    path(
        "standards/<int:pk>/komponen/<int:component_pk>/hapus/",
        views.component_delete,
        name="component-delete",
    ),
    # Assessments (penilaian) of sites.
    path("penilaian/", views.assessment_list, name="assessment-list"),
    path("penilaian/terlambat/", views.overdue_list, name="assessment-overdue"),
    path("penilaian/baru/<int:site_pk>/", views.assessment_create, name="assessment-create"),
    path("penilaian/<int:pk>/", views.assessment_detail, name="assessment-detail"),
    path("penilaian/<int:pk>/ubah/", views.assessment_edit, name="assessment-edit"),
    path("penilaian/<int:pk>/kirim/", views.assessment_submit, name="assessment-submit"),
    path("penilaian/<int:pk>/hapus/", views.assessment_delete, name="assessment-delete"),
    path("penilaian/<int:pk>/verifikasi/", views.assessment_verify, name="assessment-verify"),
    path("penilaian/<int:pk>/kembalikan/", views.assessment_return, name="assessment-return"),
    path(
        "penilaian/<int:pk>/batal-verifikasi/",
        views.assessment_unverify,
        name="assessment-unverify",
    ),
    path("penilaian/<int:pk>/bukti/", views.evidence_upload, name="evidence-upload"),
    path("penilaian/bukti/<int:pk>/", views.evidence_file, name="evidence-file"),
    path("penilaian/bukti/<int:pk>/hapus/", views.evidence_delete, name="evidence-delete"),
    # Drug-prone areas (kawasan rawan narkoba), per village per year.
    path("kawasan-rawan/", views.drug_prone_list, name="drug-prone-list"),
    path("kawasan-rawan/baru/", views.drug_prone_create, name="drug-prone-create"),
    path("kawasan-rawan/aturan/", views.category_rule, name="category-rule"),
    path("kawasan-rawan/<int:pk>/", views.drug_prone_detail, name="drug-prone-detail"),
    path("kawasan-rawan/<int:pk>/ubah/", views.drug_prone_edit, name="drug-prone-edit"),
]
