"""``opsprep serve``: run the web app."""

from __future__ import annotations

import logging

import click

from opsprep.engine.instance import resolve_instance
from opsprep.graph import data_files

from .options import UsageFailure, notify, pass_settings


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option(
    "--production",
    is_flag=True,
    help="Serve with waitress and its limits: the default, so the flag changes nothing (kept for scripts that "
    "pass it). Behind HTTPS (a proxy that terminates TLS) also set OPSPREP_SESSION_COOKIE_SECURE=true so the "
    "session cookie is marked Secure.",
)
@click.option(
    "--dev",
    is_flag=True,
    help="Serve with Flask's development server instead: for local debugging only (no timeouts, no connection "
    "limits, a thread per connection).",
)
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 256), help="Requests handled at once.")
@click.option(
    "--connection-limit",
    default=1000,
    show_default=True,
    type=click.IntRange(1, 100_000),
    help="Open connections in all (fewer when the process may not open that many files).",
)
@click.option(
    "--connections-per-address",
    default=32,
    show_default=True,
    type=click.IntRange(0, 100_000),
    help="Open connections from one client address (IPv6: one /64); 0 for no cap. Behind a reverse proxy every "
    "connection comes from the proxy: raise it or use 0, and let the proxy limit clients.",
)
@click.option(
    "--timeout",
    default=20,
    show_default=True,
    type=click.IntRange(1, 3600),
    help="Seconds a connection may stay idle, or take to send one request, before it is closed.",
)
@click.option("--query-timeout", type=click.FloatRange(min=0.1), help="Seconds a SPARQL query may run (default 5).")
@pass_settings
def serve_command(
    settings: dict,
    host: str,
    port: int,
    production: bool,
    dev: bool,
    threads: int,
    connection_limit: int,
    connections_per_address: int,
    timeout: int,
    query_timeout: float | None,
) -> None:
    """Serve the web app: study, exams, dashboard, graph browser, query page and SPARQL endpoint.

    Open http://127.0.0.1:5000/ and register to study. Progress is kept in progress.db in the instance
    folder: $OPSPREP_INSTANCE, else instance/ in a source checkout, else the user data directory
    (~/.local/share/opsprep on Linux); `opsprep info` shows which. Served by waitress, with limits so
    slow or half-open clients cannot exhaust the server: --connection-limit, --connections-per-address
    and --timeout (--dev runs Flask's development server instead, for local debugging). Configuration
    can also come from instance/config.py or OPSPREP_* environment variables (e.g.
    OPSPREP_SPARQL_WORKERS=4). Served over HTTPS (behind a proxy that terminates TLS), set
    OPSPREP_SESSION_COOKIE_SECURE=true so the session cookie is marked Secure.

    \b
    Examples:
        opsprep serve
        opsprep serve --host 0.0.0.0 --port 8080
        OPSPREP_SESSION_COOKIE_SECURE=true opsprep serve --connections-per-address 0   # behind nginx with TLS
        curl -H 'Accept: text/csv' 'http://127.0.0.1:5000/sparql?query=ASK%7B%7D'
    """
    if dev and production:
        raise UsageFailure("Choose --dev or --production, not both.")
    overrides = {}
    if settings.get("data_dir"):
        overrides["GRAPH_FILES"] = [str(p) for p in data_files(settings["data_dir"])]
    if query_timeout is not None:
        overrides["SPARQL_TIMEOUT"] = query_timeout
    limits = {
        "threads": threads,
        "connections": connection_limit,
        "per_address": connections_per_address,
        "timeout": timeout,
    }
    serve(host, port, dev=dev, limits=limits, overrides=overrides)


def serve(
    host: str, port: int, *, dev: bool = False, limits: dict | None = None, overrides: dict | None = None
) -> None:
    """Build the app, start its query workers, say where progress is kept and serve until interrupted.

    ``limits`` are the fields of :class:`opsprep.web.server.Limits` to change; ``dev`` serves with Flask's
    development server instead (which has none of them).
    """
    from opsprep.web.app import create_app  # Flask only now: every other command starts without it
    from opsprep.web.sparql import get_pool

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    instance = resolve_instance()  # moves data from where earlier versions kept it, before the app opens it
    notify(instance.notices())
    app = create_app()
    app.config.update(overrides or {})
    pool = get_pool(app)
    pool.warm_up()  # a worker that cannot load the graph is a library error: the CLI's boundary reports it
    click.echo(f"Progress is kept in {app.config.get('DATABASE') or instance.database}.")
    network = "no network access" if pool.network_isolated else "network access kept: SERVICE refused by the check only"
    memory = f", {pool.memory_mb:,} MB per worker" if pool.memory_mb else ", no memory limit"
    click.echo(
        f"SPARQL: {pool.size} query workers ready ({network}), {app.config['SPARQL_TIMEOUT']:g} s per query{memory}."
    )
    click.echo(f"Query page: http://{host}:{port}/query   SPARQL endpoint: http://{host}:{port}/sparql")
    if dev:
        click.echo("Flask's development server: for local debugging only (no timeouts or connection limits).")
        app.run(host=host, port=port, threaded=True, use_reloader=False)
        return
    from opsprep.web.server import Limits, make_server

    try:
        server = make_server(app, host, port, Limits(**(limits or {})))
    except OSError as exc:
        raise click.ClickException(f"Cannot listen on {host}:{port}: {exc.strerror or exc}.") from None
    chosen = server.limits
    per_address = f"{chosen.per_address} per address" if chosen.per_address else "no cap per address"
    click.echo(
        f"Serving on {', '.join(server.urls)} with waitress: at most {server.connection_limit} connections "
        f"({per_address}), {chosen.threads} threads; connections idle or sending a request for {chosen.timeout} s "
        "are closed."
    )
    server.run()
