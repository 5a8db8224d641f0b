"""``followup serve``: the web app on this machine."""

from __future__ import annotations

import errno
import ipaddress
import re
import socket

import click

from followup.entrypoints.cli.base import Env, pass_env
from followup.errors import InvalidInput

LOCAL = ("127.0.0.1", "localhost", "::1")
HOST_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]{0,252}")


def _host_names(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> tuple[str, ...]:
    """Each ``--allow-host`` is a host name or an IP address, nothing more (no port)."""
    for value in values:
        try:
            ipaddress.ip_address(value.strip("[]"))
        except ValueError:
            if not HOST_NAME.fullmatch(value):
                raise click.BadParameter(
                    f"{value!r} is not a host name or an IP address", ctx, param
                ) from None
    return values


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. The default lets only this machine connect; the app has no "
    "password, so open it to a network only if you trust everyone on it.",
)
@click.option(
    "--port", default=8765, show_default=True, type=click.IntRange(1, 65535), help="Port to use."
)
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    callback=_host_names,
    metavar="NAME",
    help="Another name or address the app answers to (repeat for more), e.g. the name "
    "other machines reach it by. Requests for any other host are refused.",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the app in your browser.")
@pass_env
def serve(env: Env, host: str, port: int, allow_hosts: tuple[str, ...], open_browser: bool) -> None:
    """Serve the web app: today's plan, your applications, one click from action to record."""
    import uvicorn  # noqa: PLC0415 - the web stack loads only for this command

    from followup import bootstrap  # noqa: PLC0415
    from followup.entrypoints.web.app import create_app  # noqa: PLC0415
    from followup.entrypoints.web.security import allowed_hosts  # noqa: PLC0415

    db = bootstrap.database_path(env.db)
    env.deps  # noqa: B018 - open (and migrate) the database now: errors show before serving
    env.close()
    sock = listening(host, port)  # before saying "serving": a port in use is one line
    app = create_app(
        lambda: bootstrap.build(db),
        host=host,
        port=port,
        make_mailer=bootstrap.mailer,
        allow_hosts=allow_hosts,
    )
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    click.echo(f"followup is serving {db} at {url}")
    if host in LOCAL:
        click.echo("Only this machine can connect (--host to change). Stop with Ctrl-C.")
    else:
        click.echo(
            click.style(
                f"Warning: listening on {host}: anyone who can reach it sees your job search.",
                fg="yellow",
            ),
            err=True,
        )
        names = sorted(n for n in allowed_hosts(host, port, allow_hosts) if n.endswith(f":{port}"))
        click.echo(f"It answers to {', '.join(names)} (--allow-host for another name).")
    if open_browser:
        import webbrowser  # noqa: PLC0415

        webbrowser.open(url)
    config = uvicorn.Config(
        app, host=host, port=port, workers=1, log_level="warning", server_header=False
    )
    uvicorn.Server(config).run(sockets=[sock])


def listening(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port``, as uvicorn would bind it, or a refusal that
    says why in one line (uvicorn logs its own error, then exits 3: "not found")."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        if e.errno == errno.EADDRINUSE:
            reason = f"{port} is already in use on {host} (another followup serve?)"
        elif e.errno == errno.EACCES:
            reason = f"{port} needs privileges this user lacks on {host}"
        else:
            reason = f"cannot listen on {host} port {port} ({e.strerror or e})"
        raise InvalidInput(f"--port: {reason}: choose another port with --port") from None
    sock.set_inheritable(True)
    return sock
