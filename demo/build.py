"""The demo forum: the AFSE series of shared/DOMAIN.md, in English and Japanese.

Everything is created once and found again by its natural key (slug, title, username), so
building it twice changes nothing.
"""

import datetime
import io
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from cms.models import (
    EditionPage,
    EditionSectionPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    StandardPage,
)
from cms.services import create_edition_with_page
from forum.enums import EditionRoleKind, OrganizationKind, SSECategory
from forum.models import Edition, Organization
from forum.services import ensure_edition_groups, grant_edition_role


def _p(text: str) -> str:
    return f"<p>{text}</p>"


def _body(*paragraphs: str) -> list[dict]:
    return [{"type": "paragraph", "value": _p(text)} for text in paragraphs]


ORGANIZATIONS = [
    {
        "name": "Coalition of Socially Responsible SMEs in Asia",
        "kind": OrganizationKind.COALITION,
        "sse_category": SSECategory.PARTIAL_HYBRID,
        "country": "PH",
    },
    {
        "name": "AFSE 2009 Preparatory Committee",
        "name_native": "アジア連帯経済フォーラム2009実行委員会",
        "native_language": "ja",
        "kind": OrganizationKind.COALITION,
        "sse_category": SSECategory.FULL,
        "country": "JP",
    },
    {
        "name": "Japan Workers' Co-operative Union",
        "name_native": "日本労働者協同組合連合会",
        "native_language": "ja",
        "acronym": "JWCU",
        "kind": OrganizationKind.COOPERATIVE,
        "sse_category": SSECategory.FULL,
        "country": "JP",
    },
    {
        "name": "Korean Social Enterprise Network",
        "name_native": "한국사회적기업네트워크",
        "native_language": "ko",
        "kind": OrganizationKind.SOCIAL_ENTERPRISE,
        "sse_category": SSECategory.PARTIAL_HYBRID,
        "country": "KR",
    },
    {
        "name": "Solidarity Economy Network of Malaysia",
        "kind": OrganizationKind.COALITION,
        "sse_category": SSECategory.FULL,
        "country": "MY",
    },
]


@dataclass
class EditionSeed:
    edition: dict
    organizer: str | None
    intro: str
    body: list[str]
    programme: str
    registration: str
    statement: str
    ja_title: str
    ja_intro: str
    ja_body: list[str]
    colour: tuple[int, int, int]
    news: list[dict] = field(default_factory=list)
    ja_programme: str = ""
    ja_registration: str = ""
    ja_statement: str = ""


