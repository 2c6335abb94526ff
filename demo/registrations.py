"""Demo registrations of AFSE 2009 Tokyo: settings, ticket types with fair fees, questions,
seats on the fact-finding visits and a few hundred participants from the countries that came.

Runs at every test database setup: written with bulk_create, deterministic (a seeded random
generator), idempotent (nothing happens once the edition has ticket types).
"""

import csv
import datetime
import random
import zoneinfo
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model

import registration as registration_app
from demo.translations import translate_demo_registration
from forum.enums import OrganizationKind
from forum.models import Edition
from forum.questions import QuestionKind
from registration.enums import (
    IncomeGroup,
    LetterStatus,
    PaymentStatus,
    RegistrationStatus,
    SignupStatus,
    WaiverKind,
    WaiverStatus,
)
from registration.models import (
    PAYMENT_CODE_ALPHABET,
    Answer,
    CountryIncomeGroup,
    PassportDetails,
    Question,
    Registration,
    RegistrationSettings,
    SessionCapacity,
    SessionSignup,
    TicketType,
    VisaLetter,
    payment_reference_prefix,
)
from sessions_app.enums import SessionKind, SessionStatus
from sessions_app.models import Session

# The table registration ships (and loads in a migration), read again after a test empties it.
INCOME_TABLE = Path(registration_app.__file__).resolve().parent / "data" / "income_groups.csv"
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
PARTICIPANT_USERNAME = "tokyo-participant"

# name, capacity, fees (high, upper-middle, lower-middle, low), approval, drafting, colour
TICKET_TYPES = [
    ("Delegate", 260, (20000, 10000, 5000, 0), False, True, "#1d5c4d"),
    ("Observer", 40, (15000, 8000, 4000, 0), False, False, "#1e40af"),
    ("Speaker", 60, (0, 0, 0, 0), True, True, "#9a3412"),
    ("Volunteer", 30, (0, 0, 0, 0), True, False, "#6b21a8"),
    ("Press", 20, (0, 0, 0, 0), True, False, "#374151"),
]
# How many demo registrations of each ticket type.
COUNTS = {"Delegate": 220, "Observer": 52, "Speaker": 24, "Volunteer": 16, "Press": 10}

