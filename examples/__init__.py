"""Example SPARQL queries (``*.rq``) shown on the query page and used in the README."""
