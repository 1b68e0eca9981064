-- Reserved for the rules feature (its tables go here).
SELECT 1;
