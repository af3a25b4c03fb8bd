-- The registry's Ed25519 public keys, every one it ever signed with, so that an export
-- signed before a rotation still verifies. The private keys never enter the database.
CREATE TABLE signing_keys (
    kid TEXT PRIMARY KEY NOT NULL,
    alg TEXT NOT NULL,
    public_key_pem TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    retired_at TIMESTAMP
);
ALTER TABLE exports ADD COLUMN signature TEXT;
ALTER TABLE exports ADD COLUMN signature_key_id TEXT;
