"""Documents: the one module every PDF and every generated or private file goes through.

- `storage`: the private storage of generated files and Wagtail documents, signed links, the
  "being prepared" page and the once-only render lock (re-exported here: migrations and
  settings name `forum.documents.private_storage`, `forum.documents.PrivateStorage`).
- `fetcher`: the only URL fetcher WeasyPrint gets (the site's static and media files, the PDF
  fonts and data: URLs).
- `fonts`: the Noto font slices every script needs, and `write_pdf`, the one call to WeasyPrint.
- `rendering`: a template rendered in a language and printed (`render_pdf`), QR codes and
  checked colours for the registration documents.
- `checks`: the system check that says when the fonts are missing.

This package is the core's: it never imports a feature app (see docs/ARCHITECTURE.md).
WeasyPrint is imported only by `fetcher`, `fonts` and `rendering`, so that importing the storage
(every request that serves a file) does not load it.
"""

from forum.documents.storage import (
    PRIVATE_MEDIA_FOLDERS,
    PRIVATE_STORAGE_ALIAS,
    RENDER_LOCK_PREFIX,
    RENDER_LOCK_SECONDS,
    RETRY_AFTER_SECONDS,
    SIGNED_LINK_SALT,
    MediaStorage,
    PrivateStorage,
    being_prepared,
    delete_private,
    file_response,
    private_storage,
    random_folder,
    read_private,
    release_render_lock,
    render_lock_key,
    save_private,
    serve_signed_file,
    siblings,
    signed_file_url,
    start_render_once,
)

__all__ = [
    "PRIVATE_MEDIA_FOLDERS",
    "PRIVATE_STORAGE_ALIAS",
    "RENDER_LOCK_PREFIX",
    "RENDER_LOCK_SECONDS",
    "RETRY_AFTER_SECONDS",
    "SIGNED_LINK_SALT",
    "MediaStorage",
    "PrivateStorage",
    "being_prepared",
    "delete_private",
    "file_response",
    "private_storage",
    "random_folder",
    "read_private",
    "release_render_lock",
    "render_lock_key",
    "save_private",
    "serve_signed_file",
    "siblings",
    "signed_file_url",
    "start_render_once",
]
