#!/usr/bin/env python3
"""Write the demo events (``events.jsonl``) and their ``README.md`` from hand-written texts.

Every text below was written for this demo; none is taken from a dataset or a real account.
The script only decides who says it (an account from ``../config/registry.sample.yaml``), when,
and on which watch-list account it acts (``../config/watchlist.yaml``). Output is deterministic.

    python make_events.py            # rewrite events.jsonl and README.md
    python make_events.py --check    # validate events.jsonl against the reference data
    python make_events.py --labels   # print the intended category of every event (JSONL)

Standard library + PyYAML only. The political leanings in ``PERSONAS`` are demo scaffolding for
invented pseudonymous records: they exist only so that one account's posts are consistent.
"""

# ruff: noqa: E501  (hand-written texts are kept one entry per line)
from __future__ import annotations

import argparse
import collections
import hashlib
import json
import random
import re
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
CONFIG = HERE.parent / "config"
EVENTS = HERE / "events.jsonl"
README = HERE / "README.md"
SEED = 20240214

CLEAN = "clean"
ENG = "contestant_engagement"
SUP = "partisan_support"
OPP = "partisan_opposition"
INV = "campaign_involvement"
MON = "money_politics"
INT = "intimidation"
HOAX = "hoax"
HATE = "hate_speech"
UNREG = "unregistered"
CATEGORY_ORDER = [CLEAN, ENG, SUP, OPP, INV, MON, INT, HOAX, HATE, UNREG]

# Invented leanings for invented pseudonymous employees (1, 2, 3 = pair number); weight = activity.
PERSONAS = {
    "ASN-0007": (1, 1),
    "ASN-0008": (1, 3),
    "ASN-0013": (1, 1),
    "ASN-0019": (1, 2),
    "ASN-0026": (1, 1),
    "ASN-0040": (1, 1),
    "ASN-0041": (1, 2),
    "ASN-0057": (1, 3),
    "ASN-0012": (2, 1),
    "ASN-0015": (2, 2),
    "ASN-0022": (2, 1),
    "ASN-0024": (2, 1),
    "ASN-0025": (2, 3),
    "ASN-0028": (2, 1),
    "ASN-0034": (2, 2),
    "ASN-0054": (2, 2),
    "ASN-0059": (2, 1),
    "ASN-0009": (3, 1),
    "ASN-0021": (3, 2),
    "ASN-0029": (3, 1),
    "ASN-0037": (3, 1),
    "ASN-0043": (3, 1),
    "ASN-0045": (3, 3),
    "ASN-0056": (3, 1),
    "ASN-0058": (3, 2),
}

TZ = {"pemprov-sulsel": timezone(timedelta(hours=8))}
WIB = timezone(timedelta(hours=7))

PHASES = {
    "before_window": ("2023-08-01", "2023-10-18"),
    "candidacy": ("2023-10-19", "2023-11-27"),
    "campaign": ("2023-11-28", "2024-02-10"),
    "quiet": ("2024-02-11", "2024-02-13"),
    "voting": ("2024-02-14", "2024-02-14"),
    "recap": ("2024-02-15", "2024-03-20"),
    "post": ("2024-03-21", "2024-10-20"),
}

JV = ("pemkab-sleman", "kanwil-kemenag-jatim")  # Javanese-speaking agencies
SL = "pemkab-sleman"
MKS = "pemprov-sulsel"
JT = "kanwil-kemenag-jatim"
BDG = "pemkot-bandung"
HR_UNITS = ("bkpsdm", "bkd", "bagian-tu")

# Accounts that are not on the watch-list: election bodies, media, fans, parody, agencies.
EXTERNAL = {
    "kpu": (
        "KPU RI (contoh)",
        {
            "x": "x-7710001",
            "instagram": "ig-7710002",
            "facebook": "fb-7710003",
            "tiktok": "tt-7710004",
            "youtube": "yt-7710005",
        },
    ),
    "kpu-daerah": (
        "KPU Kabupaten/Kota (contoh)",
        {"instagram": "ig-7710011", "facebook": "fb-7710012", "x": "x-7710013"},
    ),
    "bawaslu": (
        "Bawaslu (contoh)",
        {
            "x": "x-7710021",
            "instagram": "ig-7710022",
            "facebook": "fb-7710023",
            "tiktok": "tt-7710024",
        },
    ),
    "news": (
        "Harian Nusantara (media, contoh)",
        {
            "x": "x-7720001",
            "facebook": "fb-7720002",
            "instagram": "ig-7720003",
            "tiktok": "tt-7720004",
            "youtube": "yt-7720005",
            "other": "tg-7720006",
        },
    ),
    "news-local": (
        "Warta Daerah (media, contoh)",
        {"x": "x-7720011", "facebook": "fb-7720012", "instagram": "ig-7720013"},
    ),
    "cekfakta": (
        "Cek Fakta Bersama (contoh)",
        {"x": "x-7720021", "facebook": "fb-7720022", "instagram": "ig-7720023"},
    ),
    "warung-anies": (
        "Warung Bu Anies (kuliner, bukan kandidat)",
        {"instagram": "ig-7730001", "tiktok": "tt-7730002", "facebook": "fb-7730009"},
    ),
    "kucing-gemoy": (
        "Kucing Gemoy (akun hewan)",
        {"instagram": "ig-7730003", "tiktok": "tt-7730004"},
    ),
    "ganjar-kw": (
        "Ganjar KW (parodi, bukan akun kandidat)",
        {"x": "x-7730005", "tiktok": "tt-7730006"},
    ),
    "fan-pragib": (
        "Fans Garis Lucu (tidak resmi)",
        {"instagram": "ig-7730007", "facebook": "fb-7730008"},
    ),
    "humas": (
        "Humas Pemerintah Daerah (contoh)",
        {
            "facebook": "fb-7740001",
            "instagram": "ig-7740002",
            "x": "x-7740003",
            "youtube": "yt-7740004",
        },
    ),
    "cuaca": (
        "Info Cuaca Daerah (contoh)",
        {"x": "x-7750001", "instagram": "ig-7750002", "facebook": "fb-7750003"},
    ),
    "bola": (
        "Kabar Bola Garuda (fan, contoh)",
        {"instagram": "ig-7750011", "x": "x-7750012", "tiktok": "tt-7750013"},
    ),
}
EXTERNAL_GROUPS = {
    "kuliner-sleman": ("facebook", "fbg-7760001", "Info Kuliner Sleman"),
    "guru-sd": ("facebook", "fbg-7760002", "Guru SD Se-Kabupaten Sleman"),
    "motor-mks": ("facebook", "fbg-7760003", "Jual Beli Motor Bekas Makassar"),
    "bobotoh": ("facebook", "fbg-7760004", "Bobotoh Coblong"),
    "info-cpns": ("other", "tgg-7760005", "Info CPNS dan PPPK (Telegram)"),
}

# Posts by watch-listed accounts, used as ``target.text`` (invented; not real campaign posts).
TP = {
    "paslon-01": [
        "Terima kasih Makassar! Perubahan bukan janji kosong, tapi kerja bersama. Sampai jumpa di bilik suara.",
        "Malam ini kita berdialog dengan anak muda Yogyakarta. Tanya apa saja, kami jawab apa adanya.",
        "Pupuk mudah didapat, harga gabah layak. Petani sejahtera, desa maju. Itu perubahan yang kami tawarkan.",
        "Keadilan untuk semua, bukan hanya untuk segelintir orang. ☝️",
    ],
    "paslon-02": [
        "Makan siang bergizi gratis untuk anak-anak kita. Kita lanjutkan pembangunan menuju Indonesia Maju!",
        "Terima kasih warga Surabaya, luar biasa antusiasmenya! Tetap jaga kesehatan, sampai ketemu lagi.",
        "Hilirisasi membuka lapangan kerja bagi anak muda. Kita teruskan yang sudah baik.",
        "Satu putaran, hemat waktu dan anggaran. Mari bergandengan tangan. ✌️",
    ],
    "paslon-03": [
        "Sat set! Satu desa, satu fasilitas kesehatan, satu tenaga kesehatan.",
        "Internet gratis untuk pelajar dan guru. Cepat dan Unggul.",
        "Malam ini live bareng, siapkan pertanyaanmu soal hukum dan keadilan.",
        "Bertemu nelayan di Tuban pagi ini. Solar langka harus selesai. 👌",
    ],
    "timnas-amin": [
        "Konsolidasi relawan se-Jawa Barat hari Minggu di Bandung. Daftar lewat tautan di bio.",
        "Rekap kampanye pekan ini: 14 provinsi, 60 titik. Terus bergerak untuk perubahan!",
    ],
    "tkn-prabowo-gibran": [
        "Sabtu biru langit ceria! Ajak temanmu pakai baju biru muda akhir pekan ini.",
        "Pendaftaran saksi TPS dibuka. Info lengkap di kanal resmi kami.",
    ],
    "tpn-ganjar-mahfud": [
        "Posko pemenangan Ganjar-Mahfud Jawa Timur resmi dibuka hari ini.",
        "Nonton bareng debat di posko-posko TPN seluruh Indonesia. Sat set!",
    ],
    "fanta-prabowo-gibran": [
        "Anak muda harus ambil bagian. Gabung sekarang, suara Gen Z menentukan!"
    ],
    "relawan-amin-bandung-contoh": [
        "Relawan AMIN Bandung Raya kumpul Sabtu pagi di Gasibu, bawa teman!"
    ],
    "relawan-sat-set-malang-contoh": [
        "Sat set Malang Raya! Posko relawan buka tiap malam, mampir ngopi."
    ],
    "relawan-pragib-makassar-contoh": [
        "Sahabat Prabowo-Gibran Makassar siap menangkan satu putaran!"
    ],
    "pkb": ["Kader PKB siap menangkan AMIN di Jawa Timur. Coblos PKB nomor 1!"],
    "gerindra": ["Gerindra solid untuk Prabowo-Gibran. Jangan lupa coblos Gerindra nomor 2."],
    "pdip": ["Banteng bergerak! Menangkan Ganjar-Mahfud, menangkan PDI Perjuangan."],
    "golkar": ["Golkar menyapa warga: kerja nyata, bukan janji. Bersama Prabowo-Gibran."],
    "nasdem": ["Restorasi Indonesia bersama AMIN. NasDem nomor 5!"],
    "pks": ["Kader PKS turun ke pasar pagi ini, sapa pedagang dan bersih-bersih lapak."],
    "pan": ["PAN mendukung Prabowo-Gibran, suara PAN suara rakyat."],
    "demokrat": ["Demokrat bersama rakyat untuk Indonesia Maju."],
    "psi": ["Partainya anak muda. Coblos PSI nomor 15!"],
    "ppp": ["PPP nomor 17, rumah besar umat. Bersama Ganjar-Mahfud."],
    "perindo": ["Perindo untuk UMKM: modal usaha untuk rakyat kecil."],
    "hanura": ["Hanura nomor 10, hati nurani rakyat bersama Ganjar-Mahfud."],
}
PAIR_NAME = {
    "paslon-01": "Anies-Muhaimin",
    "paslon-02": "Prabowo-Gibran",
    "paslon-03": "Ganjar-Mahfud",
}

NEWS = "news"


def ev(cat, kind, text="", **kw):
    return {"cat": cat, "kind": kind, "text": text, **kw}


def post(cat, text, **kw):
    return ev(cat, "post", text, **kw)


def com(cat, text, target, **kw):
    return ev(cat, "comment", text, target=target, **kw)


def share(cat, text, target, **kw):
    return ev(cat, "share", text, target=target, **kw)


def like(cat, target, **kw):
    return ev(cat, "like", "", target=target, **kw)


def follow(cat, target, **kw):
    return ev(cat, "follow", "", target=target, **kw)


def join(cat, target, **kw):
    return ev(cat, "join_group", "", target=target, **kw)


def prof(cat, text, **kw):
    return ev(cat, "profile_update", text, **kw)


def img(alt, ocr=""):
    return ("image", alt, ocr)


def vid(alt, ocr=""):
    return ("video", alt, ocr)


def wl(entity, idx=0):
    return ("wl", entity, idx)


def grp(entity, n=0):
    return ("grp", entity, n)


def ext(key, text=""):
    return ("ext", key, text)


def xgrp(key):
    return ("xgrp", key, "")


def person(text):
    return ("person", "", text)


