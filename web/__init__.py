"""The opsprep front ends: the command line (``opsprep.web.cli``) and, later, the Flask app."""
