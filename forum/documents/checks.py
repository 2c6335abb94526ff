"""System checks of the documents: the fonts of the PDFs (shown by `runserver`, `migrate`
and `check`, so that `make run` says what is missing)."""

from django.core import checks

from forum.documents.fonts import missing_font_packages


@checks.register()
def check_pdf_fonts(app_configs, **kwargs):
    missing = missing_font_packages()
    if not missing:
        return []
    return [
        checks.Warning(
            "The PDFs' fonts are not installed: " + ", ".join(missing) + ".",
            hint="Run `make install` with npm on the PATH (it runs `npm ci`); without them, "
            "PDFs print Japanese, Korean, Chinese, Thai, Devanagari and Bengali text as boxes.",
            id="forum.W001",
        )
    ]
