"""Everyday Indonesian (and common regional or slang) words that typo repair must never change.

Indonesian is dense in one-letter pairs (``bilang``/``hilang``, ``santai``/``bantai``,
``sumpah``/``sampah``, ``dengan``/``dengar``, ``ngatur``/``ngawur``): a word that is itself a
common word is what the writer meant, not a typo of a lexicon word. :func:`is_everyday` also
accepts the regular affixed forms of these roots (``di-``, ``ber-``, ``me(N)-``, ``ng-``,
``-nya``, ``-kan``, ``-in`` ...), so the list holds roots and a few frequent irregular forms.
Language knowledge, not policy: a pack's own words are handled by its vocabulary.
"""

from __future__ import annotations

from functools import lru_cache

_TEXT = """
    ada adalah adik agak agar air ajak ajar akal akan akhir akhirnya aku akun alam alamat alasan
    alat aman ambil anak andai angin angka angkat angkot angkut anggap anggota antar antara apa
    apalagi api arah arti asal asli atas atau atur awal awak ayah ayam ayo bab bacaan baca badan
    bagai bagaimana bagi bagian bagus bahan bahas bahasa bahkan bahu baik baju bakal balas balik
    bambu banding bangga bangun banjir bantu banyak bapak barang baru barusan batas batu bawa
    bawah bayar bayi beda begini begitu bekas bekerja belajar belakang beli belum benar bener
    bentar bentuk berangkat berapa berarti beras berat berbagai berikut beri berita berkas
    bersih besar besok betul biar biasa bibir bicara bidang bikin bilang bingung bisa bisnis
    bola boleh bolos bosan buat budaya buka bukan buku bulan bumi bunga buru buruk butuh cahaya
    cair cakap calon cara cari catat cepat cerah cerita cermin cinta cium coba contoh cuci cuma
    cukup curhat daerah dagang dahulu dalam dan dapat dapur darat dari datang dateng dekat demi
    dengan denger depan deras desa detik dewasa di dia diam diri dingin dinas doa dokter dong
    dosen dulu dunia duduk dua empat enak engkau entah gampang ganti gedung gelap gemuk gerak
    gereja gigi gitu gimana gotong gula guna guru habis hadap hadiah hal halaman hampir hanya
    harap harga hari harus hati hawa hidup hilang hitam hubung hujan hukum ibu ikan ikut ingat
    ingin ini inti isi istri itu iya jadi jadwal jaga jalan jam jarang jauh jawab jelang jelas
    jembatan jual juga jumpa kabar kadang kaget kain kaki kalau kali kamar kami kampung kamu
    kanan kantor kapan karena karang karung kasih kasian kata kayak kaya kecil kejar kelas
    keluar keluarga kemarin kembali kena kenal kenapa kepada kepala kerja keras kertas kesal
    ketemu kini kirim kira kita kosong kota kuat kuliah kumpul kurang lagi lahir lain laku lalu
    lama lambat lampu lancar langit langkah langsung lantai lapar lari lawan layar lebih lelah
    lemah lengkap lewat libur lihat lima lingkungan lintas liat lomba lorong luar lucu lulus
    lupa maaf macam macet mahal main maju makan maka makanya makin malah malam malas malu mana
    mandi mantan marah masa masak masalah masih masuk mata mati mau melihat memang mending
    menit merah mereka meja minggu minta minum mirip misal mobil mudah muka mulai mulut mungkin
    murah musim mustahil nah naik nama nangis nanti nasi negara nenek ngapain nggak ngobrol
    ngomong nikah nilai nomor nonton nunggu nyaman nyata nyawa obat olahraga oleh omong orang
    otak pada padahal pagi paham pakai paling panas pangan panggil panggung panjang pantai
    pantas papan para pasar pasti patah pecah pegang pelan peluk penting perlu pesan pesawat
    pikir pindah pinggir pinjam pintar pintu pisah pokoknya proses pulang pulau punya pusat
    putih putus rajin ramai rambut rapat rasa ratus rekan rencana rendah ribet ribu ringan
    rokok rugi rumah rusak sabar sakit saja salah sama sambil sampai sampah sana sangat santai
    sapa sarapan saran satu saudara sawah saya sebab sebelah sebentar sebetulnya sedang sedih
    sedikit segala segera sehat sejak sekali sekarang sekolah selalu selama selamat selesai
    semangat sembuh semua sempat senang sendiri seperti sering serius sesuai setiap sewa siang
    siap siapa sibuk sikap simpan sini situ soal sopan sore suami sudah suka sulit sumpah sungai
    supaya surat susah susu tadi tahan tahu tahun takut tambah tampil tanah tanda tangan tanggal
    tanggung tanya tapi tarik taruh tas tawar tebal teman tempat tempel tenang tengah tentang
    tentu terang teriak terima terus tetap tetapi tiap tidak tidur tiga tinggal tinggi tolong
    tonton tua tujuan tulis tunggu tutup uang udara ujian ulang umur untuk untung urus usaha
    usia utama waktu walau wajah wajar warga warna warung wilayah yakin yang

    adem ambyar anjir apain asik asyik atuh ayuk baper banget bareng begadang bejibun belanja
    beneran bete bocah bokap bro bu capek cewek cowok curcol dateng deh doang dong duluan
    emang emak gabut gaes gais gan gapapa gaul gebetan gengsi gercep gitu gokil gue guys haha
    hehe hoho jomblo julid kangen kepo keren kesel kocak kok kuy lebay lho loh lu mager mah
    makasih males mantep mbak mas mau melek mewek mimin modus mumet nangis nanya ndeso ngabuburit
    ngajak ngakak ngaku ngambek ngantuk ngapain ngaret ngasih ngatur ngecek ngedumel ngeluh
    ngeri ngerti ngetik ngide ngikut ngopi ngumpul nongkrong nyari nyesel nyinyir nyokap nyuruh
    ogah oke pengen pengin pokoke santuy sampe sans selow sih sotoy sumpah tapi teh tuh udah
    wkwk yaudah yuk

    abdi atos baraya enjing hatur kumaha mangga nuhun punten sae sakedik sorangan urang wios
    awakmu bojo dulur enggih kangmas kulo lurah monggo mboten nggih opo piye sampeyan sedulur
    sugeng tenan wis wong

    aparat bupati camat dinas instansi jabatan kabupaten kecamatan kelurahan kementerian kepala
    kerjaan kinerja pegawai pejabat pelayanan pemerintah pemuda pimpinan program proyek
    puskesmas rapat rakyat sekda walikota anggaran apel cuti dokumen honor kantor laporan rapat
    surat tugas upacara karyawan koperasi pensiun pelatihan magang kajian

    bola film foto gambar lagu musik video berita koran sinetron drama konser pentas
    kopi teh susu roti mie bakso sate nasi soto martabak gorengan sambal cabai bawang garam
    hujan banjir macet jalan tol motor mobil angkot kereta pesawat bandara pelabuhan halte

    temu usul majikan kodong tegang tekan pukul tulang kulit darah jantung perut kepala leher
    dada punggung lutut tangis senyum tawa marah bahagia sayang rindu benci takut kaget heran
    bangsa bangku bantal benang bendera bensin besi bintang boneka botol celana cincin dompet
    gelas gunting handuk jaket jarum kaca kaos kasur kipas kunci lemari mangkuk piring pisau
    sendok sepatu sikat sisir tali tikar topi payung ember sapu
    anjing kucing kambing sapi kerbau kuda ayam bebek burung ikan ular tikus semut nyamuk
    beli jual tawar bayar harga murah mahal diskon promo ongkir paket kirim antar jemput
    masak goreng rebus bakar panggang potong iris campur aduk tuang minum makan lapar haus
    kenyang pedas manis asin asam pahit gurih enak segar basi
    mulia jujur sabar ramah rajin malas pintar bodoh nakal baik jahat cantik ganteng jelek
    tinggi pendek gemuk kurus besar kecil panjang lebar sempit luas dalam dangkal
    pagi siang sore malam subuh magrib isya zuhur asar senin selasa rabu kamis jumat sabtu
    januari februari maret april mei juni juli agustus september oktober november desember
    sholat salat puasa lebaran mudik arisan pengajian kondangan hajatan syukuran tahlilan
    sekolah kampus kuliah skripsi ujian nilai rapor wisuda guru murid siswa mahasiswa dosen
    kelas pelajaran tugas pr libur semester
    kerja kantor gaji bonus lembur rapat atasan bawahan cuti izin absen shift target
    bikin kasih lihat dengar rasa pikir tahu kenal ingat lupa percaya ragu mikir kepikiran
    ketawa senyum nangis teriak bisik omel tegur sapa salam pamit permisi
    mantul mantab sip siap oke okelah baiklah betul benar salah keliru
    dikit banyak semua sebagian beberapa tiap setiap masing
    tetangga warga kampung komplek perumahan gang rt rw desa dusun kota
    jalanan trotoar lampu merah parkir bengkel pom toko pasar mall warung kedai
    hp ponsel laptop internet sinyal wifi pulsa aplikasi status story postingan komen
    yaelah astaga astagfirullah alhamdulillah masyaallah insyaallah bismillah aamiin amiin
    mantap jiwa gila parah banget bener beneran serius sumpah demi
    """
