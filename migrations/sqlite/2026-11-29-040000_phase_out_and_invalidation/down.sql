ALTER TABLE recognitions DROP COLUMN deciding_authority;
ALTER TABLE recognitions DROP COLUMN phase_out_beneficiaries;
ALTER TABLE programmes DROP COLUMN max_phase_out;
ALTER TABLE programmes DROP COLUMN lisbon_style_refusals;
