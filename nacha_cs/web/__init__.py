"""The web page for SDU staff (`nacha-cs serve`): the same work as the commands, in a browser.

Server-rendered Starlette pages over the core modules; no verdict is made here.
"""

from nacha_cs.web.app import WebConfig, create_app

__all__ = ["WebConfig", "create_app"]
