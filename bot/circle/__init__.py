"""My circle: support persons, the consent ledger, consent-gated disclosure, data rights.

``bot.circle.disclosure`` is the one place that decides whether a support person's detail or a
member's help text may go to anyone; everything else asks it.
"""
