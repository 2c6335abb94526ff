"""The public statement page: the adopted text (or the open draft when the committee shows it),
the confirmed signatories with native-script names, and their counts by country and kind."""

import datetime

import pytest
from django.utils import timezone

from forum.pagecache import bump_pages_version
from statements.enums import SignatoryKind, StatementState
from statements.models import Signatory, Statement
from statements.signon.selectors import signatory_summary
from tests.factories.statements import make_statement

pytestmark = pytest.mark.django_db

BY_COUNTRY = [
    ("JP", 5),
    ("PH", 3),
    ("KR", 3),  # "South Korea"
    ("FR", 2),
    ("MY", 2),
    ("TH", 2),
    ("AU", 1),
    ("CA", 1),
    ("HK", 1),
    ("IN", 1),
    ("ID", 1),
    ("LU", 1),
    ("NP", 1),
]
BY_KIND = [
    ("cooperative", 4),
    ("social_finance", 3),  # "Civic or social finance institution"
    ("coalition", 3),
    ("fair_trade", 2),
    ("academic", 1),
    ("government", 1),
    ("nonprofit", 1),
    ("social_enterprise", 1),
    ("womens_shg", 1),
]


@pytest.fixture
def tokyo_statement(edition):
    return Statement.objects.get(edition=edition)


def test_demo_statement_summary_counts_confirmed_signatories_by_country_and_kind(
    tokyo_statement,
):
    Signatory.objects.create(
        statement=tokyo_statement,
        kind=SignatoryKind.ORGANIZATION,
        name="Unconfirmed Cooperative",
        country="JP",
        organization_kind="cooperative",
        email="late@example.org",
    )
    summary = signatory_summary(tokyo_statement)
    assert summary.total == 24
    assert len(summary.organizations) == 17
    assert len(summary.people) == 7
    assert [(row.code, row.count) for row in summary.by_country] == BY_COUNTRY
    assert [(row.code, row.count) for row in summary.by_kind] == BY_KIND
    assert "Unconfirmed Cooperative" not in [s.name for s in summary.organizations]
    assert summary.organizations[0].name == "Angkatan Koperasi Kebangsaan Malaysia"


def test_visitor_reads_adopted_statement_with_signatories(client, base_url):
    response = client.get(base_url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 lang="en">Tokyo Statement of Commitment</h1>' in html
    assert "will be held in Malaysia in 2011" in html
    # Version 2 left paragraph 5 out; the draft's wording is not shown.
    assert "remain small and scattered" not in html
    assert '<span class="signatory__native" lang="ja">日本労働者協同組合連合会</span>' in html
    assert '<span class="signatory__native" lang="ko">김민정</span>' in html
    assert "24 signatories so far." in html
    assert '<tr><th scope="row">Japan</th><td>5</td></tr>' in html
    assert '<tr><th scope="row">Cooperative</th><td>4</td></tr>' in html
    assert "statement/sign/" in html
    assert "statement/statement.pdf" in html
    assert "statement/plenary/" in html
    # The committee's exports are not offered to visitors, and no address is ever shown.
    assert "comment-matrix.pdf" not in html
    assert "@example.org" not in html
    assert "<script" not in html.split("<main", 1)[1]
    assert 'style="' not in html


def test_committee_sees_export_links(client, base_url, committee_user):
    client.force_login(committee_user)
    html = client.get(base_url).content.decode()
    assert "statement/committee/export/comments/" in html
    assert "statement/committee/comment-matrix.pdf" in html


def test_signatory_names_are_escaped(client, base_url, tokyo_statement):
    Signatory.objects.create(
        statement=tokyo_statement,
        kind=SignatoryKind.PERSON,
        name="<script>alert(1)</script>",
        name_native="<b>x</b>",
        native_language="ja",
        country="JP",
        email="x@example.org",
        email_confirmed_at=timezone.now(),
    )
    html = client.get(base_url).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html


def test_open_draft_hidden_from_visitors_unless_committee_shows_it(client, edition, base_url):
    make_statement(edition, state=StatementState.OPEN)
    response = client.get(base_url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")

    Statement.objects.filter(edition=edition).update(show_draft_publicly=True)
    response = client.get(base_url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "We commit to paragraph 3 of the solidarity economy." in html
    # No signatories before adoption, and no sign-on.
    assert 'id="signatories"' not in html
    assert "statement/sign/" not in html


def test_adopted_statement_without_signatories_says_so(client, edition, base_url):
    make_statement(edition, state=StatementState.ADOPTED)
    html = client.get(base_url).content.decode()
    assert "No one has signed on yet." in html
    assert "statement/sign/" not in html  # adopted, not yet open for sign-on


def _large_statement(edition, *, paragraphs: int, signatories: int):
    statement = make_statement(edition, paragraphs=paragraphs, state=StatementState.SIGN_ON)
    now = timezone.now()
    kinds = ["cooperative", "mutual", "nonprofit", "fair_trade"]
    countries = ["JP", "KR", "PH", "TH", "ID", "MY", "IN", "NP"]
    Signatory.objects.bulk_create(
        Signatory(
            statement=statement,
            kind=SignatoryKind.ORGANIZATION if i % 3 else SignatoryKind.PERSON,
            name=f"Signatory {i:04d}",
            name_native=f"署名者{i}",
            native_language="ja",
            country=countries[i % len(countries)],
            organization_kind=kinds[i % len(kinds)] if i % 3 else "",
            email=f"s{i}@example.org",
            email_confirmed_at=now - datetime.timedelta(minutes=i),
        )
        for i in range(signatories)
    )
    return statement


@pytest.mark.parametrize(("paragraphs", "signatories"), [(3, 2), (60, 1500)])
def test_public_statement_page_query_count_is_constant(
    client, edition, base_url, django_assert_num_queries, paragraphs, signatories
):
    _large_statement(edition, paragraphs=paragraphs, signatories=signatories)
    client.get(base_url)  # warm the per-process caches
    bump_pages_version()  # routed afresh, as after a page changed
    # Wagtail's site, pages (the statement page beneath the edition page), edition and menus
    # (the edition's menu asks whether the programme and the statement have something to show)
    # (17: the home pages of languages the page lacks in one query), the statement, its version
    # and text (3), the signatories (1), whatever the number
    # of paragraphs and signatories, and the languages it is translated into (1).
    with django_assert_num_queries(25):
        response = client.get(base_url)
    assert response.status_code == 200
    assert f"{signatories} signatories so far." in response.content.decode()
    # Routed again: the route, the view restrictions and the header's menus come from the cache
    # (cms/routing.py, cms/chrome.py), with whether the programme, the statement and the call
    # have something to show.
    with django_assert_num_queries(5):
        response = client.get(base_url)
    assert f"{signatories} signatories so far." in response.content.decode()


def test_public_part_in_japanese(client):
    response = client.get("/ja/2009-tokyo/statement/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "現在の賛同者は24です。" in html
    assert "この宣言に賛同する" in html
    assert "PDFでダウンロード" in html
