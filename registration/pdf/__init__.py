"""The registration's printed documents (WeasyPrint): badges and their print sheets, the visa
invitation letter, the receipt and the certificate of attendance. One module per document;
`rendering` holds what they share (the safe URL fetcher of the programme book, QR codes)."""
