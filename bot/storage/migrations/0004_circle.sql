-- Reserved for the circle feature (its tables go here).
SELECT 1;
