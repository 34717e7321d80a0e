"""What the partnership page tests share: English requests and a complete offering form."""

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


OFFERING_FORM = {
    "title": "Magang Mahasiswa: Digitalisasi Pembukuan",
    "kind": "internship",
    "description": "Tim mahasiswa akuntansi membantu pembukuan digital.",
    "topics": ["bookkeeping", "data-analytics"],
    "capacity": "6",
    "capacity_unit": "teams",
    "per_shop": "1",
    "mode": "on_site",
    "province": "34",
    "regency": "34.04",
    "starts_on": "2030-02-01",
    "ends_on": "2030-03-28",
    "schedule": "8 pekan, 3 hari per pekan",
    "language": "id",
    "eligible_sectors": ["culinary", "crafts"],
    "eligible_size_classes": ["micro"],
    "eligible_provinces": ["34", "33"],
    "contact_name": "Dr. Rina Kartika",
    "contact_email": "rina@kampus.ac.id",
    "contact_phone": "+62274123456",
    "auto_accept": "on",
}
