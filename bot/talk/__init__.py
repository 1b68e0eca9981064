"""One-to-one contact: requests, the relay, peer listeners and anonymous feedback.

* ``requests``: the /talk request lifecycle (offer, first accept wins, expiry, withdraw).
* ``relay``: what is passed on inside a conversation, relaying it, closing a conversation.
* ``listeners``: members who offer to listen, per group, with a pause switch.
* ``feedback``: anonymous feedback to a group's facilitators (the draft kept encrypted).
* ``awaiting``: what the feature awaits from a person's next words; ``busy``.
* ``members``: which groups' people a person may reach.
* ``callbacks``: the feature's button data and the keyboards the services send.
* ``jobs``: the timed work (a request's expiry, a quiet conversation's end).
* ``policy`` and ``routing``: the plain rules.
"""

# The feature's name: the first word of its button data, scheduled-action and awaiting kinds.
FEATURE = "talk"
