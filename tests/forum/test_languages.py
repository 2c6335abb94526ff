"""Languages: each edition's offered languages in the switcher, local date formats, language
names instead of codes, and a Wagtail locale for every language of the site."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation
from wagtail.models import Locale

from forum.forms import EditionForm
from forum.languages import edition_languages, language_name, local_date, switcher_languages
from forum.models import Edition

pytestmark = pytest.mark.django_db

DAY = datetime.date(2009, 11, 7)
START = datetime.datetime(2009, 11, 7, 9, 30, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("language", "day", "start"),
    [
        ("en", "Saturday 7 November 2009", "Saturday 7 November 2009, 09:30"),
        ("ja", "2009年11月7日(土)", "2009年11月7日(土) 9:30"),
        ("ko", "2009년 11월 7일 (토요일)", "2009년 11월 7일 (토요일) 09:30"),
        ("zh-hans", "2009年11月7日 星期六", "2009年11月7日 星期六 09:30"),
        ("id", "Sabtu, 7 November 2009", "Sabtu, 7 November 2009, 09.30"),
        ("th", "วันเสาร์ที่ 7 พฤศจิกายน 2009", "วันเสาร์ที่ 7 พฤศจิกายน 2009 เวลา 09:30 น."),
        ("vi", "Thứ 7, ngày 7 tháng 11 năm 2009", "Thứ 7, ngày 7 tháng 11 năm 2009, 09:30"),
    ],
)
def test_days_and_times_in_each_languages_format(language, day, start):
    with translation.override(language):
        assert local_date(DAY) == day
        assert local_date(START, "SESSION_START_FORMAT") == start
        rendered = Template("{% load forum_i18n %}{{ d|local_date }}").render(Context({"d": DAY}))
        assert rendered == day


def test_language_names_never_raw_codes():
    with translation.override("ja"):
        assert [language_name(code) for code in ("en", "ja", "ko")] == ["英語", "日本語", "韓国語"]
    with translation.override("en"):
        assert language_name("zh-hans") == "Simplified Chinese"
    assert language_name("xx-unknown") == "xx-unknown"


def test_every_language_has_a_wagtail_locale():
    codes = {code for code, _name in settings.LANGUAGES}
    assert codes == {"en", "ja", "ko", "zh-hans", "id", "th", "vi"}
    assert codes <= set(Locale.objects.values_list("language_code", flat=True))
    assert settings.WAGTAIL_CONTENT_LANGUAGES == settings.LANGUAGES


def test_new_edition_offers_english_and_japanese():
    edition = Edition(slug="2013-test", name="AFSE 2013", year=2013, number=4, country="KR")
    assert edition.languages == ["en", "ja"]
    assert edition_languages(edition) == ["en", "ja"]


def test_edition_languages_are_checked_and_kept_in_site_order(edition):
    edition.languages = ["ko", "en", "xx"]
    with pytest.raises(ValidationError) as error:
        edition.full_clean()
    assert error.value.message_dict["languages"] == ["Not a language of the site: xx."]
    edition.languages = ["vi", "ko", "en"]
    edition.full_clean()
    assert edition_languages(edition) == ["en", "ko", "vi"]


def test_organizer_adds_a_language_in_the_edition_form(edition):
    form = EditionForm(instance=edition)
    data = {name: form[name].value() for name in form.fields}
    data.update(languages=["en", "ja", "th"], organizer=edition.organizer_id or "")
    data = {key: value for key, value in data.items() if value is not None}
    form = EditionForm(data=data, instance=edition)
    assert form.is_valid(), form.errors
    form.save()
    edition.refresh_from_db()
    assert edition.languages == ["en", "ja", "th"]


def test_switcher_lists_the_editions_languages_and_the_current_one(edition):
    edition.languages = ["en", "ko"]
    assert switcher_languages({"edition": edition}, current="en") == ["en", "ko"]
    assert switcher_languages({"edition": edition}, current="vi") == ["en", "ko", "vi"]
    assert switcher_languages({}, current="en") == [code for code, _ in settings.LANGUAGES]


def test_edition_page_switcher_shows_the_editions_languages(client, edition):
    edition.languages = ["en", "ja", "ko"]
    edition.save()
    html = client.get(f"/{edition.slug}/").content.decode()
    switcher = html.split('class="language-switcher"', 1)[1].split("</nav>", 1)[0]
    assert 'hreflang="ko"' in switcher
    assert ">한국어<" in switcher
    assert 'hreflang="th"' not in switcher


@pytest.mark.parametrize(
    ("language", "skip_link"),
    [
        ("ko", "본문으로 건너뛰기"),
        ("zh-hans", "跳到主要内容"),
        ("id", "Langsung ke konten utama"),
        ("th", "ข้ามไปยังเนื้อหาหลัก"),
        ("vi", "Chuyển đến nội dung chính"),
    ],
)
def test_new_interface_languages_serve_the_site(client, language, skip_link):
    response = client.get(f"/{language}/2009-tokyo/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert skip_link in html


@pytest.mark.parametrize(
    ("language", "japan", "korea"),
    [
        ("ja", "日本", "韓国"),
        ("ko", "일본", "대한민국"),
        ("zh-hans", "日本", "韩国"),
        ("vi", "Nhật Bản", "Hàn Quốc"),
    ],
)
def test_country_names_come_from_django_countries_catalogues(language, japan, korea):
    from django_countries import countries

    with translation.override(language):
        assert (countries.name("JP"), countries.name("KR")) == (japan, korea)
