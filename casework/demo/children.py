"""Synthetic demo children with realistic care histories. Fictional people only: no real personal data.

Every child is generated from its own random stream (``seed``, authority prefix and number), so the same
``--seed`` gives the same children however the run is split, and a re-run only tops up the missing numbers
(Child IDs like ``NB000001``). Rows are written with ``bulk_create_with_history`` in chunks, so each
child's record and its care history land together and have history, and 100,000 children take well under
two minutes.

The mix, roughly: 25% trafficked (not UASC), 35% unaccompanied asylum-seeking (UASC), 10% both and 30%
neither. Care histories satisfy ``casework.care_rules.check_record`` and ``casework.episodes``: no overlaps,
legal statuses and placements cover each period of care exactly, and a record may start the day the
previous one ended. Dates are relative to the day of the run (ages 10 to 17 mostly; nothing in the future).

Phone numbers use Ofcom's drama ranges (07700 900xxx, 0113 496 0xxx); postcodes use the fictional
areas NB (Northbridge), EM (Eastmoor) and ZX (elsewhere).
"""

from __future__ import annotations

import multiprocessing
import os
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection, connections, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from casework import search
from casework.codes import AliasKind, ImmigrationStatus, NrmDecision, TraffickingStatus
from casework.models import (
    AgeAssessment,
    Alias,
    Child,
    KnownAssociate,
    LegalStatus,
    Organisation,
    PeriodOfCare,
    PhoneNumber,
    Placement,
    PlaceOfConcern,
    SocialMediaAccount,
    Team,
    User,
)

BATCH_SIZE = 2000
CHUNK = 5000  # children per transaction
DETAIL_LIMIT = 1000  # phone numbers, associates and places of concern only for the first children
MAX_CHILDREN = 999_999  # six digits in the Child ID

TEAM_CARE = "Children in care team"
TEAM_UASC = "Unaccompanied children team"
TEAM_EXPLOITATION = "Exploitation and missing team"

TRAFFICKED, UASC, BOTH, NEITHER = "trafficked", "uasc", "both", "neither"
CATEGORY_WEIGHTS = {TRAFFICKED: 25, UASC: 35, BOTH: 10, NEITHER: 30}


# --- Names and backgrounds ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Background:
    nationality: str
    language: str
    ethnicities: dict[str, int]
    male: tuple[str, ...]
    female: tuple[str, ...]
    surnames: tuple[str, ...]
    exploitation: tuple[str, ...] = ("labour", "sexual", "criminal")
    script: dict[str, str] = field(default_factory=dict)  # name -> the same name in its original script
    variants: dict[str, tuple[str, ...]] = field(default_factory=dict)  # other transliterations
    nicknames: dict[str, str] = field(default_factory=dict)
    interpreter: float = 0.9
    vietnamese: bool = False  # family name + middle name + given name


