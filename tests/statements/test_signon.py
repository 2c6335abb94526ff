"""Signing on: an unconfirmed signatory and a confirmation mail through the outbox; the link
confirms it and lists it; the same address twice; only while the statement is open for sign-on."""

import re

import pytest
from django.core import mail

from mail.models import OutboxEmail
from statements.enums import SignatoryKind, StatementState
from statements.models import Signatory, Statement
from statements.services import ActionRefusedError
from statements.signon.services import AlreadySignedError, confirm_signatory, sign_on
from tests.factories.statements import make_statement

pytestmark = pytest.mark.django_db

FORM = {
    "kind": "organization",
    "name": "Hokkaido Workers' Cooperative",
    "name_native": "北海道ワーカーズコープ",
    "native_language": "ja",
    "affiliation": "",
    "organization_kind": "cooperative",
    "country": "JP",
    "email": "coop@example.jp",
}


@pytest.fixture
def tokyo_statement(edition):
    return Statement.objects.get(edition=edition)


def _confirm_path(body: str) -> str:
    match = re.search(r"http://[^/\s]+(/2009-tokyo/statement/sign/confirm/[-\w]+/)", body)
    assert match, body
    return match.group(1)


def test_sign_on_stores_unconfirmed_signatory_and_mails_the_link(
    client, base_url, tokyo_statement, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(base_url + "sign/", FORM)
    assert response.status_code == 200
    assert "We have sent a link to coop@example.jp" in response.content.decode()
    signatory = Signatory.objects.get(statement=tokyo_statement, email="coop@example.jp")
    assert signatory.email_confirmed_at is None
    assert (signatory.kind, signatory.name_native, signatory.organization_kind) == (
        SignatoryKind.ORGANIZATION,
        "北海道ワーカーズコープ",
        "cooperative",
    )
    email = OutboxEmail.objects.get(to_email="coop@example.jp")
    assert email.kind == "statement:signon_confirm"
    assert email.subject == "Confirm your signature of “Tokyo Statement of Commitment”"
    assert f"/2009-tokyo/statement/sign/confirm/{signatory.token}/" in email.body_text
    assert "Hokkaido Workers' Cooperative" in email.body_text  # plain text: not escaped
    assert [m.to for m in mail.outbox] == [["coop@example.jp"]]

    # Not listed before confirmation.
    assert "Hokkaido Workers" not in client.get(base_url).content.decode()

    path = _confirm_path(email.body_text)
    page = client.get(path)
    assert page.status_code == 200
    assert "Confirm my signature" in page.content.decode()
    assert Signatory.objects.get(pk=signatory.pk).email_confirmed_at is None  # GET alone: no

    response = client.post(path)
    assert response.status_code == 302
    assert response["Location"] == base_url + "#signatories"
    html = client.get(base_url).content.decode()
    assert "Thank you: your signature is confirmed and listed." in html
    assert '<span class="signatory__native" lang="ja">北海道ワーカーズコープ</span>' in html
    assert "25 signatories so far." in html

    again = client.post(path, follow=True)
    assert "Your signature was already confirmed." in again.content.decode()


def test_same_confirmed_email_twice_is_refused_with_a_clear_message(client, base_url):
    response = client.post(base_url + "sign/", {**FORM, "email": "SIGNATORY-1@example.org"})
    assert response.status_code == 400
    assert "This email address has already signed on to the statement." in response.content.decode()
    assert not OutboxEmail.objects.filter(to_email__iexact="signatory-1@example.org").exists()


def test_same_unconfirmed_email_twice_sends_the_link_again_once(client, base_url, tokyo_statement):
    client.post(base_url + "sign/", FORM)
    response = client.post(base_url + "sign/", {**FORM, "name": "Another name"})
    assert response.status_code == 200
    assert "waiting for its confirmation" in response.content.decode()
    client.post(base_url + "sign/", FORM)  # within the same quarter of an hour: not again
    assert Signatory.objects.filter(statement=tokyo_statement, email="coop@example.jp").count() == 1
    assert OutboxEmail.objects.filter(to_email="coop@example.jp").count() == 2


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
        ({"organization_kind": ""}, "organization_kind", "Say what kind of organization signs on."),
        ({"native_language": ""}, "native_language", "Say in which language the native name"),
        ({"native_language": "<x>"}, "native_language", ""),
        ({"country": "XX"}, "country", "Select a valid choice."),
        ({"kind": "robot"}, "kind", "Select a valid choice."),
        ({"name": ""}, "name", "This field is required."),
    ],
)
def test_bad_sign_on_input_is_refused_and_nothing_saved(
    client, base_url, tokyo_statement, changes, field, message
):
    before = Signatory.objects.count()
    response = client.post(base_url + "sign/", {**FORM, **changes})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert message in " ".join(response.context["form"].errors[field])
    assert Signatory.objects.count() == before
    assert not OutboxEmail.objects.filter(kind="statement:signon_confirm").exists()


def test_person_signs_with_an_affiliation(client, base_url, tokyo_statement):
    client.post(
        base_url + "sign/",
        {
            **FORM,
            "kind": "person",
            "name": "Ji-ho Park",
            "name_native": "박지호",
            "native_language": "ko",
            "affiliation": "Seoul Credit Union Federation",
            "organization_kind": "cooperative",  # ignored for a person
            "country": "KR",
            "email": "jiho@example.kr",
        },
    )
    signatory = Signatory.objects.get(email="jiho@example.kr")
    assert (signatory.kind, signatory.affiliation, signatory.organization_kind) == (
        SignatoryKind.PERSON,
        "Seoul Credit Union Federation",
        "",
    )


