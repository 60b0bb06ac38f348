"""The responding office's commands: accounts for the web app, and what is due."""
from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

from .app import app
from .output import (
    db_option,
    emit,
    invoked_as,
    known_force,
    open_store,
    output_options,
    say,
    the_day,
    today_option,
)


@app.group()
def users() -> None:
    """Accounts for the web app: who may read, correct, draft, publish."""


ROLE_HELP = "viewer, analyst, staff, approver or administrator."
USER_COLUMNS = ("username", "name", "role", "force", "active")


@users.command("add")
@click.argument("username")
@click.option("--role", required=True, help=ROLE_HELP)
@click.option("--force", metavar="NAME", help="The force they work for (required for staff; an approver may have one).")
@click.option("--name", help="Their full name, as pages and histories show it.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (else one is "
                                                     "generated and printed).")
@db_option
def users_add(username: str, role: str, force: str | None, name: str | None, password_stdin: bool,
              db: str | None) -> None:
    """Add a user; a generated password is printed once (only its hash is kept)."""
    from ..office import users as accounts
    from ..office.permissions import generate_password

    password = sys.stdin.readline().rstrip("\n") if password_stdin else generate_password()
    account = accounts.add_user(open_store(db, create=True), username, name or username, role, password,
                                known_force(force))
    say(f"added {account.username} ({account.role_label}{', ' + account.force if account.force else ''})")
    if not password_stdin:
        say(f"password: {password}")


@users.command("list")
@db_option
@output_options("table")
def users_list(db: str | None, format_: str, output: Path | None) -> None:
    """Every user: name, role, force, whether they may sign in."""
    from ..office import users as accounts

    rows = [{"username": a.username, "name": a.name, "role": a.role, "force": a.force or "",
             "active": "yes" if a.active else "no"} for a in accounts.users(open_store(db))]
    emit(rows, USER_COLUMNS, format_, output, "the users", title="Users")


@users.command("set-role")
@click.argument("username")
@click.argument("role")
@click.option("--force", metavar="NAME", help="The force they work for (staff; an approver may have one).")
@db_option
def users_set_role(username: str, role: str, force: str | None, db: str | None) -> None:
    """Give USERNAME the ROLE (viewer, analyst, staff, approver, administrator); their sessions end."""
    from ..office import users as accounts

    account = accounts.set_role(open_store(db), username, role, known_force(force))
    say(f"{account.username} is now {account.role_label}{' for ' + account.force if account.force else ''}")


@users.command("disable")
@click.argument("username")
@click.option("--enable", is_flag=True, help="Let them sign in again.")
@db_option
def users_disable(username: str, enable: bool, db: str | None) -> None:
    """Stop a user signing in (their sessions end at once); they stay in every history."""
    from ..office import users as accounts

    accounts.set_active(open_store(db), username, enable)
    say(f"{username} {'may sign in again' if enable else 'is disabled'}")


@users.command("reset-password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Set the password read from standard input, rather than "
                                                     "print a one-time link.")
@click.option("--url", "base_url", default="http://127.0.0.1:8055", show_default=True,
              help="Where the web app is reached, to make the link.")
@db_option
def users_reset_password(username: str, password_stdin: bool, base_url: str, db: str | None) -> None:
    """Print a one-time link for USERNAME to set a new password (it works once, within a day; earlier links
    stop working), or set the password given on standard input. Either way their sessions end."""
    from ..office import users as accounts

    store = open_store(db)
    if password_stdin:
        accounts.set_password(store, username, sys.stdin.readline().rstrip("\n"))
        say(f"{username}'s password is set; their sessions have ended")
        return
    token = accounts.reset_link(store, username)
    say(f"{base_url.rstrip('/')}/reset/{token}")


@users.command("init")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Where the web app will listen (to say so).")
@click.option("--port", type=click.IntRange(1, 65535), default=8055, show_default=True)
def users_init(db: str | None, host: str, port: int) -> None:
    """Make a first administrator if there is none (password from $SCRUTINY_ADMIN_PASSWORD, else
    generated and printed), and say how to sign in."""
    from ..office import users as accounts
    from ..office.permissions import generate_password

    store = open_store(db, create=True)
    if accounts.has_administrator(store):
        say(f"Sign in at http://{host}:{port}/login as an administrator (`{invoked_as()} users list` names them).")
        return
    given = os.environ.get("SCRUTINY_ADMIN_PASSWORD")
    password = given or generate_password()
    accounts.add_user(store, "admin", "Administrator", "administrator", password)
    say(f"Made the first administrator. Sign in at http://{host}:{port}/login as admin with password "
         f"{'from $SCRUTINY_ADMIN_PASSWORD' if given else password}")
    say(f"Add people with `{invoked_as()} users add NAME --role staff --force 'Force Name'`.")


DUE_COLUMNS = ("due", "days_left", "kind", "force", "title", "state")


@app.command()
@click.option("--days", type=click.IntRange(0, 3650), default=30, show_default=True, help="Look this many days ahead.")
@click.option("--force", metavar="NAME", help="Only this force's cases and actions (its name or an alias).")
@today_option
@db_option
@output_options("table")
def due(days: int, force: str | None, today: dt.datetime | None, db: str | None, format_: str,
        output: Path | None) -> None:
    """Cases (responses due) and actions (promised steps) due in the next DAYS days, and every overdue one."""
    from ..office import actions

    items = actions.due(open_store(db), None, days, the_day(today), known_force(force))
    emit([vars(i) for i in items], DUE_COLUMNS, format_, output, "what falls due",
          title=f"Due in the next {days} days, and overdue")



@app.group()
def bodies() -> None:
    """The policing bodies, dated, and handing a force's open work to its successor."""


BODY_COLUMNS = ("force", "body", "role", "from", "to")


@bodies.command("list")
@click.option("--force", metavar="NAME", help="Only this force's bodies (its name or an alias).")
@output_options("table")
def bodies_list(force: str | None, format_: str, output: Path | None) -> None:
    """Every force's policing bodies with the days they took office and left it."""
    from ..catalogue import policing

    name = known_force(force)
    rows = [{"force": b.force, "body": b.name, "role": b.role, "from": str(b.start or ""), "to": str(b.end or "")}
            for b in policing.bodies() if name is None or b.force == name]
    emit(rows, BODY_COLUMNS, format_, output, "the policing bodies", title="Policing bodies")


@bodies.command("handover")
@click.argument("force")
@click.option("--on", "day", type=click.DateTime(formats=["%Y-%m-%d"]), required=True,
              help="The day the successor takes over (YYYY-MM-DD): its open work passes to the body in office then.")
@db_option
def bodies_handover(force: str, day: dt.datetime, db: str | None) -> None:
    """Move FORCE's open cases and actions to the policing body in office on the day, keeping their history."""
    from ..office import bodies as handovers

    done = handovers.handover(open_store(db), known_force(force) or force, day.date())
    say(f"{done.force}: {done.cases} open case(s) and {done.actions} open action(s) passed to {done.body} "
        f"from {done.day}")
