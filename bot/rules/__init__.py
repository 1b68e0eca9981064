"""Ground rules: what a group agrees on, how newcomers agree to it, and its reminders.

Pure policy (no Telegram, no database): ``text`` (the rules text), ``schedule`` (the reminder
schedule), ``policy`` (how to welcome someone who joins).

Services (the database and Telegram, never an update): ``versions`` (the current rules, new
versions, agreeing again, ``/remind``), ``reading`` (whose rules a person reads privately),
``editing`` (the guided ``/setrules`` in the private chat), ``gate`` (welcome, "I agree", the
newcomer's reminder), ``approval`` (join requests), ``reminders`` (the group's regular
reminder), ``settings`` (``/settings``). ``jobs`` is the timed work by kind, ``callbacks`` the
button data.
"""