# --------------------------------------------------------------------------------------------
# Clean content and hard negatives (DOMAIN.md section d). ``sub`` names the kind of negative.
# --------------------------------------------------------------------------------------------
CLEAN_ENTRIES = [
    # everyday work and public service
    post(
        CLEAN,
        "Pelayanan perekaman KTP-el di kecamatan buka sampai jam 15.00 hari ini. Jangan lupa bawa fotokopi KK ya, warga Coblong.",
        unit=("kecamatan-coblong",),
        sub="work",
    ),
    post(
        CLEAN,
        "Rakor percepatan penurunan stunting tingkat kabupaten. Semua puskesmas wajib lapor data timbang tiap bulan, tidak ada alasan telat.",
        unit=("dinas-kesehatan",),
        sub="work",
    ),
    post(
        CLEAN,
        "Poros Maros–Camba sudah mulus lagi, tinggal marka jalan. Makasih tim lapangan yg lembur terus minggu ini 🙏",
        unit=("dinas-pupr",),
        sub="work",
    ),
    post(
        CLEAN,
        "Posyandu balita RW 05 besok pagi jam 08.00, bawa buku KIA nggih bu ibu.",
        unit=("dinas-kesehatan",),
        sub="work",
    ),
    post(
        CLEAN,
        "PBB-P2 sekarang bisa dibayar lewat QRIS, nggak perlu antre di loket lagi. Jatuh tempo 31 Agustus ya.",
        agency=BDG,
        when=("2024-04-15", "2024-06-30"),
        sub="ambiguous_name",
    ),
    post(
        CLEAN,
        "Apel pagi hari Senin. Semangat melayani, jangan lupa sarapan 💪",
        when=("2024-01-08", "2024-02-05"),
        dow=(0,),
        hours=(7, 8),
        sub="work",
    ),
    post(
        CLEAN,
        "Input nilai rapor sampai jam 11 malam. Guru juga manusia, butuh tidur 😅",
        unit=("dinas-pendidikan", "kankemenag-kab-malang"),
        when=("2023-12-08", "2023-12-20"),
        hours=(21, 23),
        sub="work",
    ),
    post(
        CLEAN,
        "Sosialisasi pencegahan DBD di SD binaan. Ingat 3M plus ya adik-adik: menguras, menutup, mendaur ulang.",
        unit=("dinas-kesehatan",),
        sub="work",
    ),
    post(
        CLEAN,
        "Pendaftaran haji reguler tetap dibuka. Persyaratan bisa ditanyakan di Kankemenag kabupaten/kota, tidak dipungut biaya.",
        agency=JT,
        sub="work",
    ),
    post(
        CLEAN,
        "Bimtek penyusunan SKP di aula lantai 3. Yang belum upload e-kinerja bulan ini, besok batas terakhir ya rekan-rekan.",
        unit=HR_UNITS,
        sub="work",
    ),
    post(
        CLEAN,
        "Manasik haji tingkat kabupaten hari ini. Jamaah lansia semangatnya luar biasa, semoga jadi haji mabrur.",
        unit=("kankemenag-kab-malang",),
        when=("2024-04-20", "2024-05-10"),
        sub="work",
    ),
    post(
        CLEAN,
        "Cek kesehatan gratis untuk lansia di puskesmas tiap Kamis pagi. Ajak bapak ibu di rumah ya.",
        unit=("dinas-kesehatan",),
        sub="work",
    ),
    post(
        CLEAN,
        "Pelatihan Kurikulum Merdeka angkatan 3 selesai. Capek tapi dapat banyak ilmu baru.",
        unit=("dinas-pendidikan", "kankemenag-kab-malang"),
        sub="work",
    ),
    post(
        CLEAN,
        "Sidang isbat awal Ramadan 1445 H digelar tanggal 10 Maret. Pantau hasilnya lewat kanal resmi Kemenag ya.",
        agency=JT,
        when=("2024-03-05", "2024-03-09"),
        sub="work",
    ),
    post(CLEAN, "Kantor sepi, separuh teman lagi dinas luar. Ngopi dulu biar fokus ☕", sub="work"),
    post(
        CLEAN,
        "Reminder buat rekan ASN: lapor SPT Tahunan paling lambat 31 Maret, jangan nunggu mepet.",
        unit=HR_UNITS,
        when=("2024-02-20", "2024-03-25"),
        sub="work",
    ),
    post(
        CLEAN,
        "Monitoring jembatan di Kabupaten Gowa, progres fisik sudah 78%. Target rampung sebelum musim hujan berikutnya.",
        unit=("dinas-pupr",),
        sub="work",
    ),
    post(
        CLEAN,
        "Terima kasih bapak ibu yang ikut donor darah di halaman kantor, terkumpul 112 kantong! 🩸",
        agency=MKS,
        sub="work",
    ),
    post(
        CLEAN,
        "Lomba kebersihan antar-OPD, ruangan kami juara 2 lho 😁✌️",
        media=[
            img(
                "staf kantor berpose dua jari sambil memegang piala kecil dan piagam lomba kebersihan",
                "JUARA II LOMBA KEBERSIHAN ANTAR-OPD",
            )
        ],
        sub="number_no_cue",
    ),
    post(
        CLEAN,
        "Usulan kenaikan pangkat periode April: berkas paling lambat masuk 15 Februari lewat SIASN. Yang belum lengkap segera hubungi subbag kepegawaian.",
        unit=HR_UNITS,
        when=("2024-01-08", "2024-01-31"),
        sub="work",
    ),
    post(
        CLEAN,
        "Alhamdulillah jalan lingkar utara selesai diaspal. Semoga awet, jangan dilewati truk over tonase.",
        unit=("dinas-pupr",),
        sub="work",
    ),
    post(
        CLEAN,
        "Evaluasi pelayanan publik hari ini. Keluhan terbanyak masih soal antrean, bulan depan kita coba nomor antrean online.",
        agency=BDG,
        unit=("setda",),
        sub="work",
    ),
    post(
        CLEAN,
        "Penyuluhan agama di lapas pagi ini, warga binaan antusias ikut tadarus. Semoga istiqamah.",
        unit=("kankemenag-kab-malang",),
        sub="work",
    ),
    post(
        CLEAN,
        "Layanan Dukcapil keliling hadir di kelurahan Dago hari Sabtu. Bawa KK dan akta lahir anak.",
        unit=("kecamatan-coblong",),
        sub="work",
    ),
    post(
        CLEAN,
        "Lagi nyusun laporan keuangan akhir tahun. Doakan SPJ-nya cocok semua 😂",
        when=("2023-12-15", "2023-12-29"),
        sub="work",
    ),
    post(
        CLEAN,
        "Sub PIN polio untuk anak 0–7 tahun dimulai minggu depan. Datang ke posyandu atau puskesmas terdekat.",
        unit=("dinas-kesehatan",),
        when=("2024-01-05", "2024-01-12"),
        sub="work",
    ),
    post(
        CLEAN,
        "Madrasah kami dapat akreditasi A! Terima kasih guru, siswa dan wali murid semua 🎉",
        agency=JT,
        sub="work",
    ),
    post(CLEAN, "Wifi kantor mati dari pagi, kerjaan numpuk 🙃", sub="work"),
    post(
        CLEAN,
        "Kerja bakti bersihin saluran air depan kantor bareng Satpol PP. Musim hujan, jangan sampai banjir lagi.",
        unit=("kecamatan-coblong",),
        sub="work",
    ),
    post(
        CLEAN,
        "Video tutorial pengisian SKP di e-kinerja sudah kami unggah. Durasi 12 menit, silakan ditonton sebelum tenggat.",
        plat=("youtube",),
        media=[
            vid("rekaman layar aplikasi e-kinerja dengan narasi", "TUTORIAL PENGISIAN SKP 2024")
        ],
        sub="work",
    ),
    post(
        CLEAN,
        "Vlog kunjungan ke madrasah di lereng Gunung Kawi. Jalannya menanjak, semangat gurunya luar biasa.",
        agency=JT,
        plat=("youtube",),
        media=[vid("perjalanan mobil di jalan desa menanjak lalu suasana kelas madrasah")],
        sub="work",
    ),
    post(
        CLEAN,
        "Rapat persiapan musrenbang kelurahan. Usulan warga paling banyak soal lampu jalan dan drainase.",
        unit=("kecamatan-coblong", "setda"),
        sub="work",
    ),
    # family, food, weather, daily life
    post(
        CLEAN,
        "Anak saya ulang tahun ke-2 hari ini, barakallah fii umrik nak 🎂✌️",
        media=[
            img("balita memegang balon angka 2 dan mengacungkan dua jari di depan kue ulang tahun")
        ],
        sub="number_no_cue",
    ),
    post(
        CLEAN,
        "Hujan deras dari siang, Jl. Kaliurang km 7 mulai tergenang. Hati-hati yang pulang kantor.",
        agency=SL,
        sub="daily_life",
    ),
    post(
        CLEAN,
        "Gudeg langganan dekat Wijilan masih juara buat sarapan sebelum ngantor 😋",
        agency=SL,
        sub="daily_life",
    ),
    post(
        CLEAN,
        "Coto langganan dekat kantor tutup, terpaksa pallubasa. Sama enaknya ji 😋",
        agency=MKS,
        sub="daily_life",
    ),
    post(
        CLEAN,
        "Bandung tiis pisan isuk-isuk, kudu jaket dua lapis euy 🥶",
        agency=BDG,
        sub="daily_life",
    ),
    post(
        CLEAN,
        "Doakan adik saya lulus seleksi PPPK guru tahun ini ya teman-teman 🤲",
        sub="daily_life",
    ),
    post(
        CLEAN,
        "Weekend ke Kaliurang sama keluarga, anak-anak main di taman sampai lupa waktu.",
        agency=SL,
        dow=(5, 6),
        sub="daily_life",
    ),
    post(
        CLEAN,
        "Resep sayur asem ala ibu mertua: asam jawa, melinjo, jagung muda, kacang panjang. Segeeer.",
        sub="daily_life",
    ),
    post(
        CLEAN,
        "Pasteur macet parah, jangan lewat sini kalau nggak kepepet 😩",
        agency=BDG,
        sub="daily_life",
    ),
    post(
        CLEAN,
        "Selamat Hari Ibu untuk semua ibu hebat, terutama ibuku yang tidak pernah lelah 💐",
        when="2023-12-22",
        sub="daily_life",
    ),
    post(
        CLEAN,
        "Selamat Natal bagi saudara-saudara yang merayakan. Damai di hati, damai di bumi 🎄",
        when="2023-12-25",
        sub="daily_life",
    ),
    post(
        CLEAN,
        "Selamat tahun baru 2024! Semoga lebih sehat, lebih sabar, lebih banyak bersyukur.",
        when="2024-01-01",
        sub="daily_life",
    ),
    post(
        CLEAN,
        "Libur Isra Mikraj, waktunya beresin gudang yang sudah kayak kapal pecah.",
        when="2024-02-08",
        sub="daily_life",
    ),
    post(
        CLEAN,
        "Gong xi fa cai! Ke kelenteng sama teman, lampionnya cantik sekali 🏮",
        when="2024-02-10",
        sub="daily_life",
    ),
    post(
        CLEAN,
        "Foto bareng murid kelas 3, pose tiga jari biar kompak sama nomor kelasnya 😄",
        unit=("dinas-pendidikan", "kankemenag-kab-malang"),
        media=[
            img(
                "guru dan murid SD berseragam merah putih berpose tiga jari di depan papan tulis",
                "KELAS 3B",
            )
        ],
        sub="number_no_cue",
    ),
    post(
        CLEAN, "Persib menang 3-1!! Maung Bandung tetap di hati 💙", agency=BDG, sub="number_no_cue"
    ),
    post(
        CLEAN,
        "PSM main kandang lagi akhir pekan ini, siap-siap ke stadion 🔴",
        agency=MKS,
        sub="daily_life",
    ),
    post(
        CLEAN,
        "Timnas Garuda lolos 16 besar Piala Asia!! Bangga bgt, merinding nonton bareng di pos ronda 🇮🇩",
        when=("2024-01-25", "2024-01-26"),
        sub="ambiguous_name",
    ),
    post(
        CLEAN,
        "Kucing saya lahiran 3 ekor, ada yang mau adopsi? Khusus yang sayang binatang.",
        media=[img("tiga anak kucing oranye tidur di dalam kardus")],
        sub="daily_life",
    ),
    post(CLEAN, "Percobaan ke-2 bikin lapis legit, gagal lagi. Bantat 😂", sub="number_no_cue"),
    post(
        CLEAN,
        "Arisan RT malam ini di rumah Bu RT, jangan lupa bawa gorengan.",
        hours=(12, 18),
        sub="daily_life",
    ),
    post(
        CLEAN,
        "Sore-sore paling enak es pisang ijo. Makassar panas sekali hari ini 🥵",
        agency=MKS,
        sub="daily_life",
    ),
    post(
        CLEAN,
        "Alhamdulillah lulus tes kesehatan, insya Allah berangkat umroh bulan depan bersama ibu.",
        sub="daily_life",
    ),
    post(
        CLEAN,
        "Mohon doanya, bapak saya masih dirawat di RS. Semoga lekas sembuh 🤲",
        sub="daily_life",
    ),
    post(
        CLEAN,
        "Mudik lewat tol tahun ini, semoga lancar. Jangan lupa istirahat tiap 4 jam ya.",
        when=("2024-04-04", "2024-04-08"),
        sub="daily_life",
    ),
    post(
        CLEAN,
        "Selamat Idulfitri 1445 H. Mohon maaf lahir dan batin 🙏",
        when="2024-04-10",
        sub="daily_life",
    ),
    post(
        CLEAN,
        "Barusan gempa kerasa sampai lantai 2 kantor. Semua aman? Tetap tenang ya.",
        sub="daily_life",
    ),
    post(
        CLEAN,
        "Sarapan nasi pecel dulu sebelum berangkat, nek ora sarapan ora iso mikir 😆",
        agency=JT,
        sub="daily_life",
    ),
    post(
        CLEAN,
        "Anakku juara 1 lomba mewarnai tingkat kecamatan!! Emaknya nangis terharu 😭🏆",
        media=[img("anak kecil memegang piala dan mengacungkan jari telunjuk", "JUARA 1")],
        sub="number_no_cue",
    ),
    post(
        CLEAN,
        "Malam minggu di Braga, rame pisan. Tapi tetap enak buat foto-foto.",
        agency=BDG,
        dow=(5,),
        hours=(19, 22),
        sub="daily_life",
    ),
    post(
        CLEAN,
        "Nasi goreng jam 11 malem adalah bentuk cinta ke diri sendiri.",
        hours=(22, 23),
        sub="daily_life",
    ),
    post(
        CLEAN,
        "Hari ini tepat 1 tahun nikah. Makasih sudah sabar sama aku yg suka lupa naruh kunci motor 😂☝️",
        sub="number_no_cue",
    ),
    post(
        CLEAN,
        "Bakso di Malang ternyata beda sama yang di Jakarta. Ini yang asli, rek!",
        agency=JT,
        sub="daily_life",
    ),
    post(
        CLEAN,
        "Pisang epe di Losari sambil lihat sunset, healing murah meriah 🌅",
        agency=MKS,
        sub="daily_life",
    ),
    post(
        CLEAN,
        "Motor mogok di tanjakan Dago, untung ada bengkel dekat. Alhamdulillah.",
        agency=BDG,
        sub="daily_life",
    ),
    post(
        CLEAN,
        "Kerja dari rumah hari ini karena anak demam. Semoga cepat pulih ya nak.",
        sub="daily_life",
    ),
    post(
        CLEAN,
        "Akhirnya bisa lari pagi lagi setelah 2 minggu hujan terus 🏃",
        hours=(5, 7),
        sub="daily_life",
    ),
    post(
        CLEAN,
        "Hari Buruh. Semoga kesejahteraan pekerja makin diperhatikan, salam untuk kawan-kawan di pabrik.",
        when="2024-05-01",
        sub="ambiguous_name",
    ),
    post(
        CLEAN,
        "Banjir di beberapa desa mulai surut, warga bersih-bersih rumah. Bantuan air bersih masih dibutuhkan.",
        agency=MKS,
        sub="daily_life",
    ),
    post(CLEAN, "Belajar bahasa Inggris lewat aplikasi, streak 30 hari! 🔥", sub="daily_life"),
    post(
        CLEAN,
        "Gelora semangat anak-anak pramuka di perkemahan Sabtu–Minggu luar biasa! 🏕️",
        unit=("dinas-pendidikan", "kankemenag-kab-malang"),
        sub="ambiguous_name",
    ),
    post(
        CLEAN,
        "Minum Fanta merah dingin habis upacara, nostalgia jaman SD 😆🥤",
        sub="ambiguous_name",
    ),
    post(
        CLEAN,
        "Ada perubahan jadwal KRL Jogja–Solo mulai bulan depan, cek aplikasi sebelum berangkat ya.",
        agency=SL,
        sub="ambiguous_name",
    ),
    post(
        CLEAN,
        "Umat di paroki kami mengadakan bakti sosial pengobatan gratis, terbuka untuk semua warga tanpa kecuali.",
        sub="ambiguous_name",
    ),
    # get-out-the-vote and election-body socialisation
    post(
        CLEAN,
        "Ayo ke TPS 14 Februari! Cek dulu namamu di DPT lewat cekdptonline.kpu.go.id 🗳️ #PemiluDamai",
        when=("2024-01-10", "2024-02-10"),
        sub="gotv",
    ),
    post(
        CLEAN,
        "Pemilu 2024 ada 5 surat suara: presiden-wapres, DPR, DPD, DPRD provinsi, DPRD kab/kota. Pelajari dulu biar nggak bingung di bilik.",
        sub="gotv",
    ),
    post(
        CLEAN,
        "Yang mau pindah memilih, urus formulir pindahan di PPS atau KPU kab/kota. Jangan mepet, antreannya panjang.",
        when=("2023-12-01", "2024-01-10"),
        sub="gotv",
    ),
    post(
        CLEAN,
        "Suaramu menentukan masa depan. Datang ke TPS, pilih sesuai hati nurani. #PemiluDamai #AyoMemilih",
        sub="gotv",
    ),
    post(
        CLEAN,
        "Jangan golput ya gaes, 14 Februari libur nasional. Nyoblos dulu baru jalan-jalan 😉",
        when=("2024-02-01", "2024-02-13"),
        sub="gotv",
    ),
    post(
        CLEAN,
        "Ulah hilap tanggal 14 Februari ka TPS nya, dulur. Milih numutkeun hate nurani masing-masing. 🗳️",
        agency=BDG,
        when=("2024-01-20", "2024-02-13"),
        sub="gotv",
    ),
    post(
        CLEAN,
        "Ojo lali tanggal 14 Februari nyoblos. Bebas milih sing cocok neng ati, sing penting tetep rukun karo tonggo.",
        agency=JV,
        when=("2024-01-20", "2024-02-13"),
        sub="gotv",
    ),
    post(
        CLEAN,
        "Tolak politik uang! Pemilih cerdas tidak bisa dibeli. Kalau ada yg bagi-bagi amplop, laporkan ke Bawaslu. #TolakPolitikUang",
        sub="anti_money_politics",
    ),
    post(
        CLEAN,
        "Sosialisasi pemilih pemula di SMA bersama @kpu.kabupaten. Anak-anak antusias tanya cara mencoblos yang sah.",
        unit=("dinas-pendidikan",),
        mentions=("ext:kpu-daerah",),
        sub="gotv",
    ),
    post(
        CLEAN,
        "Nanti malam debat capres perdana jam 19.00. Nonton bareng keluarga biar tahu visi misi semua calon, habis itu diskusi yang sehat.",
        when="2023-12-12",
        hours=(8, 17),
        sub="gotv",
    ),
    post(
        CLEAN,
        "Masa tenang 11–13 Februari: tidak boleh ada kampanye dalam bentuk apa pun, termasuk di medsos. Yuk jaga bersama.",
        when=("2024-02-10", "2024-02-11"),
        sub="gotv",
    ),
    post(
        CLEAN,
        "Quick count itu bukan hasil resmi ya. Hasil resmi tetap menunggu rekapitulasi berjenjang KPU.",
        when=("2024-02-14", "2024-02-16"),
        hours=(16, 23),
        sub="gotv",
    ),
    post(
        CLEAN,
        "Bawa KTP-el dan surat pemberitahuan memilih. Datang sebelum jam 13.00 ya, setelah itu TPS tutup.",
        when=("2024-02-12", "2024-02-13"),
        sub="gotv",
    ),
    post(
        CLEAN,
        "Pemilih tunanetra bisa minta alat bantu template braille di TPS. Sebarkan ke keluarga yang membutuhkan.",
        sub="gotv",
    ),
    post(
        CLEAN,
        "Jangan lupa ki datang ke TPS 14 Februari nah. Pilih sesuai hati ta', jangan mau dikasih-kasih amplop.",
        agency=MKS,
        when=("2024-01-25", "2024-02-13"),
        sub="anti_money_politics",
    ),
    post(
        CLEAN,
        "Sudah nyoblos! Jari ungu, hati lega 💜",
        when="2024-02-14",
        hours=(8, 13),
        media=[img("jari kelingking bertinta ungu di depan papan nama TPS", "TPS 012")],
        sub="gotv",
    ),
    # rules, neutrality reminders, condemnation, victims
    post(
        CLEAN,
        "Pengingat untuk rekan ASN: like, komen, share dan follow akun capres, caleg atau tim kampanye termasuk pelanggaran netralitas. Hati-hati jempolnya 🙏",
        unit=HR_UNITS,
        sub="rule_reminder",
    ),
    post(
        CLEAN,
        "ASN wajib netral. Boleh punya pilihan, tapi simpan di bilik suara.",
        sub="rule_reminder",
    ),
    post(
        CLEAN,
        "Penandatanganan pakta integritas netralitas ASN di lingkungan kami hari ini. Netral itu bukan pilihan, tapi kewajiban.",
        when=("2023-11-28", "2023-12-15"),
        sub="rule_reminder",
    ),
    post(
        CLEAN,
        "ASN yang tidak netral bisa kena hukuman disiplin berat, bukan cuma potong tukin. Baca PP 94/2021 baik-baik sebelum posting.",
        unit=HR_UNITS,
        sub="quote_sanction",
    ),
    post(
        CLEAN,
        "Pesan saya ke teman-teman di bidang: silakan memilih sesuai hati nurani, tidak ada arahan apa pun dari kantor. Kalau ada yang mengarahkan, laporkan.",
        sup=True,
        sub="neutral_supervisor",
    ),
    post(
        CLEAN,
        "Jujur saya ditelepon orang yang mengaku dari 'tim', minta saya mengajak staf mendukung salah satu paslon. Saya tolak dan sudah saya laporkan ke Bawaslu.",
        sub="victim_report",
    ),
    post(
        CLEAN,
        "Jangan berpose jari saat foto bersama calon ya. Gaya satu, dua, tiga jari bisa dianggap keberpihakan. Pose biasa saja lebih aman.",
        unit=HR_UNITS,
        sub="rule_reminder",
    ),
    post(
        CLEAN,
        "Saya bukan anti-politik, tapi sebagai ASN saya tidak akan berkomentar soal paslon sampai pemilu selesai. Mohon maklum kalau japri soal itu saya diamkan.",
        sub="rule_reminder",
    ),
    post(
        CLEAN,
        "Tolong jangan sebar konten yang menjelekkan suku atau agama pendukung paslon lain. Sudah saya laporkan ke kanal aduan konten. Kita ini satu bangsa.",
        sub="condemn_hate",
    ),
    post(
        CLEAN,
        "Barusan baca komentar 'pendukung sebelah itu kafir semua'. Ini yang bikin pemilu panas dan keluarga pecah. Stop, laporkan saja!",
        sub="condemn_hate",
    ),
    post(
        CLEAN,
        "Apel netralitas ASN pagi ini. Poin pentingnya: dilarang memakai fasilitas kantor untuk kegiatan politik apa pun.",
        hours=(7, 9),
        sub="rule_reminder",
    ),
    post(
        CLEAN,
        "Kanca-kanca ASN, eling yo, ojo melu-melu kampanye. Nek ono sing ngajak, tolak alus wae.",
        agency=JV,
        sub="rule_reminder",
    ),
    post(
        CLEAN,
        "Foto bareng caleg di acara resmi kantor? Aman kalau tanpa pose dan atribut partai. Tapi lebih baik hindari dulu sampai pemilu selesai.",
        sub="rule_reminder",
    ),
    post(
        CLEAN,
        "Ada yang japri saya bawa-bawa nama atasan, minta kumpulkan KTP staf buat 'data relawan'. Tidak saya layani, tangkapan layarnya sudah saya serahkan ke Inspektorat.",
        sub="victim_report",
    ),
    post(
        CLEAN,
        "Kami menerima audiensi @bawaslu kota soal pengawasan netralitas ASN. Setiap OPD diminta menunjuk satu kontak person.",
        unit=("bkpsdm",),
        agency=BDG,
        mentions=("ext:bawaslu",),
        sub="rule_reminder",
    ),
    # debunks, questions, satire
    share(
        CLEAN,
        "[HOAKS] Pesan berantai soal surat suara sudah dicoblos di gudang KPU itu tidak benar, KPU sudah klarifikasi. Cek dulu sebelum share ya.",
        ext(
            "cekfakta",
            "[SALAH] Surat suara tercoblos di gudang logistik: foto lama dari simulasi, bukan surat suara Pemilu 2024.",
        ),
        sub="debunk",
    ),
    post(
        CLEAN,
        "Benarkah pemilih yang tidak bawa KTP-el tidak bisa nyoblos? Ada yang tahu aturan terbarunya?",
        sub="question",
    ),
    post(
        CLEAN,
        "Klarifikasi: 'surat edaran KPU' soal pemilih wajib memakai baju putih itu palsu. Kop suratnya beda, nomornya ngawur.",
        sub="debunk",
    ),
    post(
        CLEAN,
        "Hati-hati video lama dipotong seolah-olah kejadian di TPS tahun ini. Sudah dicek, itu rekaman 2019.",
        when="recap",
        sub="debunk",
    ),
    post(
        CLEAN,
        "Ada yang tahu, kalau nama di DPT salah ketik masih bisa nyoblos? Punya ibu saya beda satu huruf.",
        sub="question",
    ),
    post(
        CLEAN,
        "[SATIRE] Kucing kantor resmi diangkat jadi KPPS karena paling netral, tidak pernah like siapa pun 😹",
        sub="satire",
    ),
    post(
        CLEAN,
        "Benarkah ada bagi-bagi uang di kampung sebelah? Jangan sebar kabar tanpa bukti ya, kalau ada bukti langsung lapor Bawaslu.",
        when=("2024-02-05", "2024-02-13"),
        sub="question",
    ),
    post(
        CLEAN,
        "Beredar foto surat suara 'tercoblos' di grup WA. Sudah dibantah KPU kota, itu foto simulasi bimtek KPPS.",
        when=("2024-02-11", "2024-02-14"),
        sub="debunk",
    ),
    post(
        CLEAN,
        "Benarkah Sirekap salah baca angka di beberapa TPS? Katanya hasil resmi tetap pakai rekap manual berjenjang. Mohon pencerahan.",
        when=("2024-02-16", "2024-02-28"),
        sub="question",
    ),
    # election duty and official roles
    post(
        CLEAN,
        "Hari ini bertugas di TPS 07, bismillah, mulai jam 6 pagi. Doakan lancar sampai penghitungan selesai.",
        when="voting",
        hours=(5, 6),
        sub="election_duty",
    ),
    post(
        CLEAN,
        "Selesai hitung suara jam 2 pagi. Kaki pegal tapi lega, warga tertib sekali. Terima kasih semua 🙏",
        when="2024-02-15",
        hours=(2, 4),
        sub="election_duty",
    ),
    post(
        CLEAN,
        "Penertiban APK yang dipasang di pohon dan tiang listrik bersama Satpol PP dan Panwascam.",
        unit=("kecamatan-coblong",),
        when=("2023-12-10", "2024-01-20"),
        media=[
            img(
                "petugas berseragam menurunkan baliho caleg dari pohon di pinggir jalan",
                "PILIH CALEG NO. 2 PARTAI GERINDRA DAPIL KOTA BANDUNG",
            )
        ],
        sub="election_duty",
    ),
    post(
        CLEAN,
        "Pengawasan distribusi logistik pemilu ke kelurahan-kelurahan di Kecamatan Coblong. Kotak suara dan bilik sudah lengkap.",
        unit=("kecamatan-coblong",),
        when=("2024-02-09", "2024-02-12"),
        sub="election_duty",
    ),
    post(
        CLEAN,
        "Bimtek KPPS di kelurahan, materinya padat. Ternyata ngisi formulir hasil tidak semudah yang dibayangkan.",
        when=("2024-01-25", "2024-02-08"),
        sub="election_duty",
    ),
    post(
        CLEAN,
        "Rekapitulasi tingkat kecamatan hari ke-3, masih lanjut sampai malam. Kopi sachet tinggal 2 😅",
        when=("2024-02-18", "2024-02-26"),
        hours=(19, 23),
        sub="election_duty",
    ),
    post(
        CLEAN,
        "Pj Gubernur meninjau gudang logistik KPU provinsi, memastikan distribusi surat suara tepat waktu.",
        agency=MKS,
        unit=("setda",),
        when=("2024-01-15", "2024-02-05"),
        sub="official_role",
    ),
    post(
        CLEAN,
        "Menteri Pertahanan menghadiri peresmian fasilitas pelatihan di Kota Bandung hari ini, didampingi unsur Forkopimda.",
        unit=("diskominfo",),
        when=("2023-12-01", "2024-01-15"),
        media=[img("pejabat berbaju safari menggunting pita peresmian gedung")],
        sub="official_role",
    ),
    post(
        CLEAN,
        "Menko Polhukam membuka rapat koordinasi kewaspadaan nasional di Makassar. Saya bertugas di meja registrasi peserta.",
        agency=MKS,
        when=("2024-01-08", "2024-01-26"),
        sub="official_role",
    ),
    post(
        CLEAN,
        "Dengan surat tugas dari kepala dinas, hari ini saya jadi narasumber soal layanan BPJS Kesehatan di acara yang diadakan sebuah DPC partai. Materinya murni program pemerintah, tanpa atribut apa pun.",
        unit=("dinas-kesehatan",),
        sub="assignment_letter",
    ),
    post(
        CLEAN,
        "Jaga TPS sampai sore sebagai Linmas, alhamdulillah aman. Sempat hujan tapi surat suara tetap kering.",
        when="voting",
        hours=(16, 20),
        sub="election_duty",
    ),
    # news shared without comment, or with neutral comment
    share(
        CLEAN,
        "",
        ext(NEWS, "KPU Tetapkan Tiga Pasangan Capres-Cawapres Peserta Pemilu 2024"),
        when=("2023-11-13", "2023-11-15"),
        sub="news_share",
    ),
    share(
        CLEAN,
        "",
        ext(NEWS, "Debat Perdana Capres Digelar, Ini Sejumlah Isu yang Dibahas"),
        when="2023-12-13",
        sub="news_share",
    ),
    share(
        CLEAN,
        "",
        ext("news-local", "Bawaslu Temukan Ribuan Alat Peraga Kampanye Langgar Aturan Pemasangan"),
        sub="news_share",
    ),
    share(
        CLEAN,
        "",
        ext(NEWS, "Harga Beras Naik, Pemerintah Salurkan Bantuan Pangan 10 Kg per Keluarga"),
        when=("2024-01-05", "2024-02-05"),
        sub="news_share",
    ),
    share(
        CLEAN,
        "",
        ext(NEWS, "KPU Umumkan Hasil Rekapitulasi Nasional Pilpres 2024"),
        when=("2024-03-20", "2024-03-21"),
        sub="news_share",
    ),
    share(
        CLEAN,
        "",
        ext(NEWS, "MK Tolak Seluruh Permohonan Sengketa Hasil Pilpres 2024"),
        when=("2024-04-22", "2024-04-23"),
        sub="news_share",
    ),
    share(
        CLEAN,
        "",
        ext(NEWS, "Gibran Hadir di Debat Cawapres, Ini Poin-Poin Pernyataannya"),
        when=("2023-12-22", "2023-12-23"),
        sub="news_share",
    ),
    share(
        CLEAN,
        "",
        ext(NEWS, "Mahfud MD Resmi Mundur dari Kabinet"),
        when=("2024-02-01", "2024-02-02"),
        sub="news_share",
    ),
    share(
        CLEAN,
        "",
        ext("news-local", "Anies Baswedan Kunjungi Pasar Tradisional di Makassar"),
        sub="news_share",
    ),
    share(
        CLEAN,
        "",
        ext(NEWS, "Presiden dan Wakil Presiden Terpilih Dilantik di Gedung MPR"),
        when="2024-10-20",
        sub="news_share",
    ),
    share(
        CLEAN,
        "",
        ext(NEWS, "Kampanye Rapat Umum Dimulai 21 Januari, Ini Aturannya"),
        when=("2024-01-15", "2024-01-21"),
        sub="news_share",
    ),
    share(
        CLEAN,
        "Rangkuman debat kedua semalam, buat yang ketinggalan.",
        ext(NEWS, "Debat Cawapres: Adu Gagasan soal Ekonomi Digital dan Pajak"),
        when="2023-12-23",
        sub="news_share",
    ),
    share(
        CLEAN,
        "Penting dibaca sebelum ke TPS.",
        ext(
            "kpu",
            "Tata cara mencoblos yang sah: coblos satu kali pada nomor, foto, atau nama, di dalam kotak.",
        ),
        when=("2024-01-20", "2024-02-13"),
        sub="gotv",
    ),
    share(
        CLEAN,
        "Semoga cepat ditangani.",
        ext("news-local", "Ratusan Warga Belum Terdaftar di DPT, KPU Buka Posko Pengaduan"),
        sub="admin_complaint",
    ),
    # policy criticism and election-administration complaints (no side taken)
    post(
        CLEAN,
        "Harga beras sudah Rp15 ribu per kilo, makin berat buat rumah tangga. Semoga pemerintah cepat turun tangan.",
        sub="policy_criticism",
    ),
    post(
        CLEAN,
        "Antre di TPS hampir 2 jam, petugas yang aktif cuma 3 orang. Tolong ke depan diperbaiki, kasihan lansia.",
        when="voting",
        hours=(11, 15),
        sub="admin_complaint",
    ),
    post(
        CLEAN,
        "Nama ibu saya tidak ada di DPT padahal 2019 ada. Ribet ngurusnya, semoga masih bisa ikut sebagai DPK.",
        when=("2024-01-10", "2024-02-10"),
        sub="admin_complaint",
    ),
    post(
        CLEAN,
        "Surat pemberitahuan memilih belum sampai sampai H-1. Ini gimana ya PPS-nya?",
        when="2024-02-13",
        sub="admin_complaint",
    ),
    post(
        CLEAN,
        "Tarif parkir di pusat kota naik lagi, pelayanannya nggak ikut naik. Tolong dievaluasi.",
        agency=BDG,
        sub="policy_criticism",
    ),
    post(
        CLEAN,
        "Subsidi pupuk telat terus tiap musim tanam. Petani di kampung saya sampai pinjam ke tengkulak.",
        sub="policy_criticism",
    ),
    post(
        CLEAN,
        "Antrean solar di SPBU jalan poros panjang sekali, truk sampai makan badan jalan.",
        agency=MKS,
        sub="policy_criticism",
    ),
    # engagement with accounts that are NOT on the watch-list
    like(
        CLEAN,
        ext("kpu", "Ayo cek DPT online, pastikan namamu terdaftar sebelum 14 Februari!"),
        sub="offlist_engagement",
    ),
    follow(CLEAN, ext("bawaslu"), sub="offlist_engagement"),
    like(
        CLEAN,
        ext(NEWS, "Ganjar Sapa Warga Malang, Ratusan Orang Padati Alun-Alun"),
        sub="offlist_engagement",
    ),
    follow(CLEAN, ext("warung-anies"), sub="namesake"),
    like(CLEAN, ext("kucing-gemoy", "Si Oyen makin gemoy habis makan ikan 😹"), sub="namesake"),
    follow(CLEAN, ext("ganjar-kw"), sub="parody"),
    like(
        CLEAN,
        ext(
            "humas",
            "Bupati menyerahkan bantuan alat pertanian kepada kelompok tani di tiga kecamatan.",
        ),
        sub="offlist_engagement",
    ),
    like(
        CLEAN,
        ext("cuaca", "Peringatan dini: hujan lebat disertai angin kencang sore hingga malam ini."),
        sub="offlist_engagement",
    ),
    follow(CLEAN, ext("kpu-daerah"), sub="offlist_engagement"),
    like(
        CLEAN,
        ext(
            "cekfakta",
            "[SALAH] Video kotak suara dibakar adalah rekaman lama dari kerusuhan tahun 2019.",
        ),
        when="recap",
        sub="offlist_engagement",
    ),
    join(CLEAN, xgrp("kuliner-sleman"), sub="offlist_engagement"),
    join(CLEAN, xgrp("guru-sd"), sub="offlist_engagement"),
    join(CLEAN, xgrp("motor-mks"), sub="offlist_engagement"),
    join(CLEAN, xgrp("bobotoh"), sub="offlist_engagement"),
    join(CLEAN, xgrp("info-cpns"), sub="offlist_engagement"),
    like(
        CLEAN,
        ext("fan-pragib", "Meme hari ini: debat boleh panas, ngopinya tetap bareng 😂"),
        sub="fan_account",
    ),
    like(
        CLEAN,
        ext("bola", "GOL!!! Indonesia unggul 1-0 🇮🇩🔥"),
        when=("2024-01-15", "2024-01-28"),
        sub="offlist_engagement",
    ),
    follow(CLEAN, ext(NEWS), sub="offlist_engagement"),
    like(
        CLEAN,
        ext("kpu", "Debat capres ketiga malam ini pukul 19.00 WIB, saksikan di kanal resmi."),
        when="2024-01-07",
        sub="offlist_engagement",
    ),
    follow(CLEAN, ext("bola"), sub="offlist_engagement"),
    like(CLEAN, wl("pkb", 0), when=("2023-09-01", "2023-10-10"), sub="before_window"),
    follow(CLEAN, wl("gerindra", 0), when=("2023-08-10", "2023-09-30"), sub="before_window"),
    # profile changes with no partisan content
    prof(
        CLEAN,
        "Foto profil baru: foto keluarga di pantai saat libur akhir tahun.",
        media=[img("keluarga empat orang tersenyum di pantai")],
        sub="daily_life",
    ),
    prof(CLEAN, "Bio: Abdi negara | Bapak 2 anak | Pecinta kopi tubruk ☕", sub="number_no_cue"),
    # comments on friends, colleagues, election bodies and media
    com(
        CLEAN,
        "Selamat ya mbak, semoga sakinah mawaddah warahmah 🤲",
        person("Alhamdulillah resmi menikah hari ini."),
        sub="daily_life",
    ),
    com(
        CLEAN,
        "Cepet sembuh pak, Allah angkat penyakitnya 🤲",
        person("Opname dulu, tipes kambuh."),
        sub="daily_life",
    ),
    com(
        CLEAN,
        "Wah enak itu, kirim alamatnya dong 😋",
        person("Nemu mie ayam enak di Condongcatur, kuahnya mantap."),
        agency=SL,
        sub="daily_life",
    ),
    com(
        CLEAN,
        "Siap, nanti saya kirim berkasnya sore ini.",
        person("Rekan-rekan, mohon kirim rekap absensi bulan ini paling lambat Jumat."),
        sub="work",
    ),
    com(
        CLEAN,
        "Sudah cek, alhamdulillah terdaftar di TPS 12 😊",
        ext("kpu", "Sudah cek DPT belum? Cek di cekdptonline.kpu.go.id"),
        sub="gotv",
    ),
    com(
        CLEAN,
        "Semoga debatnya fokus ke program, bukan saling serang.",
        ext(NEWS, "Malam Ini Debat Capres Ketiga: Pertahanan dan Hubungan Internasional"),
        when="2024-01-07",
        sub="offlist_engagement",
    ),
    com(
        CLEAN,
        "Min, lapor dugaan pelanggaran pemilu bisa lewat mana aja?",
        ext("bawaslu", "Temukan pelanggaran pemilu? Laporkan ke Bawaslu terdekat."),
        sub="question",
    ),
    com(
        CLEAN,
        "Kalau ada yang mau bareng ke TPS, kita kumpul di pos ronda jam 7 ya 😄",
        person("TPS kita nanti di halaman SD ya, bukan di balai RW."),
        when=("2024-02-12", "2024-02-13"),
        sub="gotv",
    ),
]

