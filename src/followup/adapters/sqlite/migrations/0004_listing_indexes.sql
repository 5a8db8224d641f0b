-- Indexes for the web app's pages: the board by status (newest first), the table
-- sorted by company, and the week's interviews by time.

CREATE INDEX application_status ON application (status, applied_on, recorded_on);
CREATE INDEX interview_at ON interview (at);
