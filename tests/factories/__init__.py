"""factory_boy factories for the project's models."""

import datetime

import factory
from django.contrib.auth import get_user_model
from wagtail.models import Locale

from cms.models import EditionPage, HomePage, NewsIndexPage, NewsPage
from forum.enums import OrganizationKind
from forum.models import Edition, Organization


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Cooperative {n}")
    kind = OrganizationKind.COOPERATIVE
    country = "JP"


class EditionFactory(factory.django.DjangoModelFactory):
    """A future edition; numbers and years start well after the demo's."""

    class Meta:
        model = Edition

    number = factory.Sequence(lambda n: 100 + n)
    year = factory.Sequence(lambda n: 2030 + n)
    slug = factory.LazyAttribute(lambda e: f"{e.year}-city{e.number}")
    name = factory.LazyAttribute(lambda e: f"AFSE {e.year}")
    city = factory.LazyAttribute(lambda e: f"City {e.number}")
    country = "TH"
    time_zone = "Asia/Bangkok"
    start_date = factory.LazyAttribute(lambda e: datetime.date(e.year, 10, 1))
    end_date = factory.LazyAttribute(lambda e: datetime.date(e.year, 10, 4))


def add_edition_with_page(**kwargs) -> EditionPage:
    """An edition and its published page under the English home page, through the service."""
    from cms.services import create_edition_with_page

    edition = EditionFactory.build(**kwargs)
    return create_edition_with_page(edition=edition, publish=True)


def add_news(index: NewsIndexPage, *, title: str, date: datetime.date, **fields) -> NewsPage:
    page = NewsPage(title=title, date=date, **fields)
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def english_home() -> HomePage:
    return HomePage.objects.get(locale=Locale.objects.get(language_code="en"))
