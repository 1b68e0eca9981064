-- Scheduled-action kinds in one style, "feature.what" (the features moved into their own
-- packages). Pending rows keep working: their kind and de-duplication key are renamed.
UPDATE scheduled_actions SET kind = 'rules.reminder',
    dedupe_key = 'rules.reminder' || substr(dedupe_key, 15) WHERE kind = 'rules_reminder';
UPDATE scheduled_actions SET kind = 'rules.gate_reminder',
    dedupe_key = 'rules.gate_reminder' || substr(dedupe_key, 20) WHERE kind = 'rules_gate_reminder';
UPDATE scheduled_actions SET kind = 'rules.request_reminder',
    dedupe_key = 'rules.request_reminder' || substr(dedupe_key, 23)
    WHERE kind = 'rules_request_reminder';
UPDATE scheduled_actions SET kind = 'rules.request_expiry',
    dedupe_key = 'rules.request_expiry' || substr(dedupe_key, 21)
    WHERE kind = 'rules_request_expiry';

UPDATE scheduled_actions SET kind = 'moderation.exclusion_end' WHERE kind = 'mod.exclusion_end';
UPDATE scheduled_actions SET kind = 'moderation.checkin' WHERE kind = 'mod.checkin';
UPDATE scheduled_actions SET kind = 'moderation.admin_reminder'
    WHERE kind = 'mod.admin_reminder';

UPDATE scheduled_actions SET kind = 'circle.outbox',
    dedupe_key = replace(dedupe_key, 'circlejob.outbox', 'circle.outbox')
    WHERE kind = 'circlejob.outbox';
UPDATE scheduled_actions SET kind = 'circle.concern_due',
    dedupe_key = replace(dedupe_key, 'circlejob.concern_due', 'circle.concern_due')
    WHERE kind = 'circlejob.concern_due';
UPDATE scheduled_actions SET kind = 'circle.advance_ends',
    dedupe_key = replace(dedupe_key, 'circlejob.advance_ends', 'circle.advance_ends')
    WHERE kind = 'circlejob.advance_ends';

UPDATE scheduled_actions SET kind = 'talk.expire' WHERE kind = 'talk_expire';
UPDATE scheduled_actions SET kind = 'talk.idle' WHERE kind = 'talk_idle';

-- Consent questions still waiting in the outbox carry their buttons: the verbs are words now.
UPDATE circle_outbox SET markup = replace(replace(replace(markup,
    '"circle:cy:', '"circle:approve:'), '"circle:cn:', '"circle:refuse:'),
    '"circle:ct:', '"circle:talk_first:')
    WHERE markup IS NOT NULL;
