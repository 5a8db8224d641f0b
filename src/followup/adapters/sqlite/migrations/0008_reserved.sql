-- Reserved: the number of the migration another change (issue 8) adds at the same time.
-- When that change's 0008 lands, this file goes (the numbering test catches two 0008s).
SELECT 1;
