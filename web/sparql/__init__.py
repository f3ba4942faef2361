"""The SPARQL endpoint (``/sparql``) and the query page (``/query``)."""

from .views import bp, get_pool, init_app

__all__ = ["bp", "get_pool", "init_app"]
