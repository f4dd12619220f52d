"""The mail addresses of the units on a 汇总 ledger's list: where 催报 go, and whose return a mail
from an address is (``collect``).

Kept apart from the list itself (``summary_units``), which the office replaces wholesale when it
edits the names: an address survives a reordering of the list.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi_desktop.errors import UsageError
from fazhi_desktop.models.orm import UnitContact
from fazhi_desktop.services.config import mailbox
from fazhi_desktop.services.summary import require_summary, unit_key, units_of


def contacts_of(session: Session, ledger_id: int) -> dict[str, str]:
    """Unit → addresses (``a; b``), for the units that have any, keyed by the listed name."""
    listed = {unit_key(u): u for u in units_of(session, ledger_id)}
    out: dict[str, str] = {}
    for unit, addresses in session.execute(
        select(UnitContact.unit, UnitContact.addresses).where(UnitContact.ledger_id == ledger_id)
    ):
        if addresses:
            out[listed.get(unit_key(unit), unit)] = addresses
    return out


def parse_assignment(text: str) -> tuple[str, str]:
    """``单位=地址[;地址]`` → (unit, ``a; b``); an empty address clears the unit's."""
    unit, sep, addresses = text.partition("=")
    if not sep or not unit.strip():
        raise UsageError(
            f"“{text}”不是“单位=邮箱地址”的形式，例如 --mail 市司法局=sfj@example.gov.cn。"
        )
    try:
        return unit.strip(), mailbox(addresses) if addresses.strip() else ""
    except UsageError as exc:
        raise UsageError(f"{unit.strip()}的邮箱：{exc}") from None


def set_contacts(session: Session, ledger_id: int, values: Mapping[str, str]) -> dict[str, str]:
    """Set (or with ``""`` clear) the addresses of listed units; an unlisted name is refused."""
    require_summary(session, ledger_id)
    listed = {unit_key(u): u for u in units_of(session, ledger_id)}
    for unit in values:
        if unit_key(unit) not in listed:
            raise UsageError(
                f"“{unit}”不在应报单位名单中。请先用 fazhi summary-units --set 把它加入名单，"
                "或核对单位名称。"
            )
    for unit, addresses in values.items():
        name = listed[unit_key(unit)]
        _store(session, ledger_id, name, addresses)
    session.flush()
    return contacts_of(session, ledger_id)


def _store(session: Session, ledger_id: int, unit: str, addresses: str) -> None:
    key = unit_key(unit)
    for row in session.scalars(select(UnitContact).where(UnitContact.ledger_id == ledger_id)):
        if unit_key(row.unit) == key:
            session.delete(row)
    session.flush()
    if addresses:
        session.add(UnitContact(ledger_id=ledger_id, unit=unit, addresses=addresses))


def unit_of_sender(contacts: Mapping[str, str], sender: str) -> str:
    """The unit whose addresses include ``sender`` (compared without case); ``""`` if none, or
    if several units share it (one clerk writing for two units): the file must then say."""
    wanted = sender.strip().lower()
    if not wanted:
        return ""
    units = [
        unit
        for unit, addresses in contacts.items()
        if wanted in {a.strip().lower() for a in addresses.split(";")}
    ]
    return units[0] if len(units) == 1 else ""


def remember_sender(session: Session, ledger_id: int, unit: str, sender: str) -> bool:
    """Keep ``sender`` as the address of a listed ``unit`` that has none yet; True if kept."""
    listed = {unit_key(u): u for u in units_of(session, ledger_id)}
    name = listed.get(unit_key(unit))
    if name is None or not sender or name in contacts_of(session, ledger_id):
        return False
    try:
        address = mailbox(sender)
    except UsageError:  # a From the program could not write back to is no contact
        return False
    _store(session, ledger_id, name, address)
    session.flush()
    return True
