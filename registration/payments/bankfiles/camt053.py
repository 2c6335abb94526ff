"""CAMT.053 (ISO 20022 bank-to-customer statement) XML, read with lxml; entities and
network access are off, so a hostile file reads nothing beyond itself."""

import datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from lxml import etree

from registration.payments.bankfiles import StatementError, StatementLine


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True
    )


def _first(element, path: str) -> str:
    found = element.xpath(path)
    if not found:
        return ""
    value = found[0]
    return (value if isinstance(value, str) else (value.text or "")).strip()


def _local(path: str) -> str:
    """An XPath over local names: the namespace varies with the version (camt.053.001.02…)."""
    return "/".join(
        part if part in (".", "..", "") else f"*[local-name()='{part}']" for part in path.split("/")
    )


def parse(data: bytes) -> list[StatementLine]:
    """The credit entries of the CAMT.053 `data`."""
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as error:
        raise StatementError(
            _("This XML file cannot be read: %(error)s") % {"error": str(error)[:200]}
        ) from None
    if not root.xpath("//" + _local("BkToCstmrStmt")):
        raise StatementError(_("This is not a CAMT.053 statement (no BkToCstmrStmt)."))
    lines = []
    for entry in root.xpath("//" + _local("Ntry")):
        if _first(entry, _local("CdtDbtInd")) != "CRDT":
            continue
        amount_nodes = entry.xpath(_local("Amt"))
        if not amount_nodes:
            continue
        try:
            amount = Decimal((amount_nodes[0].text or "").strip()).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise StatementError(_("An entry has an amount that is not a number.")) from None
        day = (
            _first(entry, _local("BookgDt/Dt"))
            or _first(entry, _local("BookgDt/DtTm"))[:10]
            or _first(entry, _local("ValDt/Dt"))
        )
        try:
            booked_on = datetime.date.fromisoformat(day[:10])
        except ValueError:
            raise StatementError(_("An entry has no booking date.")) from None
        texts = []
        for path in (
            "NtryDtls/TxDtls/RmtInf/Ustrd",
            "NtryDtls/TxDtls/RmtInf/Strd/CdtrRefInf/Ref",
            "NtryDtls/TxDtls/Refs/EndToEndId",
            "NtryDtls/TxDtls/RltdPties/Dbtr/Nm",
            "AddtlNtryInf",
        ):
            for node in entry.xpath(_local(path)):
                value = (node.text or "").strip()
                if value and value != "NOTPROVIDED" and value not in texts:
                    texts.append(value)
        lines.append(
            StatementLine(
                booked_on=booked_on,
                amount=amount,
                currency=(amount_nodes[0].get("Ccy") or "")[:3],
                text=" ".join(texts),
            )
        )
    return lines
