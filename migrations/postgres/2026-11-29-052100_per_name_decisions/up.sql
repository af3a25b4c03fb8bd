-- Decisions per name (JSON arrays): the names a protection, a registration or an
-- invalidation leaves out with their reasons, the earlier rights a protection coexists
-- with, and how an opposition was settled or on which earlier rights it was decided.
ALTER TABLE recognitions ADD COLUMN excluded_names TEXT;
ALTER TABLE recognitions ADD COLUMN coexisting_rights TEXT;
ALTER TABLE gis ADD COLUMN excluded_names TEXT;
ALTER TABLE oppositions ADD COLUMN settlement_terms TEXT;
ALTER TABLE oppositions ADD COLUMN decision_earlier_rights TEXT;