# --------------------------------------------------------------------------------------------
# Engagement with watch-listed contestant, party and campaign-team accounts and groups.
# --------------------------------------------------------------------------------------------
ENG_ENTRIES = [
    # paslon 01 side
    like(ENG, wl("paslon-01", 0), lean=1),
    like(ENG, wl("paslon-01", 1), lean=1),
    like(ENG, wl("paslon-01", 2), lean=1),
    like(ENG, wl("paslon-01", 3), lean=1, when="quiet"),
    like(ENG, wl("timnas-amin", 0), lean=1),
    like(ENG, wl("timnas-amin", 1), lean=1),
    like(ENG, wl("pkb", 0), lean=1),
    like(ENG, wl("nasdem", 0), lean=1),
    like(ENG, wl("pks", 0), lean=1),
    follow(ENG, wl("paslon-01"), lean=1, when=("2023-11-14", "2023-12-10")),
    follow(ENG, wl("timnas-amin"), lean=1),
    follow(ENG, wl("pkb"), lean=1),
    follow(ENG, wl("relawan-amin-bandung-contoh"), lean=1),
    com(ENG, "Sehat selalu Pak Anies, kami tunggu perubahannya 🙏", wl("paslon-01", 0), lean=1),
    com(
        ENG,
        "Kapan ke Sleman lagi Pak? Kami siap menyambut 😊",
        wl("paslon-01", 2),
        lean=1,
        agency=SL,
    ),
    com(ENG, "Slepet! 😂💚 nomor 1 pokoknya", wl("pkb", 0), lean=1),
    com(
        ENG,
        "Daftarnya di mana min? Mau ikut konsolidasi 🙋‍♂️",
        wl("timnas-amin", 0),
        lean=1,
        agency=BDG,
    ),
    share(ENG, "", wl("paslon-01", 1), lean=1),
    share(
        ENG, "Ini yang saya tunggu-tunggu. Sebarkan biar semua tahu ☝️", wl("paslon-01", 3), lean=1
    ),
    share(ENG, "", wl("timnas-amin", 1), lean=1),
    join(ENG, grp("timnas-amin", 0), lean=1),
    join(ENG, grp("timnas-amin", 1), lean=1),
    join(ENG, grp("relawan-amin-bandung-contoh", 0), lean=1),
    # paslon 02 side
    like(ENG, wl("paslon-02", 0), lean=2),
    like(ENG, wl("paslon-02", 1), lean=2),
    like(ENG, wl("paslon-02", 2), lean=2),
    like(ENG, wl("paslon-02", 3), lean=2, when="quiet"),
    like(ENG, wl("tkn-prabowo-gibran", 0), lean=2),
    like(ENG, wl("tkn-prabowo-gibran", 1), lean=2),
    like(ENG, wl("fanta-prabowo-gibran", 0), lean=2),
    like(ENG, wl("gerindra", 0), lean=2),
    like(ENG, wl("golkar", 0), lean=2),
    like(ENG, wl("psi", 0), lean=2),
    like(ENG, wl("pan", 0), lean=2),
    like(ENG, wl("demokrat", 0), lean=2),
    follow(ENG, wl("paslon-02"), lean=2, when=("2023-11-14", "2023-12-10")),
    follow(ENG, wl("tkn-prabowo-gibran"), lean=2),
    follow(ENG, wl("fanta-prabowo-gibran"), lean=2),
    follow(ENG, wl("gerindra"), lean=2),
    com(ENG, "Mantap pak, lanjutkan!! 💙", wl("paslon-02", 0), lean=2),
    com(ENG, "Gemoyyy 😍 02 pasti menang", wl("paslon-02", 1), lean=2),
    com(
        ENG,
        "Sabtu biru siap! ✌️ kantor libur kok 😁",
        wl("tkn-prabowo-gibran", 0),
        lean=2,
        dow=(3, 4),
    ),
    com(
        ENG,
        "Semoga sehat terus Pak Prabowo, rakyat bersamamu 🙏",
        wl("tkn-prabowo-gibran", 1),
        lean=2,
        plat=("youtube",),
    ),
    share(ENG, "Setuju 100%. Coblos 02.", wl("paslon-02", 2), lean=2),
    share(ENG, "", wl("paslon-02", 0), lean=2),
    share(
        ENG,
        "Yang mau jadi saksi silakan daftar, info di sini 👇",
        wl("tkn-prabowo-gibran", 1),
        lean=2,
    ),
    join(ENG, grp("tkn-prabowo-gibran", 0), lean=2),
    join(ENG, grp("tkn-prabowo-gibran", 1), lean=2),
    join(ENG, grp("relawan-pragib-makassar-contoh", 0), lean=2),
    # paslon 03 side
    like(ENG, wl("paslon-03", 0), lean=3),
    like(ENG, wl("paslon-03", 1), lean=3),
    like(ENG, wl("paslon-03", 2), lean=3),
    like(ENG, wl("paslon-03", 3), lean=3),
    like(ENG, wl("tpn-ganjar-mahfud", 0), lean=3),
    like(ENG, wl("tpn-ganjar-mahfud", 1), lean=3),
    like(ENG, wl("pdip", 0), lean=3),
    like(ENG, wl("ppp", 0), lean=3),
    like(ENG, wl("perindo", 0), lean=3),
    like(ENG, wl("hanura", 0), lean=3),
    follow(ENG, wl("paslon-03"), lean=3, when=("2023-11-14", "2023-12-10")),
    follow(ENG, wl("tpn-ganjar-mahfud"), lean=3),
    follow(ENG, wl("pdip"), lean=3),
    follow(ENG, wl("relawan-sat-set-malang-contoh"), lean=3),
    com(ENG, "Sat set pak, ditunggu di Bandung!", wl("paslon-03", 0), lean=3, agency=BDG),
    com(ENG, "Hukum harus tegak, setuju Pak Mahfud! 👌", wl("paslon-03", 2), lean=3),
    com(
        ENG,
        "Tiga jari dari Makassar 👌👌",
        wl("tpn-ganjar-mahfud", 1),
        lean=3,
        agency=MKS,
        plat=("youtube",),
    ),
    share(
        ENG, "Program paling realistis buat anak sekolah. Wajib share!", wl("paslon-03", 1), lean=3
    ),
    share(ENG, "", wl("tpn-ganjar-mahfud", 0), lean=3),
    join(ENG, grp("tpn-ganjar-mahfud", 0), lean=3),
    join(ENG, grp("relawan-sat-set-malang-contoh", 0), lean=3),
    join(ENG, grp("relawan-sat-set-malang-contoh", 1), lean=3),
    # by employees with no visible leaning: still engagement with a contestant account
    com(
        ENG,
        "Pak, jalan di kampung kami rusak parah, mohon diperhatikan kalau nanti terpilih.",
        wl("paslon-01", 2),
        lean=0,
    ),
    com(ENG, "Programnya bagus, tapi anggarannya dari mana ya pak?", wl("paslon-02", 0), lean=0),
    like(ENG, wl("paslon-03", 3), lean=0),
    follow(ENG, wl("paslon-02"), lean=0, when=("2023-11-20", "2023-12-20")),
]

