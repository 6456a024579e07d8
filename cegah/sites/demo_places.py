"""Real places for the demo: airports with their IATA codes, seaports (with their UN/LOCODE
where it is certain), land border posts and terminals, each in its regency/city code. Every
code and regency name here is checked against the Kemendagri regions by
tests/sites/test_demo.py; the demo refuses to build if one does not match.

(code, name, regency code, regency name as in the regions table)
"""

AIRPORTS = [
    ("CGK", "Bandar Udara Internasional Soekarno-Hatta", "36.71", "Kota Tangerang"),
    ("DPS", "Bandar Udara Internasional I Gusti Ngurah Rai", "51.03", "Kabupaten Badung"),
    ("KNO", "Bandar Udara Internasional Kualanamu", "12.07", "Kabupaten Deli Serdang"),
    ("UPG", "Bandar Udara Internasional Sultan Hasanuddin", "73.09", "Kabupaten Maros"),
    ("YIA", "Bandar Udara Internasional Yogyakarta", "34.01", "Kabupaten Kulon Progo"),
    ("SRG", "Bandar Udara Internasional Jenderal Ahmad Yani", "33.74", "Kota Semarang"),
    ("BDO", "Bandar Udara Husein Sastranegara", "32.73", "Kota Bandung"),
    ("PLM", "Bandar Udara Internasional Sultan Mahmud Badaruddin II", "16.71", "Kota Palembang"),
    ("PDG", "Bandar Udara Internasional Minangkabau", "13.05", "Kabupaten Padang Pariaman"),
    ("PKU", "Bandar Udara Internasional Sultan Syarif Kasim II", "14.71", "Kota Pekanbaru"),
    ("BTH", "Bandar Udara Internasional Hang Nadim", "21.71", "Kota Batam"),
    ("TNJ", "Bandar Udara Raja Haji Fisabilillah", "21.72", "Kota Tanjung Pinang"),
    ("BTJ", "Bandar Udara Internasional Sultan Iskandar Muda", "11.06", "Kabupaten Aceh Besar"),
    ("DJB", "Bandar Udara Sultan Thaha", "15.71", "Kota Jambi"),
    ("TKG", "Bandar Udara Radin Inten II", "18.01", "Kabupaten Lampung Selatan"),
    ("PNK", "Bandar Udara Internasional Supadio", "61.12", "Kabupaten Kubu Raya"),
    ("BDJ", "Bandar Udara Internasional Syamsudin Noor", "63.72", "Kota Banjarbaru"),
    (
        "BPN",
        "Bandar Udara Internasional Sultan Aji Muhammad Sulaiman Sepinggan",
        "64.71",
        "Kota Balikpapan",
    ),
    ("PKY", "Bandar Udara Tjilik Riwut", "62.71", "Kota Palangkaraya"),
    ("TRK", "Bandar Udara Internasional Juwata", "65.71", "Kota Tarakan"),
    ("MDC", "Bandar Udara Internasional Sam Ratulangi", "71.71", "Kota Manado"),
    ("PLW", "Bandar Udara Mutiara SIS Al-Jufrie", "72.71", "Kota Palu"),
    ("KDI", "Bandar Udara Haluoleo", "74.05", "Kabupaten Konawe Selatan"),
    (
        "LOP",
        "Bandar Udara Internasional Zainuddin Abdul Madjid",
        "52.02",
        "Kabupaten Lombok Tengah",
    ),
    ("KOE", "Bandar Udara Internasional El Tari", "53.71", "Kota Kupang"),
    ("AMQ", "Bandar Udara Internasional Pattimura", "81.71", "Kota Ambon"),
    ("TTE", "Bandar Udara Sultan Babullah", "82.71", "Kota Ternate"),
    ("DJJ", "Bandar Udara Sentani", "91.03", "Kabupaten Jayapura"),
    ("SOQ", "Bandar Udara Domine Eduard Osok", "96.71", "Kota Sorong"),
    ("MKW", "Bandar Udara Rendani", "92.02", "Kabupaten Manokwari"),
    ("TIM", "Bandar Udara Mozes Kilangin", "94.04", "Kabupaten Mimika"),
    ("MKQ", "Bandar Udara Mopah", "93.01", "Kabupaten Merauke"),
    ("WMX", "Bandar Udara Wamena", "95.01", "Kabupaten Jayawijaya"),
]

