"""The cases tests use the families tests' known family and counsellor."""

from tests.families.conftest import *  # noqa: F403
