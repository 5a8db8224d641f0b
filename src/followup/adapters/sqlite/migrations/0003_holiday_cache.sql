-- Public holidays as the holidays package computes them, per country and year.
-- Computing them costs about 100 ms (the package's import and country registry), too
-- much for every write; the cache is emptied whenever followup's version changes.

CREATE TABLE holiday_year (
    country TEXT NOT NULL,
    year INTEGER NOT NULL,
    PRIMARY KEY (country, year)
) WITHOUT ROWID;

CREATE TABLE holiday (
    country TEXT NOT NULL,
    day TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (country, day)
) WITHOUT ROWID;
