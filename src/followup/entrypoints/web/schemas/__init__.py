"""The JSON API's shapes. They follow FORMAT.md: an application is its ``followup/1``
entry (plus its current actions), an action is a ``plan --json`` entry."""
