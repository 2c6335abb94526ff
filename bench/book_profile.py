"""Where the programme book's time goes (issue 14): one render of the bench edition's book,
phase by phase, with the layouts counted and optionally a cProfile.

Run inside a tree set up like bench/speed.py's subprocesses (its database and Redis), e.g.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/forum_book_bench_head \
    REDIS_URL=redis://127.0.0.1:6379/13 REDIS_CACHE_URL=redis://127.0.0.1:6379/13 \
    .venv/bin/python bench/book_profile.py en [--profile /tmp/book.prof] [--html /tmp/book.html]

Prints, as JSON: the CPU seconds of building the context and template (html), of the font
stylesheet (fonts), of WeasyPrint's layout (layout) and of writing the PDF (pdf); the pages laid
out (`make_page` calls, more than the pages when something is laid out again), the lines
(`split_first_line` calls: Pango asked to break a line), the @font-face faces, the pages and
bytes. With `perf` on the PATH the instruction count is better still: `perf stat -e
instructions .venv/bin/python bench/book_profile.py en`.
"""

import argparse
import cProfile
import gc
import io
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("language")
    parser.add_argument("--profile", help="write a cProfile of the whole render to this file")
    parser.add_argument("--html", help="write the book's HTML to this file")
    parser.add_argument("--slug", default="2031-bench")
    args = parser.parse_args()

    sys.path.insert(0, str(HERE))
    os.chdir(HERE)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
    import django

    django.setup()

    import pypdf
    from django.conf import settings
    from django.utils import timezone, translation
    from weasyprint import CSS, HTML
    from weasyprint.layout import page as layout_page
    from weasyprint.text import line_break
    from weasyprint.text.fonts import FontConfiguration

    from forum.documents import fonts
    from forum.documents.fetcher import SafeURLFetcher
    from sessions_app.models import Release
    from sessions_app.pdf import programme
    from sessions_app.snapshot import Snapshot

    counts = {"make_page": 0, "split_first_line": 0}

    def counted(module, name):
        original = getattr(module, name)

        def wrapper(*a, **k):
            counts[name] += 1
            return original(*a, **k)

        setattr(module, name, wrapper)

    counted(layout_page, "make_page")
    counted(line_break, "split_first_line")
    # The modules that imported split_first_line by name.
    from weasyprint.layout import inline, preferred

    for module in (inline, preferred):
        if hasattr(module, "split_first_line"):
            module.split_first_line = line_break.split_first_line

    data = Release.objects.filter(edition__slug=args.slug).latest("number").snapshot
    language = args.language
    profiler = cProfile.Profile() if args.profile else None
    times = {}
    if profiler:
        profiler.enable()
    start_all = time.process_time()
    # As render_programme_pdf: the cyclic garbage collector off meanwhile.
    with translation.override(language), fonts.collector_paused():
        start = time.process_time()
        snapshot = Snapshot.read(data, language)
        tz = timezone.zoneinfo.ZoneInfo(snapshot.edition.time_zone)
        with timezone.override(tz):
            html = programme.programme_html(snapshot, base_url=settings.SITE_URL)
        times["html"] = time.process_time() - start

        start = time.process_time()
        stylesheet = fonts.font_stylesheet(html, language, latin=programme.LATIN_FAMILY)
        times["fonts"] = time.process_time() - start

        start = time.process_time()
        font_config = FontConfiguration()
        fetcher = SafeURLFetcher()
        base_url = settings.SITE_URL.rstrip("/") + "/"
        css = CSS(
            string=stylesheet, font_config=font_config, url_fetcher=fetcher, base_url=base_url
        )
        document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
            stylesheets=[css], font_config=font_config
        )
        times["layout"] = time.process_time() - start

        start = time.process_time()
        body = document.write_pdf()
        times["pdf"] = time.process_time() - start
        del document
    times["total"] = time.process_time() - start_all
    # The cyclic garbage the render left: none, as the collection that runs as soon as the
    # collector is on again (within the total) frees it; the time is a full collection's.
    start = time.process_time()
    counts["gc_after_objects"] = gc.collect()
    times["gc_after"] = time.process_time() - start
    if profiler:
        profiler.disable()
        profiler.dump_stats(args.profile)
    if args.html:
        Path(args.html).write_text(html, encoding="utf-8")
    print(
        json.dumps(
            {
                **{f"{key}_cpu_s": round(value, 3) for key, value in times.items()},
                **counts,
                "font_faces": stylesheet.count("@font-face"),
                "pages": len(pypdf.PdfReader(io.BytesIO(body)).pages),
                "bytes": len(body),
            }
        )
    )


if __name__ == "__main__":
    main()