@pytest.mark.parametrize(
    ("state", "status"),
    [
        (StatementState.OPEN, 404),
        (StatementState.COMMENTS_CLOSED, 404),
        (StatementState.ADOPTED, 400),
        (StatementState.CLOSED, 400),
    ],
)
def test_sign_on_only_while_open_for_sign_on(client, base_url, tokyo_statement, state, status):
    Statement.objects.filter(pk=tokyo_statement.pk).update(state=state)
    assert client.get(base_url + "sign/").status_code == status
    response = client.post(base_url + "sign/", FORM)
    assert response.status_code == status
    assert not Signatory.objects.filter(email="coop@example.jp").exists()
    tokyo_statement.refresh_from_db()
    with pytest.raises(ActionRefusedError, match="not open for sign-on"):
        sign_on(statement=tokyo_statement, kind="person", name="X", email="x@x.org", country="JP")


def test_confirmation_refused_once_sign_on_has_closed(client, base_url, tokyo_statement):
    result = sign_on(
        statement=tokyo_statement, kind="person", name="Late", email="late@x.org", country="JP"
    )
    Statement.objects.filter(pk=tokyo_statement.pk).update(state=StatementState.CLOSED)
    response = client.post(base_url + f"sign/confirm/{result.signatory.token}/")
    assert response.status_code == 400
    assert "Sign-on to this statement has closed." in response.content.decode()
    assert Signatory.objects.get(pk=result.signatory.pk).email_confirmed_at is None


def test_confirmation_link_of_another_edition_or_forged_is_not_found(
    client, base_url, other_edition, tokyo_statement
):
    manila = make_statement(other_edition, state=StatementState.SIGN_ON)
    result = sign_on(statement=manila, kind="person", name="Manila", email="m@x.org", country="PH")
    assert client.get(base_url + f"sign/confirm/{result.signatory.token}/").status_code == 404
    assert client.post(base_url + f"sign/confirm/{result.signatory.token}/").status_code == 404
    assert client.get(base_url + "sign/confirm/" + "x" * 40 + "/").status_code == 404
    assert Signatory.objects.get(pk=result.signatory.pk).email_confirmed_at is None


def test_service_refuses_an_email_already_confirmed(tokyo_statement):
    with pytest.raises(AlreadySignedError):
        sign_on(
            statement=tokyo_statement,
            kind="organization",
            name="Dup",
            email="signatory-2@example.org",
            country="JP",
            organization_kind="cooperative",
        )


def test_confirm_twice_counts_once(tokyo_statement):
    result = sign_on(
        statement=tokyo_statement, kind="person", name="Once", email="o@x.org", country="JP"
    )
    assert confirm_signatory(signatory=result.signatory) is True
    assert confirm_signatory(signatory=result.signatory) is False


def test_300_people_behind_one_address_can_all_sign_on(client, base_url, tokyo_statement):
    statuses = [
        client.post(
            base_url + "sign/", {**FORM, "email": f"p{index}@example.org"}, REMOTE_ADDR="192.0.2.7"
        ).status_code
        for index in range(300)
    ]
    assert statuses == [200] * 300
    assert (
        Signatory.objects.filter(email__startswith="p", email__endswith="@example.org")
        .filter(statement=tokyo_statement)
        .count()
        == 300
    )


def test_sign_on_is_limited_per_email_address_counting_only_what_went_through(
    client, base_url, settings
):
    settings.RATE_LIMITS = {"statements.sign_on.email": (2, 3600)}
    # A form with errors uses up nothing.
    for _ in range(5):
        invalid = client.post(base_url + "sign/", {**FORM, "email": "r@example.org", "name": ""})
        assert invalid.status_code == 400
    assert client.post(base_url + "sign/", {**FORM, "email": "r@example.org"}).status_code == 200
    assert client.post(base_url + "sign/", {**FORM, "email": "R@example.org"}).status_code == 200
    response = client.post(base_url + "sign/", {**FORM, "email": "r@example.org"})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert "Too many signatures" in response.content.decode()
    # Another address, from the same client, goes through.
    assert client.post(base_url + "sign/", {**FORM, "email": "s@example.org"}).status_code == 200


def test_sign_on_is_limited_per_real_client_behind_the_trusted_proxy(client, base_url, settings):
    settings.RATE_LIMITS = {"statements.sign_on.client": (2, 3600)}
    settings.TRUSTED_PROXY_COUNT = 1

    def post(index, forwarded):
        return client.post(
            base_url + "sign/",
            {**FORM, "email": f"c{index}@example.org"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=forwarded,
        ).status_code

    # The client's own entries on the left are not trusted: the proxy's entry counts.
    assert post(1, "1.1.1.1, 203.0.113.5") == 200
    assert post(2, "2.2.2.2, 203.0.113.5") == 200
    assert post(3, "3.3.3.3, 203.0.113.5") == 429
    assert not Signatory.objects.filter(email="c3@example.org").exists()
    # Another venue behind the same load balancer is counted apart.
    assert post(4, "198.51.100.9") == 200
