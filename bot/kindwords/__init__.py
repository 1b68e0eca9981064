"""Kind words, by consent: the group is asked for kind messages only with the member's yes."""

FEATURE = "kindwords"
