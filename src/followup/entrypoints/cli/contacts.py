"""Contacts: the people at the company, with their details and the spelling of their name (R2)."""

from __future__ import annotations

import click

from followup.domain.model import Contact, Role
from followup.entrypoints.cli.base import Env, json_option, now_option, pass_env
from followup.entrypoints.cli.formatter import Formatter

ROLES = click.Choice([r.value for r in Role])


def confirm_spelling(name: str) -> tuple[str, bool]:
    """R2: read the name back until the user says it is spelled exactly right."""
    while True:
        click.echo(f"Name as recorded: {name}")
        if click.confirm("Is that exactly how they spell it?", default=False):
            return name, True
        corrected = click.prompt(
            "Type it as they spell it (empty: keep it unconfirmed)", default="", show_default=False
        )
        if not corrected.strip():
            return name, False
        name = corrected.strip()


def contact_json(contact: Contact) -> dict[str, object]:
    return {
        "id": contact.id,
        "name": contact.name,
        "role": contact.role.value,
        "email": contact.email,
        "phone": contact.phone,
        "name_confirmed": contact.name_confirmed,
        "email_failed_on": contact.email_failed_on.isoformat() if contact.email_failed_on else None,
    }


@click.group()
def contact() -> None:
    """Record the people you deal with at a company (R2, R10)."""


@contact.command("add")
@click.argument("app_id", metavar="APP")
@click.argument("name")
@click.option("--role", type=ROLES, default="interviewer", show_default=True, help="Their role.")
@click.option("--email", help="Their email address (checked).")
@click.option("--phone", help="Their phone number (checked; the country setting is the default).")
@click.option(
    "--confirmed/--unconfirmed",
    default=None,
    help="Whether the name's spelling is confirmed (default: ask, reading the name back).",
)
@click.option("--id", "contact_id", help="Choose the contact's id (default: from the name).")
@click.option(
    "--yes", is_flag=True, help="Add them even if the application has a contact of that name."
)
@json_option
@now_option
@pass_env
def add(
    env: Env,
    app_id: str,
    name: str,
    role: str,
    email: str | None,
    phone: str | None,
    confirmed: bool | None,
    contact_id: str | None,
    yes: bool,
    out: Formatter,
) -> None:
    """Add a contact NAME to application APP; the name is read back to check its spelling.

    A name the application already has a contact by is most often the same person again:
    followup asks first, and without a terminal refuses it unless --yes.
    """
    from followup.entrypoints.cli.changes import unless_duplicate  # noqa: PLC0415
    from followup.services import contacts  # noqa: PLC0415

    if confirmed is None:
        name, confirmed = confirm_spelling(name)
    data = contacts.ContactInput(
        name=name, role=Role(role), email=email, phone=phone, name_confirmed=confirmed
    )
    added = unless_duplicate(
        env,
        lambda ok: contacts.add_contact(
            env.deps, app_id, data, contact_id=contact_id, now=env.now, duplicate_ok=ok
        ),
        yes,
        "add",
        "added",
        show=app_id,
    )
    if added is None:
        return
    new, _ = added

    def text() -> None:
        details = ", ".join(x for x in (new.email, new.phone) if x) or "no email or phone yet"
        click.echo(f"Added {new.id}: {new.name} ({new.role.value}; {details}).")
        if not new.name_confirmed:
            click.echo("The spelling is not confirmed: check it before writing to them (R2).")

    out.show(lambda: contact_json(new), text)


@contact.command("edit")
@click.argument("app_id", metavar="APP")
@click.argument("contact_id", metavar="CONTACT")
@click.option("--name", help="The corrected name.")
@click.option("--role", type=ROLES, help="Their role.")
@click.option("--email", help="Their email address (empty to remove).")
@click.option("--phone", help="Their phone number (empty to remove).")
@click.option("--confirmed/--unconfirmed", default=None, help="Whether the spelling is confirmed.")
@click.option(
    "--email-ok", is_flag=True, help="The address works again: clear the mark a bounce left."
)
@click.option(
    "--yes", is_flag=True, help="Rename them even to the name of another of its contacts."
)
@json_option
@now_option
@pass_env
def edit(
    env: Env,
    app_id: str,
    contact_id: str,
    name: str | None,
    role: str | None,
    email: str | None,
    phone: str | None,
    confirmed: bool | None,
    email_ok: bool,
    yes: bool,
    out: Formatter,
) -> None:
    """Change a contact's details, or confirm the spelling of their name.

    A new name another of the application's contacts goes by asks first, as `contact add`
    does (without a terminal: refused unless --yes).
    """
    from followup.entrypoints.cli.changes import unless_duplicate  # noqa: PLC0415
    from followup.services import contacts  # noqa: PLC0415

    data = contacts.ContactInput(
        name=name,
        role=Role(role) if role else None,
        email=email,
        phone=phone,
        name_confirmed=confirmed,
        email_ok=email_ok or None,
    )
    edited = unless_duplicate(
        env,
        lambda ok: contacts.edit_contact(
            env.deps, app_id, contact_id, data, now=env.now, duplicate_ok=ok
        ),
        yes,
        "save",
        "saved",
        show=app_id,
    )
    if edited is None:
        return
    changed, _ = edited

    def text() -> None:
        spelled = "confirmed" if changed.name_confirmed else "not confirmed"
        click.echo(f"Saved {changed.id}: {changed.name} (spelling {spelled}).")
        if changed.email_failed_on is not None:
            click.echo(
                f"Mail to {changed.email} bounced on {changed.email_failed_on}: followup does not "
                "email it (--email-ok when it works again)."
            )

    out.show(lambda: contact_json(changed), text)


@contact.command("delete")
@click.argument("app_id", metavar="APP")
@click.argument("contact_id", metavar="CONTACT")
@json_option
@now_option
@pass_env
def delete(env: Env, app_id: str, contact_id: str, out: Formatter) -> None:
    """Delete a contact; refused while an interview or a touch names them (correct those first)."""
    from followup.entrypoints.cli.changes import newest_entry, report_change  # noqa: PLC0415
    from followup.services import corrections  # noqa: PLC0415

    before = newest_entry(env)
    corrections.delete_contact(env.deps, app_id, contact_id, now=env.now)

    def text() -> None:
        click.echo(f"Deleted {contact_id} from {app_id}.")
        report_change(env, before)

    out.show({"deleted": contact_id, "application": app_id}, text)
