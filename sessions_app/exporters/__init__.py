"""The programme's exports, each rendered from a release's snapshot.

EXPORTS maps a file name beneath the programme page to (content type, render function). A render
function takes the snapshot (a release's JSON, or a Snapshot already read in that language),
the base URL of the site and the language, and returns bytes; it is given the typed snapshot
read in that language (sessions_app/snapshot.py: organizers' translations in place, the source
where there is none, and each row's "fallback": services/snapshot_i18n.py).
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass

from sessions_app.snapshot import Snapshot


@dataclass(frozen=True)
class Export:
    content_type: str
    render: Callable[..., bytes]


EXPORTS: dict[str, Export] = {}


def register(name: str, content_type: str):
    def decorator(render: Callable[..., bytes]) -> Callable[..., bytes]:
        @functools.wraps(render)
        def render_in_language(snapshot, *args, language: str, **kwargs) -> bytes:
            typed = Snapshot.read(snapshot, language)
            return render(typed, *args, language=language, **kwargs)

        EXPORTS[name] = Export(content_type=content_type, render=render_in_language)
        return render_in_language

    return decorator


# The formats register themselves on import; they import `register` from above.
from sessions_app.exporters import frab, ical  # noqa: E402, F401
from sessions_app.pdf import programme  # noqa: E402, F401