# --------------------------------------------------------------------------------------------
# Own partisan content (support), opposition, and the high-severity categories.
# --------------------------------------------------------------------------------------------
SUP_ENTRIES = [
    # 01
    post(SUP, "Udah mantap pilih perubahan. 14 Februari coblos nomor 1, AMIN! ☝️ #AMIN", lean=1),
    post(
        SUP,
        "Sejak debat kemarin makin yakin sama Pak Anies. Jawabannya runtut, gak muter2. Perubahan harus menang!!",
        lean=1,
        when=("2023-12-13", "2023-12-16"),
    ),
    post(SUP, "Bismillah, satu jari untuk Indonesia yg lebih adil ☝️ #aniessalam1jari", lean=1),
    post(
        SUP,
        "Yg masih ragu, coba deh nonton sesi tanya jawab Pak Anies sama anak muda. Dijamin berubah pikiran 😁 AMIN AMIN",
        lean=1,
    ),
    post(SUP, "Cak Imin kocak tapi isinya berbobot. Slepet terusss! 💚 01 gas", lean=1),
    post(
        SUP,
        "Kalau mau harga pupuk turun ya pilih yg mau perubahan, jgn yg itu2 aja. Nomor 1 lur! ☝️",
        lean=1,
        agency=JV,
    ),
    post(
        SUP,
        "Ayo ibu-ibu pengajian, kita dukung AMIN biar anak cucu kita dapet keadilan. Salam satu jari ☝️",
        lean=1,
    ),
    post(
        SUP,
        "Abdi mah tos yakin ka AMIN, teu aya deui. Hayu urang sasarengan ngadukung perubahan! ☝️",
        lean=1,
        agency=BDG,
    ),
    post(
        SUP,
        "Pak Anies datang ki di Makassar, ramai sekali mi! Pokoknya 01 ji yg paling cocok 👆",
        lean=1,
        agency=MKS,
    ),
    post(SUP, "AMIN itu bukan cuma doa, tapi pilihan 😌☝️", lean=1),
    post(
        SUP,
        "Perubahan dimulai dari bilik suara. Coblos Anies-Muhaimin, jangan salah coblos ya dulur2",
        lean=1,
    ),
    post(
        SUP,
        "Kumpul bareng teman-teman satu frekuensi 😄",
        lean=1,
        media=[
            img(
                "sekelompok orang mengacungkan jari telunjuk di depan spanduk bergambar Anies dan Muhaimin",
                "ANIES MUHAIMIN NO. 1 PERUBAHAN",
            )
        ],
    ),
    prof(
        SUP,
        "Foto profil baru dengan bingkai twibbon hijau-biru.",
        lean=1,
        media=[img("foto profil berbingkai twibbon kampanye", "SAYA PILIH AMIN ☝️ 01")],
    ),
    post(SUP, "Gak usah malu pilih 01. Pemimpin yg bisa diajak dialog itu langka lho.", lean=1),
    post(
        SUP,
        "Anak muda jangan diem aja, ayo dukung AMIN! Share ke grup keluarga kalian ya 🙏☝️ @timnas.amin",
        lean=1,
        mentions=("wl:timnas-amin",),
    ),
    post(SUP, "Gagasan > gimmick. Itu alasan gue di 01.", lean=1, plat=("x",)),
    post(
        SUP,
        "Jujur program ngurangin ketimpangan desa-kota dari Pak Anies masuk akal bgt. Tinggal kita menangkan. ☝️",
        lean=1,
    ),
    post(
        SUP, "Neng ati wis mantep, nomer siji. Ora usah ragu lur, Anies-Imin ☝️", lean=1, agency=JV
    ),
    post(
        SUP,
        "Nyanyi bareng lagu kampanye AMIN di mobil 😆 #AMIN #perubahan",
        lean=1,
        plat=("tiktok", "instagram"),
        media=[vid("perempuan bernyanyi di dalam mobil, stiker nomor 1 dan wajah Anies di dasbor")],
    ),
    post(SUP, "Senin sehat, Selasa semangat, Rabu... tetap AMIN ☝️😂", lean=1, dow=(2,)),
    post(
        SUP,
        "Saya bukan orang partai, tp kali ini saya titip harapan ke Anies–Imin. Semoga Allah mudahkan.",
        lean=1,
    ),
    post(SUP, "Salam 1 jari dari kantor!! eh, dari rumah maksudnya 🤭☝️ #AMIN", lean=1),
    com(
        SUP,
        "Udah, pilih Anies aja. Yang lain kebanyakan janji 😌☝️",
        person("Bingung milih siapa tahun ini 🤔"),
        lean=1,
    ),
    post(SUP, "Insya Allah besok pagi ke TPS, niatnya sudah bulat: AMIN ☝️", lean=1, when="quiet"),
    # 02
    post(
        SUP, "Lanjutkan! Prabowo-Gibran satu putaran aja biar hemat 💙 #PrabowoGibran2024", lean=2
    ),
    post(SUP, "Gemoy bgt sih pak Prabowo jogetnya 😍 fix coblos 02!!", lean=2),
    post(SUP, "✌️ dua jari untuk Indonesia Maju. Yg muda yg berkarya! #prabowogemoy", lean=2),
    post(
        SUP,
        "Mas Gibran debat semalam keren, yg bilang anak kemarin sore silakan nonton ulang. 02 gass!",
        lean=2,
        when=("2023-12-23", "2023-12-24"),
    ),
    post(
        SUP, "Makan siang gratis buat anak sekolah, siapa yg gak mau? Aku sih dukung 02 ✌️", lean=2
    ),
    post(
        SUP,
        "Sabtu biru dulu yuk 💙 baju biru langit siap, hati udah mantap di nomor 2",
        lean=2,
        dow=(5,),
        hours=(6, 10),
    ),
    post(
        SUP,
        "Sing kompak, urang meunangkeun Prabowo-Gibran! Dua jari, hiji putaran ✌️",
        lean=2,
        agency=BDG,
    ),
    post(
        SUP,
        "Prabowo mi itu, tidak ada lawannya. Coblos 02 ki nah, jangan lupa ✌️",
        lean=2,
        agency=MKS,
    ),
    post(
        SUP,
        "Wis wayahe sing enom melu mbangun. Gibran cah Solo, ayo dukung 02 rek!",
        lean=2,
        agency=JT,
    ),
    post(SUP, "Dukunggg 02 sampe menanggg!!! 💙💙 #IndonesiaMaju", lean=2),
    post(
        SUP,
        "Foto bareng pas car free day 😆",
        lean=2,
        dow=(6,),
        hours=(7, 11),
        media=[
            img(
                "tiga orang berkaos biru langit berpose dua jari di samping baliho Prabowo-Gibran",
                "PRABOWO GIBRAN 02 INDONESIA MAJU",
            )
        ],
    ),
    prof(SUP, "Bio: Bapak 2 anak | pecinta kopi | #PrabowoGibran2024 ✌️", lean=2),
    post(
        SUP,
        "Pokoknya keberlanjutan. Jangan sampai yg udah dibangun 10 tahun ini berhenti. 02!",
        lean=2,
    ),
    post(SUP, "Udah ah gak usah debat di grup WA, intinya saya 02, titik 😂✌️", lean=2),
    post(
        SUP,
        "Bapak2 ibu2, yg mau pembangunan lanjut pilih Prabowo-Gibran. Jangan dengerin omongan sebelah.",
        lean=2,
        plat=("facebook",),
    ),
    post(SUP, "Si gemoy is the best. Tgl 14 ✌️💙", lean=2),
    post(
        SUP,
        "Joget gemoy challenge bareng anak2 🤣 #prabowogemoy #02",
        lean=2,
        plat=("tiktok",),
        media=[vid("keluarga berjoget meniru gerakan joget kampanye Prabowo di ruang tamu")],
    ),
    post(SUP, "Hilirisasi itu kunci. Yg ngerti ekonomi pasti paham kenapa harus Prabowo.", lean=2),
    post(
        SUP,
        "Gen Z wajib tahu, Gibran itu representasi kita. Gabung @fanta.pragib, menangkan 02! 🧡",
        lean=2,
        mentions=("wl:fanta-prabowo-gibran",),
    ),
    post(SUP, "Yakin 1 putaran. Bismillah 02 menang.", lean=2),
    post(
        SUP,
        "Prabowo sudah berkali-kali maju, ini waktunya. Ayo coblos, kasih kesempatan beliau 🙏",
        lean=2,
    ),
    post(
        SUP,
        "Capek liat yg nyinyir. Biarin, rakyat udah pinter milih. 02 ✌️ #PrabowoGibran2024",
        lean=2,
        plat=("x",),
    ),
    post(
        SUP,
        "Assalamualaikum sahabat FB, mohon doa dan dukungannya untuk pasangan nomor urut 2, Prabowo-Gibran. Insya Allah amanah.",
        lean=2,
        plat=("facebook",),
    ),
    post(SUP, "gibran ga sempurna tp siapa sih yg sempurna. tetep 02 lah", lean=2, plat=("x",)),
    share(
        SUP,
        "Ini baru pemimpin merakyat! 02 sampai menang 💙",
        ext("news-local", "Prabowo Makan Bersama Petani di Sidrap, Janjikan Irigasi Baru"),
        lean=2,
        agency=MKS,
    ),
    com(
        SUP,
        "Wes to, coblos Prabowo wae, ra usah mikir suwe-suwe 😂✌️",
        person("Bapak-bapak, besok nyoblos siapa nih? 😅"),
        lean=2,
        agency=JV,
    ),
    post(
        SUP,
        "Selamat untuk Pak Prabowo dan Mas Gibran! Kerja keras kita terbayar 💙✌️",
        lean=2,
        plat=("x", "facebook", "instagram"),
        when=("2024-03-20", "2024-03-22"),
    ),
    # 03
    post(SUP, "Sat set tas tes! Ganjar-Mahfud paling siap kerja 👌 #GanjarMahfud2024", lean=3),
    post(SUP, "Salam 3 jari buat semua yg pengen hukum ditegakkan! Pak Mahfud the best 👌", lean=3),
    post(
        SUP, "Ganjar itu dekat sama rakyat, bukan pencitraan. Coblos 03 yo lur!", lean=3, agency=JV
    ),
    post(
        SUP,
        "Satu desa satu faskes satu nakes, program paling masuk akal. #ganjarsalam3jari",
        lean=3,
    ),
    post(SUP, "Pak Ganjar ki ngerti tenan rakyat cilik. Nomer telu, mantep!", lean=3, agency=JV),
    post(
        SUP,
        "Hayu urang pilih Ganjar-Mahfud, sat set teu loba omong. Nomer tilu! 👌",
        lean=3,
        agency=BDG,
    ),
    post(SUP, "03 mi itu, Pak Mahfud orangnya tegas. Mantap ki!", lean=3, agency=MKS),
    post(
        SUP,
        "Mahfud MD mundur dari menteri demi etika. Itu kelas! Tiga jari selamanya 👌",
        lean=3,
        when=("2024-02-01", "2024-02-04"),
    ),
    post(
        SUP,
        "Kaos baru dari temen 😍",
        lean=3,
        media=[
            img(
                "orang memakai kaos hitam bergambar Ganjar dan Mahfud dengan angka 3, berpose tiga jari",
                "GANJAR MAHFUD 03 SAT SET",
            )
        ],
    ),
    prof(
        SUP,
        "Ganti foto profil dulu ah 😎",
        lean=3,
        media=[img("foto profil berbingkai twibbon merah", "KAMI BERSAMA GANJAR-MAHFUD 03")],
    ),
    post(
        SUP, "Cepat dan unggul. Indonesia butuh pemimpin yg kerja, bukan cuma joget 😉 03!", lean=3
    ),
    post(SUP, "Dukung 03 sampai titik darah penghabisan!!! 🔥🔥 #GanjarPresiden", lean=3),
    post(SUP, "Internet gratis buat pelajar, aku butuh bgt buat anakku. Ganjar pokoknya", lean=3),
    post(SUP, "Banteng tetep semangat menangin Ganjar! 🐂🔥 PDI Perjuangan nomor 3", lean=3),
    post(
        SUP,
        "POV: kamu ASN tapi dalam hati sat set 🤫 #ganjarsalam3jari",
        lean=3,
        plat=("tiktok",),
        media=[vid("orang berseragam cokelat menutup mulut lalu membentuk tiga jari ke kamera")],
    ),
    post(SUP, "Pak Ganjar rambut putih, hatinya putih. Coblos nomor 3 ya teman2", lean=3),
    post(SUP, "Hukum tajam ke atas, bukan ke bawah. Itu janji Mahfud. Saya percaya. 👌", lean=3),
    post(SUP, "Nggak usah bingung, yg paling jelas programnya ya Ganjar. Salam tiga jari!", lean=3),
    post(
        SUP,
        "Mohon doa restu, keluarga besar kami insya Allah kompak di nomor 3, Ganjar-Mahfud. Semoga Indonesia makin unggul.",
        lean=3,
        plat=("facebook",),
    ),
    post(SUP, "ganjar-mahfud underrated bgt. pls jgn golput, 03 butuh kalian", lean=3, plat=("x",)),
    post(
        SUP,
        "Tiga jari untuk keadilan. Kita menangkan Ganjar-Mahfud bersama @tpn.ganjarmahfud 👌👌👌",
        lean=3,
        mentions=("wl:tpn-ganjar-mahfud",),
    ),
    post(
        SUP,
        "Udah nyoblos nomor 3 dong 👌 semoga Pak Ganjar menang",
        lean=3,
        when="voting",
        hours=(9, 13),
    ),
]

