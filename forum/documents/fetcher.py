"""The only URL fetcher WeasyPrint gets: the project's own static and media files, and data: URLs.

WeasyPrint's default fetcher opens any URL (http, https, ftp, file), so a PDF built from user
text could read local files or reach internal hosts. This one never touches the network or the
file system beyond STATIC (through the staticfiles finders, then STATIC_ROOT), MEDIA_ROOT and the
WOFF2 font files of PDF_FONTS_DIR (under /pdf-fonts/, see forum.documents.fonts); everything else
raises ValueError, which WeasyPrint logs as a resource that failed to load.
"""

import base64
import binascii
import logging
import mimetypes
import struct
import zlib
from pathlib import Path
from urllib import request
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# The prefix of the PDF fonts (forum.documents.fonts.FONT_URL): not a route of the site, only
# a name this fetcher maps to settings.PDF_FONTS_DIR.
FONT_URL = "/pdf-fonts/"

# A stylesheet, a font or a photo; nothing the programme book needs is larger.
MAX_BYTES = 20 * 1024 * 1024


def safe_url_fetcher(url: str, timeout: float = 10, ssl_context=None) -> URLFetcherResponse:
    """Serve `url` if it is a data: URL or one of the site's static or media files.

    Accepted forms: `data:…`, `/static/…`, `/media/…`, `/pdf-fonts/…` and the same paths beneath
    settings.SITE_URL (or an absolute STATIC_URL/MEDIA_URL). `timeout` and `ssl_context` are
    accepted for WeasyPrint's signature and unused: nothing here opens a connection.
    Raises ValueError for everything else, including paths that leave their root.
    """
    if url[:5].lower() == "data:":
        return _data_response(url)
    for prefix, resolve in (
        (settings.STATIC_URL, _static_file),
        (settings.MEDIA_URL, _media_file),
        (FONT_URL, _font_file),
    ):
        relative = _relative_to(url, prefix)
        if relative is not None:
            return _file_response(url, resolve(relative))
    raise ValueError(f"Refused to fetch {url!r}: not a static or media file of this site")


class SafeURLFetcher(URLFetcher):
    """safe_url_fetcher in the shape WeasyPrint 70 requires (a URLFetcher instance).

    The opener is built without any urllib handler, so even a call that bypassed fetch()
    could open nothing.
    """

    def __init__(self, timeout: float = 10, ssl_context=None):
        request.OpenerDirector.__init__(self)  # no handlers: no http, ftp or file opener
        self._timeout = timeout
        self._ssl_context = ssl_context
        self._http_headers = {}
        self._allowed_protocols = ("data", "http", "https")
        self._fail_on_errors = False
        self._request = None

    def fetch(self, url, headers=None):
        try:
            response = safe_url_fetcher(url, self._timeout, self._ssl_context)
        except ValueError:
            logger.warning("PDF resource refused: %s", url)
            raise
        logger.debug("PDF resource served: %s", url)
        return response


def _path_on_site(url: str) -> str | None:
    """The unquoted path of a URL of this site (a bare path or beneath SITE_URL), else None."""
    site = settings.SITE_URL.rstrip("/")
    if url.startswith("/") and not url.startswith("//"):
        path = url
    elif site and url.startswith(site + "/"):
        path = url[len(site) :]
    else:
        return None
    return unquote(urlsplit(path).path)


def _relative_to(url: str, prefix: str) -> str | None:
    """The unquoted rest of the URL's path after STATIC_URL or MEDIA_URL, else None.

    A prefix that is a path ("/static/") matches beneath SITE_URL or as a bare path; an
    absolute one (a CDN, a media host) matches as it is.
    """
    if not prefix:
        return None
    if urlsplit(prefix).scheme:
        if not url.startswith(prefix):
            return None
        path, prefix = unquote(urlsplit(url).path), urlsplit(prefix).path
    else:
        path = _path_on_site(url)
        if path is None or not path.startswith(prefix):
            return None
    relative = path[len(prefix) :]
    if not relative or "\x00" in relative:
        return None
    return relative


def _inside(root: Path, relative: str) -> Path | None:
    """root/relative, if it resolves to a file inside root (symlinks and '..' followed)."""
    root = Path(root).resolve()
    candidate = (root / relative.lstrip("/")).resolve()
    if candidate.is_relative_to(root) and candidate.is_file():
        return candidate
    return None


def _static_file(relative: str) -> Path:
    if ".." in Path(relative).parts:
        raise ValueError(f"Refused static path {relative!r}")
    try:
        found = finders.find(relative)
    except SuspiciousFileOperation as error:
        raise ValueError(f"Refused static path {relative!r}") from error
    if found:
        return Path(found).resolve()
    if settings.STATIC_ROOT and (path := _inside(Path(settings.STATIC_ROOT), relative)):
        return path
    raise ValueError(f"No static file {relative!r}")


