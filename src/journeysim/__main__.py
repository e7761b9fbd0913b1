"""``python -m journeysim``: the same as the ``journeysim`` command."""

from journeysim.cli import main

main()