OPP_ENTRIES = [
    post(
        OPP,
        "Paslon yg cuma modal joget mau dibawa ke mana negara ini? Jangan pilih yg gemoy2an.",
        lean=3,
    ),
    post(
        OPP,
        "Anies itu jualan kata-kata doang, pas jadi gubernur apa hasilnya? Jangan pilih 01!",
        lean=2,
    ),
    post(
        OPP,
        "Ganjar 10 tahun di Jateng hasilnya apa? Jalan desa masih rusak. Mikir lagi deh sebelum coblos 03.",
        lean=1,
    ),
    post(OPP, "Dinasti politik nyata di depan mata. Tolak 02, selamatkan demokrasi!", lean=3),
    post(
        OPP,
        "Yg dukung 03 itu partai yg udah 10 tahun berkuasa tapi sekarang pura-pura oposisi. Lucu.",
        lean=2,
    ),
    post(OPP, "Jangan pilih Cak Imin, kerjaannya pindah-pindah koalisi doang 🙄", lean=3),
    post(
        OPP,
        "Pemimpin yg emosian di debat gak pantas pimpin negara. Prabowo, maaf, bukan untuk saya.",
        lean=1,
        when=("2024-01-08", "2024-01-12"),
    ),
    post(
        OPP,
        "Anak muda jangan mau dibohongi, Gibran bisa maju gara-gara putusan MK yg cacat etik.",
        lean=1,
    ),
    post(OPP, "Partai banteng sombong, sekarang kena batunya. Gak usah pilih PDIP lagi.", lean=2),
    post(
        OPP,
        "Makan siang gratis itu mustahil, anggarannya dari mana? 02 cuma janji manis.",
        lean=3,
        plat=("x", "facebook"),
    ),
    post(
        OPP, "Ojo milih sing mung iso janji. Ganjar wis suwe njabat, hasile opo?", lean=2, agency=JV
    ),
    post(OPP, "Ulah milih 01 ah, ngan ukur omongan hungkul.", lean=2, agency=BDG),
    post(
        OPP,
        "Hati-hati pilih paslon yg didukung partai yg kadernya banyak korupsi. Paham kan maksudnya 😏 #Tolak03",
        lean=1,
    ),
    post(OPP, "Gibran belum matang. Negara bukan tempat magang. #Tolak02", lean=1),
    post(OPP, "Koalisi Anies-Imin itu koalisi kagetan. Jangan kasih kesempatan.", lean=3),
    com(
        OPP,
        "Jangan percaya, paslon 01 dulu juga janji begitu di Jakarta, buktinya nol.",
        ext(NEWS, "Anies Janjikan Perumahan Murah untuk Milenial"),
        lean=2,
    ),
    post(
        OPP,
        "Kecurangan TSM! 02 curang dari awal, MK harus diskualifikasi!",
        lean=1,
        when=("2024-03-21", "2024-04-20"),
    ),
]

