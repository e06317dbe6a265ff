"""`scrutiny serve` (the web workspace, reports/web/) and `scrutiny users` (who may sign in to it)."""
from __future__ import annotations

import sys

import click

from cli.common import get_store

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; any other than 127.0.0.1 needs users (`scrutiny users add`).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--open", "open_browser", is_flag=True, help="Open the workspace in the web browser.")
@click.option("--sign-in/--no-sign-in", "sign_in", default=None,
              help="Ask people to sign in [default: only when bound to an address other than 127.0.0.1].")
@click.option("--secure-cookies", is_flag=True,
              help="Mark cookies Secure even when the proxy in front does not say the request came over https.")
@click.pass_context
def serve(ctx, host, port, open_browser, sign_in, secure_cookies):
    """Serve the web workspace: Search, Documents, Tracker, Compare, Timeline, Ingest and a JSON API (/api).

    On 127.0.0.1 (the default) no one signs in and changes are made as the account running it. Bound to
    any other address it refuses to start until users exist (`scrutiny users add NAME --role editor`);
    put it behind a proxy that terminates TLS.

    \b
    Example: scrutiny serve --open
    """
    from kb.corrections import who
    from kb.users import count_users
    from reports.web.core import Settings

    local = host in LOCAL_HOSTS
    if not local and sign_in is False:
        raise click.UsageError(f"--no-sign-in: {host} can be reached from other machines; sign-in is needed there")
    sign_in = (not local) if sign_in is None else sign_in
    store = get_store(ctx, readonly=False)
    try:
        users = count_users(store)
    finally:
        store.close()
    if sign_in and not users:
        raise click.ClickException(f'no users in "{ctx.obj["home"]}": add one before serving {host} '
                                   "(scrutiny users add NAME --role admin)")
    settings = Settings(home=ctx.obj["home"], sign_in=sign_in, local_user=who(),
                        secure_cookies=True if secure_cookies else None,
                        allowed_hosts=("127.0.0.1", "localhost", "::1") if local else None)
    _run(settings, host, port, open_browser)


def _run(settings, host: str, port: int, open_browser: bool) -> None:
    import threading
    import webbrowser

    import uvicorn

    from reports.web.app import create_app

    url = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    click.echo(f"Scrutiny KB workspace at {url} (knowledge base {settings.home}; Ctrl-C to stop)", err=True)
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning", proxy_headers=True,
                forwarded_allow_ips="127.0.0.1", server_header=False)


@click.group()
def users():
    """Who may sign in to `scrutiny serve` on a shared server (viewer, editor or admin)."""


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["viewer", "editor", "admin"]), required=True,
              help="viewer: reads; editor: also corrects and ingests; admin: also ingests server folders.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (else it is asked).")
@click.option("--replace", is_flag=True, help="Set a new password and role for an existing user.")
@click.pass_context
def add_user(ctx, name, role, password_stdin, replace):
    """Add user NAME (the password is stored only as a bcrypt hash)."""
    from kb.corrections import who
    from kb.users import UserError, add_user

    password = sys.stdin.readline().rstrip("\n") if password_stdin else click.prompt(
        "Password", hide_input=True, confirmation_prompt=True)
    store = get_store(ctx, readonly=False)
    try:
        add_user(store, name, password, role, by=who(), replace=replace)
    except UserError as e:
        raise click.ClickException(str(e)) from None
    finally:
        store.close()
    click.echo(f"user {name} ({role}) {'updated' if replace else 'added'}")


@users.command("list")
@click.pass_context
def list_users(ctx):
    """The users, their roles and who added them."""
    from kb.users import list_users

    store = get_store(ctx)
    try:
        rows = list_users(store)
    finally:
        store.close()
    for u in rows:
        click.echo(f"{u['name']:<24} {u['role']:<7} added {u['created_at'][:10]}" + (f" by {u['created_by']}"
                                                                                    if u.get("created_by") else ""))
    if not rows:
        click.echo("no users")


@users.command("remove")
@click.argument("name")
@click.pass_context
def remove_user(ctx, name):
    """Remove user NAME (and end their sessions)."""
    from kb.users import UserError, remove_user

    store = get_store(ctx)
    try:
        remove_user(store, name)
    except UserError as e:
        raise click.ClickException(str(e)) from None
    finally:
        store.close()
    click.echo(f"user {name} removed")


COMMANDS = [serve, users]
