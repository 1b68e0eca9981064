-- The one outbox for every message that matters (bot/delivery/outbox.py).
-- lane:       the rate limiter's lane (critical, notice, bulk) from the message kind;
-- next_at:    not before (back-off after a 429, a 5xx or a timeout);
-- doubt:      1 while an attempt's outcome is unknown (a timeout, a crash mid-send): before it is
--             sent again the worker checks whether Telegram accepted it after all;
-- high_water: the highest message id known in that chat when the attempt began (where to look);
-- message_id: Telegram's id of the delivered copy (the idempotency record: one per row);
-- copy_chat / copy_message: a relayed message is copied from here instead of a text being sent;
-- reply_to:   the message an answer refers to (sent without it if that one is gone);
-- ref:        what the message is about (a sanction, a conversation) for the after-delivery step;
-- markup_sealed: the buttons, encrypted (their labels may name people); ``markup`` stays for
--             rows written before (plain buttons of consent questions);
-- error:      the last error's kind (never its text).
ALTER TABLE circle_outbox ADD COLUMN lane TEXT NOT NULL DEFAULT 'critical';
ALTER TABLE circle_outbox ADD COLUMN next_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE circle_outbox ADD COLUMN doubt INTEGER NOT NULL DEFAULT 0;
ALTER TABLE circle_outbox ADD COLUMN high_water INTEGER;
ALTER TABLE circle_outbox ADD COLUMN message_id INTEGER;
ALTER TABLE circle_outbox ADD COLUMN copy_chat INTEGER;
ALTER TABLE circle_outbox ADD COLUMN copy_message INTEGER;
ALTER TABLE circle_outbox ADD COLUMN ref INTEGER;
ALTER TABLE circle_outbox ADD COLUMN reply_to INTEGER;
ALTER TABLE circle_outbox ADD COLUMN error TEXT;
ALTER TABLE circle_outbox ADD COLUMN markup_sealed BLOB;
-- edit_of:    an edit of that message of the chat (its new text and buttons), in the chat's order.
ALTER TABLE circle_outbox ADD COLUMN edit_of INTEGER;
CREATE INDEX circle_outbox_recipient ON circle_outbox (chat_id, status, id);