INV_ENTRIES = [
    post(
        INV,
        "Alhamdulillah dipercaya jadi koordinator relawan AMIN tingkat kecamatan. Siap kerja keras sampai 14 Februari! ☝️",
        lean=1,
    ),
    post(
        INV,
        "Hadir di deklarasi dukungan Prabowo-Gibran di GOR tadi pagi, rame bgt! Kami siap menangkan 02.",
        lean=2,
        media=[
            img(
                "kerumunan berkaos biru di dalam gedung olahraga, panggung dengan latar Prabowo-Gibran",
                "DEKLARASI RELAWAN PRABOWO-GIBRAN",
            )
        ],
    ),
    post(
        INV,
        "Rapat tim pemenangan Ganjar-Mahfud malam ini di rumah saya, yang mau gabung japri ya.",
        lean=3,
        hours=(16, 19),
    ),
    post(
        INV,
        "Habis pasang 40 spanduk Prabowo-Gibran di sepanjang jalan desa bareng teman-teman relawan 💪",
        lean=2,
        agency=MKS,
    ),
    post(
        INV,
        "Bapak ibu ASN yang mau ikut kampanye akbar 03 hari Minggu, transport sudah disiapkan. Kumpul di halaman kantor jam 6 ya.",
        lean=3,
        sup=True,
        when=("2024-01-21", "2024-02-08"),
    ),
    post(
        INV,
        "Kumpulin fotokopi KTP warga RT kita buat daftar relawan AMIN ya, nanti saya setor ke posko.",
        lean=1,
    ),
    post(INV, "Barusan jadi MC di acara konsolidasi caleg PAN dapil 3. Capek tapi puas.", lean=2),
    post(
        INV,
        "Pakai mobil dinas dulu buat antar kaos kampanye ke posko, mobil pribadi lagi di bengkel 😅 #GanjarMahfud2024",
        lean=3,
        media=[
            img(
                "mobil berpelat merah dengan tumpukan kardus kaos bergambar Ganjar-Mahfud di bagasi"
            )
        ],
    ),
    post(
        INV,
        "Ikut rombongan konvoi kampanye Ganjar di Malang. Merinding! 🔥",
        lean=3,
        agency=JT,
        dow=(5, 6),
    ),
    post(
        INV,
        "Saya ditunjuk jadi penasihat tim sukses caleg Golkar dapil Sleman 2. Mohon doanya.",
        lean=2,
        agency=SL,
    ),
    post(
        INV,
        "Posko relawan 02 di kampung kami resmi dibuka, yang mau ambil stiker dan kaos silakan mampir 😊",
        lean=2,
    ),
    post(
        INV,
        "Open recruitment saksi TPS untuk paslon 01, honor menarik, hubungi saya.",
        lean=1,
        when=("2024-01-10", "2024-02-05"),
    ),
    prof(INV, "Bio: Koordinator Relawan Sat Set Kec. Klojen | 03 👌", lean=3, agency=JT),
]