EDITIONS = [
    EditionSeed(
        edition={
            "slug": "2007-manila",
            "number": 1,
            "name": "AFSE 2007",
            "year": 2007,
            "dates_note": "October 2007",
            "city": "Manila",
            "country": "PH",
            "time_zone": "Asia/Manila",
            "expected_participants": 700,
            "theme": "Social entrepreneurs meet socially responsible investors",
            "summary": "The first Asian Forum for Solidarity Economy, prepared by an online "
            "e-forum and a year-long fact-finding tour.",
        },
        organizer="Coalition of Socially Responsible SMEs in Asia",
        intro="About 700 participants, mostly from Asia, met in Manila for the first forum "
        "of the series.",
        body=[
            "The forum was prepared by an online e-forum and a fact-finding tour that lasted "
            "a year, visiting social enterprises, cooperatives and community finance groups "
            "across the region.",
            "It launched regular meetings between social entrepreneurs and socially "
            "responsible investors.",
        ],
        programme="Plenary sessions, thematic workshops and meetings between social "
        "entrepreneurs and investors.",
        registration="Registration for this forum is closed.",
        statement="The forum closed with a call to build an Asian network of solidarity "
        "economy practitioners.",
        ja_title="アジア連帯経済フォーラム2007",
        ja_intro="マニラで開かれたシリーズ最初のフォーラムには、主にアジアから約700人が参加しました。",
        ja_body=[
            "フォーラムに先立ち、オンラインのeフォーラムと1年間にわたる現地調査ツアーが行われました。",
            "社会的起業家と社会的責任投資家の定期的な出会いの場がここから始まりました。",
        ],
        colour=(29, 92, 77),
        ja_programme="全体会、テーマ別分科会、社会的起業家と投資家の出会いの場。",
        ja_registration="このフォーラムの参加登録は終了しました。",
        ja_statement="フォーラムは、連帯経済の実践者によるアジアのネットワークづくりを"
        "呼びかけて閉会しました。",
        news=[
            {
                "slug": "first-forum-opens-in-manila",
                "title": "The first Asian Forum for Solidarity Economy opens in Manila",
                "ja_title": "第1回アジア連帯経済フォーラムがマニラで開幕",
                "date": datetime.date(2007, 10, 17),
                "intro": "Practitioners from across Asia gather for the first forum.",
                "ja_intro": "アジア各地から実践者が最初のフォーラムに集まりました。",
            },
        ],
    ),
    EditionSeed(
        edition={
            "slug": "2009-tokyo",
            "number": 2,
            "name": "AFSE 2009",
            "year": 2009,
            "start_date": datetime.date(2009, 11, 7),
            "end_date": datetime.date(2009, 11, 10),
            "city": "Tokyo",
            "city_native": "東京",
            "native_language": "ja",
            "country": "JP",
            "venue": "Tokyo",
            "time_zone": "Asia/Tokyo",
            "expected_participants": 500,
            "languages": ["en", "ja", "ko", "id"],
            "theme": "Solidarity Economy from the Asian Perspective",
            "summary": "About 500 participants from Indonesia, Thailand, Malaysia, Nepal, "
            "India, the Philippines, Japan, South Korea, France, Canada, Luxembourg and "
            "Australia.",
        },
        organizer="AFSE 2009 Preparatory Committee",
        intro="Four days of plenaries, workshops and fact-finding visits, ending with a "
        "statement of commitment.",
        body=[
            "A preparatory committee drawn from cooperatives, mutual benefit associations, "
            "labour unions, NPOs and NGOs, social enterprises, fair-trade and civic-finance "
            "groups met regularly from April 2008.",
            "South Korea took part for the first time. Fact-finding trips took participants "
            "to local initiatives around Tokyo.",
        ],
        programme="Themes: socially responsible investment, fair trade, micro-finance and "
        "social finance, social enterprise, a solidarity tax levy, social welfare for the "
        "elderly, the handicapped and the unemployed, policy advocacy, public policy and "
        "legislation, ethics, social performance management, local and grassroots "
        "development, responsible stewardship of natural resources.",
        registration="Participants registered in advance; many needed a visa invitation "
        "letter, and fee waivers were offered to participants from lower-income countries.",
        statement="The forum adopted a statement of commitment on its last day and decided "
        "that the next forum would be held in Malaysia in 2011.",
        ja_title="アジア連帯経済フォーラム2009",
        ja_intro="全体会、分科会、現地視察の4日間。最終日に「コミットメント宣言」を採択しました。",
        ja_body=[
            "協同組合、共済、労働組合、NPO・NGO、社会的企業、フェアトレード、市民金融の団体から"
            "なる実行委員会が2008年4月から定期的に準備を重ねました。",
            "韓国から初めての参加があり、東京周辺の地域の取り組みを訪ねる現地視察も行われました。",
        ],
        colour=(11, 92, 138),
        ja_programme="テーマ:社会的責任投資、フェアトレード、マイクロファイナンスと社会的金融、"
        "社会的企業、連帯税、高齢者・障害者・失業者の社会福祉、政策提言、公共政策と立法、倫理、"
        "社会的成果のマネジメント、地域と草の根の発展、天然資源の責任ある管理。",
        ja_registration="参加者は事前に登録しました。多くの参加者がビザ招へい状を必要とし、"
        "所得の低い国からの参加者には参加費の免除が用意されました。",
        ja_statement="フォーラムは最終日にコミットメント宣言を採択し、次回を2011年に"
        "マレーシアで開催することを決めました。",
        news=[
            {
                "slug": "preparatory-committee-meets",
                "title": "The preparatory committee for AFSE 2009 holds its first meeting",
                "ja_title": "AFSE2009実行委員会が初会合",
                "date": datetime.date(2008, 4, 21),
                "intro": "Cooperatives, unions, NPOs and fair-trade groups begin preparing "
                "the Tokyo forum.",
                "ja_intro": "協同組合、労働組合、NPO、フェアトレード団体が"
                "東京フォーラムの準備を始めました。",
            },
            {
                "slug": "fact-finding-visits-announced",
                "title": "Fact-finding visits to local initiatives announced",
                "ja_title": "地域の取り組みへの現地視察のお知らせ",
                "date": datetime.date(2009, 9, 1),
                "intro": "Seats on the visits are limited; transport leaves from the venue.",
                "ja_intro": "視察は定員制です。会場から移動します。",
            },
            {
                "slug": "statement-of-commitment-adopted",
                "title": "AFSE 2009 adopts its statement of commitment",
                "ja_title": "AFSE2009がコミットメント宣言を採択",
                "date": datetime.date(2009, 11, 10),
                "intro": "The next forum will be held in Malaysia in 2011.",
                "ja_intro": "次回フォーラムは2011年にマレーシアで開かれます。",
            },
        ],
    ),
    EditionSeed(
        edition={
            "slug": "2011-malaysia",
            "number": 3,
            "name": "AFSE 2011",
            "year": 2011,
            "dates_note": "2011",
            "country": "MY",
            "time_zone": "Asia/Kuala_Lumpur",
            "summary": "The third forum, decided at the close of AFSE 2009.",
        },
        organizer="Solidarity Economy Network of Malaysia",
        intro="The third forum of the series, hosted in Malaysia.",
        body=["Malaysia was chosen to host the third forum at the close of AFSE 2009."],
        programme="",
        registration="",
        statement="",
        ja_title="アジア連帯経済フォーラム2011",
        ja_intro="シリーズ3回目のフォーラムはマレーシアで開催されます。",
        ja_body=["AFSE2009の閉会時に、第3回フォーラムの開催地としてマレーシアが選ばれました。"],
        colour=(180, 83, 9),
    ),
]


