-- What a partner's refusal or invalidation tells the origin (Lisbon Rule 9): the remedies
-- open to the holder and the date by which to use them.
ALTER TABLE recognitions ADD COLUMN remedies TEXT;
ALTER TABLE recognitions ADD COLUMN remedy_deadline DATE;