# country: (given names, family names, native names and their language)
PEOPLE = {
    "JP": (
        ["Hanako", "Taro", "Yuki", "Kenji", "Aiko", "Hiroshi", "Mariko", "Satoshi"],
        ["Yamada", "Suzuki", "Tanaka", "Sato", "Ito", "Watanabe", "Nakamura", "Kobayashi"],
        (
            ["花子", "太郎", "由紀", "健二", "愛子", "浩", "真理子", "聡"],
            ["山田", "鈴木", "田中", "佐藤", "伊藤", "渡辺", "中村", "小林"],
            "ja",
        ),
    ),
    "KR": (
        ["Minji", "Jihoon", "Seoyeon", "Dongwook", "Eunji", "Sungmin"],
        ["Kim", "Lee", "Park", "Choi", "Jung", "Kang"],
        (
            ["민지", "지훈", "서연", "동욱", "은지", "성민"],
            ["김", "이", "박", "최", "정", "강"],
            "ko",
        ),
    ),
    "TH": (
        ["Somchai", "Suda", "Niran", "Malee", "Anan", "Ploy"],
        ["Srisuk", "Wongsa", "Chaiyaporn", "Thongdee", "Rattana", "Kaewmanee"],
        (
            ["สมชาย", "สุดา", "นิรันดร์", "มาลี", "อนันต์", "พลอย"],
            ["ศรีสุข", "วงศ์ษา", "ไชยพร", "ทองดี", "รัตนา", "แก้วมณี"],
            "th",
        ),
    ),
    "NP": (
        ["Sita", "Ram", "Gita", "Bikash", "Anita", "Suman"],
        ["Sharma", "Shrestha", "Gurung", "Tamang", "Adhikari", "Rai"],
        (
            ["सीता", "राम", "गीता", "विकास", "अनिता", "सुमन"],
            ["शर्मा", "श्रेष्ठ", "गुरुङ", "तामाङ", "अधिकारी", "राई"],
            "ne",
        ),
    ),
    "IN": (
        ["Priya", "Arjun", "Lakshmi", "Ravi", "Meena", "Sanjay"],
        ["Patel", "Nair", "Iyer", "Das", "Reddy", "Bhatt"],
        (
            ["प्रिया", "अर्जुन", "लक्ष्मी", "रवि", "मीना", "संजय"],
            ["पटेल", "नायर", "अय्यर", "दास", "रेड्डी", "भट्ट"],
            "hi",
        ),
    ),
    "ID": (
        ["Siti", "Budi", "Dewi", "Agus", "Rina"],
        ["Santoso", "Wijaya", "Lestari", "Hidayat"],
        None,
    ),
    "MY": (
        ["Aisyah", "Ahmad", "Mei Ling", "Rajesh", "Nurul"],
        ["Abdullah", "Tan", "Lim", "Ismail"],
        None,
    ),
    "PH": (
        ["Maria", "Jose", "Ana", "Ramon", "Liza"],
        ["Santos", "Reyes", "Cruz", "Bautista"],
        None,
    ),
    "FR": (
        ["Claire", "Julien", "Sophie", "Marc"],
        ["Martin", "Bernard", "Dubois", "Laurent"],
        None,
    ),
    "CA": (["Emily", "Daniel", "Chloe", "Liam"], ["Tremblay", "Roy", "Gagnon", "Smith"], None),
    "LU": (["Anne", "Luc", "Marie"], ["Weber", "Schmit", "Muller"], None),
    "AU": (["Olivia", "Jack", "Grace", "Noah"], ["Wilson", "Taylor", "Brown", "Walker"], None),
}
# Rough shares of the countries (Japan hosts; South Korea came for the first time).
COUNTRY_WEIGHTS = {
    "JP": 30, "KR": 10, "TH": 8, "NP": 6, "IN": 8, "ID": 8, "MY": 8, "PH": 10,
    "FR": 4, "CA": 3, "LU": 2, "AU": 3,
}  # fmt: skip
VISA_COUNTRIES = {"NP", "IN", "ID", "PH"}
ORGANIZATIONS = [
    ("Workers' Cooperative Union", OrganizationKind.COOPERATIVE),
    ("Consumer Cooperative", OrganizationKind.COOPERATIVE),
    ("Fair Trade Network", OrganizationKind.FAIR_TRADE),
    ("Community Credit Union", OrganizationKind.SOCIAL_FINANCE),
    ("Women's Self-Help Federation", OrganizationKind.WOMENS_SHG),
    ("Social Enterprise Forum", OrganizationKind.SOCIAL_ENTERPRISE),
    ("Solidarity Economy Institute", OrganizationKind.ACADEMIC),
    ("Labour Union Council", OrganizationKind.LABOUR_UNION),
    ("Mutual Aid Society", OrganizationKind.MUTUAL),
    ("Neighbourhood Association", OrganizationKind.COMMUNITY),
    ("Development NGO", OrganizationKind.NONPROFIT),
]
ORGANIZATIONS_JA = {
    "Workers' Cooperative Union": "労働者協同組合連合会",
    "Consumer Cooperative": "生活協同組合",
    "Fair Trade Network": "フェアトレード・ネットワーク",
    "Community Credit Union": "地域信用組合",
    "Social Enterprise Forum": "社会的企業フォーラム",
    "Labour Union Council": "労働組合協議会",
    "Neighbourhood Association": "町内会",
}
QUESTIONS = [
    (
        "Which fact-finding visit interests you most?",
        QuestionKind.CHOICE,
        "Workers' cooperatives in Tama\nA consumer cooperative's farm\nAn NPO bank",
        False,
    ),
    ("Will you join the welcome dinner on 7 November?", QuestionKind.CHECKBOX, "", False),
    ("What do you hope to bring back to your organization?", QuestionKind.TEXT, "", False),
]


def ensure_income_groups() -> None:
    """The shipped income table (loaded by a migration; again here if a test emptied it)."""
    if CountryIncomeGroup.objects.exists():
        return
    with INCOME_TABLE.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        CountryIncomeGroup.objects.bulk_create(
            [
                CountryIncomeGroup(country=r["country"], income_group=r["income_group"])
                for r in rows
            ],
            ignore_conflicts=True,
        )


