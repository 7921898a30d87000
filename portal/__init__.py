"""Familieportalen: the application factory."""

from __future__ import annotations

from typing import Any

from flask import Flask

from portal import config as portal_config


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration from the environment, then each feature."""
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_relative_config=True,
    )
    app.config.update(portal_config.load(app.instance_path))
    if test_config:
        app.config.update(test_config)
    app.debug = app.debug or app.config["PORTAL_ENV"] == "development"

    from portal import (  # noqa: F401
        cli,
        db,
        errors,
        i18n,
        models,
        parsing,
        security,
        templating,
    )

    parsing.init_app(app)
    db.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    templating.init_app(app)
    errors.init_app(app)
    cli.init_app(app)

    from portal import devmail
    from portal.accounts import bp as accounts_bp
    from portal.booking import bp as booking_bp
    from portal.booking import free_time_cache
    from portal.calendar import bp as calendar_bp
    from portal.cases import bp as cases_bp
    from portal.consent import bp as consent_bp
    from portal.families import bp as families_bp
    from portal.feedback import bp as feedback_bp
    from portal.main import bp as main_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(booking_bp)
    free_time_cache.init_app(app, app.extensions["db_sessionmaker"])
    app.register_blueprint(calendar_bp)
    app.register_blueprint(families_bp)
    app.register_blueprint(consent_bp)
    app.register_blueprint(cases_bp)
    app.register_blueprint(feedback_bp)
    devmail.init_app(app)  # /dev/mail, development only
    return app