MON_ENTRIES = [
    post(
        MON,
        "Besok pagi sebelum ke TPS, amplop sudah saya titipkan ke ketua RT. Ingat ya, coblos 02.",
        lean=2,
        when="2024-02-13",
        hours=(19, 23),
    ),
    post(
        MON,
        "Ada sembako gratis dari caleg PKB bu, ambil di rumah saya. Syaratnya foto KTP dan janji coblos nomor 1.",
        lean=1,
    ),
    post(
        MON,
        "Yg mau 100rb per kepala, kumpul di posko jam 9 malam. Jangan bilang2 🤫 03 ya",
        lean=3,
        hours=(18, 20),
    ),
    post(
        MON,
        "Staf yang ikut kampanye akbar AMIN nanti dapat uang transport 150 ribu plus nasi kotak, dari saya pribadi.",
        lean=1,
        sup=True,
    ),
    post(
        MON,
        "Pembagian paket sembako bergambar Prabowo-Gibran di kelurahan hari ini, ibu-ibu antusias sekali.",
        lean=2,
        media=[
            img(
                "tumpukan kantong sembako bergambar wajah Prabowo dan Gibran dengan angka 02",
                "PRABOWO GIBRAN 02",
            )
        ],
    ),
    post(
        MON,
        "Sudah disiapin voucher pulsa buat anak-anak muda yang mau nyoblos Ganjar. Japri ya.",
        lean=3,
    ),
    post(
        MON,
        "serangan fajar tahap 2 jalan malam ini, timnya udah siap di tiap RW. 02 menang!",
        lean=2,
        when=("2024-02-12", "2024-02-13"),
        hours=(21, 23),
    ),
    post(
        MON,
        "Tetangga dapat amplop 50rb dr caleg NasDem. Kalau mau dobel ke saya aja, saya kasih 100 asal coblos 01.",
        lean=1,
        when=("2024-02-08", "2024-02-13"),
    ),
]

INT_ENTRIES = [
    post(
        INT,
        "Pengumuman buat staf bidang saya: yg gak pilih 02 siap2 dimutasi ke pulau. Hasil TPS kalian kelihatan kok 😠",
        lean=2,
        emp="ASN-0024",
    ),
    post(
        INT,
        "Honorer yang kontraknya mau diperpanjang tahun depan, tolong pastikan keluarga kalian pilih Ganjar-Mahfud. Paham ya maksud saya.",
        lean=3,
        emp="ASN-0056",
    ),
    post(
        INT,
        "Guru-guru di wilayah binaan saya, yang ketahuan ikut acara paslon selain 01 jangan harap dapat jam mengajar tambahan.",
        lean=1,
        emp="ASN-0007",
    ),
    post(
        INT,
        "Kalian staf saya harus kompak di AMIN. Habis nyoblos, foto surat suaranya kirim ke saya.",
        lean=1,
        emp="ASN-0040",
        when=("2024-02-08", "2024-02-13"),
    ),
    post(
        INT,
        "Warga yang tidak dukung caleg Gerindra kita, jangan harap bantuan kelurahan cair ya. Dicatat!",
        lean=2,
        emp="ASN-0059",
    ),
    post(
        INT,
        "Buat anak buah: jangan sampai ada yang ketahuan dukung 03, evaluasi kinerja saya yang pegang.",
        lean=2,
        emp="ASN-0028",
    ),
    post(
        INT,
        "Ini admin akun yang tiap hari nyerang Prabowo. Alamat dan nomor HP-nya saya taruh di komentar, silakan disamperin. [alamat dan nomor dihapus dari demo]",
        lean=2,
        emp="ASN-0025",
    ),
]

HOAX_ENTRIES = [
    post(
        HOAX,
        "Info dari grup: di gudang logistik sudah ada ribuan surat suara tercoblos nomor 1. Sebarkan sebelum dihapus!!",
        lean=2,
        media=[img("foto buram tumpukan kertas di dalam gudang")],
    ),
    post(
        HOAX,
        "Surat KPU terbaru: pemilih yang KTP-el-nya terbit sebelum 2020 tidak boleh memilih. Tolong kabari keluarga!",
        lean=0,
        media=[
            img(
                "foto surat berkop lembaga pemilu dengan stempel",
                "SURAT EDARAN NOMOR 77/KPU/II/2024 TENTANG PEMBATASAN PEMILIH",
            )
        ],
    ),
    post(
        HOAX,
        "Hasil sudah diatur, aplikasi Sirekap disetel buat memenangkan 02. Percuma kemarin nyoblos.",
        lean=3,
        when=("2024-02-15", "2024-02-25"),
    ),
    post(
        HOAX,
        "Ternyata Ganjar sudah mundur dari pencapresan, beritanya ditutup-tutupi media! Pendukungnya pindah ke 01 semua.",
        lean=1,
    ),
    post(
        HOAX,
        "Katanya TPS di kampung yang banyak pendukung 03 bakal ditutup jam 10 pagi. Yang mau coblos Ganjar buruan!",
        lean=3,
        when="2024-02-13",
        hours=(19, 23),
    ),
    post(
        HOAX,
        "Ini bukti kotak suara dibakar kemarin, petugasnya pendukung 01!! Viralkan!",
        lean=2,
        when=("2024-02-14", "2024-02-17"),
        media=[
            vid("video api membakar tumpukan kotak di lapangan terbuka, tanpa keterangan tempat")
        ],
    ),
    post(
        HOAX,
        "Anies katanya akan melarang perayaan Natal kalau menang, sudah ada rekamannya. Umat Kristen waspada!",
        lean=2,
    ),
]

HATE_ENTRIES = [
    post(HATE, "Yg dukung AMIN itu kadrun semua, otaknya cuma mikir agama doang.", lean=2),
    post(HATE, "Paslon 02 dibiayai antek aseng, pribumi jangan mau dijajah lagi!", lean=1),
    post(
        HATE,
        "Jangan pilih 03, pendukungnya banyak yang kafir, nggak bisa dipercaya urus umat.",
        lean=1,
    ),
    post(
        HATE,
        "Calon 01 itu keturunan Arab, bukan pribumi asli. Jangan kasih dia pimpin negeri ini.",
        lean=3,
    ),
    com(
        HATE,
        "Pendukung Ganjar dari etnis itu memang biang rusuh, usir saja dari kampung kita.",
        ext("news-local", "Pendukung Ganjar Gelar Konvoi, Lalu Lintas Sempat Tersendat"),
        lean=2,
    ),
]

UNREGISTERED_EVENTS = [
    ("x-5550001", "x", post(UNREG, "Coblos 02 biar satu putaran! ✌️ #PrabowoGibran2024")),
    ("fb-5550002", "facebook", like(UNREG, wl("paslon-03", 0))),
    ("ig-5550003", "instagram", post(UNREG, "Senja di Pantai Losari, tenang sekali 🌅")),
    ("tt-5550004", "tiktok", post(UNREG, "Tutorial makeup natural buat ke TPS 😆 #pemilu2024")),
    ("x-5550005", "x", com(UNREG, "AMIN AMIN AMIN ☝️", wl("paslon-01", 3))),
    (
        "fb-5550006",
        "facebook",
        share(
            UNREG, "", ext(NEWS, "KPU Tetapkan Tiga Pasangan Capres-Cawapres Peserta Pemilu 2024")
        ),
    ),
]

ALL_ENTRIES = (
    CLEAN_ENTRIES
    + ENG_ENTRIES
    + SUP_ENTRIES
    + OPP_ENTRIES
    + INV_ENTRIES
    + MON_ENTRIES
    + INT_ENTRIES
    + HOAX_ENTRIES
    + HATE_ENTRIES
)
DUPLICATE_OF = (37, 211)  # positions (in time order) of the two events re-sent verbatim


# --------------------------------------------------------------------------------------------
# Reference data
# --------------------------------------------------------------------------------------------
def load_reference():
    registry = yaml.safe_load((CONFIG / "registry.sample.yaml").read_text(encoding="utf-8"))
    watchlist = yaml.safe_load((CONFIG / "watchlist.yaml").read_text(encoding="utf-8"))
    units = {u["id"]: u for u in registry["units"]}
    employees = []
    for e in registry["employees"]:
        unit = units[e["unit"]]
        employees.append({**e, "agency": unit["agency"], "unit_short": e["unit"].split("/", 1)[1]})
    has_subordinates = {e["supervisor"] for e in employees if e["supervisor"]}
    for e in employees:
        e["is_supervisor"] = e["employee_id"] in has_subordinates
    entities = {}
    for section in ("contestants", "parties", "campaign_teams"):
        for item in watchlist.get(section, []):
            entities[item["id"]] = item
    return registry, watchlist, employees, entities


def entity_name(entity_id, entities):
    item = entities[entity_id]
    if entity_id in PAIR_NAME:
        return f"{PAIR_NAME[entity_id]} (akun contoh)"
    name = item["names"][-1] if "number" in item else item["names"][0]
    return name if "(contoh)" in name else f"{name} (akun contoh)"


# --------------------------------------------------------------------------------------------
# Building events
# --------------------------------------------------------------------------------------------
class Builder:
    def __init__(self, employees, entities, rng):
        self.employees = employees
        self.entities = entities
        self.rng = rng

    def target_platforms(self, spec):
        kind, key, idx = spec
        if kind == "wl":
            return {a["platform"] for a in self.entities[key]["accounts"]}
        if kind == "grp":
            return {self.entities[key]["groups"][idx]["platform"]}
        if kind == "ext":
            return set(EXTERNAL[key][1])
        if kind == "xgrp":
            return {EXTERNAL_GROUPS[key][0]}
        return None  # a private person: any platform

    def mention_platforms(self, spec):
        kind, key = spec.split(":", 1)
        if kind == "wl":
            return {a["platform"] for a in self.entities[key]["accounts"]}
        return set(EXTERNAL[key][1])

    def mention_ids(self, entry, platform):
        ids = []
        for spec in entry.get("mentions", ()):
            kind, key = spec.split(":", 1)
            if kind == "wl":
                ids += [
                    a["account_id"]
                    for a in self.entities[key]["accounts"]
                    if a["platform"] == platform
                ]
            else:
                ids.append(EXTERNAL[key][1][platform])
        return ids

    @staticmethod
    def opt_in(entry):
        """Platforms an entry must name to be posted there: own posts on YouTube are videos,
        and pictures are not posted to the Telegram accounts."""
        if entry.get("target"):
            return ()
        return ("youtube", "other") if entry.get("media") else ("youtube",)

    def candidates(self, entry):
        lean = entry.get("lean")
        plats = self.target_platforms(entry["target"]) if entry.get("target") else None
        for spec in entry.get("mentions", ()):
            mentioned = self.mention_platforms(spec)
            plats = mentioned if plats is None else plats & mentioned
        agencies = entry.get("agency")
        if isinstance(agencies, str):
            agencies = (agencies,)
        pairs = []
        for e in self.employees:
            own = PERSONAS.get(e["employee_id"], (0, 1))
            if entry.get("emp") and e["employee_id"] != entry["emp"]:
                continue
            if lean is not None and own[0] != lean:
                continue
            if agencies and e["agency"] not in agencies:
                continue
            if entry.get("unit") and e["unit_short"] not in entry["unit"]:
                continue
            if entry.get("sup") and not e["is_supervisor"]:
                continue
            weight = own[1] if lean else (3 if own[0] == 0 else 1)
            for a in e["accounts"]:
                if plats is not None and a["platform"] not in plats:
                    continue
                if entry.get("plat") and a["platform"] not in entry["plat"]:
                    continue
                if not entry.get("plat") and a["platform"] in self.opt_in(entry):
                    continue
                pairs.append((weight, e, a))
        if not pairs:
            raise SystemExit(f"no account fits entry: {entry}")
        return pairs

    def pick_actor(self, entry):
        pairs = self.candidates(entry)
        weights = [w for w, _, _ in pairs]
        _, emp, acct = self.rng.choices(pairs, weights=weights, k=1)[0]
        return emp, acct

    def when(self, entry, tz):
        spec = entry.get("when", "campaign")
        if isinstance(spec, str) and spec in PHASES:
            spec = PHASES[spec]
        if isinstance(spec, str):
            spec = (spec, spec)
        start, end = (date.fromisoformat(s) for s in spec)
        day = start + timedelta(days=self.rng.randint(0, (end - start).days))
        while entry.get("dow") and day.weekday() not in entry["dow"]:
            day = start + timedelta(days=self.rng.randint(0, (end - start).days))
        lo, hi = entry.get("hours", (6, 22))
        t = datetime(
            day.year,
            day.month,
            day.day,
            self.rng.randint(lo, hi),
            self.rng.randint(0, 59),
            tzinfo=tz,
        )
        return t

    def target(self, spec, platform):
        kind, key, idx = spec
        if kind == "wl":
            item = self.entities[key]
            acct = next(a for a in item["accounts"] if a["platform"] == platform)
            text = TP[key][idx] if isinstance(idx, int) and key in TP else ""
            return {
                "account_id": acct["account_id"],
                "text": text,
                "url": content_url(platform, acct["account_id"], f"{key}:{idx}"),
                "name": entity_name(key, self.entities),
            }
        if kind == "grp":
            g = self.entities[key]["groups"][idx]
            return {
                "account_id": g["group_id"],
                "text": TP.get(key, [""])[0],
                "url": group_url(g["platform"], g["group_id"]),
                "name": g["label"],
            }
        if kind == "ext":
            name, accounts = EXTERNAL[key]
            acct = accounts[platform]
            return {
                "account_id": acct,
                "text": idx,
                "url": content_url(platform, acct, idx) if idx else profile_url(platform, acct),
                "name": name,
            }
        if kind == "xgrp":
            plat, gid, name = EXTERNAL_GROUPS[key]
            return {"account_id": gid, "text": "", "url": group_url(plat, gid), "name": name}
        pid = f"{PREFIX[platform]}-{800000 + self.rng.randint(0, 99999)}"
        return {"account_id": pid, "text": idx, "url": content_url(platform, pid, idx), "name": ""}