def _media_file(relative: str) -> Path:
    path = _inside(Path(settings.MEDIA_ROOT), relative)
    if path is None:
        raise ValueError(f"Refused media path {relative!r}")
    return path


def _font_file(relative: str) -> Path:
    if not relative.endswith((".woff2", ".woff")):
        raise ValueError(f"Refused font path {relative!r}: not a WOFF font")
    path = _inside(Path(settings.PDF_FONTS_DIR), relative)
    if path is None:
        raise ValueError(f"Refused font path {relative!r}")
    return path


def _file_response(url: str, path: Path) -> URLFetcherResponse:
    if path.stat().st_size > MAX_BYTES:
        raise ValueError(f"Refused {url!r}: larger than {MAX_BYTES} bytes")
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    body = path.read_bytes()
    if path.suffix == ".woff" and body[:4] == b"wOFF":
        # WeasyPrint turns a WOFF font into a plain one with fontTools, which reads and writes
        # every table: 20-40 ms a slice, a second or two for the 40-55 slices of the programme
        # book (issue 14). Unpacking the tables is all it takes, and takes a millisecond.
        body, content_type = sfnt_from_woff(body), "font/sfnt"
    # The response keeps the URL asked for, so that url() inside a stylesheet resolves
    # against the site again (and comes back through this fetcher), not against file://.
    return URLFetcherResponse(url, body, {"Content-Type": content_type})


def woff_directory(woff: bytes) -> list[tuple[bytes, int, int, int, int]]:
    """The table directory of a WOFF 1.0 font (https://www.w3.org/TR/WOFF/): for each table,
    its tag, offset, compressed and original lengths and checksum. `woff` needs to hold only
    the header and the directory. Raises ValueError for a file that is not one."""
    try:
        signature, _flavor, _length, count = struct.unpack_from(">4sIIH", woff, 0)
        if signature != b"wOFF" or count == 0:
            raise ValueError("Not a WOFF font")
        return [struct.unpack_from(">4sIIII", woff, 44 + 20 * index) for index in range(count)]
    except struct.error as error:
        raise ValueError("Malformed WOFF font") from error


def woff_table(entry: tuple[bytes, int, int, int, int], stored: bytes) -> bytes:
    """A table of a WOFF font as its directory `entry` describes it, from its `stored` bytes
    (inflated if they are compressed). Raises ValueError if they do not make the table."""
    _tag, _offset, compressed, length, _checksum = entry
    try:
        data = zlib.decompress(stored) if compressed < length else stored
    except zlib.error as error:
        raise ValueError("Malformed WOFF font") from error
    if len(data) != length:
        raise ValueError("Malformed WOFF table")
    return data


def sfnt_from_woff(woff: bytes) -> bytes:
    """A WOFF 1.0 font as the TrueType/OpenType font it wraps: the same tables, each inflated
    if it was compressed, behind a new table directory. Raises ValueError for a file that is
    not one."""
    entries = woff_directory(woff)
    flavor, count = struct.unpack_from(">I", woff, 4)[0], len(entries)
    tables = [
        (entry[0], entry[4], woff_table(entry, woff[entry[1] : entry[1] + entry[2]]))
        for entry in entries
    ]
    tables.sort()
    power = 1 << (count.bit_length() - 1)  # the largest power of two <= count
    header = struct.pack(
        ">IHHHH", flavor, count, power * 16, power.bit_length() - 1, count * 16 - power * 16
    )
    directory, body = [], []
    offset = 12 + 16 * count
    for tag, checksum, data in tables:
        directory.append(struct.pack(">4sIII", tag, checksum, offset, len(data)))
        padded = data + b"\0" * (-len(data) % 4)
        body.append(padded)
        offset += len(padded)
    return header + b"".join(directory) + b"".join(body)


def _data_response(url: str) -> URLFetcherResponse:
    header, comma, payload = url[5:].partition(",")
    if not comma:
        raise ValueError("Malformed data: URL")
    is_base64 = header.lower().endswith(";base64")
    content_type = (header[: -len(";base64")] if is_base64 else header) or "text/plain"
    raw = unquote_to_bytes(payload)
    if is_base64:
        try:
            raw = base64.b64decode(raw, validate=False)
        except (binascii.Error, ValueError) as error:
            raise ValueError("Malformed base64 in data: URL") from error
    if len(raw) > MAX_BYTES:
        raise ValueError(f"Refused data: URL larger than {MAX_BYTES} bytes")
    return URLFetcherResponse(url, raw, {"Content-Type": content_type})
