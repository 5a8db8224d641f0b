"""Use cases that record an application's contacts.

Each write is one transaction (:mod:`.records`), validated before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from followup.domain.model import (
    Application,
    Contact,
    Role,
)
from followup.errors import Duplicate, InvalidInput, NotFound
from followup.services.records import (
    Saved,
    _saved,
    check_text,
    child_id,
    slug,
)
from followup.services.session import Deps, Session, writing

# --- contacts -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ContactInput:
    name: str | None = None
    role: Role | None = None
    email: str | None = None
    phone: str | None = None
    name_confirmed: bool | None = None
    #: True: the address works again (clears a bounce's mark; a new address clears it too).
    email_ok: bool | None = None


def _checked_contact(deps: Deps, session: Session, base: Contact, data: ContactInput) -> Contact:
    name = check_text(data.name, "name", required=False) if data.name is not None else None
    if data.name is not None and not name:
        raise InvalidInput("name cannot be empty", field="name")
    email, phone = base.email, base.phone
    try:
        if data.email is not None:
            email = deps.details.email(data.email) if data.email.strip() else None
    except ValueError as e:
        raise InvalidInput(str(e), field="email") from None
    try:
        if data.phone is not None:
            phone = (
                deps.details.phone(data.phone, session.settings.country)
                if data.phone.strip()
                else None
            )
    except ValueError as e:
        raise InvalidInput(str(e), field="phone") from None
    renamed = name is not None and name != base.name
    confirmed = base.name_confirmed and not renamed
    if data.name_confirmed is not None:
        confirmed = data.name_confirmed
    failed_on = base.email_failed_on
    if data.email_ok or email != base.email:
        failed_on = None
    return Contact(
        id=base.id,
        name=name or base.name,
        role=data.role or base.role,
        email=email,
        phone=phone,
        name_confirmed=confirmed,
        email_failed_on=failed_on,
    )


def add_contact(
    deps: Deps,
    app_id: str,
    data: ContactInput,
    *,
    contact_id: str | None = None,
    now: datetime | None = None,
    duplicate_ok: bool = False,
) -> tuple[Contact, Saved]:
    """A contact named as one the application already has is refused as
    :class:`Duplicate` unless ``duplicate_ok``: it is most often the same person again
    (the second would get the key ``name-2``)."""
    if not data.name or not data.name.strip():
        raise InvalidInput("a contact needs a name", field="name")
    with writing(deps, now) as s:
        app = s.application(app_id)
        taken = [c.id for c in app.contacts]
        new_id = child_id(contact_id, slug(data.name, "contact"), taken, "contact", app_id)
        base = Contact(new_id, data.name.strip(), data.role or Role.INTERVIEWER)
        contact = _checked_contact(deps, s, base, data)
        if not duplicate_ok:
            check_new_name(app, contact)
        return contact, _saved(s, replace(app, contacts=(*app.contacts, contact)))


def edit_contact(
    deps: Deps,
    app_id: str,
    contact_id: str,
    data: ContactInput,
    now: datetime | None = None,
    duplicate_ok: bool = False,
) -> tuple[Contact, Saved]:
    """A rename to the name of another of the application's contacts is refused as
    :class:`Duplicate` unless ``duplicate_ok``, as :func:`add_contact` refuses it."""
    with writing(deps, now) as s:
        app = s.application(app_id)
        old = _contact(app, contact_id)
        new = _checked_contact(deps, s, old, data)
        if not duplicate_ok and same_name(new.name) != same_name(old.name):
            check_new_name(app, new)
        contacts = tuple(new if c.id == contact_id else c for c in app.contacts)
        return new, _saved(s, replace(app, contacts=contacts))


def same_name(name: str) -> str:
    """A name as two spellings of it compare: case and spacing aside."""
    return " ".join(name.split()).casefold()


def check_new_name(app: Application, contact: Contact) -> None:
    """No other contact of ``app`` goes by ``contact``'s name (:class:`Duplicate` names it)."""
    name = same_name(contact.name)
    for other in app.contacts:
        if other.id != contact.id and same_name(other.name) == name:
            raise Duplicate(
                f"{app.id} already has a contact named {other.name} ({other.id})",
                other.id,
                field="name",
            )


def _contact(app: Application, contact_id: str, field: str = "contact") -> Contact:
    contact = app.contact(contact_id)
    if contact is None:
        known = ", ".join(c.id for c in app.contacts) or "none yet"
        raise NotFound(f"{app.id} has no contact {contact_id!r} (contacts: {known})", field=field)
    return contact