# How to pay at the demo edition (a made-up account: the bank code is the documentation's).
PAYMENT_DETAILS = {
    "bank_account_holder": "AFSE 2009 Preparatory Committee",
    "bank_account": "Ordinary account 1234567, branch 001",
    "bank_swift": "MHCBJPJT",
    "bank_name": "Mizuho Bank, Ikebukuro branch, Tokyo, Japan",
    "on_site_payment": "Cash in yen at the registration desk, 8:30 to 10:00 on 7 November.",
}


def ensure_payment_instructions(edition: Edition) -> None:
    """Give a demo built before payment details existed its bank details (empty fields only)."""
    row = RegistrationSettings.objects.filter(edition=edition).first()
    if row is None:
        return
    changed = [name for name, value in PAYMENT_DETAILS.items() if not getattr(row, name)]
    for name in changed:
        setattr(row, name, PAYMENT_DETAILS[name])
    if changed:
        row.save()
    translate_demo_registration(edition)


def build_demo_closed_registration(edition: Edition) -> bool:
    """The 2007 forum's registration dates, long past: its page says registration is closed.
    True if created."""
    manila = zoneinfo.ZoneInfo("Asia/Manila")
    _row, created = RegistrationSettings.objects.get_or_create(
        edition=edition,
        defaults={
            "opens_at": datetime.datetime(2007, 6, 1, 9, 0, tzinfo=manila),
            "closes_at": datetime.datetime(2007, 10, 10, 18, 0, tzinfo=manila),
            "currency": "USD",
        },
    )
    return created


def build_demo_registrations(edition: Edition) -> bool:
    """Add the demo ticket types, fee groups and registrations; True if anything was created."""
    ensure_income_groups()
    if TicketType.objects.filter(edition=edition).exists():
        ensure_payment_instructions(edition)
        return False
    RegistrationSettings.objects.update_or_create(
        edition=edition,
        defaults={
            "opens_at": datetime.datetime(2009, 4, 1, 9, 0, tzinfo=TOKYO),
            # Left open so that the demo shows the form; the real one closed on 31 October.
            "closes_at": None,
            "currency": "JPY",
            "letterhead": "AFSE 2009 Preparatory Committee\n"
            "c/o Japan Workers' Cooperative Union\n1-2-3 Ikebukuro, Toshima-ku, Tokyo, Japan",
            "letter_signatory": "Chair, AFSE 2009 Preparatory Committee",
            "payment_instructions": "Pay by bank transfer to the AFSE 2009 account, giving your "
            "reference, or in cash at the registration desk.",
            "contact_email": "registration@afse2009.example.org",
            **PAYMENT_DETAILS,
        },
    )
    tickets = TicketType.objects.bulk_create(
        TicketType(
            edition=edition,
            name=name,
            capacity=capacity,
            fee_high=Decimal(fees[0]),
            fee_upper_middle=Decimal(fees[1]),
            fee_lower_middle=Decimal(fees[2]),
            fee_low=Decimal(fees[3]),
            requires_approval=approval,
            allows_drafting=drafting,
            colour=colour,
            position=position,
        )
        for position, (name, capacity, fees, approval, drafting, colour) in enumerate(TICKET_TYPES)
    )
    questions = Question.objects.bulk_create(
        Question(edition=edition, label=label, kind=kind, choices=choices, required=req, position=i)
        for i, (label, kind, choices, req) in enumerate(QUESTIONS)
    )
    translate_demo_registration(edition)
    visits = list(
        Session.objects.filter(edition=edition, kind=SessionKind.VISIT).exclude(
            status=SessionStatus.CANCELLED
        )
    )
    SessionCapacity.objects.bulk_create(
        SessionCapacity(session=visit, capacity=25) for visit in visits
    )
    registrations = _registrations(edition, tickets)
    _details(registrations, questions, visits)
    _participant_account(edition, tickets[0], visits)
    return True


def demo_payment_reference(edition: Edition, number: int) -> str:
    """The payment reference of the demo's participant `number`: the same on every build."""
    rng = random.Random(f"pay-{number}")  # noqa: S311 - demo data, deterministic on purpose
    code = "".join(rng.choice(PAYMENT_CODE_ALPHABET) for _ in range(5))
    return f"{payment_reference_prefix(edition)}-{code}"


