"""The fake's settings and mail settings."""

from __future__ import annotations

from followup.domain.mailbox import MailSettings
from followup.domain.settings import Settings
from tests.fake_store.state import FakeState


class FakeSettings:
    """Mixed into the fake repository; works on its copy of the state."""

    state: FakeState

    def load_settings(self) -> Settings:
        return self.state.settings or Settings()

    def save_settings(self, settings: Settings) -> None:
        self.state.settings = settings

    def has_settings(self) -> bool:
        return self.state.settings is not None

    def load_mail_settings(self) -> MailSettings:
        return self.state.mail

    def save_mail_settings(self, settings: MailSettings) -> None:
        self.state.mail = settings
