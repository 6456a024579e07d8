"""The standards Cegah ships: one rubric per family of site types, and the default
drug-prone category rule.

These are editable defaults drafted by the Cegah team, not official BNN standards; each
says where its content comes from (``source_*``), and the UI shows it. Levels follow one
scale everywhere: 0 = nothing in place, 1 = a first step, 2 = partly in place, 3 = in place
and working (3 or more, verified, is a functioning system), 4 = institutionalised and
reviewed. National admins change a standard by copying it to a new version.

Components shared by several site types are written once with the site's words
(``{place_id}``, ``{head_en}`` …) filled in from its context below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class ComponentDef:
    code: str
    weight: Decimal
    name_id: str
    name_en: str
    description_id: str
    description_en: str
    levels_id: tuple[str, str, str, str, str]
    levels_en: tuple[str, str, str, str, str]


@dataclass(frozen=True)
class StandardDef:
    code: str
    name_id: str
    name_en: str
    description_id: str
    description_en: str
    site_types: tuple[str, ...]
    source_id: str
    source_en: str
    components: tuple[ComponentDef, ...] = field(default_factory=tuple)


def _component(code, weight, name, description, levels, ctx=None) -> ComponentDef:
    """``levels`` is five (Indonesian, English) pairs, level 0 first."""
    ctx = ctx or {}

    def fill(text: str) -> str:
        return text.format(**ctx) if ctx else text

    assert len(levels) == 5, code
    return ComponentDef(
        code=code,
        weight=Decimal(str(weight)),
        name_id=fill(name[0]),
        name_en=fill(name[1]),
        description_id=fill(description[0]),
        description_en=fill(description[1]),
        levels_id=tuple(fill(pair[0]) for pair in levels),
        levels_en=tuple(fill(pair[1]) for pair in levels),
    )


SOURCE_UNODC = (
    "Default Cegah (perlu diverifikasi): disusun tim Cegah dari Standar Internasional "
    "Pencegahan Penggunaan Narkoba UNODC/WHO (edisi ke-2, 2018) dan praktik P4GN BNN. "
    "Bukan standar resmi BNN; dapat diubah Admin Nasional dengan membuat versi baru.",
    "Cegah default (to verify): drafted by the Cegah team from the UNODC/WHO International "
    "Standards on Drug Use Prevention (2nd ed., 2018) and BNN P4GN practice. Not an official "
    "BNN standard; national admins change it by making a new version.",
)
SOURCE_TRAFFICKING = (
    "Default Cegah (perlu diverifikasi): sisi pencegahan dan sisi peredaran gelap (kanal "
    "pelaporan barang dan kurir mencurigakan, koordinasi dengan Bea Cukai/Polri/otoritas, "
    "kewaspadaan modus kurir, skrining petugas) disusun tim Cegah dari praktik P4GN BNN dan "
    "Standar Internasional UNODC/WHO (2018) untuk tempat kerja. Bukan standar resmi BNN.",
    "Cegah default (to verify): the prevention side and the trafficking side (a reporting "
    "channel for suspicious goods and couriers, coordination with customs/police/the "
    "authority, staff awareness of courier methods, staff screening) drafted by the Cegah "
    "team from BNN P4GN practice and the UNODC/WHO International Standards (2018) for "
    "workplaces. Not an official BNN standard.",
)
SOURCE_BERSINAR = (
    "Default Cegah (perlu diverifikasi): komponen Desa/Kelurahan Bersinar sebagaimana "
    "dilaporkan publik (relawan, pos informasi, P4GN dalam RPJMDes/RKPDes dan APBDes/Dana "
    "Desa, Perdes, tes urine perangkat desa, Satgas, agen pemulihan; Peraturan BNN No. 3 "
    "Tahun 2025). Bobot dan deskripsi level disusun tim Cegah.",
    "Cegah default (to verify): the Desa/Kelurahan Bersinar components as publicly reported "
    "(volunteers, information post, P4GN in the RPJMDes/RKPDes and APBDes/Dana Desa, village "
    "regulation, urine tests of village officials, task force, recovery agents; BNN "
    "Regulation No. 3 of 2025). Weights and level descriptors drafted by the Cegah team.",
)

# ---------------------------------------------------------------------------------------
# Components shared across site types.


def policy(weight, ctx):
    return _component(
        "policy",
        weight,
        ("Kebijakan {place_id} bebas narkoba", "Drug-free {place_en} policy"),
        (
            "Kebijakan tertulis yang ditetapkan {head_id}: larangan, penanganan yang mendidik, "
            "jalur rujukan, penanggung jawab.",
            "A written policy issued by the {head_en}: the ban, a supportive response, the "
            "referral route, who is responsible.",
        ),
        [
            (
                "Tidak ada kebijakan tentang narkoba di {place_id}.",
                "The {place_en} has no policy on drugs.",
            ),
            (
                "Ada imbauan atau komitmen lisan {head_id}, belum tertulis.",
                "The {head_en} has made an appeal or a verbal commitment; nothing is written.",
            ),
            (
                "Kebijakan tertulis ditetapkan, tetapi belum memuat penanganan yang mendidik dan "
                "jalur rujukan, atau belum diketahui sebagian besar {people_id}.",
                "A written policy exists but lacks a supportive response and referral route, or "
                "most {people_en} do not know it.",
            ),
            (
                "Kebijakan tertulis memuat larangan, penanganan yang mendidik (bukan hanya "
                "hukuman), jalur rujukan dan penanggung jawab; disosialisasikan kepada {staff_id} "
                "dan {people_id}.",
                "The written policy sets the ban, a supportive response (not punishment only), "
                "the referral route and who is responsible; {staff_en} and {people_en} have been "
                "told about it.",
            ),
            (
                "Kebijakan dijalankan dan ditinjau sekurangnya setahun sekali bersama BNNK/BNNP; "
                "hasil tinjauan dan perubahan tercatat.",
                "The policy is applied and reviewed at least yearly with the BNNK/BNNP; the "
                "review and its changes are on record.",
            ),
        ],
        ctx,
    )


def cadres(weight, ctx):
    return _component(
        "cadres",
        weight,
        ("Satgas dan kader anti narkoba terlatih", "Task force and trained anti-drug cadres"),
        (
            "Tim atau kader di {place_id} yang ditetapkan dengan surat keputusan dan dilatih "
            "BNN atau mitra.",
            "A team or cadres at the {place_en}, appointed in writing and trained by BNN or a "
            "partner.",
        ),
        [
            ("Tidak ada tim atau kader anti narkoba.", "No anti-drug team or cadres."),
            (
                "Ada orang yang ditunjuk secara informal, belum dilatih.",
                "Someone has been named informally; no one is trained.",
            ),
            (
                "Satgas/kader ditetapkan dengan SK {head_id}; sebagian sudah mengikuti pelatihan "
                "atau bimtek.",
                "A task force/cadres are appointed by decree of the {head_en}; some have attended "
                "training.",
            ),
            (
                "Satgas/kader terlatih (bimtek BNN atau mitra) dan aktif: ada rencana kerja dan "
                "laporan kegiatan sekurangnya per triwulan.",
                "Trained cadres (BNN or partner training) are active: they have a work plan and "
                "report their activities at least quarterly.",
            ),
            (
                "Kader diperbarui saat ada pergantian, mendapat pelatihan lanjutan, dan kinerja "
                "satgas ditinjau setiap tahun.",
                "Cadres are replaced when people leave, receive refresher training, and the task "
                "force's work is reviewed every year.",
            ),
        ],
        ctx,
    )


def monitoring(weight, ctx):
    return _component(
        "monitoring",
        weight,
        ("Pemantauan dan evaluasi", "Monitoring and evaluation"),
        (
            "Data kegiatan dan hasil dicatat, dilaporkan dan dipakai untuk memperbaiki program.",
            "Activities and results are recorded, reported and used to improve the programme.",
        ),
        [
            (
                "Tidak ada pencatatan kegiatan pencegahan.",
                "Prevention activities are not recorded.",
            ),
            (
                "Kegiatan dicatat sesekali (foto, daftar hadir), tidak dilaporkan.",
                "Activities are recorded now and then (photos, attendance lists), not reported.",
            ),
            (
                "Kegiatan dicatat dan dilaporkan ke BNNK/BNNP, tetapi tanpa ukuran hasil.",
                "Activities are recorded and reported to the BNNK/BNNP, without measures of "
                "results.",
            ),
            (
                "Ada indikator hasil (mis. cakupan, rujukan, pelanggaran) yang dilaporkan rutin; "
                "penilaian mandiri dilakukan setiap tahun.",
                "Result indicators (e.g. coverage, referrals, incidents) are reported regularly; a "
                "self-assessment is done every year.",
            ),
            (
                "Hasil evaluasi dibahas bersama {head_id} dan BNNK/BNNP, dan rencana tahun "
                "berikutnya berubah karenanya.",
                "Evaluation results are discussed with the {head_en} and the BNNK/BNNP, and next "
                "year's plan changes because of them.",
            ),
        ],
        ctx,
    )


def early_detection(weight, ctx):
    return _component(
        "early_detection",
        weight,
        ("Deteksi dini dan rujukan", "Early detection and referral"),
        (
            "Mengenali {people_id} yang berisiko atau sudah menggunakan, menanganinya secara "
            "rahasia dan merujuk ke konseling atau rehabilitasi (IPWL).",
            "Recognising {people_en} at risk or already using, handling it confidentially and "
            "referring them to counselling or rehabilitation (IPWL).",
        ),
        [
            (
                "Tidak ada cara mengenali atau menangani {people_id} yang berisiko; kasus hanya "
                "dihukum atau dikeluarkan.",
                "No way to recognise or help {people_en} at risk; cases are only punished or "
                "expelled.",
            ),
            (
                "Penanganan kasus per kasus tanpa prosedur; tes urine sesekali tanpa tindak "
                "lanjut.",
                "Cases are handled one by one with no procedure; occasional urine tests with no "
                "follow-up.",
            ),
            (
                "Ada prosedur tertulis dan petugas (BK/konselor) yang ditunjuk, tetapi belum ada "
                "kesepakatan rujukan dengan layanan rehabilitasi.",
                "A written procedure and a named counsellor exist, but no referral agreement with "
                "a rehabilitation service.",
            ),
            (
                "Prosedur berjalan: skrining atau deteksi dini dengan persetujuan, kerahasiaan "
                "dijaga, rujukan ke IPWL/puskesmas/klinik BNN tercatat dan ditindaklanjuti.",
                "The procedure works: screening or early detection with consent, confidentiality "
                "kept, referrals to an IPWL, health centre or BNN clinic recorded and followed "
                "up.",
            ),
            (
                "Jumlah terdeteksi, dirujuk dan kembali beraktivitas dipantau (agregat, tanpa "
                "nama) dan prosedur ditinjau setiap tahun bersama layanan rujukan.",
                "Numbers detected, referred and back in daily life are tracked (aggregate, no "
                "names) and the procedure is reviewed yearly with the referral services.",
            ),
        ],
        ctx,
    )


def skills_education(weight, ctx, setting_id, setting_en):
    return _component(
        "skills_education",
        weight,
        ("Pendidikan pencegahan berbasis keterampilan", "Skills-based prevention education"),
        (
            "Program yang melatih keterampilan pribadi dan sosial dan meluruskan norma (Standar "
            "UNODC/WHO), bukan ceramah sekali atau menakut-nakuti. " + setting_id,
            "Programmes that train personal and social skills and correct misperceived norms "
            "(UNODC/WHO Standards), not one-off talks or scare tactics. " + setting_en,
        ),
        [
            (
                "Tidak ada pendidikan pencegahan bagi {people_id}.",
                "{people_en_cap} receive no prevention education.",
            ),
            (
                "Hanya sosialisasi atau ceramah sesekali (mis. saat upacara atau MPLS), kadang "
                "dengan cara menakut-nakuti.",
                "Only occasional talks (e.g. at assemblies or orientation week), sometimes using "
                "scare tactics.",
            ),
            (
                "Ada sesi terjadwal, tetapi sebagian besar berupa penyampaian informasi; belum "
                "memakai kurikulum keterampilan yang teruji.",
                "Scheduled sessions exist but are mostly information-giving; no tested "
                "skills curriculum is used.",
            ),
            (
                "Kurikulum berbasis keterampilan yang teruji (serangkaian sesi interaktif oleh "
                "pengajar terlatih) menjangkau sebagian besar {people_id} pada jenjang sasaran.",
                "A tested skills-based curriculum (a series of interactive sessions by trained "
                "facilitators) reaches most {people_en} in the target grades.",
            ),
            (
                "Program menjadi bagian tetap kurikulum tiap tahun, kualitas pelaksanaannya "
                "dipantau, dan tidak ada lagi praktik yang terbukti tidak efektif.",
                "The programme is a fixed part of every year's curriculum, its delivery is "
                "checked, and practices shown not to work have been dropped.",
            ),
        ],
        ctx,
    )


def family(weight, ctx):
    return _component(
        "family",
        weight,
        ("Keterlibatan orang tua dan keluarga", "Parents and family involvement"),
        (
            "Orang tua/wali dilibatkan: informasi, program keterampilan pengasuhan, dan kerja "
            "sama saat ada masalah.",
            "Parents or guardians are involved: information, parenting-skills programmes, and "
            "working together when there is a problem.",
        ),
        [
            (
                "Orang tua tidak dilibatkan dalam pencegahan.",
                "Parents are not involved in prevention.",
            ),
            (
                "Orang tua hanya menerima imbauan atau surat edaran.",
                "Parents only receive an appeal or a circular.",
            ),
            (
                "Ada pertemuan orang tua yang membahas narkoba sekurangnya setahun sekali.",
                "A parents' meeting covers drugs at least once a year.",
            ),
            (
                "Program keterampilan pengasuhan atau ketahanan keluarga (serangkaian sesi) "
                "dijalankan bersama BNNK atau mitra, dan orang tua dilibatkan dalam penanganan "
                "kasus.",
                "A parenting-skills or family-resilience programme (a series of sessions) runs "
                "with the BNNK or a partner, and parents are involved when a case arises.",
            ),
            (
                "Komite/perwakilan orang tua ikut merencanakan dan meninjau program setiap tahun; "
                "partisipasi keluarga dipantau.",
                "A parents' committee helps plan and review the programme every year; family "
                "participation is tracked.",
            ),
        ],
        ctx,
    )


def environment(weight, ctx, around_id, around_en):
    return _component(
        "environment",
        weight,
        ("Lingkungan aman dan pengawasan", "Safe environment and supervision"),
        (
            "Pengawasan lingkungan {place_id} dan sekitarnya: " + around_id,
            "Supervision of the {place_en} and its surroundings: " + around_en,
        ),
        [
            (
                "Tidak ada pengawasan lingkungan terkait narkoba.",
                "No supervision of the surroundings with regard to drugs.",
            ),
            (
                "Pengawasan bergantung pada petugas keamanan tanpa arahan khusus.",
                "Supervision depends on security staff with no specific instructions.",
            ),
            (
                "Titik rawan sudah dipetakan dan ada jadwal pengawasan, tetapi belum ada kanal "
                "pelaporan yang aman.",
                "Risk spots are mapped and supervised on a schedule, but there is no safe way to "
                "report.",
            ),
            (
                "Pengawasan terjadwal berjalan, ada kanal pelaporan yang menjaga kerahasiaan "
                "pelapor, dan laporan diteruskan ke BNNK/Polri.",
                "Scheduled supervision runs, a reporting channel protects the reporter's identity, "
                "and reports are passed to the BNNK or police.",
            ),
            (
                "Pemetaan titik rawan diperbarui setiap tahun bersama aparat setempat dan tindak "
                "lanjut laporan tercatat.",
                "Risk spots are re-mapped every year with local authorities and the follow-up of "
                "reports is on record.",
            ),
        ],
        ctx,
    )


def reporting_channel(weight, ctx):
    return _component(
        "reporting_channel",
        weight,
        (
            "Kanal pelaporan barang dan kurir mencurigakan",
            "Reporting channel for suspicious goods and couriers",
        ),
        (
            "Cara yang jelas dan aman bagi {staff_id} dan {people_id} untuk melaporkan barang, "
            "paket atau orang yang dicurigai membawa narkoba, dengan jalur penerusan ke "
            "aparat.",
            "A clear, safe way for {staff_en} and {people_en} to report goods, parcels or "
            "people suspected of carrying drugs, with a route to the authorities.",
        ),
        [
            (
                "Tidak ada kanal pelaporan; petugas tidak tahu harus melapor ke mana.",
                "No reporting channel; staff do not know whom to tell.",
            ),
            (
                "Laporan disampaikan lisan kepada atasan, tanpa prosedur atau pencatatan.",
                "Reports go verbally to a supervisor, with no procedure or record.",
            ),
            (
                "Ada nomor/kanal pelaporan dan prosedur tertulis, tetapi belum dikenal luas atau "
                "belum menjamin kerahasiaan pelapor.",
                "A reporting number or channel and a written procedure exist, but few know them or "
                "they do not protect the reporter.",
            ),
            (
                "Kanal dikenal {staff_id} (poster, briefing), menjaga kerahasiaan, tersambung ke "
                "{authorities_id}; setiap laporan dicatat dan diteruskan.",
                "{staff_en_cap} know the channel (posters, briefings); it protects reporters and "
                "connects to {authorities_en}; every report is logged and forwarded.",
            ),
            (
                "Jumlah laporan, yang diteruskan ke penindakan, dan hasilnya dipantau dan dibahas "
                "bersama aparat setiap tahun; kanal diuji secara berkala.",
                "Reports received, forwarded to interdiction and their outcomes are tracked and "
                "discussed with the authorities every year; the channel is tested periodically.",
            ),
        ],
        ctx,
    )


def coordination(weight, ctx):
    return _component(
        "coordination",
        weight,
        ("Koordinasi dengan aparat dan otoritas", "Coordination with the authorities"),
        (
            "Kerja sama tetap dengan {authorities_id}: kontak, pertukaran informasi, operasi "
            "bersama.",
            "Standing cooperation with {authorities_en}: contacts, information exchange, joint "
            "operations.",
        ),
        [
            (
                "Tidak ada hubungan kerja dengan aparat terkait narkoba.",
                "No working relationship with the authorities on drugs.",
            ),
            (
                "Hubungan hanya saat ada kejadian atau razia.",
                "Contact only when there is an incident or a raid.",
            ),
            (
                "Ada daftar kontak dan rapat koordinasi sesekali, belum ada kesepakatan tertulis.",
                "A contact list and occasional coordination meetings; nothing agreed in writing.",
            ),
            (
                "Ada kesepakatan tertulis (MoU/PKS atau SOP bersama) dengan {authorities_id}; "
                "rapat koordinasi rutin sekurangnya per triwulan.",
                "A written agreement (MoU or joint SOP) with {authorities_en}; coordination "
                "meetings at least quarterly.",
            ),
            (
                "Koordinasi terpadu berjalan (tim atau posko bersama, latihan atau operasi "
                "bersama) dan kesepakatan ditinjau setiap tahun.",
                "Integrated coordination works (a joint team or post, joint exercises or "
                "operations) and the agreement is reviewed every year.",
            ),
        ],
        ctx,
    )


def courier_awareness(weight, ctx):
    return _component(
        "courier_awareness",
        weight,
        ("Kewaspadaan petugas terhadap modus kurir", "Staff awareness of courier methods"),
        (
            "{staff_id_cap} mengenali modus penyelundupan: {couriers_id}.",
            "{staff_en_cap} recognise smuggling methods: {couriers_en}.",
        ),
        [
            (
                "Petugas tidak pernah mendapat informasi tentang modus kurir.",
                "Staff have never been told about courier methods.",
            ),
            (
                "Informasi modus kurir hanya lewat imbauan atau poster.",
                "Courier methods are mentioned only in appeals or posters.",
            ),
            (
                "Sebagian petugas garis depan pernah mengikuti pelatihan atau bimtek modus kurir.",
                "Some front-line staff have attended training on courier methods.",
            ),
            (
                "Semua petugas garis depan dilatih (termasuk petugas baru) dengan materi dari "
                "BNN/Bea Cukai yang diperbarui, dan tahu langkah saat menemukan kecurigaan.",
                "All front-line staff, new ones included, are trained with current BNN/customs "
                "material and know what to do when something is suspicious.",
            ),
            (
                "Pelatihan penyegaran tahunan memakai kasus terbaru; pengetahuan petugas diuji "
                "dan hasilnya dipakai memperbaiki pelatihan.",
                "Yearly refresher training uses recent cases; staff knowledge is tested and the "
                "results improve the training.",
            ),
        ],
        ctx,
    )


def staff_screening(weight, ctx):
    return _component(
        "staff_screening",
        weight,
        ("Skrining petugas", "Staff screening"),
        (
            "Tes urine dan pemeriksaan latar belakang bagi {staff_id}, dengan persetujuan, "
            "kerahasiaan dan rujukan rehabilitasi bagi yang positif.",
            "Urine tests and background checks for {staff_en}, with consent, confidentiality "
            "and referral to rehabilitation for those who test positive.",
        ),
        [
            ("Tidak ada skrining narkoba bagi petugas.", "Staff are not screened for drugs."),
            (
                "Tes urine sesekali (mis. saat kunjungan BNN), tanpa tindak lanjut.",
                "Occasional urine tests (e.g. on a BNN visit) with no follow-up.",
            ),
            (
                "Tes urine saat rekrutmen atau pada sebagian petugas; prosedur bagi hasil positif "
                "belum jelas.",
                "Urine tests at recruitment or for some staff; no clear procedure for a positive "
                "result.",
            ),
            (
                "Skrining berkala (sekurangnya setahun sekali) dan saat rekrutmen, termasuk "
                "tenaga alih daya/mitra di area terbatas; hasil positif dirujuk ke rehabilitasi "
                "sesuai prosedur tertulis.",
                "Periodic screening (at least yearly) and at recruitment, including outsourced "
                "and partner staff in restricted areas; positives are referred to rehabilitation "
                "under a written procedure.",
            ),
            (
                "Skrining acak terjadwal, hasil agregat dilaporkan ke BNNK/BNNP, dan prosedur "
                "ditinjau setiap tahun.",
                "Scheduled random screening; aggregate results are reported to the BNNK/BNNP and "
                "the procedure is reviewed every year.",
            ),
        ],
        ctx,
    )


def visitor_information(weight, ctx):
    return _component(
        "visitor_information",
        weight,
        ("Informasi bagi {people_id}", "Information for {people_en}"),
        (
            "Pesan pencegahan dan peringatan hukum bagi {people_id}: bahaya menjadi kurir, "
            "jangan membawa titipan, cara melapor.",
            "Prevention messages and legal warnings for {people_en}: the risk of being used as "
            "a courier, never carry items for others, how to report.",
        ),
        [
            ("Tidak ada informasi P4GN bagi {people_id}.", "No P4GN information for {people_en}."),
            (
                "Ada spanduk atau poster umum tentang bahaya narkoba.",
                "General banners or posters about the dangers of drugs.",
            ),
            (
                "Media informasi di titik utama memuat peringatan hukum dan larangan membawa "
                "titipan.",
                "Information at the main points carries the legal warning and the advice not to "
                "carry items for others.",
            ),
            (
                "Informasi berkala lewat berbagai media (pengumuman suara, layar, media sosial) "
                "dalam bahasa Indonesia dan bahasa lain yang dibutuhkan, memuat kanal pelaporan.",
                "Regular messages through several media (announcements, screens, social media) in "
                "Indonesian and other languages needed, including the reporting channel.",
            ),
            (
                "Isi dan jangkauan informasi ditinjau setiap tahun bersama BNN dan disesuaikan "
                "dengan modus terbaru.",
                "Content and reach are reviewed every year with BNN and adapted to recent methods.",
            ),
        ],
        ctx,
    )


def staff_education(weight, ctx):
    return _component(
        "staff_education",
        weight,
        ("Edukasi pencegahan bagi {people_id}", "Prevention education for {people_en}"),
        (
            "Program pencegahan di tempat kerja: informasi kebijakan, keterampilan mengelola "
            "stres, dan pesan yang tepat (Standar UNODC/WHO untuk tempat kerja).",
            "Workplace prevention: information on the policy, stress-management skills and "
            "accurate messages (UNODC/WHO Standards for workplaces).",
        ),
        [
            (
                "Tidak ada edukasi pencegahan bagi {people_id}.",
                "No prevention education for {people_en}.",
            ),
            (
                "Sosialisasi sesekali dari BNN atau pihak luar.",
                "Occasional talks by BNN or outsiders.",
            ),
            (
                "Edukasi terjadwal menjangkau sebagian {people_id}; belum termasuk pegawai baru "
                "atau alih daya.",
                "Scheduled education reaches some {people_en}; not yet new or outsourced staff.",
            ),
            (
                "Edukasi menjangkau semua {people_id} termasuk pegawai baru, memadukan kebijakan, "
                "keterampilan mengelola stres dan layanan bantuan.",
                "Education reaches all {people_en} including new staff, combining the policy, "
                "stress-management skills and where to get help.",
            ),
            (
                "Edukasi menjadi bagian program K3/pengembangan SDM, dievaluasi dan diperbarui "
                "setiap tahun.",
                "Education is part of the occupational health or HR development programme, "
                "evaluated and updated every year.",
            ),
        ],
        ctx,
    )


def employee_assistance(weight, ctx):
    return _component(
        "employee_assistance",
        weight,
        ("Layanan bantuan dan rujukan pegawai", "Employee assistance and referral"),
        (
            "{people_id_cap} yang bermasalah dengan narkoba mendapat konseling dan rujukan "
            "rehabilitasi secara rahasia, dengan jaminan kembali bekerja.",
            "{people_en_cap} with a drug problem get confidential counselling and referral to "
            "rehabilitation, with a way back to work.",
        ),
        [
            (
                "Pegawai yang ketahuan memakai langsung diberhentikan; tidak ada bantuan.",
                "Employees found using are dismissed; no help is offered.",
            ),
            (
                "Bantuan diberikan per kasus, bergantung pada kebijaksanaan atasan.",
                "Help is given case by case, at a supervisor's discretion.",
            ),
            (
                "Ada prosedur tertulis untuk konseling dan rujukan, belum dikenal pegawai atau "
                "belum menjamin kerahasiaan.",
                "A written counselling and referral procedure exists, but employees do not know "
                "it or it does not guarantee confidentiality.",
            ),
            (
                "Layanan bantuan berjalan: konselor/petugas kesehatan ditunjuk, rujukan ke "
                "IPWL/klinik BNN, cuti rehabilitasi dan kembali bekerja diatur.",
                "Assistance works: a named counsellor or health officer, referral to an IPWL or "
                "BNN clinic, rehabilitation leave and return to work are provided for.",
            ),
            (
                "Pemanfaatan layanan dipantau (agregat, tanpa nama) dan prosedur ditinjau setiap "
                "tahun.",
                "Use of the service is tracked (aggregate, no names) and the procedure is reviewed "
                "every year.",
            ),
        ],
        ctx,
    )


def plan_budget(weight, ctx):
    return _component(
        "plan_budget",
        weight,
        ("P4GN dalam rencana kerja dan anggaran", "P4GN in the work plan and budget"),
        (
            "Kegiatan P4GN masuk rencana kerja dan anggaran {place_id} (Inpres 2/2020 tentang "
            "RAN P4GN).",
            "P4GN activities are in the {place_en}'s work plan and budget (Presidential "
            "Instruction 2/2020 on the national P4GN action plan).",
        ),
        [
            (
                "P4GN tidak ada dalam rencana kerja maupun anggaran.",
                "P4GN is in neither the work plan nor the budget.",
            ),
            (
                "Kegiatan P4GN dilaksanakan bila ada undangan atau dana dari pihak lain.",
                "P4GN activities happen when someone else invites or pays.",
            ),
            (
                "Kegiatan P4GN tercantum dalam rencana kerja, anggaran belum tersedia atau "
                "sangat kecil.",
                "P4GN activities are in the work plan, but there is no or only a token budget.",
            ),
            (
                "Rencana aksi P4GN dengan anggaran tersendiri dijalankan dan dilaporkan.",
                "A P4GN action plan with its own budget is carried out and reported.",
            ),
            (
                "Anggaran P4GN berkelanjutan dari tahun ke tahun, realisasinya dievaluasi dan "
                "dilaporkan kepada BNNK/BNNP.",
                "The P4GN budget continues year after year; its use is evaluated and reported to "
                "the BNNK/BNNP.",
            ),
        ],
        ctx,
    )


# ---------------------------------------------------------------------------------------
# Site contexts: the words each family uses.


def _ctx(**words):
    for key in list(words):
        if key.endswith(("_id", "_en")) and not key.endswith("_cap"):
            value = words[key]
            words[f"{key}_cap"] = value[:1].upper() + value[1:]
    return words


SCHOOL = _ctx(
    place_id="sekolah/madrasah",
    place_en="school/madrasah",
    head_id="kepala sekolah/madrasah",
    head_en="principal",
    people_id="peserta didik",
    people_en="students",
    staff_id="guru dan tenaga kependidikan",
    staff_en="teachers and staff",
)
UNIVERSITY = _ctx(
    place_id="perguruan tinggi",
    place_en="university",
    head_id="rektor/pimpinan perguruan tinggi",
    head_en="rector",
    people_id="mahasiswa",
    people_en="students",
    staff_id="dosen dan tenaga kependidikan",
    staff_en="lecturers and staff",
)
PESANTREN = _ctx(
    place_id="pondok pesantren",
    place_en="pesantren",
    head_id="pengasuh/pimpinan pondok",
    head_en="head of the pesantren",
    people_id="santri",
    people_en="santri (students)",
    staff_id="ustaz/ustazah, musyrif dan pengurus",
    staff_en="teachers, dormitory supervisors and staff",
)
AIRPORT = _ctx(
    place_id="bandar udara",
    place_en="airport",
    head_id="pimpinan pengelola bandara",
    head_en="airport operator's general manager",
    people_id="penumpang dan pengguna jasa",
    people_en="passengers and visitors",
    staff_id="petugas bandara (Avsec, ground handling, kargo, tenant)",
    staff_en="airport staff (aviation security, ground handling, cargo, tenants)",
    authorities_id="Bea Cukai, Polri (KP3 Bandara), Otoritas Bandar Udara, Imigrasi, "
    "Karantina dan BNN",
    authorities_en="customs (Bea Cukai), the airport police, the airport authority, "
    "immigration, quarantine and BNN",
    couriers_id="menelan paket (swallower), body packing/strapping, koper berdinding ganda, "
    "titipan barang dari orang lain, serta paket kargo dan kiriman",
    couriers_en="swallowing packets, body packing and strapping, false-bottom suitcases, "
    "items carried for others, and cargo or courier parcels",
)
SEAPORT = _ctx(
    place_id="pelabuhan",
    place_en="seaport",
    head_id="pimpinan pengelola pelabuhan dan KSOP",
    head_en="port operator's manager and the harbour master's office (KSOP)",
    people_id="penumpang, awak kapal dan pengguna jasa",
    people_en="passengers, crews and port users",
    staff_id="petugas pelabuhan (keamanan, bongkar muat, kargo, TKBM)",
    staff_en="port staff (security, stevedoring, cargo, dock workers)",
    authorities_id="Bea Cukai, Polairud/KP3 Pelabuhan, KSOP/Syahbandar, Imigrasi, Karantina, "
    "TNI AL dan BNN",
    authorities_en="customs, the marine and port police, the harbour master (KSOP), "
    "immigration, quarantine, the navy and BNN",
    couriers_id="penyembunyian dalam kontainer dan muatan curah, alih muat ship-to-ship di "
    "laut, awak kapal atau penumpang sebagai kurir, titipan barang, dan perahu nelayan atau "
    "speedboat lewat pelabuhan tidak resmi",
    couriers_en="concealment in containers and bulk cargo, ship-to-ship transfers at sea, "
    "crews or passengers as couriers, items carried for others, and fishing boats or "
    "speedboats using unofficial landing points",
)
BORDER = _ctx(
    place_id="pos lintas batas negara",
    place_en="border post",
    head_id="administrator/kepala PLBN",
    head_en="border post administrator",
    people_id="pelintas batas dan pedagang lintas batas",
    people_en="border crossers and cross-border traders",
    staff_id="petugas PLBN dan instansi CIQS",
    staff_en="border post and CIQS agency staff",
    authorities_id="Bea Cukai, Imigrasi, Karantina (CIQS), Satgas Pamtas TNI, Polri dan BNN",
    authorities_en="customs, immigration, quarantine (CIQS), the military border task force, "
    "the police and BNN",
    couriers_id="barang bawaan pelintas batas, kendaraan dengan kompartemen tersembunyi, "
    "jalur tikus di sekitar pos, kurir yang diupah pedagang, dan paket kiriman",
    couriers_en="crossers' baggage, vehicles with hidden compartments, informal paths "
    "around the post, couriers paid by traders, and parcels",
)
TERMINAL = _ctx(
    place_id="terminal/stasiun",
    place_en="terminal or station",
    head_id="kepala terminal/stasiun",
    head_en="terminal or station manager",
    people_id="penumpang",
    people_en="passengers",
    staff_id="petugas, pengemudi dan awak angkutan",
    staff_en="staff, drivers and crews",
    authorities_id="Dinas Perhubungan, Polri, operator (mis. KAI) dan BNN",
    authorities_en="the transport agency, the police, the operator (e.g. KAI) and BNN",
    couriers_id="paket dan titipan lewat bus/kereta, barang bawaan penumpang, serta "
    "pengemudi atau kernet yang diupah membawa barang",
    couriers_en="parcels and items sent by bus or train, passenger luggage, and drivers or "
    "conductors paid to carry goods",
)
TOURIST = _ctx(
    place_id="kawasan wisata",
    place_en="tourist area",
    head_id="pengelola kawasan wisata",
    head_en="tourist area manager",
    people_id="wisatawan",
    people_en="visitors",
    staff_id="karyawan, pemandu wisata dan pelaku usaha di kawasan",
    staff_en="employees, tour guides and businesses in the area",
    authorities_id="Polri (Polres/Polsek, polisi pariwisata), Dinas Pariwisata, Pokdarwis, "
    "Bea Cukai/Imigrasi bila ada akses internasional, dan BNN",
    authorities_en="the police (including tourist police), the tourism agency, the local "
    "tourism group (Pokdarwis), customs/immigration where there is international access, "
    "and BNN",
    couriers_id="wisatawan atau pekerja musiman sebagai kurir, peredaran di tempat hiburan "
    "dan penginapan, titipan lewat sopir atau pemandu, dan paket kiriman ke penginapan",
    couriers_en="tourists or seasonal workers as couriers, dealing in bars and lodgings, "
    "goods passed through drivers or guides, and parcels delivered to lodgings",
)
VENUE = _ctx(
    place_id="tempat hiburan/hotel",
    place_en="venue or hotel",
    head_id="pemilik/manajer umum",
    head_en="owner or general manager",
    people_id="tamu",
    people_en="guests",
    staff_id="karyawan (keamanan, pramusaji, housekeeping, pengisi acara)",
    staff_en="employees (security, waiting staff, housekeeping, performers)",
    authorities_id="Polri, Dinas Pariwisata, Satpol PP dan BNN",
    authorities_en="the police, the tourism agency, the municipal police (Satpol PP) and BNN",
)
GOVERNMENT = _ctx(
    place_id="instansi",
    place_en="agency",
    head_id="pimpinan instansi",
    head_en="head of the agency",
    people_id="pegawai (ASN dan non-ASN)",
    people_en="employees (civil servants and contract staff)",
    staff_id="pegawai",
    staff_en="employees",
)
WORKPLACE = _ctx(
    place_id="perusahaan/tempat kerja",
    place_en="company or workplace",
    head_id="pimpinan perusahaan",
    head_en="company management",
    people_id="pekerja",
    people_en="workers",
    staff_id="pekerja, termasuk alih daya dan kontrak",
    staff_en="workers, including outsourced and contract staff",
)

# ---------------------------------------------------------------------------------------
# Components specific to one family.


def business_partners(weight, ctx):
    return _component(
        "business_partners",
        weight,
        ("Komitmen pelaku usaha di kawasan", "Commitment of businesses in the area"),
        (
            "Penginapan, tempat hiburan, rental kendaraan dan agen perjalanan di kawasan ikut "
            "dalam kebijakan, pelaporan dan edukasi.",
            "Lodgings, bars, vehicle rentals and travel agents in the area take part in the "
            "policy, reporting and education.",
        ),
        [
            ("Pelaku usaha tidak dilibatkan.", "Businesses are not involved."),
            (
                "Sebagian pelaku usaha pernah mengikuti sosialisasi.",
                "Some businesses have attended an awareness session.",
            ),
            (
                "Sebagian pelaku usaha menandatangani komitmen bebas narkoba.",
                "Some businesses have signed a drug-free commitment.",
            ),
            (
                "Sebagian besar pelaku usaha berkomitmen tertulis, memasang informasi dan kanal "
                "pelaporan, dan karyawannya mengikuti edukasi.",
                "Most businesses have a written commitment, display the information and the "
                "reporting channel, and their staff attend education sessions.",
            ),
            (
                "Komitmen menjadi syarat izin atau keanggotaan asosiasi, dipantau dan "
                "diperbarui setiap tahun.",
                "The commitment is a condition of the permit or association membership, checked "
                "and renewed every year.",
            ),
        ],
        ctx,
    )


def venue_staff_training(weight, ctx):
    return _component(
        "staff_training",
        weight,
        ("Pelatihan karyawan", "Staff training"),
        (
            "{staff_id_cap} mampu mengenali penggunaan dan transaksi narkoba, menolak dan "
            "melapor, serta memberi pertolongan pertama saat overdosis.",
            "{staff_en_cap} recognise drug use and dealing, refuse and report it, and give "
            "first aid in an overdose.",
        ),
        [
            ("Karyawan tidak pernah dilatih.", "Staff have never been trained."),
            (
                "Karyawan hanya mendapat arahan lisan dari manajer.",
                "Staff get only verbal instructions from a manager.",
            ),
            (
                "Sebagian karyawan (mis. keamanan) pernah mengikuti pelatihan.",
                "Some staff (e.g. security) have been trained.",
            ),
            (
                "Semua karyawan garis depan dilatih, termasuk yang baru, dengan materi dari BNN "
                "atau mitra; ada petugas terlatih pertolongan pertama di setiap sif.",
                "All front-line staff, new ones included, are trained with BNN or partner "
                "material; every shift has someone trained in first aid.",
            ),
            (
                "Pelatihan penyegaran tahunan dan evaluasi kejadian dipakai memperbaiki materi.",
                "Yearly refreshers, and reviews of incidents improve the material.",
            ),
        ],
        ctx,
    )


def premises_supervision(weight, ctx):
    return _component(
        "premises_supervision",
        weight,
        ("Pengawasan area usaha", "Supervision of the premises"),
        (
            "Pengawasan area rawan (toilet, ruang VIP/karaoke, kamar, parkir), CCTV, dan "
            "tindakan terhadap tamu yang memakai atau mengedarkan.",
            "Supervision of risk areas (restrooms, VIP/karaoke rooms, guest rooms, parking), "
            "CCTV, and action on guests using or dealing.",
        ),
        [
            ("Tidak ada pengawasan terkait narkoba.", "No supervision with regard to drugs."),
            (
                "Pengawasan umum oleh keamanan tanpa arahan khusus.",
                "General security rounds with no specific instructions.",
            ),
            (
                "Area rawan dipetakan dan diawasi, tetapi belum ada prosedur bila menemukan "
                "narkoba.",
                "Risk areas are mapped and watched, but there is no procedure when drugs are "
                "found.",
            ),
            (
                "Patroli terjadwal dan CCTV di area rawan; prosedur tertulis untuk menolak, "
                "mengamankan dan melapor ke Polri/BNN dijalankan dan dicatat.",
                "Scheduled patrols and CCTV in risk areas; a written procedure to refuse, secure "
                "and report to the police or BNN is followed and recorded.",
            ),
            (
                "Kejadian dianalisis setiap tahun bersama aparat dan pengawasan disesuaikan.",
                "Incidents are analysed yearly with the authorities and supervision is adjusted.",
            ),
        ],
        ctx,
    )


def workplace_family(weight, ctx):
    return _component(
        "family",
        weight,
        ("Jangkauan keluarga pekerja", "Reaching workers' families"),
        (
            "Edukasi pencegahan dan ketahanan keluarga bagi keluarga pekerja.",
            "Prevention and family-resilience education for workers' families.",
        ),
        [
            ("Keluarga pekerja tidak dijangkau.", "Workers' families are not reached."),
            (
                "Materi pencegahan dibagikan kepada keluarga sesekali.",
                "Prevention material is handed to families now and then.",
            ),
            (
                "Ada kegiatan keluarga yang memuat pesan pencegahan sekurangnya setahun sekali.",
                "A family event carries prevention messages at least once a year.",
            ),
            (
                "Program ketahanan keluarga atau keterampilan pengasuhan dijalankan bersama BNNK "
                "atau mitra dan terbuka bagi keluarga pekerja.",
                "A family-resilience or parenting-skills programme runs with the BNNK or a "
                "partner and is open to workers' families.",
            ),
            (
                "Program keluarga berjalan setiap tahun, partisipasi dipantau, dan isinya "
                "ditinjau.",
                "The family programme runs every year, participation is tracked and its content "
                "reviewed.",
            ),
        ],
        ctx,
    )


# ---------------------------------------------------------------------------------------
# Desa/Kelurahan Bersinar: its own published components.


def _village_components() -> tuple[ComponentDef, ...]:
    return (
        _component(
            "volunteers",
            15,
            ("Relawan anti narkoba desa", "Village anti-drug volunteers"),
            (
                "Relawan/penggiat dari warga yang dilatih dan aktif melapor kegiatan.",
                "Resident volunteers (penggiat), trained and reporting their activities.",
            ),
            [
                (
                    "Tidak ada relawan anti narkoba di desa.",
                    "The village has no anti-drug volunteers.",
                ),
                (
                    "Ada warga yang bersedia, belum ditetapkan atau dilatih.",
                    "Some residents have offered to help; none appointed or trained.",
                ),
                (
                    "Relawan ditetapkan kepala desa dan sebagian sudah mengikuti bimtek penggiat "
                    "P4GN.",
                    "Volunteers are appointed by the village head and some have attended P4GN "
                    "volunteer training.",
                ),
                (
                    "Relawan terlatih aktif di setiap dusun/RW dan melaporkan kegiatannya setiap "
                    "bulan.",
                    "Trained volunteers are active in every hamlet/RW and report their "
                    "activities monthly.",
                ),
                (
                    "Jumlah dan keaktifan relawan dipantau, relawan baru dilatih setiap tahun, "
                    "dan ada pembinaan dari BNNK.",
                    "Volunteer numbers and activity are tracked, new volunteers are trained "
                    "every year, and the BNNK mentors them.",
                ),
            ],
        ),
        _component(
            "information_post",
            10,
            ("Pos informasi P4GN", "P4GN information post"),
            (
                "Pos informasi desa sebagai tempat warga mendapat informasi, berkonsultasi dan "
                "melapor.",
                "A village information post where residents get information, advice and report.",
            ),
            [
                (
                    "Desa tidak memiliki pos informasi P4GN.",
                    "The village has no P4GN information post.",
                ),
                (
                    "Tersedia papan informasi atau spanduk tanpa petugas.",
                    "A notice board or banner, with nobody staffing it.",
                ),
                (
                    "Pos informasi ditetapkan dan punya petugas, tetapi jarang buka.",
                    "An information post is designated and staffed, but rarely open.",
                ),
                (
                    "Pos buka terjadwal, memberi informasi, menerima laporan secara rahasia, dan "
                    "mencatat layanan.",
                    "The post opens on a schedule, informs, takes reports confidentially and "
                    "logs its services.",
                ),
                (
                    "Layanan pos dievaluasi setiap tahun dan terhubung dengan layanan rujukan "
                    "rehabilitasi.",
                    "The post's services are reviewed every year and linked to rehabilitation "
                    "referral.",
                ),
            ],
        ),
        _component(
            "plan_budget",
            20,
            ("P4GN dalam RPJMDes/RKPDes dan APBDes", "P4GN in the village plans and budget"),
            (
                "Kegiatan P4GN masuk RPJMDes/RKPDes dan didanai APBDes/Dana Desa.",
                "P4GN activities are in the RPJMDes/RKPDes and funded from the APBDes/Dana Desa.",
            ),
            [
                (
                    "P4GN tidak ada dalam rencana maupun anggaran desa.",
                    "P4GN is in neither the village plans nor the budget.",
                ),
                (
                    "P4GN dibahas dalam musyawarah desa, belum masuk dokumen rencana.",
                    "P4GN has been discussed in the village meeting, not yet in the plans.",
                ),
                (
                    "P4GN tercantum dalam RPJMDes atau RKPDes, anggaran belum dialokasikan.",
                    "P4GN is in the RPJMDes or RKPDes; no budget is allocated yet.",
                ),
                (
                    "Kegiatan P4GN didanai APBDes/Dana Desa tahun berjalan dan realisasinya "
                    "dilaporkan.",
                    "P4GN activities are funded from this year's APBDes/Dana Desa and their "
                    "spending is reported.",
                ),
                (
                    "Anggaran P4GN berlanjut setiap tahun dan evaluasinya menjadi dasar "
                    "perencanaan berikutnya.",
                    "The P4GN budget continues every year and its evaluation informs the next "
                    "plan.",
                ),
            ],
        ),
        _component(
            "village_regulation",
            15,
            ("Peraturan desa (Perdes) P4GN", "Village regulation (Perdes) on P4GN"),
            (
                "Perdes atau peraturan kepala desa tentang P4GN.",
                "A village regulation or village head regulation on P4GN.",
            ),
            [
                ("Tidak ada peraturan desa tentang P4GN.", "No village regulation on P4GN."),
                (
                    "Ada surat edaran atau imbauan kepala desa.",
                    "The village head has issued a circular or appeal.",
                ),
                (
                    "Rancangan Perdes P4GN sedang dibahas bersama BPD.",
                    "A draft Perdes on P4GN is being discussed with the village council (BPD).",
                ),
                (
                    "Perdes P4GN ditetapkan dan disosialisasikan kepada warga.",
                    "The Perdes on P4GN is enacted and residents have been told about it.",
                ),
                (
                    "Perdes dijalankan (kegiatan, anggaran, satgas merujuknya) dan ditinjau "
                    "berkala.",
                    "The Perdes is applied (activities, budget and task force refer to it) and "
                    "reviewed periodically.",
                ),
            ],
        ),
        _component(
            "official_urine_tests",
            10,
            ("Tes urine perangkat desa", "Urine tests of village officials"),
            (
                "Kepala desa, perangkat desa dan BPD menjalani tes urine sebagai teladan.",
                "The village head, officials and council members take urine tests as an example.",
            ),
            [
                ("Perangkat desa tidak pernah dites.", "Village officials have never been tested."),
                (
                    "Sebagian perangkat pernah dites saat ada kegiatan BNN.",
                    "Some officials were tested during a BNN activity.",
                ),
                (
                    "Semua perangkat desa pernah dites sekali.",
                    "All village officials have been tested once.",
                ),
                (
                    "Tes urine perangkat desa terjadwal sekurangnya setahun sekali, dengan "
                    "prosedur rujukan bila positif.",
                    "Officials are tested at least yearly on a schedule, with a referral "
                    "procedure for a positive result.",
                ),
                (
                    "Tes menjadi ketentuan tetap (mis. dalam Perdes) dan hasil agregat diumumkan.",
                    "Testing is a standing rule (e.g. in the Perdes) and aggregate results are "
                    "published.",
                ),
            ],
        ),
        _component(
            "task_force",
            15,
            ("Satgas anti narkoba desa", "Village anti-drug task force (Satgas)"),
            (
                "Satgas yang ditetapkan dengan SK kepala desa, dengan rencana kerja.",
                "A task force appointed by decree of the village head, with a work plan.",
            ),
            [
                (
                    "Desa tidak memiliki satgas anti narkoba.",
                    "The village has no anti-drug task force.",
                ),
                (
                    "Ada kelompok warga yang peduli, tanpa SK.",
                    "A concerned group of residents, with no decree.",
                ),
                (
                    "Satgas ditetapkan dengan SK kepala desa, belum punya rencana kerja.",
                    "The task force is appointed by decree, without a work plan.",
                ),
                (
                    "Satgas menjalankan rencana kerja (pemetaan, edukasi, pelaporan) dan "
                    "melapor ke kepala desa dan BNNK.",
                    "The task force carries out its work plan (mapping, education, reporting) "
                    "and reports to the village head and the BNNK.",
                ),
                (
                    "Kinerja satgas dievaluasi setiap tahun dan keanggotaannya diperbarui.",
                    "The task force's work is evaluated every year and its membership renewed.",
                ),
            ],
        ),
        _component(
            "recovery_agents",
            15,
            ("Agen pemulihan berbasis masyarakat", "Community-based recovery agents"),
            (
                "Warga terlatih yang mendampingi pecandu dan keluarganya menuju dan setelah "
                "rehabilitasi.",
                "Trained residents who support people who use drugs and their families into "
                "and after rehabilitation.",
            ),
            [
                (
                    "Tidak ada agen pemulihan; pengguna hanya dilaporkan atau dikucilkan.",
                    "No recovery agents; users are only reported or shunned.",
                ),
                (
                    "Ada tokoh masyarakat yang sesekali membantu keluarga.",
                    "A community leader sometimes helps families.",
                ),
                (
                    "Agen pemulihan ditunjuk dan dilatih, belum mendampingi.",
                    "Recovery agents are named and trained, not yet supporting anyone.",
                ),
                (
                    "Agen pemulihan mendampingi, merujuk ke IPWL/rehabilitasi, dan mendukung "
                    "pascarehabilitasi; pendampingan tercatat tanpa nama.",
                    "Recovery agents support people, refer them to an IPWL or rehabilitation, "
                    "and help after it; their work is logged without names.",
                ),
                (
                    "Layanan pemulihan berbasis masyarakat berlanjut, didanai desa, dan "
                    "dievaluasi bersama BNNK.",
                    "Community-based recovery continues, is funded by the village and "
                    "evaluated with the BNNK.",
                ),
            ],
        ),
    )


# ---------------------------------------------------------------------------------------
# The standards.

SCHOOL_TYPES = ("sd", "smp", "sma", "smk", "mi", "mts", "ma")

DEFAULT_STANDARDS: tuple[StandardDef, ...] = (
    StandardDef(
        "school",
        "Sistem pencegahan di sekolah dan madrasah",
        "Prevention system at schools and madrasah",
        "SD, SMP, SMA, SMK, MI, MTs, MA.",
        "Primary and secondary schools and madrasah.",
        SCHOOL_TYPES,
        *SOURCE_UNODC,
        components=(
            policy(15, SCHOOL),
            skills_education(
                20,
                SCHOOL,
                "Mis. program keterampilan hidup untuk SMP/SMA; kelas yang tertata untuk SD.",
                "E.g. life-skills programmes in secondary school; classroom behaviour "
                "management in primary school.",
            ),
            early_detection(15, SCHOOL),
            family(15, SCHOOL),
            cadres(15, SCHOOL),
            environment(
                10,
                SCHOOL,
                "kantin, toilet, gerbang, pedagang dan tempat nongkrong di sekitar sekolah.",
                "the canteen, toilets, gates, vendors and hang-outs around the school.",
            ),
            monitoring(10, SCHOOL),
        ),
    ),
    StandardDef(
        "university",
        "Sistem pencegahan di perguruan tinggi",
        "Prevention system at universities",
        "Universitas, institut, sekolah tinggi, politeknik, akademi.",
        "Universities, institutes, colleges, polytechnics, academies.",
        ("university",),
        *SOURCE_UNODC,
        components=(
            policy(15, UNIVERSITY),
            skills_education(
                15,
                UNIVERSITY,
                "Mis. saat pengenalan kampus, mata kuliah umum, KKN; mengoreksi anggapan "
                "bahwa 'semua mahasiswa memakai'.",
                "E.g. at orientation, in general courses and community service; correcting "
                "the belief that 'every student uses'.",
            ),
            _component(
                "peer_penggiat",
                15,
                (
                    "Penggiat dan konselor sebaya mahasiswa",
                    "Student activists and peer counsellors",
                ),
                (
                    "Unit kegiatan atau penggiat anti narkoba mahasiswa yang terlatih.",
                    "A student anti-drug unit or trained student activists (penggiat).",
                ),
                [
                    (
                        "Tidak ada penggiat anti narkoba di kalangan mahasiswa.",
                        "There are no student anti-drug activists.",
                    ),
                    (
                        "Ada mahasiswa yang aktif secara pribadi.",
                        "Some students are active on their own.",
                    ),
                    (
                        "Ada unit kegiatan/komunitas anti narkoba, belum dilatih BNN.",
                        "A student anti-drug unit exists, not trained by BNN.",
                    ),
                    (
                        "Penggiat terlatih menjalankan program terjadwal dan melapor kegiatan.",
                        "Trained activists run scheduled activities and report them.",
                    ),
                    (
                        "Regenerasi penggiat terjaga setiap angkatan dan programnya dievaluasi.",
                        "Each intake brings new activists and the programme is evaluated.",
                    ),
                ],
            ),
            early_detection(15, UNIVERSITY),
            cadres(15, UNIVERSITY),
            environment(
                10,
                UNIVERSITY,
                "asrama, kos dan tempat hiburan di sekitar kampus.",
                "dormitories, boarding houses and nightlife around the campus.",
            ),
            monitoring(15, UNIVERSITY),
        ),
    ),
    StandardDef(
        "pesantren",
        "Sistem pencegahan di pondok pesantren",
        "Prevention system at pesantren",
        "Pondok pesantren dan boarding school keagamaan.",
        "Islamic boarding schools.",
        ("pesantren",),
        *SOURCE_UNODC,
        components=(
            policy(15, PESANTREN),
            skills_education(
                20,
                PESANTREN,
                "Dipadukan dengan kajian keagamaan dan kehidupan asrama.",
                "Woven into religious study and dormitory life.",
            ),
            cadres(15, PESANTREN),
            early_detection(15, PESANTREN),
            family(10, PESANTREN),
            environment(
                15,
                PESANTREN,
                "asrama, tamu dan kiriman untuk santri, warung dan lingkungan pondok.",
                "dormitories, visitors and parcels for santri, shops and the neighbourhood.",
            ),
            monitoring(10, PESANTREN),
        ),
    ),
    StandardDef(
        "airport",
        "Sistem pencegahan di bandar udara",
        "Prevention system at airports",
        "Sisi pencegahan bagi petugas dan penumpang, dan sisi peredaran gelap: kurir dan "
        "barang mencurigakan.",
        "The prevention side for staff and passengers, and the trafficking side: couriers "
        "and suspicious goods.",
        ("airport",),
        *SOURCE_TRAFFICKING,
        components=(
            policy(10, AIRPORT),
            reporting_channel(15, AIRPORT),
            coordination(15, AIRPORT),
            courier_awareness(15, AIRPORT),
            staff_screening(15, AIRPORT),
            visitor_information(10, AIRPORT),
            cadres(10, AIRPORT),
            monitoring(10, AIRPORT),
        ),
    ),
    StandardDef(
        "seaport",
        "Sistem pencegahan di pelabuhan",
        "Prevention system at seaports",
        "Sisi pencegahan bagi petugas, awak dan penumpang, dan sisi peredaran gelap lewat laut.",
        "The prevention side for staff, crews and passengers, and the trafficking side by sea.",
        ("seaport",),
        *SOURCE_TRAFFICKING,
        components=(
            policy(10, SEAPORT),
            reporting_channel(15, SEAPORT),
            coordination(15, SEAPORT),
            courier_awareness(15, SEAPORT),
            staff_screening(15, SEAPORT),
            visitor_information(10, SEAPORT),
            cadres(10, SEAPORT),
            monitoring(10, SEAPORT),
        ),
    ),
    StandardDef(
        "border_post",
        "Sistem pencegahan di pos lintas batas negara",
        "Prevention system at land border posts",
        "PLBN dan pos lintas batas lainnya.",
        "PLBN and other land border crossings.",
        ("border_post",),
        *SOURCE_TRAFFICKING,
        components=(
            policy(10, BORDER),
            reporting_channel(15, BORDER),
            coordination(15, BORDER),
            courier_awareness(15, BORDER),
            staff_screening(15, BORDER),
            visitor_information(10, BORDER),
            cadres(10, BORDER),
            monitoring(10, BORDER),
        ),
    ),
    StandardDef(
        "terminal",
        "Sistem pencegahan di terminal dan stasiun",
        "Prevention system at bus and rail terminals",
        "Terminal bus dan stasiun kereta.",
        "Bus terminals and railway stations.",
        ("terminal",),
        *SOURCE_TRAFFICKING,
        components=(
            policy(10, TERMINAL),
            reporting_channel(15, TERMINAL),
            coordination(15, TERMINAL),
            courier_awareness(15, TERMINAL),
            staff_screening(20, TERMINAL),
            visitor_information(10, TERMINAL),
            monitoring(15, TERMINAL),
        ),
    ),
    StandardDef(
        "tourist_area",
        "Sistem pencegahan di kawasan wisata",
        "Prevention system at tourist areas",
        "Kawasan wisata dan destinasi, termasuk usaha di dalamnya.",
        "Tourist areas and destinations, with the businesses in them.",
        ("tourist_area",),
        *SOURCE_TRAFFICKING,
        components=(
            policy(10, TOURIST),
            reporting_channel(15, TOURIST),
            coordination(15, TOURIST),
            courier_awareness(15, TOURIST),
            staff_screening(10, TOURIST),
            visitor_information(10, TOURIST),
            business_partners(15, TOURIST),
            monitoring(10, TOURIST),
        ),
    ),
    StandardDef(
        "entertainment_hotel",
        "Sistem pencegahan di tempat hiburan dan hotel",
        "Prevention system at entertainment venues and hotels",
        "Tempat hiburan malam, karaoke, bar, spa, hotel dan penginapan.",
        "Nightclubs, karaoke, bars, spas, hotels and lodgings.",
        ("entertainment", "hotel"),
        *SOURCE_TRAFFICKING,
        components=(
            policy(15, VENUE),
            venue_staff_training(15, VENUE),
            _component(
                "reporting_coordination",
                15,
                (
                    "Pelaporan dan koordinasi dengan aparat",
                    "Reporting and coordination with the authorities",
                ),
                (
                    "Kanal pelaporan internal dan kerja sama dengan {authorities_id}.",
                    "An internal reporting channel and cooperation with {authorities_en}.",
                ),
                [
                    (
                        "Kejadian tidak dilaporkan; tidak ada kontak dengan aparat.",
                        "Incidents are not reported; no contact with the authorities.",
                    ),
                    (
                        "Kejadian dilaporkan ke manajer saja, sesekali diteruskan.",
                        "Incidents go to a manager only and are sometimes passed on.",
                    ),
                    (
                        "Ada prosedur pelaporan tertulis dan kontak aparat, belum rutin "
                        "dijalankan.",
                        "A written reporting procedure and contacts exist but are not routinely "
                        "used.",
                    ),
                    (
                        "Setiap kejadian dicatat dan dilaporkan ke Polri/BNN; ada pertemuan "
                        "koordinasi berkala.",
                        "Every incident is logged and reported to the police or BNN; there are "
                        "regular coordination meetings.",
                    ),
                    (
                        "Laporan dan tindak lanjutnya ditinjau bersama aparat setiap tahun.",
                        "Reports and their follow-up are reviewed with the authorities every year.",
                    ),
                ],
                VENUE,
            ),
            staff_screening(15, VENUE),
            premises_supervision(15, VENUE),
            visitor_information(10, VENUE),
            monitoring(15, VENUE),
        ),
    ),
    StandardDef(
        "government",
        "Sistem pencegahan di instansi pemerintah",
        "Prevention system at government agencies",
        "Kementerian/lembaga, OPD provinsi dan kabupaten/kota, kecamatan.",
        "Ministries, agencies, provincial and regency offices, districts.",
        ("government",),
        *SOURCE_UNODC,
        components=(
            policy(15, GOVERNMENT),
            plan_budget(15, GOVERNMENT),
            staff_screening(15, GOVERNMENT),
            staff_education(15, GOVERNMENT),
            employee_assistance(15, GOVERNMENT),
            cadres(10, GOVERNMENT),
            monitoring(15, GOVERNMENT),
        ),
    ),
    StandardDef(
        "workplace",
        "Sistem pencegahan di perusahaan dan tempat kerja",
        "Prevention system at companies and workplaces",
        "Perusahaan swasta, BUMN/BUMD, kawasan industri.",
        "Private companies, state-owned enterprises, industrial estates.",
        ("workplace",),
        *SOURCE_UNODC,
        components=(
            policy(15, WORKPLACE),
            staff_education(15, WORKPLACE),
            staff_screening(15, WORKPLACE),
            employee_assistance(20, WORKPLACE),
            cadres(10, WORKPLACE),
            workplace_family(10, WORKPLACE),
            monitoring(15, WORKPLACE),
        ),
    ),
    StandardDef(
        "village",
        "Desa/Kelurahan Bersinar (Bersih Narkoba)",
        "Desa/Kelurahan Bersinar (drug-free village)",
        "Tahapan: seleksi, penetapan, pokja, penganggaran, rencana aksi P4GN, pencanangan, "
        "program mandiri.",
        "Stages: selection, designation, working group, budgeting, P4GN action plan, launch, "
        "self-run programme.",
        ("village",),
        *SOURCE_BERSINAR,
        components=_village_components(),
    ),
)


# ---------------------------------------------------------------------------------------
# Drug-prone category rule, version 1.

DEFAULT_CATEGORY_RULE = {
    # Published: bahaya = at least 5 main and at least 4 supporting indicators.
    "bahaya_min_main": 5,
    "bahaya_join": "and",
    "bahaya_min_supporting": 4,
    # Cegah defaults, to verify: waspada = at least 3 main (any supporting) …
    "waspada_min_main": 3,
    "waspada_join": "and",
    "waspada_min_supporting": 0,
    # … siaga = at least 1 main or at least 3 supporting; aman = none of the above.
    "siaga_min_main": 1,
    "siaga_join": "or",
    "siaga_min_supporting": 3,
}
DEFAULT_RULE_NOTE = (
    "Shipped default. Bahaya (at least 5 main and 4 supporting indicators) is the published "
    "rule. Waspada (at least 3 main) and siaga (at least 1 main or 3 supporting) are Cegah "
    "defaults to verify against BNN's current guidance; aman is everything else."
)


# ---------------------------------------------------------------------------------------
# Loading.


def load_defaults(apps=None) -> tuple[int, bool]:
    """Create each default standard (version 1, published) whose code has no version yet,
    and the default category rule if there is none. Never changes what exists, so an
    admin's versions survive. Idempotent. With ``apps`` (a data migration's registry) no
    change log is written; the live call logs what it creates. Returns (standards created,
    rule created)."""
    from django.db import transaction
    from django.utils import timezone

    live = apps is None
    if live:
        from django.apps import apps as live_apps

        apps = live_apps
    standard_model = apps.get_model("standards", "Standard")
    component_model = apps.get_model("standards", "Component")
    rule_model = apps.get_model("standards", "CategoryRule")
    created = []
    with transaction.atomic():
        existing = set(standard_model.objects.values_list("code", flat=True))
        now = timezone.now()
        for definition in DEFAULT_STANDARDS:
            if definition.code in existing:
                continue
            standard = standard_model.objects.create(
                code=definition.code,
                version=1,
                status="published",
                name_id=definition.name_id,
                name_en=definition.name_en,
                description_id=definition.description_id,
                description_en=definition.description_en,
                site_types=list(definition.site_types),
                is_default=True,
                source_id=definition.source_id,
                source_en=definition.source_en,
                published_at=now,
            )
            component_model.objects.bulk_create(
                component_model(
                    standard=standard,
                    code=c.code,
                    order=order,
                    name_id=c.name_id,
                    name_en=c.name_en,
                    description_id=c.description_id,
                    description_en=c.description_en,
                    weight=c.weight,
                    **{f"level_{n}_id": c.levels_id[n] for n in range(5)},
                    **{f"level_{n}_en": c.levels_en[n] for n in range(5)},
                )
                for order, c in enumerate(definition.components, start=1)
            )
            created.append(standard)
        rule = None
        if not rule_model.objects.exists():
            rule = rule_model.objects.create(
                version=1, is_default=True, note=DEFAULT_RULE_NOTE, **DEFAULT_CATEGORY_RULE
            )
        if live:
            from cegah.core import changelog

            for obj in [*created, *([rule] if rule else [])]:
                changelog.record(None, "create", obj, None, changelog.snapshot(obj))
    return len(created), rule is not None
