-- Programme terms on refusals and phase-outs (Lisbon Rule 9, Art. 5(6)), and what a
-- phase-out and an invalidation must name.
ALTER TABLE programmes ADD COLUMN lisbon_style_refusals BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE programmes ADD COLUMN max_phase_out TEXT;
ALTER TABLE recognitions ADD COLUMN phase_out_beneficiaries TEXT;
ALTER TABLE recognitions ADD COLUMN deciding_authority TEXT;