WORDS = frozenset(_TEXT.split())

_SUFFIXES = ("nya", "lah", "kah", "pun", "kan", "in", "an", "i", "ku", "mu", "na", "ne", "e")
# Prefix -> what it may stand for before the root (nasal prefixes replace the root's first letter).
_PREFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("memper", ("",)),
    ("diper", ("",)),
    ("meny", ("s",)),
    ("peny", ("s",)),
    ("meng", ("", "k")),
    ("peng", ("", "k")),
    ("mem", ("", "p")),
    ("pem", ("", "p")),
    ("men", ("", "t")),
    ("pen", ("", "t")),
    ("ber", ("",)),
    ("ter", ("",)),
    ("per", ("",)),
    ("nge", ("",)),
    ("me", ("",)),
    ("pe", ("",)),
    ("be", ("",)),
    ("di", ("",)),
    ("ke", ("",)),
    ("se", ("",)),
    ("ny", ("s", "c")),
    ("ng", ("", "k")),
    ("m", ("p", "b")),
    ("n", ("t",)),
    ("ku", ("",)),
)
MIN_ROOT = 3


@lru_cache(maxsize=65536)
def is_everyday(word: str, extra: frozenset[str] = frozenset()) -> bool:
    """``word`` (folded, lower case) is a common word or a regular affixed form of one
    (roots from :data:`WORDS` or ``extra``)."""
    if word in WORDS or word in extra:
        return True
    for stem in _without_suffix(word):
        for root in _without_prefix(stem):
            if len(root) >= MIN_ROOT and (root in WORDS or root in extra):
                return True
    return False


def _without_suffix(word: str) -> list[str]:
    stems = [word]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_ROOT:
            stem = word[: -len(suffix)]
            stems.append(stem)
            if suffix in ("nya", "lah", "kah", "pun", "ku", "mu"):  # clitic after a suffix
                stems.extend(stem[: -len(s)] for s in ("kan", "an", "in", "i") if stem.endswith(s))
    return stems


def _without_prefix(stem: str) -> list[str]:
    roots = [stem]
    for prefix, restores in _PREFIXES:
        if stem.startswith(prefix) and len(stem) - len(prefix) >= MIN_ROOT - 1:
            rest = stem[len(prefix) :]
            roots.extend(first + rest for first in restores)
    return roots