def _registrations(edition: Edition, tickets: list[TicketType]) -> list[Registration]:
    rng = random.Random(2009)  # noqa: S311 - demo data, deterministic on purpose
    income = dict(CountryIncomeGroup.objects.values_list("country", "income_group"))
    countries = list(COUNTRY_WEIGHTS)
    weights = list(COUNTRY_WEIGHTS.values())
    start = datetime.datetime(2009, 4, 2, 10, 0, tzinfo=TOKYO)
    rows = []
    receipts = 0
    number = 0
    for ticket in tickets:
        confirmed = 0
        for index in range(COUNTS[ticket.name]):
            number += 1
            country = rng.choices(countries, weights)[0]
            given, family, native = PEOPLE[country]
            g, f = rng.randrange(len(given)), rng.randrange(len(family))
            org_name, org_kind = rng.choice(ORGANIZATIONS)
            group = income.get(country, IncomeGroup.HIGH)
            fee = ticket.fee_for(group)
            moment = start + datetime.timedelta(hours=number * 11)
            # Most confirmed; a few of each kind of state to show.
            if ticket.requires_approval and index % 6 == 5:
                status = RegistrationStatus.PENDING_APPROVAL
            elif index % 40 == 17:
                status = RegistrationStatus.CANCELLED
            elif index % 50 == 23:
                status = RegistrationStatus.UNCONFIRMED
            elif ticket.capacity is not None and confirmed >= ticket.capacity:
                status = RegistrationStatus.WAITLISTED
            else:
                status = RegistrationStatus.CONFIRMED
            if status == RegistrationStatus.CONFIRMED:
                confirmed += 1
            registration = Registration(
                edition=edition,
                ticket_type=ticket,
                reference=f"AFSE09-{number:04d}",
                # Fixed, so that the sample bank statement in demo/ matches them.
                transfer_reference=demo_payment_reference(edition, number),
                status=status,
                email=f"demo-participant{number:03d}@example.org",
                name=f"{given[g]} {family[f]}",
                country=country,
                organization_name=f"{org_name} of {country}",
                organization_kind=org_kind,
                language="ja" if country == "JP" else "en",
                languages_spoken="Japanese, English" if country == "JP" else "English",
                interpretation_needs="Japanese ↔ English" if rng.random() < 0.3 else "",
                dietary_needs=rng.choice(["", "", "", "Vegetarian", "Halal", "No pork"]),
                arrival_date=datetime.date(2009, 11, rng.choice([5, 6, 6, 7])),
                departure_date=datetime.date(2009, 11, rng.choice([10, 11, 11, 12])),
                needs_visa_letter=country in VISA_COUNTRIES and rng.random() < 0.6,
                public_listing=rng.random() < 0.7,
                income_group=group,
                fee=fee,
                currency="JPY",
                email_confirmed_at=None if status == RegistrationStatus.UNCONFIRMED else moment,
                waitlisted_at=moment if status == RegistrationStatus.WAITLISTED else None,
                cancelled_at=moment if status == RegistrationStatus.CANCELLED else None,
            )
            if native:
                native_given, native_family, language = native
                registration.name_native = (
                    f"{native_family[f]} {native_given[g]}"
                    if language in ("ja", "ko")
                    else f"{native_given[g]} {native_family[f]}"
                )
                registration.name_native_language = language
                if language == "ja" and org_name in ORGANIZATIONS_JA:
                    registration.organization_name_native = ORGANIZATIONS_JA[org_name]
            if status == RegistrationStatus.CONFIRMED and fee > 0:
                roll = rng.random()
                if roll < 0.55:
                    receipts += 1
                    registration.payment_status = PaymentStatus.PAID
                    registration.amount_paid = fee
                    registration.paid_at = moment + datetime.timedelta(days=3)
                    registration.receipt_number = f"{edition.slug}-R{receipts:04d}"
                    registration.payment_reference = f"BANK-{number:05d}"
                elif roll < 0.7 and group in (IncomeGroup.LOWER_MIDDLE, IncomeGroup.LOW):
                    registration.waiver_kind = WaiverKind.WAIVER
                    registration.waiver_reason = "Our cooperative cannot pay travel and the fee."
                    registration.waiver_status = WaiverStatus.GRANTED
                    registration.waiver_amount = fee
                elif roll < 0.8:
                    registration.waiver_kind = WaiverKind.SUBSIDY
                    registration.waiver_reason = "Travel from far away takes most of our budget."
                    registration.waiver_status = WaiverStatus.REQUESTED
                    registration.payment_status = PaymentStatus.DUE
                else:
                    registration.payment_status = PaymentStatus.DUE
            rows.append(registration)
    return Registration.objects.bulk_create(rows)