# UN/LOCODE only where certain; the other ports have none in the demo.
SEAPORTS = [
    ("IDTPP", "Pelabuhan Tanjung Priok", "31.72", "Kota Administrasi Jakarta Utara"),
    ("IDBLW", "Pelabuhan Belawan", "12.71", "Kota Medan"),
    ("IDSRG", "Pelabuhan Tanjung Emas", "33.74", "Kota Semarang"),
    ("IDBPN", "Pelabuhan Semayang", "64.71", "Kota Balikpapan"),
    ("IDPNK", "Pelabuhan Dwikora", "61.71", "Kota Pontianak"),
    ("IDBDJ", "Pelabuhan Trisakti", "63.71", "Kota Banjarmasin"),
    ("IDPLM", "Pelabuhan Boom Baru", "16.71", "Kota Palembang"),
    ("IDBIT", "Pelabuhan Bitung", "71.72", "Kota Bitung"),
    ("IDAMQ", "Pelabuhan Yos Sudarso Ambon", "81.71", "Kota Ambon"),
    ("IDKOE", "Pelabuhan Tenau", "53.71", "Kota Kupang"),
    ("IDDJJ", "Pelabuhan Jayapura", "91.71", "Kota Jayapura"),
    ("IDSOQ", "Pelabuhan Sorong", "96.71", "Kota Sorong"),
    ("IDCXP", "Pelabuhan Tanjung Intan", "33.01", "Kabupaten Cilacap"),
    ("IDPNJ", "Pelabuhan Panjang", "18.71", "Kota Bandar Lampung"),
    ("IDDUM", "Pelabuhan Dumai", "14.72", "Kota Dumai"),
    ("IDBOA", "Pelabuhan Benoa", "51.71", "Kota Denpasar"),
    ("IDTRK", "Pelabuhan Malundung", "65.71", "Kota Tarakan"),
    ("IDKDI", "Pelabuhan Kendari", "74.71", "Kota Kendari"),
    ("IDGTO", "Pelabuhan Gorontalo", "75.71", "Kota Gorontalo"),
    ("IDTTE", "Pelabuhan Ahmad Yani Ternate", "82.71", "Kota Ternate"),
    ("", "Pelabuhan Merak", "36.72", "Kota Cilegon"),
    ("", "Pelabuhan Bakauheni", "18.01", "Kabupaten Lampung Selatan"),
    ("", "Pelabuhan Gilimanuk", "51.01", "Kabupaten Jembrana"),
    ("", "Pelabuhan Ketapang", "35.10", "Kabupaten Banyuwangi"),
    ("", "Pelabuhan Padangbai", "51.07", "Kabupaten Karangasem"),
    ("", "Pelabuhan Lembar", "52.01", "Kabupaten Lombok Barat"),
    ("", "Pelabuhan Teluk Bayur", "13.71", "Kota Padang"),
    ("", "Pelabuhan Sunda Kelapa", "31.72", "Kota Administrasi Jakarta Utara"),
    ("", "Pelabuhan Nusantara Parepare", "73.72", "Kota Parepare"),
    ("", "Pelabuhan Sabang", "11.72", "Kota Sabang"),
    ("", "Pelabuhan Sibolga", "12.73", "Kota Sibolga"),
    ("", "Pelabuhan Tegal", "33.76", "Kota Tegal"),
    ("", "Pelabuhan Cirebon", "32.74", "Kota Cirebon"),
    ("", "Pelabuhan Tanjung Tembaga", "35.74", "Kota Probolinggo"),
    ("", "Pelabuhan Kalianget", "35.29", "Kabupaten Sumenep"),
    ("", "Pelabuhan Kamal", "35.26", "Kabupaten Bangkalan"),
    ("", "Pelabuhan Tanjung Pandan", "19.02", "Kabupaten Belitung"),
    ("", "Pelabuhan Tanjung Uban", "21.01", "Kabupaten Bintan"),
    ("", "Pelabuhan Tanjung Balai Karimun", "21.02", "Kabupaten Karimun"),
    ("", "Pelabuhan Selat Lampa", "21.03", "Kabupaten Natuna"),
    ("", "Pelabuhan Labuan Bajo", "53.15", "Kabupaten Manggarai Barat"),
    ("", "Pelabuhan Lorens Say Maumere", "53.07", "Kabupaten Sikka"),
    ("", "Pelabuhan Ende", "53.08", "Kabupaten Ende"),
    ("", "Pelabuhan Kalabahi", "53.05", "Kabupaten Alor"),
    ("", "Pelabuhan Tual", "81.72", "Kota Tual"),
    ("", "Pelabuhan Saumlaki", "81.03", "Kabupaten Kepulauan Tanimbar"),
    ("", "Pelabuhan Tobelo", "82.03", "Kabupaten Halmahera Utara"),
    ("", "Pelabuhan Biak", "91.06", "Kabupaten Biak Numfor"),
    ("", "Pelabuhan Nabire", "94.01", "Kabupaten Nabire"),
    ("", "Pelabuhan Merauke", "93.01", "Kabupaten Merauke"),
    ("", "Pelabuhan Manokwari", "92.02", "Kabupaten Manokwari"),
    ("", "Pelabuhan Pomako", "94.04", "Kabupaten Mimika"),
    ("", "Pelabuhan Waisai", "96.03", "Kabupaten Raja Ampat"),
    ("", "Pelabuhan Tahuna", "71.03", "Kabupaten Kepulauan Sangihe"),
    ("", "Pelabuhan Luwuk", "72.01", "Kabupaten Banggai"),
    ("", "Pelabuhan Bajoe", "73.08", "Kabupaten Bone"),
    ("", "Pelabuhan Sampit", "62.02", "Kabupaten Kotawaringin Timur"),
    ("", "Pelabuhan Kotabaru", "63.02", "Kabupaten Kotabaru"),
    ("", "Pelabuhan Samarinda", "64.72", "Kota Samarinda"),
]

