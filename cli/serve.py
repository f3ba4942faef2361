"""``opsprep serve``: run the web app."""

from __future__ import annotations

import logging

import click

from opsprep.engine.instance import resolve_instance
from opsprep.graph import data_files

from .options import notify, pass_settings


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--production", is_flag=True, help="Serve with waitress instead of Flask's development server.")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 256), help="Waitress threads.")
@click.option("--query-timeout", type=click.FloatRange(min=0.1), help="Seconds a SPARQL query may run (default 5).")
@pass_settings
def serve_command(
    settings: dict, host: str, port: int, production: bool, threads: int, query_timeout: float | None
) -> None:
    """Serve the web app: study, exams, dashboard, graph browser, query page and SPARQL endpoint.

    Open http://127.0.0.1:5000/ and register to study. Progress is kept in progress.db in the instance
    folder: $OPSPREP_INSTANCE, else instance/ in a source checkout, else the user data directory
    (~/.local/share/opsprep on Linux); `opsprep info` shows which. Flask's development server by
    default; --production serves with waitress. Configuration can also come from instance/config.py
    or OPSPREP_* environment variables (e.g. OPSPREP_SPARQL_WORKERS=4). Served over HTTPS (behind a
    proxy that terminates TLS), set OPSPREP_SESSION_COOKIE_SECURE=true so the session cookie is marked
    Secure.

    \b
    Examples:
        opsprep serve
        opsprep serve --production --host 0.0.0.0 --port 8080
        curl -H 'Accept: text/csv' 'http://127.0.0.1:5000/sparql?query=ASK%7B%7D'
    """
    overrides = {}
    if settings.get("data_dir"):
        overrides["GRAPH_FILES"] = [str(p) for p in data_files(settings["data_dir"])]
    if query_timeout is not None:
        overrides["SPARQL_TIMEOUT"] = query_timeout
    serve(host, port, production=production, threads=threads, overrides=overrides)


def serve(host: str, port: int, *, production: bool = False, threads: int = 8, overrides: dict | None = None) -> None:
    """Build the app, start its query workers, say where progress is kept and serve until interrupted."""
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
    click.echo(f"SPARQL: {pool.size} query workers ready ({network}), {app.config['SPARQL_TIMEOUT']:g} s per query.")
    click.echo(f"Query page: http://{host}:{port}/query   SPARQL endpoint: http://{host}:{port}/sparql")
    if production:
        import waitress

        waitress.serve(app, host=host, port=port, threads=threads)
    else:
        app.run(host=host, port=port, threaded=True, use_reloader=False)
