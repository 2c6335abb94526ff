"""The registration's printed documents (WeasyPrint): badges and their print sheets, the visa
invitation letter, the receipt and the certificate of attendance. One module per document;
what they share (the safe URL fetcher, the fonts, QR codes, checked colours) is the core's
documents module, forum.documents.rendering."""
