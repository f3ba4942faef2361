"""The web app: a Flask front end over the library (``create_app`` in :mod:`.app`); the command line,
:mod:`opsprep.cli`, is the other front end."""
