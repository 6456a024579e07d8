"""The default catalogue every install ships with: data elements, indicators, data sets
and validation rules of DESIGN §3 "Default catalogue", with the facts of
/work/shared/data/README.md. National admins may edit any of it; ``load_default_catalogue``
only creates what is missing, so an admin's edit is never overwritten.

Where a fact is marked *to verify* in the sources (lower IKOTAN bands, IKDR scale and
dimensions, the drug-prone-area bands other than bahaya), the entry is an editable default
and its definition names its source and says it needs verifying.

Derived data elements (``derived=True``) are computed by Cegah from its own records (sites,
assessments, commitments, drug-prone-area assessments, the region registry); they cannot be
typed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cegah.core.periods import MONTHLY, QUARTERLY, YEARLY

# Plain strings (not the model's TextChoices) so the data migration can use this module
# with historical models.
NUMBER, INTEGER, PERCENTAGE = "NUMBER", "INTEGER", "PERCENTAGE"
BOOLEAN, RUPIAH = "BOOLEAN", "RUPIAH"
SUM, AVERAGE, LAST, MAX, COUNT = "SUM", "AVERAGE", "LAST", "MAX", "COUNT"
PREVENTION, EMPOWERMENT, BOTH = "pencegahan", "pemberdayaan", "both"
DEMAND, SUPPLY = "demand", "supply"
SEX, AGE, SEX_AGE, SITE_TYPE = "sex", "age", "sex_age", "site"
HIGHER, LOWER = "higher", "lower"
OUTCOME, OUTPUT = "outcome", "output"

SOURCE_README = "Cegah, ringkasan fakta domain (shared/data/README.md)"


@dataclass(frozen=True)
class ElementDef:
    code: str
    name_id: str
    name_en: str
    definition_id: str
    definition_en: str
    value_type: str
    aggregation: str
    period_type: str
    field: str
    side: str = DEMAND
    disaggregation: str = ""
    min_value: float | None = None
    max_value: float | None = None
    derived: bool = False


@dataclass(frozen=True)
class IndicatorDef:
    code: str
    name_id: str
    name_en: str
    definition_id: str
    definition_en: str
    numerator: str
    denominator: str
    factor: float
    unit: str
    decimals: int
    direction: str
    kind: str
    field: str


@dataclass(frozen=True)
class DataSetDef:
    code: str
    name_id: str
    name_en: str
    definition_id: str
    definition_en: str
    period_type: str
    deadline_days: int
    # (data element code, required)
    elements: tuple[tuple[str, bool], ...] = field(default_factory=tuple)
    org_unit_kind: str = "regency"


@dataclass(frozen=True)
class RuleDef:
    code: str
    name_id: str
    name_en: str
    definition_id: str
    definition_en: str
    left: str
    operator: str
    right: str
    data_set: str | None


# ---------------------------------------------------------------------------------------
# Data elements

# A data table: one argument per line would triple its length.
# fmt: off
DATA_ELEMENTS: tuple[ElementDef, ...] = (
    # --- Deteksi dini (monthly screening) -------------------------------------------------
    ElementDef(
        "URINE_TESTED",
        "Peserta tes urine (deteksi dini)",
        "People screened by urine test (early detection)",
        "Jumlah orang yang menjalani tes urine dalam kegiatan deteksi dini pada bulan "
        "pelaporan, menurut jenis kelamin. Data agregat: tanpa nama dan tanpa hasil perorangan.",
        "Number of people who took a urine test in early-detection activities during the "
        "reporting month, by sex. Aggregate only: no names and no individual results.",
        INTEGER, SUM, MONTHLY, PREVENTION, DEMAND, SEX, min_value=0,
    ),
    ElementDef(
        "URINE_POSITIVE",
        "Hasil tes urine positif",
        "Positive urine tests",
        "Jumlah peserta tes urine dengan hasil positif narkotika pada bulan pelaporan, menurut "
        "jenis kelamin. Tidak boleh melebihi jumlah peserta tes urine.",
        "Number of people screened whose urine test was positive for narcotics during the "
        "reporting month, by sex. Never more than the number screened.",
        INTEGER, SUM, MONTHLY, PREVENTION, DEMAND, SEX, min_value=0,
    ),
    ElementDef(
        "REHAB_REFERRED",
        "Dirujuk ke layanan rehabilitasi",
        "Referred to rehabilitation",
        "Jumlah peserta dengan hasil tes urine positif yang dirujuk ke layanan rehabilitasi "
        "(IPWL, klinik BNN, puskesmas atau rumah sakit) pada bulan pelaporan.",
        "Number of people with a positive urine test who were referred to a rehabilitation "
        "service (IPWL, BNN clinic, community health centre or hospital) during the month.",
        INTEGER, SUM, MONTHLY, PREVENTION, DEMAND, min_value=0,
    ),
    ElementDef(
        "SCREENING_TARGET",
        "Sasaran deteksi dini",
        "Early-detection target population",
        "Jumlah orang di kawasan sasaran (siswa, pegawai, pekerja, warga) yang direncanakan "
        "mengikuti deteksi dini. Diisi setiap bulan; untuk triwulan dan tahun dipakai nilai "
        "bulan terakhir, lalu dijumlahkan antarwilayah.",
        "Number of people in the target sites (students, staff, workers, residents) planned "
        "to take part in early detection. Reported every month; a quarter or year uses the "
        "last month's value, summed across regions.",
        INTEGER, LAST, MONTHLY, PREVENTION, DEMAND, min_value=0,
    ),
    # --- Laporan Triwulan P2M (quarterly) -------------------------------------------------
    ElementDef(
        "ACTIVITIES_PREVENTION",
        "Kegiatan bidang Pencegahan",
        "Prevention activities",
        "Jumlah kegiatan bidang Pencegahan yang dilaksanakan pada triwulan: advokasi, "
        "diseminasi informasi (KIE), edukasi, ketahanan keluarga dan pendampingan Desa "
        "Bersinar. Keluaran (output), bukan hasil.",
        "Number of prevention activities held in the quarter: advocacy, information "
        "dissemination (IEC), education, family resilience and Desa Bersinar mentoring. "
        "An output, not an outcome.",
        INTEGER, SUM, QUARTERLY, PREVENTION, DEMAND, min_value=0,
    ),
    ElementDef(
        "ACTIVITIES_EMPOWERMENT",
        "Kegiatan bidang Pemberdayaan Masyarakat",
        "Community-empowerment activities",
        "Jumlah kegiatan Peran Serta Masyarakat dan Pemberdayaan Alternatif pada triwulan: "
        "rakernis, bimbingan teknis, asistensi, tes urine/deteksi dini, workshop penggiat, "
        "pemetaan, alih fungsi lahan, alih profesi dan kegiatan lainnya. Keluaran (output).",
        "Number of community-participation and alternative-development activities in the "
        "quarter: technical meetings, technical guidance, assistance, urine screening, "
        "activist workshops, mapping, land conversion, livelihood change and others. An output.",
        INTEGER, SUM, QUARTERLY, EMPOWERMENT, DEMAND, min_value=0,
    ),
    ElementDef(
        "ACTIVITY_PARTICIPANTS",
        "Peserta kegiatan P2M",
        "Participants in P2M activities",
        "Jumlah peserta seluruh kegiatan Pencegahan dan Pemberdayaan Masyarakat pada triwulan, "
        "menurut jenis kelamin dan kelompok umur. Orang yang mengikuti dua kegiatan dihitung "
        "dua kali. Keluaran (output).",
        "Number of participants in all prevention and community-empowerment activities in the "
        "quarter, by sex and age band. A person attending two activities counts twice. "
        "An output.",
        INTEGER, SUM, QUARTERLY, BOTH, DEMAND, SEX_AGE, min_value=0,
    ),
    ElementDef(
        "INFO_REACH",
        "Jangkauan diseminasi informasi",
        "People reached by information dissemination",
        "Perkiraan jumlah orang yang terjangkau diseminasi informasi P4GN (talk show, "
        "kampanye, pagelaran seni, insert konten, media sosial, podcast, radio) pada "
        "triwulan, menurut data penyelenggara atau platform.",
        "Estimated number of people reached by P4GN information dissemination (talk shows, "
        "campaigns, performances, content inserts, social media, podcasts, radio) in the "
        "quarter, from organiser or platform figures.",
        INTEGER, SUM, QUARTERLY, PREVENTION, DEMAND, min_value=0,
    ),
    ElementDef(
        "PENGGIAT_ACTIVE",
        "Penggiat P4GN aktif",
        "Active P4GN activists (penggiat)",
        "Jumlah penggiat/relawan anti narkoba yang aktif pada akhir triwulan, yaitu yang "
        "melaporkan kegiatan dalam tiga bulan terakhir (kuota yang dikenal: sekurang-kurangnya "
        "15 kegiatan per bulan). Untuk tahun dipakai nilai triwulan terakhir.",
        "Number of anti-drug activists/volunteers active at the end of the quarter, i.e. who "
        "reported activities in the last three months (known quota: at least 15 activities a "
        "month). A year uses the last quarter's value.",
        INTEGER, LAST, QUARTERLY, EMPOWERMENT, DEMAND, min_value=0,
    ),
    ElementDef(
        "PENGGIAT_TRAINED",
        "Penggiat yang mengikuti bimtek",
        "Activists trained",
        "Jumlah penggiat P4GN yang mengikuti bimtek penggiat P4GN atau workshop penggiat pada "
        "triwulan.",
        "Number of P4GN activists who attended activist technical guidance (bimtek) or an "
        "activist workshop in the quarter.",
        INTEGER, SUM, QUARTERLY, EMPOWERMENT, DEMAND, min_value=0,
    ),
    ElementDef(
        "DESA_BERSINAR",
        "Desa/Kelurahan Bersinar",
        "Drug-free villages (Desa/Kelurahan Bersinar)",
        "Jumlah desa/kelurahan yang telah dicanangkan sebagai Desa/Kelurahan Bersinar (Bersih "
        "Narkoba) sampai akhir triwulan, menurut Peraturan BNN Nomor 3 Tahun 2025. Nilai "
        "kumulatif: untuk tahun dipakai nilai triwulan terakhir.",
        "Number of villages launched as Desa/Kelurahan Bersinar (drug-free village) by the end "
        "of the quarter, under BNN Regulation 3/2025. Cumulative: a year uses the last "
        "quarter's value.",
        INTEGER, LAST, QUARTERLY, EMPOWERMENT, DEMAND, min_value=0,
    ),
    ElementDef(
        "AD_HECTARES_CONVERTED",
        "Luas alih fungsi lahan ganja (ha)",
        "Cannabis land converted (hectares)",
        "Luas lahan bekas tanaman ganja (hektare) yang dialihfungsikan menjadi tanaman "
        "produktif legal melalui Pemberdayaan Alternatif pada triwulan.",
        "Area of former cannabis land (hectares) converted to legal productive crops through "
        "alternative development in the quarter.",
        NUMBER, SUM, QUARTERLY, EMPOWERMENT, SUPPLY, min_value=0,
    ),
    ElementDef(
        "AD_LIVELIHOOD_CHANGED",
        "Warga alih profesi/usaha",
        "People changing livelihood",
        "Jumlah petani atau warga kawasan rawan yang beralih ke profesi atau usaha legal (alih "
        "jenis profesi/usaha) melalui Pemberdayaan Alternatif pada triwulan.",
        "Number of farmers or residents of drug-prone areas who moved to a legal occupation "
        "or business through alternative development in the quarter.",
        INTEGER, SUM, QUARTERLY, EMPOWERMENT, SUPPLY, min_value=0,
    ),
    ElementDef(
        "LIFE_SKILLS_PARTICIPANTS",
        "Peserta bimtek keterampilan hidup (life skill)",
        "Life-skills training participants",
        "Jumlah warga kawasan rawan yang mengikuti bimbingan teknis keterampilan hidup (life "
        "skill) dalam program Pemberdayaan Alternatif pada triwulan.",
        "Number of residents of drug-prone areas who attended life-skills technical guidance "
        "in the alternative-development programme in the quarter.",
        INTEGER, SUM, QUARTERLY, EMPOWERMENT, SUPPLY, min_value=0,
    ),
    ElementDef(
        "TRAFFICKING_REPORTS",
        "Laporan peredaran gelap dari kanal kawasan",
        "Trafficking reports from site channels",
        "Jumlah laporan dugaan peredaran gelap narkotika yang diterima melalui kanal pengaduan "
        "kawasan (sekolah, tempat kerja, desa, pelabuhan, bandara) pada triwulan.",
        "Number of reports of suspected drug trafficking received through the sites' reporting "
        "channels (schools, workplaces, villages, ports, airports) in the quarter.",
        INTEGER, SUM, QUARTERLY, BOTH, SUPPLY, min_value=0,
    ),
    ElementDef(
        "TRAFFICKING_FORWARDED",
        "Laporan diteruskan ke pemberantasan",
        "Reports forwarded to interdiction",
        "Jumlah laporan dugaan peredaran gelap yang diteruskan ke bidang Pemberantasan BNN "
        "atau kepolisian untuk ditindaklanjuti pada triwulan.",
        "Number of reports of suspected trafficking forwarded to BNN's interdiction division "
        "or the police for follow-up in the quarter.",
        INTEGER, SUM, QUARTERLY, BOTH, SUPPLY, min_value=0,
    ),
    # --- Laporan Tahunan Komitmen Daerah (yearly) -----------------------------------------
    ElementDef(
        "PERDA_P4GN_ADOPTED",
        "Perda P4GN berlaku",
        "P4GN regional regulation in force",
        "Ya bila kabupaten/kota memiliki Peraturan Daerah (Perda) tentang fasilitasi P4GN yang "
        "berlaku pada tahun pelaporan. Dijumlahkan sebagai banyaknya kabupaten/kota yang "
        "memiliki Perda P4GN.",
        "Yes when the regency/city has a regional regulation (Perda) on P4GN in force in the "
        "reporting year. Adds up to the number of regencies/cities with a Perda P4GN.",
        BOOLEAN, COUNT, YEARLY, BOTH, DEMAND,
    ),
    ElementDef(
        "RAD_P4GN_ADOPTED",
        "RAD P4GN ditetapkan",
        "P4GN regional action plan adopted",
        "Ya bila kabupaten/kota memiliki Rencana Aksi Daerah (RAD) P4GN yang ditetapkan dan "
        "berlaku pada tahun pelaporan.",
        "Yes when the regency/city has an adopted P4GN regional action plan (RAD) in force in "
        "the reporting year.",
        BOOLEAN, COUNT, YEARLY, BOTH, DEMAND,
    ),
    ElementDef(
        "TIM_TERPADU_FORMED",
        "Tim Terpadu P4GN dibentuk",
        "P4GN integrated team formed",
        "Ya bila kepala daerah telah menetapkan surat keputusan Tim Terpadu P4GN yang berlaku "
        "pada tahun pelaporan.",
        "Yes when the head of the region has issued a decree forming a P4GN integrated team "
        "(Tim Terpadu) in force in the reporting year.",
        BOOLEAN, COUNT, YEARLY, BOTH, DEMAND,
    ),
    ElementDef(
        "APBD_P4GN_RUPIAH",
        "Anggaran APBD untuk P4GN",
        "Regional budget (APBD) for P4GN",
        "Jumlah anggaran APBD kabupaten/kota yang dialokasikan untuk kegiatan P4GN pada tahun "
        "anggaran, dalam rupiah.",
        "Regency/city budget (APBD) allocated to P4GN activities in the budget year, in rupiah.",
        RUPIAH, SUM, YEARLY, BOTH, DEMAND, min_value=0,
    ),
    ElementDef(
        "DANA_DESA_P4GN_RUPIAH",
        "Dana Desa untuk P4GN",
        "Village funds (Dana Desa) for P4GN",
        "Jumlah Dana Desa (APBDes) seluruh desa di kabupaten yang dialokasikan untuk kegiatan "
        "P4GN pada tahun anggaran, dalam rupiah.",
        "Village funds (Dana Desa, village budgets) of all villages in the regency allocated "
        "to P4GN activities in the budget year, in rupiah.",
        RUPIAH, SUM, YEARLY, EMPOWERMENT, DEMAND, min_value=0,
    ),
    ElementDef(
        "IKOTAN_SCORE",
        "Skor IKOTAN",
        "IKOTAN score",
        "Nilai Indeks Kabupaten/Kota Tanggap Ancaman Narkoba (IKOTAN) hasil pengukuran "
        "tahunan, skala 1–4, dari lima variabel: ketahanan keluarga, ketahanan masyarakat, "
        "kewilayahan, kelembagaan dan hukum. Di atas kabupaten/kota, skor dijumlahkan lalu "
        "dibagi jumlah kabupaten/kota yang diukur (indikator Rata-rata IKOTAN). Kategori: "
        "sangat tanggap 3,533–4,000; tanggap 3,065–3,532; cukup tanggap 2,600–3,064; batas "
        "kategori di bawahnya perlu verifikasi. Sumber: " + SOURCE_README + ".",
        "Score of the Regency/City Drug-Threat Responsiveness Index (IKOTAN) from the yearly "
        "measurement, scale 1–4, over five variables: family resilience, community "
        "resilience, territory, institutions and law. Above the regency the scores are summed "
        "and divided by the number of regencies measured (indicator IKOTAN mean). Bands: very "
        "responsive 3.533–4.000; responsive 3.065–3.532; fairly responsive 2.600–3.064; the "
        "lower bands are to be verified. Source: " + SOURCE_README + ".",
        NUMBER, LAST, YEARLY, BOTH, DEMAND, min_value=1, max_value=4,
    ),
    ElementDef(
        "IKOTAN_MEASURED",
        "IKOTAN diukur",
        "IKOTAN measured",
        "Ya bila IKOTAN kabupaten/kota diukur pada tahun pelaporan. Penyebut Rata-rata IKOTAN.",
        "Yes when the regency/city's IKOTAN was measured in the reporting year. The "
        "denominator of the IKOTAN mean.",
        BOOLEAN, COUNT, YEARLY, BOTH, DEMAND,
    ),
    ElementDef(
        "IKDR_SCORE",
        "Skor IKDR",
        "IKDR score",
        "Nilai Indeks Ketahanan Diri Remaja (IKDR) kabupaten/kota hasil pengukuran tahunan; "
        "pengukuran BNNP/BNNK dirangkum secara nasional oleh Direktorat Informasi dan Edukasi. "
        "Skala 0–100 dan dimensinya perlu verifikasi (nilai bawaan yang dapat diubah). "
        "Sumber: " + SOURCE_README + ".",
        "Youth Self-Resilience Index (IKDR) score of the regency/city from the yearly "
        "measurement; BNNP/BNNK measurements are rolled up nationally by the Directorate of "
        "Information and Education. The 0–100 scale and the dimensions are to be verified "
        "(an editable default). Source: " + SOURCE_README + ".",
        NUMBER, LAST, YEARLY, PREVENTION, DEMAND, min_value=0, max_value=100,
    ),
    ElementDef(
        "IKDR_MEASURED",
        "IKDR diukur",
        "IKDR measured",
        "Ya bila IKDR kabupaten/kota diukur pada tahun pelaporan. Penyebut Rata-rata IKDR.",
        "Yes when the regency/city's IKDR was measured in the reporting year. The denominator "
        "of the IKDR mean.",
        BOOLEAN, COUNT, YEARLY, PREVENTION, DEMAND,
    ),
    ElementDef(
        "FAMILY_RESILIENCE_INDEX",
        "Indeks Ketahanan Keluarga",
        "Family resilience index",
        "Nilai Indeks Ketahanan Keluarga anti narkoba kabupaten/kota hasil pengukuran tahunan, "
        "dalam persen. Target nasional 2021: sekurang-kurangnya 78,67%. Sumber: "
        + SOURCE_README + ".",
        "The regency/city's anti-drug family resilience index from the yearly measurement, "
        "in percent. National target for 2021: at least 78.67%. Source: " + SOURCE_README + ".",
        PERCENTAGE, LAST, YEARLY, PREVENTION, DEMAND, min_value=0, max_value=100,
    ),
    ElementDef(
        "FAMILY_RESILIENCE_MEASURED",
        "Ketahanan keluarga diukur",
        "Family resilience measured",
        "Ya bila Indeks Ketahanan Keluarga kabupaten/kota diukur pada tahun pelaporan. "
        "Penyebut rata-ratanya.",
        "Yes when the regency/city's family resilience index was measured in the reporting "
        "year. The denominator of its mean.",
        BOOLEAN, COUNT, YEARLY, PREVENTION, DEMAND,
    ),
    # --- Derived by Cegah -------------------------------------------------------------------
    ElementDef(
        "REGENCIES",
        "Kabupaten/kota",
        "Regencies and cities",
        "Bernilai 1 untuk setiap kabupaten/kota setiap tahun, diisi otomatis dari daftar "
        "wilayah Kemendagri; dijumlahkan menjadi banyaknya kabupaten/kota di provinsi dan "
        "nasional. Penyebut indikator pangsa kabupaten/kota.",
        "1 for every regency/city every year, filled in from the Kemendagri region registry; "
        "adds up to the number of regencies/cities of a province and of the country. The "
        "denominator of the regency-share indicators.",
        INTEGER, LAST, YEARLY, BOTH, DEMAND, min_value=0, derived=True,
    ),
    ElementDef(
        "IKOTAN_TANGGAP",
        "IKOTAN tanggap atau sangat tanggap",
        "IKOTAN responsive or better",
        "Ya bila skor IKOTAN kabupaten/kota sekurang-kurangnya 3,065 (kategori tanggap atau "
        "sangat tanggap). Dihitung otomatis dari skor IKOTAN.",
        "Yes when the regency/city's IKOTAN score is at least 3.065 (responsive or very "
        "responsive). Computed from the IKOTAN score.",
        BOOLEAN, COUNT, YEARLY, BOTH, DEMAND, derived=True,
    ),
    ElementDef(
        "SITES_REGISTERED",
        "Kawasan terdaftar",
        "Sites registered",
        "Jumlah kawasan/lembaga sasaran (sekolah, tempat kerja, pelabuhan, bandara, desa, dan "
        "lainnya) yang terdaftar di Cegah pada akhir triwulan, per jenis kawasan. Kawasan "
        "terhitung terdaftar sejak didaftarkan atau sejak tanggal penilaian terverifikasi "
        "pertamanya, mana yang lebih dulu. Dihitung otomatis dari daftar kawasan.",
        "Number of target sites (schools, workplaces, ports, airports, villages and others) "
        "registered in Cegah at the end of the quarter, by site type. A site counts from its "
        "registration or from the date of its first verified assessment, whichever is "
        "earlier. Computed from the site registry.",
        INTEGER, LAST, QUARTERLY, BOTH, DEMAND, min_value=0, derived=True,
        disaggregation=SITE_TYPE,
    ),
    ElementDef(
        "SITES_FUNCTIONING",
        "Kawasan dengan sistem pencegahan berfungsi",
        "Sites with a functioning prevention system",
        "Jumlah kawasan yang penilaian terverifikasi terakhirnya (menurut tanggal penilaian) "
        "bertingkat kematangan 3 atau lebih, pada akhir triwulan, per jenis kawasan. Dihitung "
        "otomatis dari penilaian kawasan.",
        "Number of sites whose latest verified assessment (by assessment date) has maturity "
        "3 or more, at the end of the quarter, by site type. Computed from the site "
        "assessments.",
        INTEGER, LAST, QUARTERLY, BOTH, DEMAND, min_value=0, derived=True,
        disaggregation=SITE_TYPE,
    ),
    ElementDef(
        "SCHOOL_SITES_REGISTERED",
        "Satuan pendidikan terdaftar",
        "Schools registered",
        "Jumlah satuan pendidikan (SD, SMP, SMA, SMK, MI, MTs, MA, pesantren, perguruan "
        "tinggi) yang terdaftar sebagai kawasan pada akhir triwulan. Dihitung otomatis.",
        "Number of schools (primary, junior and senior secondary, vocational, madrasah, "
        "pesantren, university) registered as sites at the end of the quarter. Computed.",
        INTEGER, LAST, QUARTERLY, PREVENTION, DEMAND, min_value=0, derived=True,
    ),
    ElementDef(
        "SCHOOL_SITES_FUNCTIONING",
        "Satuan pendidikan dengan sistem pencegahan berfungsi",
        "Schools with a functioning prevention system",
        "Jumlah satuan pendidikan yang penilaian terakhirnya bertingkat kematangan 3 atau "
        "lebih dan telah diverifikasi, pada akhir triwulan. Dihitung otomatis.",
        "Number of schools whose latest assessment has maturity 3 or more and is verified, at "
        "the end of the quarter. Computed.",
        INTEGER, LAST, QUARTERLY, PREVENTION, DEMAND, min_value=0, derived=True,
    ),
    ElementDef(
        "SITES_ASSESSED",
        "Kawasan yang telah dinilai",
        "Sites assessed",
        "Jumlah kawasan yang memiliki sekurang-kurangnya satu penilaian sistem pencegahan "
        "terverifikasi pada akhir triwulan, per jenis kawasan. Penyebut rata-rata tingkat "
        "kematangan. Dihitung otomatis.",
        "Number of sites with at least one verified prevention-system assessment at the end "
        "of the quarter, by site type. The denominator of the mean maturity. Computed.",
        INTEGER, LAST, QUARTERLY, BOTH, DEMAND, min_value=0, derived=True,
        disaggregation=SITE_TYPE,
    ),
    ElementDef(
        "MATURITY_SUM",
        "Jumlah tingkat kematangan",
        "Sum of maturity levels",
        "Jumlah tingkat kematangan (0–4) penilaian terverifikasi terakhir setiap kawasan yang "
        "telah dinilai, pada akhir triwulan, per jenis kawasan; dibagi jumlah kawasan yang "
        "dinilai menjadi rata-rata kematangan. Dihitung otomatis.",
        "Sum of the maturity levels (0–4) of each assessed site's latest verified assessment "
        "at the end of the quarter, by site type; divided by the sites assessed it gives the "
        "mean maturity. Computed.",
        NUMBER, LAST, QUARTERLY, BOTH, DEMAND, min_value=0, derived=True,
        disaggregation=SITE_TYPE,
    ),
    ElementDef(
        "COMMITMENTS_DUE",
        "Komitmen jatuh tempo",
        "Commitments due",
        "Jumlah komitmen pemangku kepentingan (Perda, RAD, Tim Terpadu, anggaran, kebijakan "
        "kawasan, Satgas, dan lainnya) yang jatuh tempo pada triwulan. Dihitung otomatis dari "
        "daftar komitmen.",
        "Number of stakeholder commitments (Perda, RAD, integrated team, budget, site policy, "
        "task force and others) due in the quarter. Computed from the commitments.",
        INTEGER, SUM, QUARTERLY, BOTH, DEMAND, min_value=0, derived=True,
    ),
    ElementDef(
        "COMMITMENTS_FULFILLED",
        "Komitmen terpenuhi",
        "Commitments fulfilled",
        "Jumlah komitmen yang jatuh tempo pada triwulan dan berstatus terpenuhi. Dihitung "
        "otomatis dari daftar komitmen.",
        "Number of commitments due in the quarter that are fulfilled. Computed from the "
        "commitments.",
        INTEGER, SUM, QUARTERLY, BOTH, DEMAND, min_value=0, derived=True,
    ),
    ElementDef(
        "KAWASAN_RAWAN_ASSESSED",
        "Kawasan rawan narkoba yang dinilai",
        "Drug-prone areas assessed",
        "Jumlah desa/kawasan yang dinilai kerawanan narkobanya pada tahun pelaporan (8 "
        "indikator utama dan 5 indikator pendukung). Dihitung otomatis dari penilaian kawasan "
        "rawan.",
        "Number of villages/areas assessed for drug-proneness in the reporting year (8 main "
        "and 5 supporting indicators). Computed from the drug-prone-area assessments.",
        INTEGER, LAST, YEARLY, EMPOWERMENT, SUPPLY, min_value=0, derived=True,
    ),
    ElementDef(
        "KAWASAN_RAWAN_BAHAYA",
        "Kawasan rawan kategori bahaya",
        "Drug-prone areas: danger (bahaya)",
        "Jumlah desa/kawasan yang penilaian tahun pelaporan berkategori bahaya (aturan yang "
        "dipublikasikan: sekurang-kurangnya 5 indikator utama dan 4 indikator pendukung). "
        "Dihitung otomatis dari penilaian kawasan rawan.",
        "Number of villages/areas whose assessment in the reporting year is in the danger "
        "category (the published rule: at least 5 main and 4 supporting indicators). Computed "
        "from the drug-prone-area assessments.",
        INTEGER, LAST, YEARLY, EMPOWERMENT, SUPPLY, min_value=0, derived=True,
    ),
    ElementDef(
        "KAWASAN_RAWAN_WASPADA",
        "Kawasan rawan kategori waspada",
        "Drug-prone areas: alert (waspada)",
        "Jumlah desa/kawasan yang penilaian tahun pelaporan berkategori waspada. Batas "
        "kategori dapat diatur dan perlu verifikasi. Sumber: " + SOURCE_README + ".",
        "Number of villages/areas whose assessment in the reporting year is in the alert "
        "category. The band is configurable and to be verified. Source: " + SOURCE_README + ".",
        INTEGER, LAST, YEARLY, EMPOWERMENT, SUPPLY, min_value=0, derived=True,
    ),
    ElementDef(
        "KAWASAN_RAWAN_SIAGA",
        "Kawasan rawan kategori siaga",
        "Drug-prone areas: standby (siaga)",
        "Jumlah desa/kawasan yang penilaian tahun pelaporan berkategori siaga. Batas kategori "
        "dapat diatur dan perlu verifikasi. Sumber: " + SOURCE_README + ".",
        "Number of villages/areas whose assessment in the reporting year is in the standby "
        "category. The band is configurable and to be verified. Source: " + SOURCE_README + ".",
        INTEGER, LAST, YEARLY, EMPOWERMENT, SUPPLY, min_value=0, derived=True,
    ),
    ElementDef(
        "KAWASAN_RAWAN_AMAN",
        "Kawasan rawan kategori aman",
        "Drug-prone areas: safe (aman)",
        "Jumlah desa/kawasan yang penilaian tahun pelaporan berkategori aman. Batas kategori "
        "dapat diatur dan perlu verifikasi. Sumber: " + SOURCE_README + ".",
        "Number of villages/areas whose assessment in the reporting year is in the safe "
        "category. The band is configurable and to be verified. Source: " + SOURCE_README + ".",
        INTEGER, LAST, YEARLY, EMPOWERMENT, SUPPLY, min_value=0, derived=True,
    ),
    ElementDef(
        "KAWASAN_RAWAN_RECOVERED",
        "Kawasan rawan yang pulih",
        "Drug-prone areas recovered",
        "Jumlah desa/kawasan yang kategori tahun pelaporannya lebih baik daripada kategori "
        "penilaian sebelumnya (misalnya bahaya menjadi siaga). Dihitung otomatis dari riwayat "
        "penilaian kawasan rawan.",
        "Number of villages/areas whose category in the reporting year is better than at "
        "their previous assessment (for example danger to standby). Computed from the "
        "assessment history.",
        INTEGER, SUM, YEARLY, EMPOWERMENT, SUPPLY, min_value=0, derived=True,
    ),
)
# fmt: on


# ---------------------------------------------------------------------------------------
# Indicators (computed, never stored: each data element is aggregated first, then the
# formula is applied, so a province's ratio is the sum of numerators over the sum of
# denominators of its regencies).


def _share(code, name_id, name_en, element, what_id, what_en) -> IndicatorDef:
    return IndicatorDef(
        code,
        name_id,
        name_en,
        f"Persentase kabupaten/kota yang {what_id} pada tahun pelaporan: banyaknya "
        f"kabupaten/kota dengan jawaban ya dibagi banyaknya kabupaten/kota, dikali 100.",
        f"Share of regencies/cities that {what_en} in the reporting year: the number "
        f"answering yes divided by the number of regencies/cities, times 100.",
        f"#{{{element}}}",
        "#{REGENCIES}",
        100,
        "%",
        1,
        HIGHER,
        OUTCOME,
        BOTH,
    )


# A data table: one argument per line would triple its length.
# fmt: off
INDICATORS: tuple[IndicatorDef, ...] = (
    IndicatorDef(
        "SCREENING_POSITIVITY",
        "Tingkat positif tes urine",
        "Urine screening positivity",
        "Persentase peserta tes urine dengan hasil positif: hasil positif dibagi peserta tes "
        "urine, dikali 100. Makin rendah makin baik.",
        "Share of people screened whose urine test was positive: positives divided by people "
        "screened, times 100. Lower is better.",
        "#{URINE_POSITIVE}", "#{URINE_TESTED}", 100, "%", 1, LOWER, OUTCOME, PREVENTION,
    ),
    IndicatorDef(
        "SCREENING_COVERAGE",
        "Cakupan deteksi dini",
        "Early-detection coverage",
        "Persentase sasaran deteksi dini yang menjalani tes urine: peserta tes urine dibagi "
        "sasaran deteksi dini (nilai bulan terakhir), dikali 100.",
        "Share of the early-detection target population that took a urine test: people "
        "screened divided by the target population (last month's value), times 100.",
        "#{URINE_TESTED}", "#{SCREENING_TARGET}", 100, "%", 1, HIGHER, OUTPUT, PREVENTION,
    ),
    IndicatorDef(
        "REHAB_REFERRAL_RATE",
        "Tingkat rujukan rehabilitasi",
        "Referral rate to rehabilitation",
        "Persentase peserta dengan hasil tes urine positif yang dirujuk ke layanan "
        "rehabilitasi, dikali 100.",
        "Share of people with a positive urine test who were referred to rehabilitation, "
        "times 100.",
        "#{REHAB_REFERRED}", "#{URINE_POSITIVE}", 100, "%", 1, HIGHER, OUTCOME, PREVENTION,
    ),
    IndicatorDef(
        "FUNCTIONING_SYSTEM_COVERAGE",
        "Cakupan sistem pencegahan yang berfungsi",
        "Functioning prevention-system coverage",
        "Persentase kawasan terdaftar yang sistem pencegahannya berfungsi (kematangan 3 atau "
        "lebih, terverifikasi), dikali 100.",
        "Share of registered sites whose prevention system is functioning (maturity 3 or "
        "more, verified), times 100.",
        "#{SITES_FUNCTIONING}", "#{SITES_REGISTERED}", 100, "%", 1, HIGHER, OUTCOME, BOTH,
    ),
    IndicatorDef(
        "SCHOOL_FUNCTIONING_COVERAGE",
        "Cakupan sistem pencegahan berfungsi di satuan pendidikan",
        "Functioning prevention-system coverage in schools",
        "Persentase satuan pendidikan terdaftar yang sistem pencegahannya berfungsi, dikali "
        "100.",
        "Share of registered schools whose prevention system is functioning, times 100.",
        "#{SCHOOL_SITES_FUNCTIONING}", "#{SCHOOL_SITES_REGISTERED}", 100, "%", 1, HIGHER,
        OUTCOME, PREVENTION,
    ),
    IndicatorDef(
        "MEAN_MATURITY",
        "Rata-rata tingkat kematangan kawasan",
        "Mean site maturity",
        "Rata-rata tingkat kematangan (0–4) penilaian terakhir kawasan yang telah dinilai: "
        "jumlah tingkat kematangan dibagi banyaknya kawasan yang dinilai.",
        "Mean maturity level (0–4) of the assessed sites' latest assessments: the sum of "
        "maturity levels divided by the number of sites assessed.",
        "#{MATURITY_SUM}", "#{SITES_ASSESSED}", 1, "0–4", 2, HIGHER, OUTCOME, BOTH,
    ),
    IndicatorDef(
        "IKOTAN_MEAN",
        "Rata-rata IKOTAN",
        "IKOTAN mean",
        "Rata-rata skor IKOTAN (skala 1–4) kabupaten/kota yang diukur: jumlah skor dibagi "
        "banyaknya kabupaten/kota yang diukur. 2021: nasional 3,1 dari 173 kabupaten/kota "
        "dengan BNNK.",
        "Mean IKOTAN score (scale 1–4) of the regencies/cities measured: the sum of scores "
        "divided by the number measured. 2021: 3.1 nationally over the 173 regencies/cities "
        "with a BNNK.",
        "#{IKOTAN_SCORE}", "#{IKOTAN_MEASURED}", 1, "1–4", 2, HIGHER, OUTCOME, BOTH,
    ),
    IndicatorDef(
        "IKOTAN_TANGGAP_SHARE",
        "Kabupaten/kota IKOTAN tanggap",
        "Regencies rated IKOTAN responsive",
        "Persentase kabupaten/kota yang diukur dengan kategori IKOTAN tanggap atau sangat "
        "tanggap (skor 3,065 ke atas), dikali 100.",
        "Share of the regencies/cities measured rated responsive or very responsive on IKOTAN "
        "(score 3.065 or more), times 100.",
        "#{IKOTAN_TANGGAP}", "#{IKOTAN_MEASURED}", 100, "%", 1, HIGHER, OUTCOME, BOTH,
    ),
    IndicatorDef(
        "IKDR_MEAN",
        "Rata-rata IKDR",
        "IKDR mean",
        "Rata-rata skor Indeks Ketahanan Diri Remaja kabupaten/kota yang diukur: jumlah skor "
        "dibagi banyaknya kabupaten/kota yang diukur. Skala perlu verifikasi.",
        "Mean Youth Self-Resilience Index score of the regencies/cities measured: the sum of "
        "scores divided by the number measured. The scale is to be verified.",
        "#{IKDR_SCORE}", "#{IKDR_MEASURED}", 1, "0–100", 1, HIGHER, OUTCOME, PREVENTION,
    ),
    IndicatorDef(
        "FAMILY_RESILIENCE_MEAN",
        "Rata-rata Indeks Ketahanan Keluarga",
        "Family resilience index mean",
        "Rata-rata Indeks Ketahanan Keluarga kabupaten/kota yang diukur: jumlah nilai dibagi "
        "banyaknya kabupaten/kota yang diukur. Target nasional 2021: 78,67%.",
        "Mean family resilience index of the regencies/cities measured: the sum of values "
        "divided by the number measured. National target for 2021: 78.67%.",
        "#{FAMILY_RESILIENCE_INDEX}", "#{FAMILY_RESILIENCE_MEASURED}", 1, "%", 1, HIGHER,
        OUTCOME, PREVENTION,
    ),
    _share(
        "PERDA_P4GN_SHARE", "Kabupaten/kota dengan Perda P4GN",
        "Regencies with a Perda P4GN", "PERDA_P4GN_ADOPTED",
        "memiliki Perda P4GN yang berlaku", "have a P4GN regional regulation in force",
    ),
    _share(
        "RAD_P4GN_SHARE", "Kabupaten/kota dengan RAD P4GN",
        "Regencies with a P4GN action plan (RAD)", "RAD_P4GN_ADOPTED",
        "memiliki RAD P4GN yang ditetapkan", "have an adopted P4GN regional action plan",
    ),
    _share(
        "TIM_TERPADU_SHARE", "Kabupaten/kota dengan Tim Terpadu P4GN",
        "Regencies with a P4GN integrated team", "TIM_TERPADU_FORMED",
        "memiliki Tim Terpadu P4GN", "have a P4GN integrated team",
    ),
    IndicatorDef(
        "APBD_P4GN",
        "Anggaran APBD untuk P4GN",
        "Regional budget (APBD) for P4GN",
        "Jumlah anggaran APBD kabupaten/kota untuk P4GN dalam rupiah, dijumlahkan antarwilayah.",
        "Regency/city budget (APBD) for P4GN in rupiah, summed across regions.",
        "#{APBD_P4GN_RUPIAH}", "1", 1, "Rp", 0, HIGHER, OUTCOME, BOTH,
    ),
    IndicatorDef(
        "DANA_DESA_P4GN",
        "Dana Desa untuk P4GN",
        "Village funds (Dana Desa) for P4GN",
        "Jumlah Dana Desa untuk P4GN dalam rupiah, dijumlahkan antarwilayah.",
        "Village funds (Dana Desa) for P4GN in rupiah, summed across regions.",
        "#{DANA_DESA_P4GN_RUPIAH}", "1", 1, "Rp", 0, HIGHER, OUTCOME, EMPOWERMENT,
    ),
    IndicatorDef(
        "COMMITMENTS_FULFILLED_RATE",
        "Komitmen terpenuhi tepat waktu",
        "Commitments fulfilled on time",
        "Persentase komitmen yang jatuh tempo pada periode dan telah terpenuhi, dikali 100.",
        "Share of the commitments due in the period that are fulfilled, times 100.",
        "#{COMMITMENTS_FULFILLED}", "#{COMMITMENTS_DUE}", 100, "%", 1, HIGHER, OUTCOME, BOTH,
    ),
    IndicatorDef(
        "DESA_BERSINAR_COUNT",
        "Desa/Kelurahan Bersinar",
        "Drug-free villages (Desa Bersinar)",
        "Banyaknya desa/kelurahan yang telah dicanangkan sebagai Desa/Kelurahan Bersinar pada "
        "akhir periode.",
        "Number of villages launched as Desa/Kelurahan Bersinar at the end of the period.",
        "#{DESA_BERSINAR}", "1", 1, "desa", 0, HIGHER, OUTCOME, EMPOWERMENT,
    ),
    IndicatorDef(
        "KAWASAN_RAWAN_HIGH",
        "Kawasan rawan bahaya dan waspada",
        "Drug-prone areas in danger or alert",
        "Banyaknya desa/kawasan berkategori bahaya atau waspada menurut penilaian kawasan "
        "rawan tahun pelaporan. Makin rendah makin baik. Nasional: 8.743 menjadi 8.691 pada "
        "2021 setelah 60 kawasan pulih.",
        "Number of villages/areas in the danger or alert category in the reporting year's "
        "drug-prone-area assessment. Lower is better. Nationally 8,743 → 8,691 in 2021 after "
        "60 areas recovered.",
        "#{KAWASAN_RAWAN_BAHAYA} + #{KAWASAN_RAWAN_WASPADA}", "1", 1, "kawasan", 0, LOWER,
        OUTCOME, EMPOWERMENT,
    ),
    IndicatorDef(
        "KAWASAN_RAWAN_HIGH_SHARE",
        "Pangsa kawasan rawan bahaya dan waspada",
        "Share of drug-prone areas in danger or alert",
        "Persentase kawasan yang dinilai dengan kategori bahaya atau waspada, dikali 100. "
        "Makin rendah makin baik.",
        "Share of the assessed areas in the danger or alert category, times 100. Lower is "
        "better.",
        "#{KAWASAN_RAWAN_BAHAYA} + #{KAWASAN_RAWAN_WASPADA}", "#{KAWASAN_RAWAN_ASSESSED}", 100,
        "%", 1, LOWER, OUTCOME, EMPOWERMENT,
    ),
    IndicatorDef(
        "KAWASAN_RAWAN_AMAN_SHARE",
        "Pangsa kawasan berkategori aman",
        "Share of assessed areas rated safe",
        "Persentase kawasan yang dinilai dengan kategori aman, dikali 100. Contoh: NTB 2024, "
        "504 dari 1.143 desa berkategori aman (6 bahaya, 63 waspada, 570 siaga).",
        "Share of the assessed areas in the safe category, times 100. Example: NTB 2024, 504 "
        "of 1,143 villages safe (6 danger, 63 alert, 570 standby).",
        "#{KAWASAN_RAWAN_AMAN}", "#{KAWASAN_RAWAN_ASSESSED}", 100, "%", 1, HIGHER, OUTCOME,
        EMPOWERMENT,
    ),
    IndicatorDef(
        "KAWASAN_RAWAN_SIAGA_COUNT",
        "Kawasan rawan kategori siaga",
        "Drug-prone areas on standby (siaga)",
        "Banyaknya desa/kawasan berkategori siaga menurut penilaian kawasan rawan tahun "
        "pelaporan.",
        "Number of villages/areas in the standby category in the reporting year's assessment.",
        "#{KAWASAN_RAWAN_SIAGA}", "1", 1, "kawasan", 0, LOWER, OUTCOME, EMPOWERMENT,
    ),
    IndicatorDef(
        "KAWASAN_RAWAN_RECOVERED_COUNT",
        "Kawasan rawan yang pulih",
        "Drug-prone areas recovered",
        "Banyaknya desa/kawasan yang turun dari kategori bahaya atau waspada menjadi siaga "
        "atau aman.",
        "Number of villages/areas that moved down from danger or alert to standby or safe.",
        "#{KAWASAN_RAWAN_RECOVERED}", "1", 1, "kawasan", 0, HIGHER, OUTCOME, EMPOWERMENT,
    ),
    IndicatorDef(
        "PENGGIAT_ACTIVE_COUNT",
        "Penggiat P4GN aktif",
        "Active P4GN activists",
        "Banyaknya penggiat/relawan anti narkoba yang aktif pada akhir periode. Target "
        "nasional 2020: 6.350 relawan terkonfirmasi.",
        "Number of anti-drug activists/volunteers active at the end of the period. National "
        "target for 2020: 6,350 confirmed volunteers.",
        "#{PENGGIAT_ACTIVE}", "1", 1, "orang", 0, HIGHER, OUTCOME, EMPOWERMENT,
    ),
    IndicatorDef(
        "AD_HECTARES",
        "Luas alih fungsi lahan ganja",
        "Cannabis land converted",
        "Luas lahan ganja (hektare) yang dialihfungsikan ke tanaman produktif legal.",
        "Area of cannabis land (hectares) converted to legal productive crops.",
        "#{AD_HECTARES_CONVERTED}", "1", 1, "ha", 1, HIGHER, OUTCOME, EMPOWERMENT,
    ),
    IndicatorDef(
        "AD_LIVELIHOOD",
        "Warga alih profesi/usaha",
        "People changing livelihood",
        "Banyaknya petani atau warga kawasan rawan yang beralih ke profesi atau usaha legal.",
        "Number of farmers or residents of drug-prone areas who moved to a legal occupation "
        "or business.",
        "#{AD_LIVELIHOOD_CHANGED}", "1", 1, "orang", 0, HIGHER, OUTCOME, EMPOWERMENT,
    ),
    IndicatorDef(
        "TRAFFICKING_FORWARD_RATE",
        "Laporan peredaran gelap yang diteruskan",
        "Trafficking reports forwarded to interdiction",
        "Persentase laporan dugaan peredaran gelap dari kanal kawasan yang diteruskan ke "
        "pemberantasan, dikali 100.",
        "Share of suspected-trafficking reports from site channels forwarded to interdiction, "
        "times 100.",
        "#{TRAFFICKING_FORWARDED}", "#{TRAFFICKING_REPORTS}", 100, "%", 1, HIGHER, OUTCOME,
        BOTH,
    ),
    IndicatorDef(
        "ACTIVITIES_TOTAL",
        "Kegiatan P2M (keluaran)",
        "P2M activities (output)",
        "Banyaknya kegiatan bidang Pencegahan dan Pemberdayaan Masyarakat. Keluaran "
        "(output): menunjukkan upaya, bukan hasil.",
        "Number of prevention and community-empowerment activities. An output: it shows "
        "effort, not results.",
        "#{ACTIVITIES_PREVENTION} + #{ACTIVITIES_EMPOWERMENT}", "1", 1, "kegiatan", 0, HIGHER,
        OUTPUT, BOTH,
    ),
    IndicatorDef(
        "ACTIVITY_PARTICIPANTS_TOTAL",
        "Peserta kegiatan P2M (keluaran)",
        "P2M activity participants (output)",
        "Banyaknya peserta kegiatan Pencegahan dan Pemberdayaan Masyarakat (orang yang ikut "
        "dua kegiatan dihitung dua kali). Keluaran (output).",
        "Number of participants in prevention and community-empowerment activities (a person "
        "attending two activities counts twice). An output.",
        "#{ACTIVITY_PARTICIPANTS}", "1", 1, "orang", 0, HIGHER, OUTPUT, BOTH,
    ),
    IndicatorDef(
        "INFO_REACH_TOTAL",
        "Jangkauan diseminasi informasi (keluaran)",
        "Information dissemination reach (output)",
        "Perkiraan banyaknya orang yang terjangkau diseminasi informasi P4GN. Keluaran "
        "(output).",
        "Estimated number of people reached by P4GN information dissemination. An output.",
        "#{INFO_REACH}", "1", 1, "orang", 0, HIGHER, OUTPUT, PREVENTION,
    ),
)
# fmt: on


# ---------------------------------------------------------------------------------------
# Data sets

DATA_SETS: tuple[DataSetDef, ...] = (
    DataSetDef(
        "SKRINING_BULANAN",
        "Laporan Bulanan Deteksi Dini",
        "Monthly early-detection report",
        "Laporan bulanan BNNK (atau BNNP untuk kabupaten/kota tanpa BNNK) tentang tes urine, "
        "hasil positif dan rujukan rehabilitasi di wilayahnya. Data agregat, tanpa nama.",
        "Monthly report of a BNNK (or the BNNP for a regency without a BNNK) on urine tests, "
        "positive results and referrals to rehabilitation in its area. Aggregate, no names.",
        MONTHLY,
        10,
        (
            ("URINE_TESTED", True),
            ("URINE_POSITIVE", True),
            ("REHAB_REFERRED", True),
            ("SCREENING_TARGET", False),
        ),
    ),
    DataSetDef(
        "P2M_TRIWULAN",
        "Laporan Triwulan P2M",
        "Quarterly P2M report",
        "Laporan triwulan bidang Pencegahan dan Pemberdayaan Masyarakat per kabupaten/kota: "
        "kegiatan dan pesertanya, diseminasi informasi, penggiat, Desa Bersinar, Pemberdayaan "
        "Alternatif, dan laporan peredaran gelap dari kanal kawasan. Dikirim BNNK ke BNNP, "
        "lalu ke BNN RI.",
        "Quarterly report of the prevention and community-empowerment divisions per "
        "regency/city: activities and participants, information dissemination, activists, "
        "Desa Bersinar, alternative development and trafficking reports from site channels. "
        "Sent by the BNNK to the BNNP, then to BNN RI.",
        QUARTERLY,
        15,
        (
            ("ACTIVITIES_PREVENTION", True),
            ("ACTIVITIES_EMPOWERMENT", True),
            ("ACTIVITY_PARTICIPANTS", True),
            ("INFO_REACH", False),
            ("PENGGIAT_ACTIVE", True),
            ("PENGGIAT_TRAINED", False),
            ("DESA_BERSINAR", True),
            ("AD_HECTARES_CONVERTED", False),
            ("AD_LIVELIHOOD_CHANGED", False),
            ("LIFE_SKILLS_PARTICIPANTS", False),
            ("TRAFFICKING_REPORTS", True),
            ("TRAFFICKING_FORWARDED", True),
        ),
    ),
    DataSetDef(
        "KOMITMEN_TAHUNAN",
        "Laporan Tahunan Komitmen Daerah dan Indeks",
        "Yearly report on regional commitment and indices",
        "Laporan tahunan per kabupaten/kota tentang komitmen pemerintah daerah (Perda P4GN, "
        "RAD P4GN, Tim Terpadu, anggaran APBD dan Dana Desa) dan hasil pengukuran IKOTAN, "
        "IKDR dan Indeks Ketahanan Keluarga.",
        "Yearly report per regency/city on the local government's commitment (Perda P4GN, "
        "RAD P4GN, integrated team, APBD and Dana Desa budgets) and the results of the "
        "IKOTAN, IKDR and family resilience measurements.",
        YEARLY,
        31,
        (
            ("PERDA_P4GN_ADOPTED", True),
            ("RAD_P4GN_ADOPTED", True),
            ("TIM_TERPADU_FORMED", True),
            ("APBD_P4GN_RUPIAH", True),
            ("DANA_DESA_P4GN_RUPIAH", False),
            ("IKOTAN_MEASURED", True),
            ("IKOTAN_SCORE", False),
            ("IKDR_MEASURED", False),
            ("IKDR_SCORE", False),
            ("FAMILY_RESILIENCE_MEASURED", False),
            ("FAMILY_RESILIENCE_INDEX", False),
        ),
    ),
)


# ---------------------------------------------------------------------------------------
# Validation rules


def _rule(code, left, operator, right, data_set, name_id, name_en, why_id, why_en) -> RuleDef:
    return RuleDef(code, name_id, name_en, why_id, why_en, left, operator, right, data_set)


# A data table: one argument per line would triple its length.
# fmt: off
VALIDATION_RULES: tuple[RuleDef, ...] = (
    _rule(
        "URINE_POSITIVE_LE_TESTED", "#{URINE_POSITIVE}", "<=", "#{URINE_TESTED}",
        "SKRINING_BULANAN",
        "Hasil positif tidak melebihi peserta tes urine",
        "Positive tests do not exceed people screened",
        "Jumlah hasil tes urine positif tidak mungkin lebih besar dari jumlah peserta tes urine.",
        "There cannot be more positive urine tests than people screened.",
    ),
    _rule(
        "REHAB_REFERRED_LE_POSITIVE", "#{REHAB_REFERRED}", "<=", "#{URINE_POSITIVE}",
        "SKRINING_BULANAN",
        "Rujukan rehabilitasi tidak melebihi hasil positif",
        "Referrals do not exceed positive tests",
        "Yang dirujuk ke rehabilitasi adalah peserta dengan hasil positif, jadi jumlahnya tidak "
        "melebihi hasil positif.",
        "Referrals to rehabilitation come from positive tests, so there cannot be more of them.",
    ),
    _rule(
        "URINE_TESTED_LE_TARGET", "#{URINE_TESTED}", "<=", "#{SCREENING_TARGET}",
        "SKRINING_BULANAN",
        "Peserta tes urine sebulan tidak melebihi sasaran",
        "People screened in a month do not exceed the target population",
        "Dalam satu bulan, peserta tes urine tidak melebihi seluruh sasaran deteksi dini; "
        "periksa salah ketik.",
        "In one month, the people screened do not exceed the whole target population; check "
        "for a typing error.",
    ),
    _rule(
        "TRAFFICKING_FORWARDED_LE_REPORTS", "#{TRAFFICKING_FORWARDED}", "<=",
        "#{TRAFFICKING_REPORTS}", "P2M_TRIWULAN",
        "Laporan diteruskan tidak melebihi laporan diterima",
        "Reports forwarded do not exceed reports received",
        "Laporan yang diteruskan ke pemberantasan berasal dari laporan kanal kawasan.",
        "Reports forwarded to interdiction come from the reports received through site "
        "channels.",
    ),
    _rule(
        "IKOTAN_SCORE_NEEDS_MEASUREMENT", "#{IKOTAN_SCORE}", "<=", "4 * #{IKOTAN_MEASURED}",
        "KOMITMEN_TAHUNAN",
        "Skor IKOTAN hanya bila IKOTAN diukur",
        "An IKOTAN score only when IKOTAN was measured",
        "Skor IKOTAN diisi hanya bila IKOTAN diukur (IKOTAN diukur = ya); skor tanpa "
        "pengukuran tidak ikut rata-rata.",
        "Give an IKOTAN score only when IKOTAN was measured (IKOTAN measured = yes); a score "
        "without a measurement would not count in the mean.",
    ),
    _rule(
        "IKDR_SCORE_NEEDS_MEASUREMENT", "#{IKDR_SCORE}", "<=", "100 * #{IKDR_MEASURED}",
        "KOMITMEN_TAHUNAN",
        "Skor IKDR hanya bila IKDR diukur",
        "An IKDR score only when IKDR was measured",
        "Skor IKDR diisi hanya bila IKDR diukur (IKDR diukur = ya).",
        "Give an IKDR score only when IKDR was measured (IKDR measured = yes).",
    ),
    _rule(
        "FAMILY_RESILIENCE_NEEDS_MEASUREMENT", "#{FAMILY_RESILIENCE_INDEX}", "<=",
        "100 * #{FAMILY_RESILIENCE_MEASURED}", "KOMITMEN_TAHUNAN",
        "Indeks Ketahanan Keluarga hanya bila diukur",
        "A family resilience index only when measured",
        "Indeks Ketahanan Keluarga diisi hanya bila diukur (ketahanan keluarga diukur = ya).",
        "Give the family resilience index only when it was measured (measured = yes).",
    ),
    _rule(
        "SITES_FUNCTIONING_LE_REGISTERED", "#{SITES_FUNCTIONING}", "<=", "#{SITES_REGISTERED}",
        None,
        "Kawasan berfungsi tidak melebihi kawasan terdaftar",
        "Functioning sites do not exceed registered sites",
        "Kawasan dengan sistem pencegahan berfungsi adalah bagian dari kawasan terdaftar.",
        "Sites with a functioning prevention system are among the registered sites.",
    ),
    _rule(
        "SCHOOLS_FUNCTIONING_LE_REGISTERED", "#{SCHOOL_SITES_FUNCTIONING}", "<=",
        "#{SCHOOL_SITES_REGISTERED}", None,
        "Sekolah berfungsi tidak melebihi sekolah terdaftar",
        "Functioning schools do not exceed registered schools",
        "Satuan pendidikan dengan sistem berfungsi adalah bagian dari satuan pendidikan "
        "terdaftar.",
        "Schools with a functioning system are among the registered schools.",
    ),
    _rule(
        "SCHOOLS_LE_SITES", "#{SCHOOL_SITES_REGISTERED}", "<=", "#{SITES_REGISTERED}", None,
        "Sekolah terdaftar tidak melebihi kawasan terdaftar",
        "Registered schools do not exceed registered sites",
        "Satuan pendidikan adalah salah satu jenis kawasan.",
        "Schools are one kind of site.",
    ),
    _rule(
        "SITES_ASSESSED_LE_REGISTERED", "#{SITES_ASSESSED}", "<=", "#{SITES_REGISTERED}", None,
        "Kawasan dinilai tidak melebihi kawasan terdaftar",
        "Assessed sites do not exceed registered sites",
        "Hanya kawasan terdaftar yang dapat dinilai.",
        "Only registered sites can be assessed.",
    ),
    _rule(
        "MATURITY_SUM_LE_MAX", "#{MATURITY_SUM}", "<=", "4 * #{SITES_ASSESSED}", None,
        "Jumlah kematangan paling banyak 4 per kawasan",
        "Maturity sum at most 4 per site",
        "Tingkat kematangan setiap kawasan paling tinggi 4.",
        "Each site's maturity is at most 4.",
    ),
    _rule(
        "COMMITMENTS_FULFILLED_LE_DUE", "#{COMMITMENTS_FULFILLED}", "<=", "#{COMMITMENTS_DUE}",
        None,
        "Komitmen terpenuhi tidak melebihi komitmen jatuh tempo",
        "Commitments fulfilled do not exceed commitments due",
        "Yang dihitung terpenuhi adalah komitmen yang jatuh tempo pada periode yang sama.",
        "Fulfilled commitments are counted among those due in the same period.",
    ),
    _rule(
        "KAWASAN_RAWAN_CATEGORIES_LE_ASSESSED",
        "#{KAWASAN_RAWAN_BAHAYA} + #{KAWASAN_RAWAN_WASPADA} + #{KAWASAN_RAWAN_SIAGA} "
        "+ #{KAWASAN_RAWAN_AMAN}",
        "<=", "#{KAWASAN_RAWAN_ASSESSED}", None,
        "Kategori kawasan rawan tidak melebihi kawasan dinilai",
        "Drug-prone categories do not exceed areas assessed",
        "Setiap kawasan yang dinilai mendapat satu kategori saja.",
        "Each assessed area gets exactly one category.",
    ),
)
# fmt: on


# ---------------------------------------------------------------------------------------
# Loading


@dataclass
class LoadResult:
    data_elements: int = 0
    indicators: int = 0
    data_sets: int = 0
    validation_rules: int = 0

    @property
    def created(self) -> int:
        return self.data_elements + self.indicators + self.data_sets + self.validation_rules


def _fields_of(model, definition) -> dict:
    """The definition's values for the fields ``model`` has (a historical model in a
    migration may lack fields added later; those are left to their defaults)."""
    names = {f.name for f in model._meta.concrete_fields}
    return {
        key: value
        for key, value in definition.__dict__.items()
        if key in names and key not in ("code",)
    }


def load_default_catalogue(apps=None) -> LoadResult:
    """Create the catalogue entries that do not exist yet (by code); never change one that
    exists, so an admin's edits survive. Idempotent. ``apps`` is the migration state's app
    registry when called from a data migration; then no change log is written (the live
    change-log model may not match that state)."""
    from django.db import transaction

    if apps is None:
        from django.apps import apps as live_apps

        apps = live_apps
        log = True
    else:
        log = False
    data_element = apps.get_model("indicators", "DataElement")
    indicator = apps.get_model("indicators", "Indicator")
    data_set = apps.get_model("indicators", "DataSet")
    member = apps.get_model("indicators", "DataSetElement")
    rule = apps.get_model("indicators", "ValidationRule")
    result = LoadResult()
    created = []
    with transaction.atomic():
        for model, definitions, counter in (
            (data_element, DATA_ELEMENTS, "data_elements"),
            (indicator, INDICATORS, "indicators"),
        ):
            existing = set(model.objects.values_list("code", flat=True))
            for definition in definitions:
                if definition.code in existing:
                    continue
                obj = model.objects.create(code=definition.code, **_fields_of(model, definition))
                created.append(obj)
                setattr(result, counter, getattr(result, counter) + 1)
        elements = dict(data_element.objects.values_list("code", "pk"))
        existing = set(data_set.objects.values_list("code", flat=True))
        for definition in DATA_SETS:
            if definition.code in existing:
                continue  # its membership is the admin's from now on
            fields = _fields_of(data_set, definition)
            fields.pop("elements", None)
            obj = data_set.objects.create(code=definition.code, **fields)
            member.objects.bulk_create(
                member(data_set=obj, data_element_id=elements[code], required=required, order=i)
                for i, (code, required) in enumerate(definition.elements)
                if code in elements
            )
            created.append(obj)
            result.data_sets += 1
        data_sets = dict(data_set.objects.values_list("code", "pk"))
        existing = set(rule.objects.values_list("code", flat=True))
        for definition in VALIDATION_RULES:
            if definition.code in existing:
                continue
            fields = _fields_of(rule, definition)
            fields.pop("data_set", None)
            obj = rule.objects.create(
                code=definition.code,
                data_set_id=data_sets.get(definition.data_set) if definition.data_set else None,
                **fields,
            )
            created.append(obj)
            result.validation_rules += 1
        if log:
            from cegah.core import changelog

            for obj in created:
                changelog.record(None, "create", obj, None, changelog.snapshot(obj))
    return result
