"""Serving the workshop page in this process, with no outbound connection.

Solara's ``run`` command is called in this process rather than in a child, so
the server lives and dies with ``journeysim workshop`` (uvicorn stops on
SIGTERM or Ctrl-C). Solara would otherwise contact the network at start: its
version check (``--no-check-version``) and its usage telemetry (the
``SOLARA_TELEMETRY_MIXPANEL_ENABLE`` setting) are both switched off here, and
its banner is hidden.
"""

from __future__ import annotations

import os

#: Environment that keeps Solara offline and its page plain (read by its settings when first
#: imported): no telemetry, no banner over the workshop's corner, the page's own title.
OFFLINE = {"SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False", "SOLARA_THEME_SHOW_BANNER": "False",
           "SOLARA_THEME_TITLE": "journeysim workshop"}


def serve(host: str, port: int, design: str) -> None:
    """Serve ``journeysim.workshop.app`` on ``host:port`` until stopped.

    Args:
        host: Address to listen on.
        port: Port to serve on (0: any free port).
        design: The co-design scenario the right-hand side starts from.
    """
    os.environ.update(OFFLINE)
    os.environ["JOURNEYSIM_WORKSHOP_DESIGN"] = design
    from solara.__main__ import cli
    from solara.server import settings

    settings.telemetry.mixpanel_enable = False  # in case Solara was imported already
    cli.main(["run", "journeysim.workshop.app", "--port", str(port), "--host", host,
              "--production", "--no-open", "--no-check-version"], standalone_mode=False)
