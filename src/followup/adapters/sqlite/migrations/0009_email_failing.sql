-- A contact's address that bounced (issue 16): the day a delivery report said mail to it
-- fails. The planner then treats the contact as having no email; the user clears it.

ALTER TABLE contact ADD COLUMN email_failed_on TEXT;