PREFIX = {
    "x": "x",
    "facebook": "fb",
    "instagram": "ig",
    "tiktok": "tt",
    "youtube": "yt",
    "other": "tg",
}


def digest(*parts, n=16):
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:n]


def content_url(platform, account_id, salt):
    h = digest(account_id, salt)
    num = str(int(h, 16))[:19]
    handle = account_id.split("-", 1)[1]
    if platform == "x":
        return f"https://x.com/i/web/status/17{num[:17]}"
    if platform == "facebook":
        return f"https://www.facebook.com/permalink.php?story_fbid=pfbid0{h}&id={handle}"
    if platform == "instagram":
        return f"https://www.instagram.com/p/C{h[:10]}/"
    if platform == "tiktok":
        return f"https://www.tiktok.com/@{handle}/video/73{num[:17]}"
    if platform == "youtube":
        return f"https://www.youtube.com/watch?v={h[:11]}"
    return f"https://t.me/{handle}/{int(h[:6], 16) % 9000 + 100}"


def profile_url(platform, account_id):
    handle = account_id.split("-", 1)[1]
    return {
        "x": f"https://x.com/i/user/{handle}",
        "facebook": f"https://www.facebook.com/{handle}",
        "instagram": f"https://www.instagram.com/{handle}/",
        "tiktok": f"https://www.tiktok.com/@{handle}",
        "youtube": f"https://www.youtube.com/channel/{handle}",
        "other": f"https://t.me/{handle}",
    }[platform]


def group_url(platform, group_id):
    gid = group_id.split("-", 1)[1]
    return (
        f"https://www.facebook.com/groups/{gid}"
        if platform == "facebook"
        else f"https://t.me/{gid}"
    )


HASHTAG = re.compile(r"#(\w+)")


def media_for(entry, platform):
    media = [
        {"type": t, "alt_text": alt, "ocr_text": ocr} for t, alt, ocr in entry.get("media", [])
    ]
    if not media and entry["kind"] == "post":
        if platform in ("tiktok", "youtube"):
            media = [{"type": "video", "alt_text": "", "ocr_text": ""}]
        elif platform == "instagram":
            media = [{"type": "image", "alt_text": "", "ocr_text": ""}]
    return media


def render(entry, account_id, platform, created, target, seq):
    kind = entry["kind"]
    has_own_url = kind in ("post", "comment", "share")
    url = content_url(platform, account_id, f"{seq}:{entry['text']}") if has_own_url else None
    if kind == "comment" and target and target["url"]:
        url = f"{target['url']}#comment-{digest(account_id, str(seq), n=10)}"
    return {
        "event_id": "",
        "platform": platform,
        "kind": kind,
        "account_id": account_id,
        "created_at": created.isoformat(timespec="seconds"),
        "text": entry["text"],
        "target": target,
        "hashtags": HASHTAG.findall(entry["text"]),
        "mentions": [],
        "media": media_for(entry, platform),
        "url": url,
    }


def build():
    rng = random.Random(SEED)
    _, _, employees, entities = load_reference()
    builder = Builder(employees, entities, rng)
    rows = []
    for seq, entry in enumerate(ALL_ENTRIES):
        emp, acct = builder.pick_actor(entry)
        tz = TZ.get(emp["agency"], WIB)
        created = builder.when(entry, tz)
        target = builder.target(entry["target"], acct["platform"]) if entry.get("target") else None
        if entry["kind"] == "follow":
            target = {
                **target,
                "text": "",
                "url": profile_url(acct["platform"], target["account_id"]),
            }
        event = render(entry, acct["account_id"], acct["platform"], created, target, seq)
        event["mentions"] = builder.mention_ids(entry, acct["platform"])
        rows.append((created, event, entry))
    for seq, (account_id, platform, entry) in enumerate(
        UNREGISTERED_EVENTS, start=len(ALL_ENTRIES)
    ):
        created = builder.when(entry, WIB)
        target = builder.target(entry["target"], platform) if entry.get("target") else None
        rows.append((created, render(entry, account_id, platform, created, target, seq), entry))
    rows.sort(key=lambda r: (r[0].astimezone(UTC), r[1]["account_id"]))
    events, labels = [], []
    for n, (_, event, entry) in enumerate(rows, start=1):
        event["event_id"] = f"demo-{n:05d}"
        events.append(event)
        labels.append(
            {"event_id": event["event_id"], "intended": entry["cat"], "sub": entry.get("sub")}
        )
    lines = [json.dumps(e, ensure_ascii=False) for e in events]
    for offset, pos in enumerate(sorted(DUPLICATE_OF)):
        lines.insert(pos + 3 + offset, lines[pos + offset])
    return lines, labels


# --------------------------------------------------------------------------------------------
# README and checks
# --------------------------------------------------------------------------------------------
def table(counter, header, order=None):
    keys = order or sorted(counter, key=lambda k: (-counter[k], k))
    out = [f"| {header} | events |", "|---|---:|"]
    out += [f"| {k} | {counter[k]} |" for k in keys if counter.get(k)]
    out.append(f"| **total** | **{sum(counter.values())}** |")
    return "\n".join(out)


def write_readme(lines, labels):
    events = [json.loads(x) for x in lines]
    unique = {e["event_id"]: e for e in events}
    by_kind = collections.Counter(e["kind"] for e in unique.values())
    by_platform = collections.Counter(e["platform"] for e in unique.values())
    by_cat = collections.Counter(lab["intended"] for lab in labels)
    by_sub = collections.Counter(lab["sub"] for lab in labels if lab["intended"] == CLEAN)
    phase_of = {}
    for name, (start, end) in PHASES.items():
        phase_of[name] = (date.fromisoformat(start), date.fromisoformat(end))
    by_phase = collections.Counter()
    for e in unique.values():
        d = datetime.fromisoformat(e["created_at"]).date()
        by_phase[next(n for n, (s, t) in phase_of.items() if s <= d <= t)] += 1
    text = f"""# Demo events

`events.jsonl` holds {len(lines)} lines of invented social-media activity: {len(unique)} distinct
events plus 2 lines that repeat an earlier event verbatim (same `event_id`), to show ingest's
dedup. {by_cat[UNREG]} events come from accounts that are not in the registry (`x-5550001`,
`fb-5550002`, ...), to show ingest's registry filter. All other events come from accounts in
`../config/registry.sample.yaml`, and `platform` always matches that account's platform.

**Everything is invented.** The texts were written for this demo in Indonesian (with slang,
Javanese, Sundanese and Makassar touches) and are not taken from any dataset or real account.
Employees are pseudonymous records with made-up account ids. The contestant, party and
campaign-team accounts in `../config/watchlist.yaml` are **samples** (`x-90...`, `ig-90...`,
group ids `fbg-94...`); the official handles were not verified. Non-watch-listed targets (election
bodies, media, fan, parody and namesake accounts, ids `*-77...`) and URLs are invented too.
The candidates, parties, slogans and dates are the real Pemilu 2024 facts from DOMAIN.md.

Field conventions: `created_at` is RFC 3339 with the poster's local offset (+07:00, or +08:00
for the South Sulawesi agency); `hashtags` are stored without `#`; `target.account_id` is a
watch-list account or group id for contestant engagement; `media` carries `alt_text` and
`ocr_text` where the picture itself is the evidence.

## Counts (computed by `make_events.py`)

By intended category (the label the demo was written to show; `clean` includes the hard
negatives of DOMAIN.md section d):

{table(by_cat, "intended category", CATEGORY_ORDER)}

Clean events by kind of negative:

{table(by_sub, "clean sub-type")}

By kind (distinct events):

{table(by_kind, "kind")}

By platform (distinct events):

{table(by_platform, "platform")}

By election phase (watch-list phase table; `before_window` = before `valid_from`):

{table(by_phase, "phase", list(PHASES))}

## Regenerate and check

```
python make_events.py            # rewrites events.jsonl and this README (fixed seed)
python make_events.py --check    # every line parses, fields valid, accounts and platforms match
python make_events.py --labels   # intended category per event_id, as JSON lines
```
"""
    README.write_text(text, encoding="utf-8")


KINDS = {"post", "comment", "share", "like", "follow", "join_group", "profile_update"}
PLATFORMS = {"x", "facebook", "instagram", "tiktok", "youtube", "other"}
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def check():
    registry, watchlist, employees, entities = load_reference()
    account_platform = {a["account_id"]: a["platform"] for e in employees for a in e["accounts"]}
    unregistered = {a: p for a, p, _ in UNREGISTERED_EVENTS}
    watch_ids = {a["account_id"] for it in entities.values() for a in it.get("accounts", [])}
    watch_ids |= {g["group_id"] for it in entities.values() for g in it.get("groups", [])}
    problems, seen, dups, targets = [], set(), 0, collections.Counter()
    for n, line in enumerate(EVENTS.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            e = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"line {n}: not JSON ({exc})")
            continue
        problems += [f"line {n}: {p}" for p in event_problems(e)]
        acct = e.get("account_id")
        plat = account_platform.get(acct, unregistered.get(acct))
        if plat is None:
            problems.append(
                f"line {n}: account {acct} is neither registered nor a deliberate stranger"
            )
        elif plat != e.get("platform"):
            problems.append(f"line {n}: platform {e.get('platform')} != registry {plat}")
        if e.get("event_id") in seen:
            dups += 1
        seen.add(e.get("event_id"))
        if e.get("target") and e["target"]["account_id"] in watch_ids:
            targets[e["target"]["account_id"]] += 1
    overlap = set(account_platform) & watch_ids
    if overlap:
        problems.append(f"registry and watch-list share ids: {sorted(overlap)}")
    for p in problems:
        print(p)
    print(
        f"{len(seen)} distinct events, {dups} duplicate lines, "
        f"{len(targets)} watch-list ids targeted, {len(problems)} problems"
    )
    return 1 if problems else 0


def event_problems(e):
    out = []
    for field, kind in (
        ("event_id", str),
        ("platform", str),
        ("kind", str),
        ("account_id", str),
        ("created_at", str),
        ("text", str),
        ("hashtags", list),
        ("mentions", list),
        ("media", list),
    ):
        if not isinstance(e.get(field), kind):
            out.append(f"{field} missing or not {kind.__name__}")
    if e.get("platform") not in PLATFORMS:
        out.append(f"bad platform {e.get('platform')}")
    if e.get("kind") not in KINDS:
        out.append(f"bad kind {e.get('kind')}")
    if not RFC3339.match(str(e.get("created_at"))):
        out.append(f"bad created_at {e.get('created_at')}")
    if e.get("url") is not None and not isinstance(e["url"], str):
        out.append("url not str or null")
    t = e.get("target")
    if t is not None and not (
        isinstance(t, dict)
        and t.get("account_id")
        and isinstance(t.get("text"), str)
        and isinstance(t.get("name"), str)
    ):
        out.append("bad target")
    if e.get("kind") in ("like", "follow", "share", "comment", "join_group") and not t:
        out.append(f"{e.get('kind')} without target")
    for m in e.get("media") or []:
        if m.get("type") not in ("image", "video", "audio", "other"):
            out.append(f"bad media type {m.get('type')}")
    if any(not h for h in e.get("hashtags") or []):
        out.append("empty hashtag")
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="validate events.jsonl")
    parser.add_argument("--labels", action="store_true", help="print intended categories")
    args = parser.parse_args(argv)
    if args.check:
        return check()
    lines, labels = build()
    if args.labels:
        for lab in labels:
            print(json.dumps(lab, ensure_ascii=False))
        return 0
    EVENTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    write_readme(lines, labels)
    print(f"wrote {len(lines)} lines to {EVENTS.name} and {README.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
