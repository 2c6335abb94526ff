"""A fixed corpus of hostile values in every public form field and query parameter: each
answer is a 4xx or the form again with its errors, never a server error, and nothing is saved.
NUL bytes and bytes that are not UTF-8 are refused with a 400 that says why."""

import datetime
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from mail.models import OutboxEmail
from registration.models import Registration, RegistrationSettings
from statements.models import Amendment, Comment, Signatory
from tests.factories.registration import TicketTypeFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

URLENCODED = "application/x-www-form-urlencoded"

# Raw (already percent-encoded) values: a NUL, bytes that are not UTF-8, and a few classics.
REFUSED = ["%00", "%00J", "J%00", "%FF", "%C3%28", "%ED%A0%80", "%80abc"]
ODD = [
    "",
    "+",
    quote("' OR 1=1 --"),
    quote("<script>alert(1)</script>"),
    quote("../../etc/passwd"),
    quote("名前\u202e"),
    quote("🙂" * 300),
    "x" * 5000,
    "-1",
    "99999999999999999999999",
    "1e309",
    "nan",
    "2009-13-45T99:99",
    "%25",
]
CORPUS = REFUSED + ODD
# The forms get the refused values and the odd values most likely to reach a query.
FORM_CORPUS = [*REFUSED, "", ODD[2], ODD[5], "x" * 5000, "-1", "%25"]

QUERIES = {
    "/2009-tokyo/register/": ["country", "sent"],
    "/2009-tokyo/programme/": ["track", "type", "language", "q"],
    "/2009-tokyo/programme/now/": ["at"],
    "/2009-tokyo/statement/": ["p"],
    "/2009-tokyo/statement/changes/": ["from", "to"],
    "/2009-tokyo/statement/plenary/": ["p"],
    "/2009-tokyo/register/participants/": ["page"],
    "/search/": ["q", "page"],
    "/news/": ["page"],
}


@pytest.fixture
def open_ticket(edition):
    RegistrationSettings.objects.update_or_create(
        edition=edition,
        defaults={
            "opens_at": timezone.now() - datetime.timedelta(days=1),
            "closes_at": timezone.now() + datetime.timedelta(days=30),
        },
    )
    return TicketTypeFactory(edition=edition, name="Fuzz delegate", capacity=50)


def saved() -> tuple[int, ...]:
    return (
        Registration.objects.count(),
        OutboxEmail.objects.count(),
        Signatory.objects.count(),
        Comment.objects.count(),
        Amendment.objects.count(),
    )


def encoded(fields: dict[str, str]) -> bytes:
    """A form body from raw (percent-encoded) values."""
    return "&".join(f"{name}={value}" for name, value in fields.items()).encode("ascii")


def plain(fields: dict[str, str]) -> dict[str, str]:
    return {name: quote(value) for name, value in fields.items()}


def registration_form(ticket) -> dict[str, str]:
    return plain(
        {
            "ticket_type": str(ticket.pk),
            "email": "fuzz@example.org",
            "name": "Fuzz Tester",
            "name_native": "",
            "country": "PH",
            "organization_name": "Fuzz Co-operative",
            "organization_kind": "cooperative",
            "language": "en",
            "languages_spoken": "English",
            "dietary_needs": "",
            "accessibility_needs": "",
            "waiver_kind": "",
            "waiver_reason": "",
            "public_listing": "on",
            "consent": "on",
        }
    )


SIGN_ON = plain(
    {
        "kind": "individual",
        "name": "Fuzz Signer",
        "name_native": "",
        "native_language": "",
        "affiliation": "Fuzz Co-operative",
        "organization_kind": "cooperative",
        "country": "PH",
        "email": "signer@example.org",
    }
)
LOGIN = plain({"username": "tokyo-participant", "password": "wrong-password"})
COMMENT = plain({"body": "A fair point.", "paragraph": "", "parent": ""})


def post_cases(ticket):
    """(path, the valid form, logged in as) for every public form."""
    return [
        ("/2009-tokyo/register/", registration_form(ticket), None),
        ("/2009-tokyo/statement/sign/", SIGN_ON, None),
        ("/accounts/login/", LOGIN, None),
        ("/2009-tokyo/statement/comments/", COMMENT, "tokyo-delegate-1"),
    ]


def test_every_query_parameter_with_hostile_values_answers_below_500(client, open_ticket):
    before = saved()
    answers = {}
    for path, names in QUERIES.items():
        for name in names:
            for value in CORPUS:
                status = client.get(f"{path}?{name}={value}").status_code
                answers[(path, name, value)] = status
    server_errors = {case: status for case, status in answers.items() if status >= 500}
    assert server_errors == {}
    refused = {case: s for case, s in answers.items() if case[2] in REFUSED and s != 400}
    assert refused == {}
    assert len(answers) == 15 * len(CORPUS)
    assert saved() == before


def test_every_public_form_field_with_hostile_values_saves_nothing(client, open_ticket):
    before = saved()
    answers = {}
    users = get_user_model().objects
    for path, form, username in post_cases(open_ticket):
        client.logout()
        if username:
            client.force_login(users.get(username=username))
        for field in form:
            for value in FORM_CORPUS:
                fields = {**form, field: value}
                if field != "email" and "email" in form:  # each its own address
                    fields["email"] = f"fuzz-{len(answers)}%40example.org"
                response = client.post(path, encoded(fields), content_type=URLENCODED)
                answers[(path, field, value)] = response.status_code
    server_errors = {case: status for case, status in answers.items() if status >= 500}
    assert server_errors == {}
    refused = {case: s for case, s in answers.items() if case[2] in REFUSED and s != 400}
    assert refused == {}
    # The others: the form again with its errors, a redirect once a valid variant is taken, or
    # a refusal (a closed comment period, the comments' rate limit).
    assert {s for case, s in answers.items() if case[2] not in REFUSED} <= {200, 302, 400, 429}
    taken = sum(
        1
        for (path, _field, value), status in answers.items()
        if path == "/2009-tokyo/register/" and status == 302
    )
    after = saved()
    assert after[0] == before[0] + taken  # only the valid variants were registered
    for model, field in [(Registration, "name"), (Registration, "organization_name")]:
        assert not model.objects.filter(**{f"{field}__contains": "\ufffd"}).exists()
    assert not Signatory.objects.filter(name__contains="\ufffd").exists()
    assert not Comment.objects.filter(body__contains="\ufffd").exists()


def test_nul_in_the_country_of_the_registration_page_is_a_400_with_a_clear_message(
    client, open_ticket
):
    response = client.get("/2009-tokyo/register/?country=%00J")
    assert response.status_code == 400
    assert (
        "The request contains a NUL character, which is not allowed." in response.content.decode()
    )


def test_invalid_utf8_in_the_registration_form_is_refused_not_stored(client, open_ticket):
    form = registration_form(open_ticket)
    body = encoded({**form, "name": "Ama%FFra"})
    response = client.post("/2009-tokyo/register/", body, content_type=URLENCODED)
    assert response.status_code == 400
    assert "The request contains text that is not valid UTF-8." in response.content.decode()
    assert not Registration.objects.filter(email="fuzz@example.org").exists()
    # The same form in valid UTF-8 is taken.
    body = encoded({**form, "name": quote("Amára")})
    response = client.post("/2009-tokyo/register/", body, content_type=URLENCODED)
    assert response.status_code == 302
    assert Registration.objects.get(email="fuzz@example.org").name == "Amára"
