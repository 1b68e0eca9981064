"""Moderation's logic, one file per thing it does (its Telegram side: ``bot/handlers/moderation``).

* ``measures``: warn, mute, unmute, exclude, readmit, solicitor, unblock; the blocklist.
* ``support``: the excluded member's support message, check-ins, the reminder, the way back.
* ``jobs``: what runs when an exclusion's scheduled action falls due (its end, a check-in).
* ``reports``: /report and the admins' one-tap answers; ``flags``: solicitation flagging.
* ``appeals``: a member's appeal, an admin's answer and decision.
* ``adminchat``: linking the admin team chat; ``audit``: the audit log, its mirror, /log.
* ``notices``: telling the admins (and keeping their copies); ``callbacks``: button data;
  ``texts``: mentions, moments and lengths.
* Pure policy: ``policy``, ``durations``, ``prefilter``, ``repetition``, ``solicitation``;
  ``service``: the in-memory blocklist cache and repeated-contact tracker.
"""
