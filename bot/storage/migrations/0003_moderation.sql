-- Reserved for the moderation feature (its tables go here).
SELECT 1;
