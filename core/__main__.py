"""``python -m opsprep``: the same command line as the ``opsprep`` console script."""

from opsprep.cli import main

if __name__ == "__main__":
    main()
