"""The `scrutiny` group, and the one place errors become what a user sees."""
from __future__ import annotations

import sys
import traceback
from typing import Any

import click

from ..errors import ScrutinyError, log, summarise


class Failure(click.ClickException):
    """A domain error as the user sees it: `error: <one line>` on stderr, exit code 1."""

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.message}", err=True)


class Commands(click.Group):
    """The one place errors become what a user sees."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise  # click's own: usage errors, exits
        except ScrutinyError as exc:
            raise Failure(str(exc)) from None
        except BrokenPipeError:  # stdout closed early (`scrutiny export | head`): nothing more to say
            sys.stderr.close()
            ctx.exit(1)
        except OSError as exc:  # a file named on the command line that cannot be read or written
            raise Failure(f"{exc.filename}: {exc.strerror}" if exc.filename else summarise(exc)) from None
        except Exception as exc:  # noqa: BLE001 - a bug: one line for the user, the traceback in the log
            log.error("internal error\n%s", traceback.format_exc())
            raise Failure(f"internal error ({summarise(exc)}); "
                           "--verbose, where a command has it, prints the traceback") from None


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="scrutiny", message="scrutiny %(version)s")
def app() -> None:
    """Read, check and compare section 55 responses to HMICFRS inspection reports."""


@app.group()
def reports() -> None:
    """The inspection-report catalogue."""

