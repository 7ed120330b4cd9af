"""The shipped Streamlit settings keep the server private until an operator opens it up."""

from __future__ import annotations

import tomllib
from pathlib import Path

CONFIG = Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml"


def test_the_app_listens_on_this_machine_and_hides_error_details() -> None:
    settings = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    assert settings["server"]["address"] == "127.0.0.1"
    assert settings["server"]["enableXsrfProtection"] is True
    assert settings["server"]["enableCORS"] is True
    assert 0 < settings["server"]["maxUploadSize"] <= 200
    assert settings["client"]["showErrorDetails"] == "none"
