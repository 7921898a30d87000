"""The demo's anonymous-booking data: topics, counsellors' weekly calendars, and
two courses with known booking codes (``demo.seed_booking`` stores them).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time

TOPICS = [
    ("Bekymring for mit barn", "Worried about my child", "قلق بشأن طفلي"),
    ("Skilsmisse og samvær", "Divorce and contact", "الطلاق وحق الرؤية"),
    ("Konflikter i familien", "Conflicts in the family", "خلافات في الأسرة"),
    ("Skole og trivsel", "School and well-being", "المدرسة والرفاهية"),
    ("Andet", "Something else", "موضوع آخر"),
]
CENTRE = "Familiehuset, Torvegade 3, 7190 Demoby"
#: A weekly span: (weekdays, start, end, modes).
Span = tuple[Sequence[int], time, time, str]
# (e-mail, languages, [(weekdays, start, end, modes)])
CALENDARS: list[tuple[str, str, list[Span]]] = [
    (
        "anna@demokommune.dk",
        "da,en",
        [
            (range(0, 4), time(9), time(15), "home,centre"),
            ((4,), time(9), time(12), "phone,video"),
        ],
    ),
    (
        "bo@demokommune.dk",
        "da,ar",
        [
            (range(0, 5), time(8, 30), time(14, 30), "centre,phone,video"),
        ],
    ),
    (
        "camilla@demokommune.dk",
        "da",
        [
            (range(1, 5), time(10), time(16), "home,phone"),
        ],
    ),
]
#: Demo booking codes for trying "Min booking" in development (never in production).
DEMO_COURSES = [
    ("D3M0-0000-0000-0001", "Blå Ugle", "centre", None),
    ("D3M0-0000-0000-0002", "Grøn Odder", "home", "Eksempelvej 12, 7190 Demoby"),
]