VIETNAMESE = Background(
    "Vietnamese",
    "Vietnamese",
    {"AOTH": 8, "OOTH": 2},
    ("An", "Minh", "Hùng", "Dũng", "Tuấn", "Đức", "Long", "Quang", "Thành", "Huy", "Khánh", "Nam"),
    ("Mai", "Lan", "Hương", "Linh", "Thảo", "Ngọc", "Trang", "Hà", "Thu", "Phương"),
    ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ"),
    exploitation=("criminal", "labour", "sexual"),
    nicknames={"An": "Tommy", "Minh": "Danny", "Long": "Leo", "Mai": "May", "Linh": "Lily"},
    vietnamese=True,
)
ALBANIAN = Background(
    "Albanian",
    "Albanian",
    {"WOTH": 1},
    ("Arbën", "Ardit", "Besnik", "Dritan", "Elton", "Erion", "Gentian", "Klodian", "Endrit", "Luan", "Ermal"),
    ("Elira", "Arta", "Blerina", "Drita", "Ermira", "Jonida", "Klea", "Kejsi", "Anisa", "Fjolla"),
    ("Hoxha", "Krasniqi", "Berisha", "Gashi", "Shehu", "Leka", "Dervishi", "Çela", "Kola", "Marku", "Bajrami"),
    exploitation=("criminal", "labour", "sexual"),
    variants={"Hoxha": ("Hoxa", "Hodja"), "Krasniqi": ("Krasniki",), "Shehu": ("Sheu",)},
    nicknames={"Ardit": "Ardi", "Gentian": "Genti", "Klodian": "Klodi", "Endrit": "Endri"},
    interpreter=0.7,
)
ERITREAN = Background(
    "Eritrean",
    "Tigrinya",
    {"BAFR": 1},
    ("Yonas", "Filmon", "Merhawi", "Dawit", "Kidane", "Abel", "Robel", "Samuel", "Tesfalem", "Yohannes"),
    ("Selam", "Senait", "Helen", "Rahel", "Saba", "Luwam", "Winta", "Hiwet", "Mebrat"),
    ("Tesfaye", "Haile", "Gebremedhin", "Tekle", "Berhe", "Kidane", "Mehari", "Habte", "Woldemariam"),
    exploitation=("labour", "sexual", "domestic_servitude", "other"),
    script={
        "Yonas": "ዮናስ",
        "Filmon": "ፊልሞን",
        "Merhawi": "መርሃዊ",
        "Dawit": "ዳዊት",
        "Kidane": "ኪዳነ",
        "Abel": "ኣቤል",
        "Robel": "ሮቤል",
        "Samuel": "ሳሙኤል",
        "Tesfalem": "ተስፋለም",
        "Yohannes": "ዮሃንስ",
        "Selam": "ሰላም",
        "Senait": "ሰናይት",
        "Helen": "ሄለን",
        "Rahel": "ራሄል",
        "Saba": "ሳባ",
        "Luwam": "ሉዋም",
        "Winta": "ዊንታ",
        "Hiwet": "ሕይወት",
        "Mebrat": "መብራት",
        "Tesfaye": "ተስፋዬ",
        "Haile": "ሃይለ",
        "Gebremedhin": "ገብረመድህን",
        "Tekle": "ተኽለ",
        "Berhe": "በርሀ",
        "Mehari": "መሓሪ",
        "Habte": "ሃብተ",
        "Woldemariam": "ወልደማርያም",
    },
    variants={
        "Tesfaye": ("Tesfay", "Tesfai"),
        "Yohannes": ("Yohanes", "Johannes"),
        "Gebremedhin": ("Ghebremedhin",),
        "Haile": ("Hailé",),
        "Mehari": ("Mehary",),
        "Senait": ("Senayt",),
    },
)
SUDANESE = Background(
    "Sudanese",
    "Arabic",
    {"BAFR": 1},
    ("Mohammed", "Mohammed", "Ahmed", "Osman", "Ibrahim", "Abdelrahman", "Yousif", "Omer", "Hamid", "Adam"),
    ("Fatima", "Amna", "Aisha", "Hawa", "Mariam", "Samira"),
    ("Osman", "Ibrahim", "Abdalla", "Adam", "Yousif", "Elhassan", "Mohamed", "Ahmed", "Ishag", "Babiker"),
    exploitation=("labour", "sexual", "criminal"),
    script={
        "Mohammed": "محمد",
        "Mohamed": "محمد",
        "Ahmed": "أحمد",
        "Osman": "عثمان",
        "Ibrahim": "إبراهيم",
        "Abdelrahman": "عبد الرحمن",
        "Yousif": "يوسف",
        "Omer": "عمر",
        "Hamid": "حامد",
        "Adam": "آدم",
        "Fatima": "فاطمة",
        "Amna": "آمنة",
        "Aisha": "عائشة",
        "Hawa": "حواء",
        "Mariam": "مريم",
        "Samira": "سميرة",
        "Abdalla": "عبد الله",
        "Elhassan": "الحسن",
        "Ishag": "إسحاق",
        "Babiker": "بابكر",
    },
    variants={
        "Mohammed": ("Mohamed", "Muhammad"),
        "Mohamed": ("Mohammed", "Muhammad"),
        "Ahmed": ("Ahmad",),
        "Osman": ("Othman", "Usman"),
        "Yousif": ("Yousef", "Yusuf"),
        "Omer": ("Omar",),
        "Abdalla": ("Abdullah",),
        "Ishag": ("Ishaq",),
    },
    nicknames={"Abdelrahman": "Abdo", "Mohammed": "Mo"},
)
AFGHAN = Background(
    "Afghan",
    "Dari",
    {"AOTH": 1},
    ("Farid", "Ahmad", "Mohammad", "Hamid", "Jawad", "Mustafa", "Rahim", "Sohail", "Naveed", "Bilal"),
    ("Zahra", "Maryam", "Parisa", "Fatima", "Shabnam"),
    ("Ahmadi", "Karimi", "Rahimi", "Hashimi", "Sultani", "Noori", "Safi", "Amiri", "Stanikzai", "Popal"),
    exploitation=("labour", "criminal", "sexual"),
    script={
        "Farid": "فرید",
        "Ahmad": "احمد",
        "Mohammad": "محمد",
        "Hamid": "حمید",
        "Jawad": "جواد",
        "Mustafa": "مصطفی",
        "Rahim": "رحیم",
        "Sohail": "سهیل",
        "Naveed": "نوید",
        "Bilal": "بلال",
        "Zahra": "زهرا",
        "Maryam": "مریم",
        "Parisa": "پریسا",
        "Fatima": "فاطمه",
        "Shabnam": "شبنم",
        "Ahmadi": "احمدی",
        "Karimi": "کریمی",
        "Rahimi": "رحیمی",
        "Hashimi": "هاشمی",
        "Sultani": "سلطانی",
        "Noori": "نوری",
        "Safi": "صافی",
        "Amiri": "امیری",
        "Popal": "پوپل",
    },
    variants={
        "Mohammad": ("Mohammed", "Muhammad"),
        "Farid": ("Fareed",),
        "Ahmadi": ("Ahmady",),
        "Noori": ("Nouri",),
        "Naveed": ("Navid",),
        "Sohail": ("Suhail",),
    },
)
IRANIAN = Background(
    "Iranian",
    "Persian",
    {"OOTH": 2, "AOTH": 1},
    ("Reza", "Amir", "Ali", "Hossein", "Mehdi", "Arash", "Kian", "Sina"),
    ("Sara", "Nazanin", "Mina", "Shirin"),
    ("Hosseini", "Moradi", "Rezaei", "Jafari", "Karimi", "Mohammadi", "Ahmadi"),
    script={
        "Reza": "رضا",
        "Amir": "امیر",
        "Ali": "علی",
        "Hossein": "حسین",
        "Mehdi": "مهدی",
        "Arash": "آرش",
        "Kian": "کیان",
        "Sina": "سینا",
        "Sara": "سارا",
        "Nazanin": "نازنین",
        "Mina": "مینا",
        "Shirin": "شیرین",
        "Hosseini": "حسینی",
        "Moradi": "مرادی",
        "Rezaei": "رضایی",
        "Jafari": "جعفری",
        "Karimi": "کریمی",
        "Mohammadi": "محمدی",
        "Ahmadi": "احمدی",
    },
    variants={"Hossein": ("Hussein", "Husain"), "Rezaei": ("Rezai",), "Mehdi": ("Mahdi",), "Jafari": ("Jafary",)},
)
SYRIAN = Background(
    "Syrian",
    "Arabic",
    {"OOTH": 2, "AOTH": 1},
    ("Omar", "Khaled", "Ahmad", "Mahmoud", "Yazan", "Hamza", "Abdullah"),
    ("Rama", "Nour", "Layla", "Hala"),
    ("Haddad", "Khalil", "Darwish", "Suleiman", "Hamdan", "Alhassan"),
    script={
        "Omar": "عمر",
        "Khaled": "خالد",
        "Ahmad": "أحمد",
        "Mahmoud": "محمود",
        "Yazan": "يزن",
        "Hamza": "حمزة",
        "Abdullah": "عبد الله",
        "Rama": "راما",
        "Nour": "نور",
        "Layla": "ليلى",
        "Hala": "هلا",
        "Haddad": "حداد",
        "Khalil": "خليل",
        "Darwish": "درويش",
        "Suleiman": "سليمان",
        "Hamdan": "حمدان",
        "Alhassan": "الحسن",
    },
    variants={"Khaled": ("Khalid",), "Mahmoud": ("Mahmud",), "Suleiman": ("Sulaiman",), "Layla": ("Leila",)},
)
NIGERIAN = Background(
    "Nigerian",
    "English",
    {"BAFR": 1},
    ("Chukwuemeka", "Oluwaseun", "Tunde", "Ifeanyi", "Daniel", "David", "Chinedu"),
    ("Chiamaka", "Blessing", "Precious", "Adaeze", "Funmilayo", "Esther", "Ngozi"),
    ("Okafor", "Adeyemi", "Okonkwo", "Eze", "Balogun", "Nwosu", "Ogunleye"),
    exploitation=("sexual", "domestic_servitude", "criminal"),
    nicknames={"Chukwuemeka": "Emeka", "Oluwaseun": "Seun", "Chiamaka": "Amaka", "Funmilayo": "Funmi"},
    interpreter=0.05,
)
ROMANIAN = Background(
    "Romanian",
    "Romanian",
    {"WOTH": 3, "WROM": 2},
    ("Ionuț", "Andrei", "Florin", "Marius", "Ștefan", "Gabriel"),
    ("Andreea", "Ioana", "Maria", "Elena", "Bianca"),
    ("Popescu", "Ionescu", "Stan", "Dumitru", "Lăcătuș", "Rădulescu", "Munteanu"),
    exploitation=("criminal", "labour", "sexual"),
    interpreter=0.4,
)
BRITISH = Background(
    "British",
    "English",
    {"WBRI": 75, "MWBC": 10, "BCRB": 6, "MOTH": 5, "WIRT": 2, "WIRI": 2},
    ("Jayden", "Kai", "Tyler", "Riley", "Liam", "Harvey", "Mason", "Callum", "Kyle", "Alfie", "Connor", "Reece"),
    ("Chloe", "Ellie", "Jade", "Amber", "Megan", "Lacey", "Paige", "Courtney", "Holly", "Jasmine"),
    ("Smith", "Walker", "Jones", "Taylor", "Brown", "Wilson", "Robinson", "Wright", "Thompson", "Hughes", "Evans"),
    exploitation=("county_lines", "criminal", "sexual"),
    nicknames={"Jayden": "Jay", "Callum": "Cal", "Alfie": "Alf", "Jasmine": "Jas", "Courtney": "Court"},
    interpreter=0.0,
)

