"""followup: plans a job seeker's follow-ups, from the thank-you note to knowing when to stop."""

__version__ = "0.1.0"
