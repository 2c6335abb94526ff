"""Extension points the core owns, so that one feature adds a part to another feature's page
without either importing the other (docs/ARCHITECTURE.md, "The layers").

`register_session_panel(provider)`: a provider adds a panel to a session's public page (the
programme's `sessions/<slug>/`). Registration registers one that shows the seats left of a
session with limited seats and offers the sign-up or a waiting-list place.

A provider is called as `provider(request=…, edition=…, session_slug=…)` and returns a `Panel`
or None (nothing to add). A panel whose content changes with time or with the visitor says so
(`public=False`): the page is then rendered for each request, never stored by the page cache.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Panel:
    html: SafeString
    # True only if the panel is the same for every anonymous visitor until the next release.
    public: bool = False


_session_panel_providers: list[Callable[..., Panel | None]] = []


def register_session_panel(provider: Callable[..., Panel | None]):
    """Add `provider` (once) to the session page's panels; usable as a decorator."""
    if provider not in _session_panel_providers:
        _session_panel_providers.append(provider)
    return provider


def session_panels(*, request, edition, session_slug: str) -> list[Panel]:
    """The panels the features add to the page of session `session_slug`, in registration
    order."""
    panels = []
    for provider in _session_panel_providers:
        panel = provider(request=request, edition=edition, session_slug=session_slug)
        if panel is not None:
            panels.append(panel)
    return panels