def _details(registrations: list[Registration], questions: list[Question], visits) -> None:
    rng = random.Random(1109)  # noqa: S311 - demo data, deterministic on purpose
    visit_choice, dinner, hope = questions
    answers, passports, letters, signups = [], [], [], []
    seats_taken = dict.fromkeys((v.pk for v in visits), 0)
    for i, registration in enumerate(registrations):
        answers.append(
            Answer(
                registration=registration,
                question=visit_choice,
                value=rng.choice(visit_choice.choice_list),
            )
        )
        answers.append(
            Answer(registration=registration, question=dinner, value=rng.choice(["yes", ""]))
        )
        if i % 3 == 0:
            answers.append(
                Answer(
                    registration=registration,
                    question=hope,
                    value="Ideas for financing our cooperative.",
                )
            )
        if registration.needs_visa_letter:
            passports.append(
                PassportDetails(
                    registration=registration,
                    full_name=registration.name.upper(),
                    passport_number=f"X{1000000 + i}",
                    nationality=registration.country,
                    date_of_birth=datetime.date(1960 + i % 30, 1 + i % 12, 1 + i % 28),
                    passport_expiry=datetime.date(2014, 1 + i % 12, 1 + i % 28),
                )
            )
            letters.append(
                VisaLetter(
                    registration=registration,
                    status=LetterStatus.REQUESTED,
                    holder_name=registration.name.upper(),
                    stay_from=registration.arrival_date,
                    stay_until=registration.departure_date,
                )
            )
        if registration.status == RegistrationStatus.CONFIRMED and visits and i % 8 == 0:
            visit = visits[(i // 8) % len(visits)]
            full = seats_taken[visit.pk] >= 24  # one left for the demo participant
            seats_taken[visit.pk] += 0 if full else 1
            signups.append(
                SessionSignup(
                    registration=registration,
                    session=visit,
                    status=SignupStatus.WAITLISTED if full else SignupStatus.CONFIRMED,
                    waitlisted_at=(registration.email_confirmed_at if full else None),
                )
            )
    Answer.objects.bulk_create(answers)
    PassportDetails.objects.bulk_create(passports)
    VisaLetter.objects.bulk_create(letters)
    SessionSignup.objects.bulk_create(signups)


def _participant_account(edition: Edition, delegate: TicketType, visits) -> None:
    """`tokyo-participant`, with a confirmed delegate registration and a seat on a visit."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=PARTICIPANT_USERNAME).first()
    if user is None:
        user = user_model.objects.create_user(
            username=PARTICIPANT_USERNAME,
            email=f"{PARTICIPANT_USERNAME}@example.org",
            password=settings.DEMO_ADMIN_PASSWORD,
            first_name="Hanako",
            last_name="Yamada",
        )
    registration = Registration.objects.create(
        edition=edition,
        ticket_type=delegate,
        user=user,
        reference="AFSE09-DEMO",
        status=RegistrationStatus.CONFIRMED,
        email=user.email,
        name="Hanako Yamada",
        name_native="山田 花子",
        name_native_language="ja",
        country="JP",
        organization_name="Japan Workers' Cooperative Union",
        organization_name_native="日本労働者協同組合連合会",
        organization_kind=OrganizationKind.COOPERATIVE,
        language="ja",
        languages_spoken="Japanese, English",
        arrival_date=datetime.date(2009, 11, 6),
        departure_date=datetime.date(2009, 11, 10),
        public_listing=True,
        income_group=IncomeGroup.HIGH,
        fee=delegate.fee_high,
        currency="JPY",
        payment_status=PaymentStatus.DUE,
        email_confirmed_at=datetime.datetime(2009, 5, 1, 10, 0, tzinfo=TOKYO),
    )
    if visits:
        SessionSignup.objects.create(
            registration=registration, session=visits[0], status=SignupStatus.CONFIRMED
        )