BACKGROUNDS = {
    "vietnamese": VIETNAMESE,
    "albanian": ALBANIAN,
    "eritrean": ERITREAN,
    "sudanese": SUDANESE,
    "afghan": AFGHAN,
    "iranian": IRANIAN,
    "syrian": SYRIAN,
    "nigerian": NIGERIAN,
    "romanian": ROMANIAN,
    "british": BRITISH,
}
BACKGROUND_WEIGHTS = {
    UASC: {"eritrean": 22, "sudanese": 20, "afghan": 20, "iranian": 10, "syrian": 8, "vietnamese": 10, "albanian": 10},
    BOTH: {"vietnamese": 30, "albanian": 20, "eritrean": 20, "sudanese": 15, "afghan": 15},
    TRAFFICKED: {"british": 45, "vietnamese": 15, "albanian": 15, "nigerian": 10, "romanian": 15},
    NEITHER: {"british": 75, "nigerian": 8, "romanian": 7, "syrian": 5, "albanian": 5},
}

# The first children are always these, so the demo shows the names of the brief whatever the seed.
# (category, background, sex, first name, last name)
SHOWCASE = [
    (UASC, "sudanese", "M", "Mohammed", "Osman"),
    (BOTH, "vietnamese", "M", "Văn An", "Nguyễn"),
    (UASC, "eritrean", "F", "Selam", "Tesfaye"),
    (TRAFFICKED, "albanian", "M", "Arbën", "Hoxha"),
    (UASC, "afghan", "M", "Farid", "Ahmadi"),
    (TRAFFICKED, "british", "M", "Jayden", "Smith"),
    (NEITHER, "british", "F", "Chloe", "Walker"),
    (TRAFFICKED, "nigerian", "F", "Chiamaka", "Okafor"),
    (BOTH, "vietnamese", "F", "Thị Mai", "Trần"),
    (BOTH, "albanian", "F", "Elira", "Krasniqi"),
    (UASC, "eritrean", "M", "Yonas", "Haile"),
]

