-- The earlier rights (JSON arrays) a partner's refusal or invalidation, or an opposition,
-- rests on.
ALTER TABLE recognitions ADD COLUMN earlier_rights TEXT;
ALTER TABLE oppositions ADD COLUMN earlier_rights TEXT;