BORDER_POSTS = [
    ("PLBN Entikong", "61.03", "Kabupaten Sanggau"),
    ("PLBN Aruk", "61.01", "Kabupaten Sambas"),
    ("PLBN Badau", "61.06", "Kabupaten Kapuas Hulu"),
    ("PLBN Motaain", "53.04", "Kabupaten Belu"),
    ("PLBN Motamasin", "53.21", "Kabupaten Malaka"),
    ("PLBN Wini", "53.03", "Kabupaten Timor Tengah Utara"),
    ("PLBN Skouw", "91.71", "Kota Jayapura"),
    ("PLBN Sota", "93.01", "Kabupaten Merauke"),
    ("PLBN Yetetkun", "93.02", "Kabupaten Boven Digoel"),
]

TERMINALS = [
    ("Terminal Purabaya", "35.15", "Kabupaten Sidoarjo"),
    ("Terminal Terpadu Pulo Gebang", "31.75", "Kota Administrasi Jakarta Timur"),
    ("Terminal Kampung Rambutan", "31.75", "Kota Administrasi Jakarta Timur"),
    ("Terminal Giwangan", "34.71", "Kota Yogyakarta"),
    ("Terminal Arjosari", "35.73", "Kota Malang"),
    ("Stasiun Gambir", "31.71", "Kota Administrasi Jakarta Pusat"),
]


def all_places():
    """(kind, code, name, regency code, regency name) of every place above."""
    yield from (("airport", c, n, r, rn) for c, n, r, rn in AIRPORTS)
    yield from (("seaport", c, n, r, rn) for c, n, r, rn in SEAPORTS)
    yield from (("border_post", "", n, r, rn) for n, r, rn in BORDER_POSTS)
    yield from (("terminal", "", n, r, rn) for n, r, rn in TERMINALS)