def _banner(title: str, caption: str, colour: tuple[int, int, int]) -> ImageFile:
    """A generated banner (no downloads): a colour band with the edition's name."""
    width, height = 1200, 400
    img = PILImage.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(img)
    for i in range(0, width, 40):
        shade = tuple(min(255, c + (i * 60) // width) for c in colour)
        draw.rectangle([i, 0, i + 40, height], fill=shade)
    draw.ellipse([820, 60, 1100, 340], outline=(242, 193, 78), width=14)
    draw.ellipse([700, 60, 980, 340], outline=(255, 255, 255), width=14)
    font = ImageFont.load_default(size=72)
    draw.text((60, 120), caption, fill=(255, 255, 255), font=font)
    buffer = io.BytesIO()
    img.save(buffer, format="PNG")
    return ImageFile(buffer, name=f"{title.lower().replace(' ', '-')}.png")


def _image(title: str, caption: str, colour: tuple[int, int, int], alt: str):
    image_model = get_image_model()
    existing = image_model.objects.filter(title=title).first()
    if existing:
        return existing
    return image_model.objects.create(
        title=title, file=_banner(title, caption, colour), description=alt
    )


def _child(parent: Page, slug: str):
    return parent.get_children().filter(slug=slug).specific().first()


def _add(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _translate(page: Page, locale: Locale, **fields) -> Page:
    """The page's translation into `locale`, created (or filled in, when the edition's creation
    made it as a draft) and published once."""
    existing = page.get_translation_or_none(locale)
    if existing is not None and existing.first_published_at is not None:
        return existing.specific
    translated = existing.specific if existing is not None else page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save_revision().publish()
    return translated


def _introduce_sections(edition_page: Page, introductions: tuple[str, str, str]) -> None:
    """The introductions of the edition's programme, registration and statement pages, set
    once."""
    texts = dict(zip(("programme", "register", "statement"), introductions, strict=True))
    for section in edition_page.get_children().specific():
        text = texts.get(section.slug)
        if isinstance(section, EditionSectionPage) and text and not section.introduction:
            section.introduction = _p(text)
            section.save_revision().publish()


@dataclass
class DemoReport:
    created: list[str] = field(default_factory=list)
    admin_username: str = ""
    admin_password: str = ""


@transaction.atomic
def build_demo() -> DemoReport:
    """The demo forum, step by step; each step creates only what is missing (idempotent)."""
    report = DemoReport()
    en = Locale.objects.get_or_create(language_code="en")[0]
    ja = Locale.objects.get_or_create(language_code="ja")[0]
    home, home_ja = _home_pages(report, en, ja)
    organizations = _organizations(report)
    _edition_pages(report, en, ja, organizations)
    _news(report, ja, home)
    _about_page(report, ja, home)
    _visits_page(report, en, ja)
    featured = Edition.objects.get(slug="2011-malaysia")
    # Fresh copies: pages were added beneath both since they were loaded (tree counts changed).
    for page in HomePage.objects.filter(pk__in=[home.pk, home_ja.pk], featured_edition=None):
        page.featured_edition = featured
        page.save_revision().publish()

    from demo.programme import build_demo_programme

    # Role groups get the permissions of apps added since they were made (idempotent).
    for edition in Edition.objects.all():
        ensure_edition_groups(edition=edition)

    if build_demo_programme(Edition.objects.get(slug="2009-tokyo")):
        report.created.append("programme of 2009-tokyo (releases v1 and v2)")

    # The staff accounts first: the registration and statement demos add roles to them.
    report.admin_username, report.admin_password = _demo_accounts(report)

    from demo.registrations import build_demo_closed_registration, build_demo_registrations
    from demo.statement import build_demo_statement

    tokyo = Edition.objects.get(slug="2009-tokyo")
    if build_demo_registrations(tokyo):
        report.created.append("registrations of 2009-tokyo")
    if build_demo_closed_registration(Edition.objects.get(slug="2007-manila")):
        report.created.append("registration dates of 2007-manila (closed)")
    if build_demo_statement(tokyo):
        report.created.append("statement of commitment of 2009-tokyo")
    from demo.statement_translations import build_demo_statement_translations

    if build_demo_statement_translations(tokyo):
        report.created.append("Japanese and Korean translations of the 2009-tokyo statement")
    from demo.statement_open import build_demo_open_statement

    if build_demo_open_statement(featured):
        report.created.append("draft statement of 2011-malaysia, open for comments")

    from demo.cfp import build_demo_call

    if build_demo_call(Edition.objects.get(slug="2011-malaysia")):
        report.created.append("call for proposals of 2011-malaysia")
    return report


def _demo_accounts(report: DemoReport) -> tuple[str, str]:
    user_model = get_user_model()
    username = settings.DEMO_ADMIN_USERNAME
    if not user_model.objects.filter(username=username).exists():
        user_model.objects.create_superuser(
            username=username,
            email=f"{username}@example.org",
            password=settings.DEMO_ADMIN_PASSWORD,
        )
        report.created.append(f"user {username}")
    staff = [
        ("tokyo-organizer", "2009-tokyo", EditionRoleKind.ORGANIZER),
        ("tokyo-programme", "2009-tokyo", EditionRoleKind.PROGRAMME_COMMITTEE),
        ("tokyo-drafting", "2009-tokyo", EditionRoleKind.DRAFTING_COMMITTEE),
    ]
    for name, slug, role in staff:
        user = user_model.objects.filter(username=name).first()
        if user is None:
            user = user_model.objects.create_user(
                username=name,
                email=f"{name}@example.org",
                password=settings.DEMO_ADMIN_PASSWORD,
            )
            grant_edition_role(edition=Edition.objects.get(slug=slug), user=user, role=role)
            report.created.append(f"user {name} ({role})")
    return username, settings.DEMO_ADMIN_PASSWORD


def _home_pages(report: DemoReport, en: Locale, ja: Locale):
    home = HomePage.objects.filter(locale=en).first()
    if home is None:
        root = Page.get_first_root_node()
        home = HomePage(
            title="Asian Forum for Solidarity Economy",
            slug="afse",
            locale=en,
            intro="A forum series held every two years in a different Asian country, where "
            "practitioners of the social and solidarity economy meet.",
            about=_p(
                "Each forum gathers cooperatives, mutual associations, non-profits, social "
                "enterprises, fair-trade groups, civic-finance institutions, labour unions, "
                "researchers and officials. Together they build the programme, take part in "
                "fact-finding visits, and adopt a statement of commitment at the close."
            ),
        )
        _add(root, home)
        site = Site.objects.filter(is_default_site=True).first()
        old_root = site.root_page if site else None
        if site is None:
            site = Site(is_default_site=True)
        # Full URLs (sitemap, mail) come from the configured address, not a request's Host.
        address = urlsplit(settings.SITE_URL)
        site.hostname = address.hostname or "localhost"
        site.port = address.port or (443 if address.scheme == "https" else 80)
        site.root_page = home
        site.site_name = settings.WAGTAIL_SITE_NAME
        site.save()
        if old_root is not None and old_root.pk != home.pk and old_root.depth == 2:
            old_root.delete()  # Wagtail's "Welcome" placeholder
        report.created.append("home page")
    home_ja = _translate(
        home,
        ja,
        title="アジア連帯経済フォーラム",
        intro="2年ごとにアジアの異なる国で開かれる、社会的連帯経済の実践者のためのフォーラムです。",
        about=_p(
            "協同組合、共済、NPO、社会的企業、フェアトレード団体、市民金融機関、労働組合、"
            "研究者、行政関係者が集い、プログラムをつくり、現地視察に参加し、閉会時にコミットメント"
            "宣言を採択します。"
        ),
    )

    return home, home_ja


def _organizations(report: DemoReport):
    organizations = {}
    for data in ORGANIZATIONS:
        org, created = Organization.objects.get_or_create(
            name=data["name"], country=data["country"], defaults=data
        )
        organizations[org.name] = org
        if created:
            report.created.append(f"organization {org.name}")

    return organizations


def _edition_pages(report: DemoReport, en: Locale, ja: Locale, organizations: dict):
    for seed in EDITIONS:
        page = EditionPage.objects.filter(edition__slug=seed.edition["slug"], locale=en).first()
        if page is None:
            edition = Edition(**seed.edition, organizer=organizations.get(seed.organizer))
            # Its pages in every language (drafts), with the feature pages beneath them.
            page = create_edition_with_page(edition=edition, intro=seed.intro)
            page.hero_image = _image(
                f"{edition.name} banner", edition.name, seed.colour, f"Banner of {edition.name}"
            )
            page.body = _body(*seed.body)
            page.save_revision().publish()  # the feature pages go live with it
            report.created.append(f"edition {edition.slug}")
        page_ja = _translate(
            page,
            ja,
            title=seed.ja_title,
            intro=seed.ja_intro,
            body=_body(*seed.ja_body),
        )
        _introduce_sections(page, (seed.programme, seed.registration, seed.statement))
        _introduce_sections(page_ja, (seed.ja_programme, seed.ja_registration, seed.ja_statement))


def _news(report: DemoReport, ja: Locale, home: HomePage):
    news_index = _child(home, "news")
    if news_index is None:
        news_index = _add(
            home,
            NewsIndexPage(
                title="News",
                slug="news",
                show_in_menus=True,
                intro="Announcements from the forum series and its editions.",
            ),
        )
        report.created.append("news index")
    _translate(
        news_index, ja, title="お知らせ", intro="フォーラムシリーズと各回からのお知らせです。"
    )
    for seed in EDITIONS:
        edition = Edition.objects.get(slug=seed.edition["slug"])
        for item in seed.news:
            news = _child(news_index, item["slug"])
            if news is None:
                news = _add(
                    news_index,
                    NewsPage(
                        title=item["title"],
                        slug=item["slug"],
                        date=item["date"],
                        intro=item["intro"],
                        edition=edition,
                        body=_body(item["intro"]),
                    ),
                )
                report.created.append(f"news {item['slug']}")
            _translate(
                news,
                ja,
                title=item["ja_title"],
                intro=item["ja_intro"],
                body=_body(item["ja_intro"]),
            )


def _about_page(report: DemoReport, ja: Locale, home: HomePage):
    about = _child(home, "about")
    if about is None:
        about = _add(
            home,
            StandardPage(
                title="About the forum",
                slug="about",
                show_in_menus=True,
                intro="What the Asian Forum for Solidarity Economy is and who takes part.",
                body=[
                    {"type": "heading", "value": {"text": "Who takes part", "level": "h2"}},
                    {
                        "type": "paragraph",
                        "value": _p(
                            "Full SSE organizations (consumer and workers' cooperatives, "
                            "non-profit corporations, public-interest associations and "
                            "foundations), partial hybrids (credit cooperatives and labour banks, "
                            "SME cooperatives, labour unions, neighbourhood associations, "
                            "for-profit companies with a social purpose) and others, such as "
                            "mutual-aid societies."
                        ),
                    },
                    {
                        "type": "quote",
                        "value": {
                            "text": "An economic activity, a social mission, "
                            "democratic governance.",
                            "attribution": "The ILO's three criteria of the SSE",
                        },
                    },
                ],
            ),
        )
        report.created.append("about page")
    _translate(
        about,
        ja,
        title="フォーラムについて",
        intro="アジア連帯経済フォーラムとは何か、誰が参加するのか。",
        body=_body(
            "協同組合、NPO、共済、労働組合、社会的企業など、社会的連帯経済の担い手が参加します。"
        ),
    )


def _visits_page(report: DemoReport, en: Locale, ja: Locale):
    tokyo = EditionPage.objects.get(edition__slug="2009-tokyo", locale=en)
    visits = _child(tokyo, "fact-finding-visits")
    if visits is None:
        visits = _add(
            tokyo,
            StandardPage(
                title="Fact-finding visits",
                slug="fact-finding-visits",
                intro="Off-site visits to local initiatives around Tokyo, with limited seats.",
                body=_body(
                    "Visits went to workers' cooperatives, a consumer cooperative's "
                    "distribution centre, an NPO bank and a community care project for "
                    "the elderly."
                ),
            ),
        )
        report.created.append("fact-finding visits page")
    _translate(
        visits,
        ja,
        title="現地視察",
        intro="東京周辺の地域の取り組みを訪ねる視察(定員制)。",
        body=_body(
            "労働者協同組合、生協の物流センター、NPOバンク、高齢者の地域ケアの現場を訪ねました。"
        ),
    )
