// The tables as `diesel print-schema` prints them from migrations/postgres. SQLite's
// migrations create the same columns with the same types, so one schema serves both.

diesel::table! {
    offices (id) {
        id -> BigInt,
        code -> Text,
        jurisdiction -> Text,
        name -> Text,
        opposition_period_days -> Integer,
        languages -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    associations (id) {
        id -> BigInt,
        name -> Text,
        office_id -> BigInt,
        contact_email -> Nullable<Text>,
        contact_phone -> Nullable<Text>,
        address -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        username -> Text,
        display_name -> Text,
        password_hash -> Text,
        role -> Text,
        office_id -> Nullable<BigInt>,
        association_id -> Nullable<BigInt>,
        active -> Bool,
        token_version -> Integer,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        family -> Text,
        token_hash -> Text,
        issued_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    revoked_access_tokens (jti) {
        jti -> Text,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (seq) {
        seq -> BigInt,
        recorded_at -> Timestamp,
        actor_id -> Nullable<BigInt>,
        actor -> Nullable<Text>,
        office -> Nullable<Text>,
        action -> Text,
        entity_type -> Text,
        entity_id -> Nullable<Text>,
        payload -> Text,
        public -> Bool,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::joinable!(associations -> offices (office_id));
diesel::joinable!(users -> offices (office_id));
diesel::joinable!(users -> associations (association_id));
diesel::joinable!(refresh_tokens -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    offices,
    associations,
    users,
    refresh_tokens,
    revoked_access_tokens,
    audit_log,
);
