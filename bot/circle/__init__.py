"""My circle: support persons, the consent ledger, consent-gated disclosure, data rights.

``bot.circle.disclosure`` is the one place that decides whether a support person's detail or a
member's help text may go to anyone; everything else asks it.

* ``persons`` — the member's own circle: persons, the never-contact list, the help text;
* ``guide`` — the guided conversation (encrypted draft + the ``circle.answer`` awaiting record);
* ``invites`` — a support person's own yes (single-use link), and stepping down;
* ``consent`` — the ledger's rules, and every write to it;
* ``escalation`` — escalation states and pure rules; ``support_now`` and ``concern`` — its moves;
* ``disclosure`` — THE gate; ``outbox`` — critical messages, never lost, never doubled;
* ``data`` — /mydata and /forgetme; ``jobs`` — timed work; ``callbacks`` — button data;
* ``phone`` — phone numbers; ``texts`` — time formatting.
"""
