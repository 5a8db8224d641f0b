"""The contract of :class:`~followup.services.ports.StoredSettings`."""

from __future__ import annotations

from followup.domain.mailbox import MailSettings, Security
from followup.domain.policy import Policy
from followup.domain.settings import Settings
from followup.services.ports import Store
from tests.builders import d


def test_settings_round_trip(store: Store) -> None:
    settings = Settings("Europe/Lisbon", "PT", Policy(first_follow_up_days=5), "Maria Silva")
    with store.writing() as repo:
        assert not repo.has_settings()
        assert repo.load_settings() == Settings()
        repo.save_settings(settings)
    with store.reading() as repo:
        assert repo.has_settings()
        assert repo.load_settings() == settings


def test_saving_settings_again_replaces_them(store: Store) -> None:
    with store.writing() as repo:
        repo.save_settings(Settings("Europe/Lisbon", "PT", name="Maria Silva"))
        repo.save_settings(Settings("America/New_York", None))
    with store.reading() as repo:
        assert repo.load_settings() == Settings("America/New_York", None)


def test_mail_settings_round_trip_beside_the_settings(store: Store) -> None:
    mail = MailSettings(
        address="maria@example.org",
        smtp_host="smtp.example.org",
        smtp_port=465,
        smtp_security=Security.SSL,
        smtp_user="maria",
        imap_host="imap.example.org",
        folders="INBOX,Replies",
        since=d("2026-03-01"),
    )
    with store.writing() as repo:
        assert repo.load_mail_settings() == MailSettings()
        repo.save_mail_settings(mail)
    with store.reading() as repo:
        assert repo.load_mail_settings() == mail
        assert repo.load_settings() == Settings()
    with store.writing() as repo:
        repo.save_settings(Settings("Europe/Lisbon", "PT"))
        repo.save_mail_settings(MailSettings(address="other@example.org"))
    with store.reading() as repo:
        assert repo.load_mail_settings() == MailSettings(address="other@example.org")
        assert repo.load_settings() == Settings("Europe/Lisbon", "PT")
