-- Reserved for the talk feature (its tables go here).
SELECT 1;
