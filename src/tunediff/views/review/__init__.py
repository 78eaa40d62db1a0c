"""`tunediff review`: a local web app for blind pairwise rating of two variants' outputs."""

from .app import ApiError, ReviewApp, pick_pair
from .assignment import Sides, choose_sides
from .server import make_server, script_safe_json, serve

__all__ = ["ApiError", "ReviewApp", "Sides", "choose_sides", "make_server", "pick_pair", "script_safe_json", "serve"]
