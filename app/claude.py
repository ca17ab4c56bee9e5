"""Quick Create's Claude: the key in the secret store, the model in settings, the intake engine."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings

from app.errors import Scrubber
from app.secrets import SecretStore, SecretStoreError

if TYPE_CHECKING:
    from psa.intake.service import IntakeService
    from ui.new_ticket.claude_settings_dialog import ClaudeChoice
    from ui.new_ticket.launcher import NewTicketLauncher

log = logging.getLogger(__name__)

CLAUDE_ACCOUNT = "claude-api-key"
"""The secret store's account name of the Claude API key."""
MODEL_KEY = "claude/model"


def claude_model(settings: QSettings) -> str:
    """The model Quick Create asks for (settings, else the fast and cheap default)."""
    value = settings.value(MODEL_KEY)
    from psa.intake.defaults import DEFAULT_MODEL  # not at start-up: psa.intake loads later

    return value.strip() if isinstance(value, str) and value.strip() else DEFAULT_MODEL


def set_claude_model(settings: QSettings, model: str) -> None:
    from psa.intake.defaults import DEFAULT_MODEL

    settings.setValue(MODEL_KEY, model.strip() or DEFAULT_MODEL)
    settings.sync()


async def stored_key(secrets: SecretStore) -> str | None:
    """The stored Claude key; None when there is none or the store cannot be read (logged)."""
    try:
        return await secrets.get(CLAUDE_ACCOUNT)
    except SecretStoreError as exc:
        log.warning("Could not read the Claude key; Quick Create parses offline: %s", exc)
        return None


async def make_intake(secrets: SecretStore, settings: QSettings, *, demo: bool,
                      scrubber: Scrubber) -> IntakeService:
    """Claude when a key is stored, the offline parser otherwise (and always in the demo)."""
    from pydantic import SecretStr

    from psa.intake import ClaudeSettings, IntakeService

    if demo:  # the demo never reads the keychain and sends nothing to Claude
        return IntakeService()
    key = await stored_key(secrets)
    if not key:
        return IntakeService()
    scrubber.add(key)
    return IntakeService(ClaudeSettings(api_key=SecretStr(key), model=claude_model(settings)))


async def save_claude_choice(choice: ClaudeChoice, *, secrets: SecretStore, settings: QSettings,
                             scrubber: Scrubber, launcher: NewTicketLauncher) -> None:
    """Store the key and model from the settings dialog; the next dialogs use them."""
    if choice.api_key is not None:
        secret = choice.api_key.get_secret_value()
        if secret:
            scrubber.add(secret)
            await secrets.set(CLAUDE_ACCOUNT, secret)
        else:
            await secrets.delete(CLAUDE_ACCOUNT)
    set_claude_model(settings, choice.model)
    old = launcher.intake
    launcher.set_intake(await make_intake(secrets, settings, demo=False, scrubber=scrubber))
    await old.aclose()  # open dialogs keep working: the client is re-created on demand
