"""The bot's place in groups: being added, removed or given rights; /setup; who is a member;
each person's and each group's language. No Telegram objects here."""
