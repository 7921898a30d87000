# Flask-Login 0.6 ships no type information and has no stub package: these are
# the names the portal uses, typed as Flask-Login documents them.
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from flask import Flask

_F = TypeVar("_F", bound=Callable[..., Any])

# A proxy: the logged-in user (portal.accounts.models.User) or an anonymous user.
current_user: Any

class LoginManager:
    session_protection: str | None
    def __init__(
        self, app: Flask | None = None, add_context_processor: bool = True
    ) -> None: ...
    def init_app(self, app: Flask, add_context_processor: bool = True) -> None: ...
    def user_loader(self, callback: _F) -> _F: ...
    def unauthorized_handler(self, callback: _F) -> _F: ...
    # Whatever the unauthorized handler returns (here: a redirect).
    def unauthorized(self) -> Any: ...

def login_user(
    user: Any,
    remember: bool = False,
    duration: timedelta | None = None,
    force: bool = False,
    fresh: bool = True,
) -> bool: ...
def logout_user() -> bool: ...
def login_required(func: _F) -> _F: ...