# --- Small helpers ----------------------------------------------------------------------------------

_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
_STREETS = ("Mill Lane", "Station Road", "Church Street", "Victoria Road", "Park Avenue", "Canal Street", "High Street")


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _postcode(rng: random.Random, area: str) -> str:
    return f"{area}{rng.randint(1, 19)} {rng.randint(1, 9)}{rng.choice(_INWARD_LETTERS)}{rng.choice(_INWARD_LETTERS)}"


def _days(rng: random.Random, low: int, high: int) -> timedelta:
    return timedelta(days=rng.randint(low, max(low, high)))


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return date(day.year + years, 3, 1)


def _age(dob: date, on: date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def _upn(rng: random.Random, la_code: str) -> str:
    """A well-formed UPN: check letter, LA code, school, year and serial (DfE check-letter algorithm)."""
    digits = f"{la_code}{rng.randint(2000, 7999)}{rng.randint(10, 24):02d}{rng.randint(0, 999):03d}"
    check = sum(int(d) * weight for d, weight in zip(digits, range(2, 14), strict=True)) % 23
    return _UPN_LETTERS[check] + digits


def _strip_marks(text: str) -> str:
    """The spelling without diacritics, keeping case (Nguyễn -> Nguyen, Arbën -> Arben)."""
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def _mobile(rng: random.Random) -> str:
    return f"07700 900{rng.randint(0, 999):03d}"


def _landline(rng: random.Random) -> str:
    return f"0113 496 0{rng.randint(0, 999):03d}"


# --- One authority's generator ----------------------------------------------------------------------


@dataclass
class AuthorityPlan:
    """What the generator needs to know about the authority it is filling."""

    organisation: Organisation
    prefix: str  # Child ID prefix: NB000001
    postcode_area: str
    teams: dict[str, Team]
    default_team: Team
    worker: User | None  # the demo social worker; some children are allocated to them
    neighbour: Organisation | None  # host authority of some out-of-area placements
    neighbour_area: str
    first_responder: str
    worker_team: Team | None = None  # the demo social worker's team (looked up once)
    showcase: bool = True  # start with the SHOWCASE children
    allocated_share: float = 0.3
    restricted_every: int = 20  # every 20th child (5, 25, 45, ...) is restricted and allocated to ``worker``


@dataclass
class _Rows:
    children: list = field(default_factory=list)
    aliases: list = field(default_factory=list)
    periods: list = field(default_factory=list)
    statuses: list = field(default_factory=list)
    placements: list = field(default_factory=list)
    phones: list = field(default_factory=list)
    social: list = field(default_factory=list)
    associates: list = field(default_factory=list)
    places: list = field(default_factory=list)
    assessments: list = field(default_factory=list)

    def save(self, *, by: User | None) -> None:
        now = timezone.now()
        for model, objs in (
            (Child, self.children),
            (Alias, self.aliases),
            (PeriodOfCare, self.periods),
            (LegalStatus, self.statuses),
            (Placement, self.placements),
            (PhoneNumber, self.phones),
            (SocialMediaAccount, self.social),
            (KnownAssociate, self.associates),
            (PlaceOfConcern, self.places),
            (AgeAssessment, self.assessments),
        ):
            if objs:
                bulk_create_with_history(objs, model, batch_size=BATCH_SIZE, default_user=by, default_date=now)


def child_id(prefix: str, number: int) -> str:
    return f"{prefix}{number:06d}"


class _ChildBuilder:
    def __init__(self, plan: AuthorityPlan, seed: int, number: int, today: date, rows: _Rows):
        self.plan, self.number, self.today, self.rows = plan, number, today, rows
        self.rng = random.Random(f"{seed}:{plan.prefix}:{number}")

    # The identity ------------------------------------------------------------------------------
    def build(self) -> Child:
        rng, today, plan = self.rng, self.today, self.plan
        showcase = SHOWCASE[self.number - 1] if plan.showcase and self.number <= len(SHOWCASE) else None
        self.showcase = showcase is not None
        if showcase:
            category, bg_key, sex, first, last = showcase
        else:
            category = _weighted(rng, CATEGORY_WEIGHTS)
            bg_key = _weighted(rng, BACKGROUND_WEIGHTS[category])
        bg = BACKGROUNDS[bg_key]
        uasc = category in (UASC, BOTH)
        trafficked = category in (TRAFFICKED, BOTH)
        if not showcase:
            male_share = 0.88 if uasc else 0.65 if trafficked else 0.5
            sex = "M" if rng.random() < male_share else "F"
            given = rng.choice(bg.male if sex == "M" else bg.female)
            last = rng.choice(bg.surnames)
            first = f"{'Văn' if sex == 'M' else 'Thị'} {given}" if bg.vietnamese else given
        given = first.split()[-1]

        # Date of birth: ages 10-17 mostly; UASC 14-17, often estimated (the 15th of the month).
        ages = (
            {14: 2, 15: 4, 16: 6, 17: 4}
            if uasc
            else {8: 1, 9: 1, 10: 2, 11: 2, 12: 3, 13: 4, 14: 5, 15: 6, 16: 6, 17: 5}
        )
        age = rng.choices(list(ages), weights=list(ages.values()))[0]
        dob = today - timedelta(days=age * 365 + rng.randint(age // 4 + 1, 360))
        estimated = False
        if uasc and rng.random() < 0.7:
            candidate = dob.replace(day=15)
            if _age(candidate, today) == _age(dob, today):
                dob, estimated = candidate, True
        self.dob = dob

        child = Child(
            organisation=plan.organisation,
            la_child_id=child_id(plan.prefix, self.number),
            first_name=first,
            last_name=last,
            preferred_name="",
            sex=sex,
            date_of_birth=dob,
            dob_estimated=estimated,
            ethnicity=_weighted(rng, bg.ethnicities),
            nationality=bg.nationality,
            first_language=bg.language,
            interpreter_required=rng.random() < (bg.interpreter if uasc or trafficked else bg.interpreter / 2),
            upn="UN2" if uasc else _upn(rng, plan.organisation.la_code or "899"),
        )
        if bg is NIGERIAN and not uasc and rng.random() < 0.5:
            child.nationality = "British"
        if bg.vietnamese:
            child.preferred_name = given
        elif given in bg.nicknames and rng.random() < 0.4:
            child.preferred_name = bg.nicknames[given]
        if sex == "F":
            child.is_mother = False
            if age >= 15 and rng.random() < 0.06:
                earliest = max(_add_years(dob, 14), today - timedelta(days=700))
                child.is_mother = True
                child.first_child_date_of_birth = earliest + _days(rng, 0, (today - earliest).days - 30)
        self._describe(child, age)
        self._allocate(child, category)

        care_start = self._care_start(child, uasc, age)
        if uasc:
            self._uasc(child, bg, care_start)
        if trafficked:
            self._trafficking(child, bg, care_start)
        aliases = self._aliases(child, bg, first, last)
        child.search_names, child.name_keys = search.index_fields(
            [child.first_name, child.last_name, child.preferred_name, *(a.name for a in aliases)]
        )
        self.rows.children.append(child)
        self.rows.aliases.extend(aliases)
        self._care_history(child, uasc, trafficked, care_start)
        if self.number <= DETAIL_LIMIT:
            self._details(child, trafficked)
        return child

    def _describe(self, child: Child, age: int) -> None:
        rng = self.rng
        base = 140 + min(age, 16) * 2 if child.sex == "F" else 135 + min(age, 17) * 3
        child.height = f"{base + rng.randint(-6, 12)} cm"
        child.build = rng.choice(["Slim", "Slight", "Medium", "Stocky", "Athletic", "Tall and thin"])
        child.hair = rng.choice(
            ["Short black hair", "Black hair, shaved at the sides", "Long dark brown hair, often tied back",
             "Curly black hair", "Light brown hair", "Dyed blonde hair", "Ginger hair", "Braided black hair"]
        )  # fmt: skip
        child.eyes = rng.choice(["Brown", "Dark brown", "Hazel", "Blue", "Green", "Grey"])
        if rng.random() < 0.4:
            child.distinguishing_marks = rng.choice(
                ["Scar above the left eyebrow", "Small tattoo of a star on the right wrist", "Pierced left ear",
                 "Burn mark on the back of the right hand", "Birthmark on the neck", "Chipped front tooth"]
            )  # fmt: skip
        if rng.random() < 0.6:
            child.clothing_notes = rng.choice(
                ["Usually wears a black puffer jacket and grey tracksuit", "Often wears a red baseball cap",
                 "Wears a school uniform on weekdays", "Black hoodie, white trainers", "Carries a small blue backpack"]
            )  # fmt: skip

    def _allocate(self, child: Child, category: str) -> None:
        plan = self.plan
        restricted = plan.worker is not None and self.number % plan.restricted_every == 5
        if restricted or (plan.worker is not None and self.rng.random() < plan.allocated_share):
            child.allocated_social_worker = plan.worker
            child.team = plan.worker_team or plan.default_team
            child.restricted = restricted
            return
        name = {UASC: TEAM_UASC, BOTH: TEAM_UASC, TRAFFICKED: TEAM_EXPLOITATION}.get(category, TEAM_CARE)
        child.team = plan.teams.get(name, plan.default_team)

    def _care_start(self, child: Child, uasc: bool, age: int) -> date:
        rng, today, dob = self.rng, self.today, child.date_of_birth
        if uasc:
            earliest = max(_add_years(dob, 13), today - timedelta(days=4 * 365))
            return earliest + _days(rng, 0, (today - earliest).days - 3)
        entry_age = rng.randint(max(0, age - 6), age)
        start = _add_years(dob, entry_age) + _days(rng, 0, 300)
        return min(max(start, dob + timedelta(days=1), today - timedelta(days=6 * 365)), today - timedelta(days=14))

    def _uasc(self, child: Child, bg: Background, care_start: date) -> None:
        rng, today = self.rng, self.today
        child.is_uasc = True
        child.arrival_date = care_start - _days(rng, 0, 2)
        claim = child.arrival_date + _days(rng, 1, 40)
        child.asylum_claim_date = claim if claim <= today else None
        child.home_office_reference = f"{rng.choice('ABCDEFGHJKLMNPRSTW')}{rng.randint(1_000_000, 9_999_999)}"
        child.age_disputed = rng.random() < 0.15
        waited = (today - claim).days
        if waited > 365:
            child.immigration_status = _weighted(
                rng,
                {
                    ImmigrationStatus.ASYLUM_CLAIM_PENDING: 30,
                    ImmigrationStatus.REFUGEE_STATUS: 30,
                    ImmigrationStatus.UASC_LEAVE: 15,
                    ImmigrationStatus.HUMANITARIAN_PROTECTION: 10,
                    ImmigrationStatus.REFUSED_APPEAL_PENDING: 15,
                },
            )
        else:
            child.immigration_status = ImmigrationStatus.ASYLUM_CLAIM_PENDING

    def _trafficking(self, child: Child, bg: Background, care_start: date) -> None:
        rng, today = self.rng, self.today
        identified = rng.random() < 0.45
        child.trafficking_status = TraffickingStatus.IDENTIFIED if identified else TraffickingStatus.SUSPECTED
        child.exploitation_types = sorted(rng.sample(bg.exploitation, rng.choice([1, 1, 2])))
        if not (identified or rng.random() < 0.6):
            return
        referral = care_start + _days(rng, 0, min(180, (today - care_start).days))
        child.nrm_referral_date = referral
        child.nrm_first_responder = rng.choice(
            [
                self.plan.first_responder,
                f"{self.plan.organisation.name.split()[0]} Police",
                "Home Office",
                "Border Force",
            ]
        )
        child.nrm_reference = f"NRM{rng.randint(10_000_000, 99_999_999)}"
        rg_on = referral + _days(rng, 2, 30)
        if rg_on > today:
            child.reasonable_grounds = NrmDecision.PENDING
            return
        positive = rng.random() < (0.95 if identified else 0.7)
        child.reasonable_grounds = NrmDecision.POSITIVE if positive else NrmDecision.NEGATIVE
        child.reasonable_grounds_date = rg_on
        if not positive:
            return
        cg_on = rg_on + _days(rng, 150, 540)
        if cg_on > today:
            child.conclusive_grounds = NrmDecision.PENDING if rng.random() < 0.7 else ""
            return
        child.conclusive_grounds = NrmDecision.POSITIVE if rng.random() < 0.85 else NrmDecision.NEGATIVE
        child.conclusive_grounds_date = cg_on

    def _aliases(self, child: Child, bg: Background, first: str, last: str) -> list[Alias]:
        rng = self.rng
        given = first.split()[-1]
        names: list[tuple[str, str]] = []
        if bg.vietnamese:
            if rng.random() < 0.7 or self.showcase:
                names.append((f"{_strip_marks(last)} {_strip_marks(first)}", AliasKind.SPELLING))
            if given in bg.nicknames and rng.random() < 0.2:
                names.append((bg.nicknames[given], AliasKind.ALIAS))
        else:
            plain = f"{_strip_marks(first)} {_strip_marks(last)}"
            if plain != f"{first} {last}" and (rng.random() < 0.7 or self.showcase):
                names.append((plain, AliasKind.SPELLING))
            if bg.script and (rng.random() < 0.6 or self.showcase):
                native = " ".join(bg.script[n] for n in (first, last) if n in bg.script)
                if native:
                    names.append((native, AliasKind.ORIGINAL_SCRIPT))
            for name, other in ((first, last), (last, first)):
                if name in bg.variants and (rng.random() < 0.5 or self.showcase):
                    for variant in bg.variants[name][: 2 if self.showcase else rng.randint(1, 2)]:
                        spelled = f"{variant} {other}" if name == first else f"{first} {variant}"
                        names.append((spelled, AliasKind.SPELLING))
            if bg is BRITISH and rng.random() < 0.05:
                names.append((rng.choice(["Little J", "Tiny", "Snowy", "K-Dog"]), AliasKind.ALIAS))
        seen = {f"{first} {last}"}
        aliases = []
        for name, kind in names:
            if name not in seen:
                seen.add(name)
                aliases.append(Alias(child=child, name=name, kind=kind))
        return aliases

    # Care history ------------------------------------------------------------------------------
    def _care_history(self, child: Child, uasc: bool, trafficked: bool, care_start: date) -> None:
        rng, today = self.rng, self.today
        periods: list[tuple[date, date | None, str]] = []  # (start, end, reason ceased)
        start = care_start
        if not uasc and (today - start).days > 800 and rng.random() < 0.15:
            end = start + _days(rng, 90, 400)
            periods.append((start, end, rng.choice(["E4A", "E4A", "E13", "E4B"])))
            start = end + _days(rng, 60, 300)
            start = min(start, today - timedelta(days=7))
        end = None
        reason = ""
        if (today - start).days > 90 and rng.random() < 0.12:
            end = start + _days(rng, 60, (today - start).days - 1)
            if uasc and child.age_disputed:
                reason = "E15"
                child.uasc_ceased_date = end
            else:
                reason = rng.choice(["E4A", "E13", "E8", "E41", "E45"] + (["E5"] if _age(self.dob, end) >= 16 else []))
        periods.append((start, end, reason))
        if uasc and child.age_disputed and self.number <= DETAIL_LIMIT and (today - care_start).days > 30:
            adult = reason == "E15"
            self.rows.assessments.append(
                AgeAssessment(
                    child=child,
                    assessed_on=end if adult else care_start + _days(rng, 21, min(120, (today - care_start).days - 1)),
                    assessed_date_of_birth=_add_years(child.date_of_birth, -rng.randint(2, 4)) if adult else None,
                    outcome="Assessed as 18 or over"
                    if adult
                    else "Assessed as under 18; claimed date of birth accepted",
                    merton_compliant=True,
                    assessed_by="Two age assessment social workers, with an interpreter and an appropriate adult",
                )
            )

        placements_left = rng.choices([1, 2, 3, 4], weights=[30, 35, 22, 13])[0]
        home = "" if uasc else _postcode(rng, self.plan.postcode_area)
        cin = "N8" if uasc else rng.choices(["N1", "N4", "N5", "N6", "N2", "N3"], weights=[55, 12, 15, 12, 3, 3])[0]
        for index, (p_start, p_end, p_reason) in enumerate(periods):
            last_period = index == len(periods) - 1
            self.rows.periods.append(
                PeriodOfCare(
                    child=child,
                    start_date=p_start,
                    end_date=p_end,
                    category_of_need=cin,
                    home_postcode=home,
                    reason_ceased=p_reason,
                )
            )
            stop = p_end or today
            self._legal_statuses(child, uasc, trafficked, p_start, p_end, stop)
            count = placements_left if last_period else 1
            placements_left = max(1, placements_left - count)
            self._placements(child, trafficked, p_start, p_end, stop, count)
            final = self.rows.placements[-1]
            if p_reason in ("E45", "E46") and not final.place.startswith("U"):
                # A special guardianship order to a former foster carer needs a foster placement (903 rule 516).
                self.rows.periods[-1].reason_ceased = "E41"

    def _splits(self, start: date, stop: date, n: int) -> list[date]:
        """``n`` boundaries: ``start`` and n-1 distinct later days strictly before ``stop`` (7+ days apart)."""
        span = (stop - start).days
        n = max(1, min(n, span // 7))
        if n == 1:
            return [start]
        offsets = sorted(self.rng.sample(range(1, span), n - 1))
        return [start, *(start + timedelta(days=o) for o in offsets)]

    def _legal_statuses(self, child, uasc, trafficked, start, end, stop) -> None:
        rng = self.rng
        if uasc:
            codes = ["V2"]
        else:
            codes = rng.choices(
                [["C2"], ["C1", "C2"], ["V2"], ["L1", "V2"], ["L2", "C1", "C2"]],
                weights=[25, 35, 25, 10 if trafficked else 5, 5],
            )[0]
        span = (stop - start).days
        if len(codes) > 1 and span < 30:
            codes = codes[-1:]
        starts = [start]
        if len(codes) > 1:
            if codes[0] in ("L1", "L2"):  # police protection or an emergency order lasts days
                starts.append(start + timedelta(days=rng.randint(1, 3)))
            if "C1" in codes and codes[-1] == "C2":
                last = starts[-1]
                starts.append(last + _days(rng, 14, min(280, (stop - last).days - 1)))
            if len(starts) != len(codes) or starts[-1] >= stop:
                codes, starts = codes[-1:], [start]
        for i, (code, s) in enumerate(zip(codes, starts, strict=True)):
            e = starts[i + 1] if i + 1 < len(starts) else end
            self.rows.statuses.append(LegalStatus(child=child, code=code, start_date=s, end_date=e))

    def _placements(self, child, trafficked, start, end, stop, count) -> None:
        rng, plan = self.rng, self.plan
        starts = self._splits(start, stop, count)
        previous = None
        for i, s in enumerate(starts):
            e = starts[i + 1] if i + 1 < len(starts) else end
            age = _age(child.date_of_birth, s)
            out_of_area = rng.random() < (0.45 if trafficked else 0.2)
            if age >= 16 and rng.random() < 0.4:
                place = "K3"
            elif out_of_area and rng.random() < 0.6 or (trafficked and rng.random() < 0.3):
                place = "K2"
            else:
                place = rng.choice(["U4", "U6", "U6"])
            placement = Placement(child=child, place=place, start_date=s, end_date=e)
            foster = place in ("U4", "U6")
            if out_of_area:
                neighbour = plan.neighbour is not None and rng.random() < 0.6
                placement.out_of_area = True
                placement.host_authority = plan.neighbour if neighbour else None
                placement.postcode = _postcode(rng, plan.neighbour_area if neighbour else "ZX")
                placement.provider = "PR4"
            else:
                placement.postcode = _postcode(rng, plan.postcode_area)
                placement.provider = "PR1" if foster and rng.random() < 0.7 else "PR4"
            placement.urn = f"SC{rng.randint(0, 999_999):06d}"
            if foster:
                if previous is not None and previous.place == "U6" and place == "U4" and rng.random() < 0.5:
                    placement.carer_reference = previous.carer_reference  # same carer, now long term
                    placement.carer_name = previous.carer_name
                    placement.carer_phone = previous.carer_phone
                    placement.postcode, placement.provider = previous.postcode, previous.provider
                    placement.host_authority, placement.out_of_area = previous.host_authority, previous.out_of_area
                    placement.urn = previous.urn
                    previous.reason_for_change = "PLACE"
                else:
                    placement.carer_reference = f"FC{rng.randint(1000, 9999)}"
                    placement.carer_name = f"{rng.choice(['Mr and Mrs', 'Ms', 'Mrs', 'Mr'])} {rng.choice(_CARERS)}"
                    placement.carer_phone = _landline(rng)
            else:
                placement.carer_name = rng.choice(["Oakfield House", "The Willows", "Riverside Lodge", "Beacon House"])
                placement.carer_phone = _landline(rng)
            placement.address = f"{rng.randint(1, 180)} {rng.choice(_STREETS)}"
            if previous is not None and not previous.reason_for_change:
                previous.reason_for_change = rng.choices(
                    ["CARPL", "CREQB", "CREQO", "CHILD", "STAND", "CLOSE", "LAREQ", "OTHER"],
                    weights=[35, 20, 8, 15, 5, 7, 5, 5],
                )[0]
            self.rows.placements.append(placement)
            previous = placement

    def _details(self, child: Child, trafficked: bool) -> None:
        rng, rows = self.rng, self.rows
        if rng.random() < 0.5:
            rows.phones.append(PhoneNumber(child=child, number=_mobile(rng), notes="Child's own mobile"))
        if rng.random() < 0.25:
            platform = rng.choice(["Snapchat", "Instagram", "TikTok", "WhatsApp"])
            handle = f"{_strip_marks(child.first_name.split()[-1]).lower()}{rng.randint(1, 99)}"
            rows.social.append(SocialMediaAccount(child=child, platform=platform, handle=handle))
        if trafficked and rng.random() < 0.6:
            rows.associates.append(
                KnownAssociate(
                    child=child,
                    name=rng.choice(["Unknown male known as 'Mo'", "Older man called 'Uncle'", "Driver of a grey car"]),
                    relationship=rng.choice(["Suspected exploiter", "Older 'boyfriend'", "Associate"]),
                    notes="Seen collecting the child near the placement. Shared with the police.",
                )
            )
            if rng.random() < 0.5:
                rows.associates.append(
                    KnownAssociate(child=child, name=f"{rng.choice(_FRIENDS)}", relationship="Friend", notes="")
                )
        if trafficked and rng.random() < 0.5:
            name, notes = rng.choice(_PLACES)
            address = f"{rng.randint(1, 120)} {rng.choice(_STREETS)}, {_postcode(rng, self.plan.postcode_area)}"
            rows.places.append(PlaceOfConcern(child=child, name=name, address=address, notes=notes))


_CARERS = ("Bennett", "Carter", "Doyle", "Ellis", "Fraser", "Gill", "Hart", "Iqbal", "Kaur", "Lloyd", "Nolan", "Reid")
_FRIENDS = ("Tyrese (friend from college)", "Dan (lives on the estate)", "Amira (school friend)", "Lee (cousin)")
_PLACES = (
    ("Car wash", "Child has been seen working here late at night."),
    ("Nail bar", "Reported as a place the child was taken to work."),
    ("Takeaway", "Child has been seen here with older men."),
    ("Railway station", "Used to travel to other towns; seen with unknown adults."),
    ("Flat above the shops", "Suspected cuckooed address."),
)


# --- Entry point ------------------------------------------------------------------------------------


def existing_demo_ids(organisation: Organisation, prefix: str) -> set[str]:
    return set(
        Child.objects.filter(organisation=organisation, la_child_id__startswith=prefix).values_list(
            "la_child_id", flat=True
        )
    )


def seed_children(
    plan: AuthorityPlan,
    *,
    count: int,
    seed: int,
    by: User | None,
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
) -> int:
    """Create the demo children numbered 1..``count`` that the authority does not have yet. Returns how many.

    Each chunk of children is one transaction. On PostgreSQL, outside a transaction, large loads are split
    across ``workers`` processes (default: one per CPU, at most 4); the children are the same either way.
    """
    if not 0 <= count <= MAX_CHILDREN:
        raise ValueError(f"The number of demo children must be between 0 and {MAX_CHILDREN}")
    today = today or date.today()
    have = existing_demo_ids(plan.organisation, plan.prefix)
    wanted = [n for n in range(1, count + 1) if child_id(plan.prefix, n) not in have]
    chunks = [wanted[i : i + CHUNK] for i in range(0, len(wanted), CHUNK)]
    workers = workers if workers is not None else min(4, os.cpu_count() or 1)
    parallel = workers > 1 and len(chunks) > 2 and connection.vendor == "postgresql" and not connection.in_atomic_block
    job = _Job(plan=plan, seed=seed, today=today, by=by)
    done = 0
    for written in _run_parallel(job, chunks, workers) if parallel else map(job, chunks):
        done += written
        if progress:
            progress(done)
    if len(wanted) >= 1000 and connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # fresh planner statistics after a bulk load
            for model in (Child, Alias, PeriodOfCare, LegalStatus, Placement):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
    return len(wanted)


@dataclass
class _Job:
    plan: AuthorityPlan
    seed: int
    today: date
    by: User | None

    def __call__(self, numbers: list[int]) -> int:
        rows = _Rows()
        for number in numbers:
            _ChildBuilder(self.plan, self.seed, number, self.today, rows).build()
        with transaction.atomic():
            rows.save(by=self.by)
        return len(numbers)


_FORKED_JOB: _Job | None = None


def _run_forked(numbers: list[int]) -> int:
    assert _FORKED_JOB is not None
    return _FORKED_JOB(numbers)


def _run_parallel(job: _Job, chunks: list[list[int]], workers: int):
    """Forked worker processes, each with its own database connection (the parent's is closed first)."""
    global _FORKED_JOB
    _FORKED_JOB = job
    connections.close_all()
    context = multiprocessing.get_context("fork")
    try:
        with context.Pool(workers, initializer=connections.close_all) as pool:
            yield from pool.imap_unordered(_run_forked, chunks)
    finally:
        _FORKED_JOB = None
