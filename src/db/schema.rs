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
        time_zone -> Text,
        weekend -> Text,
        deadline_rolls_forward -> Bool,
        opposition_period -> Text,
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

diesel::table! {
    gis (id) {
        id -> BigInt,
        file_number -> Nullable<Text>,
        registration_number -> Nullable<Text>,
        origin_office_id -> BigInt,
        association_id -> Nullable<BigInt>,
        gi_type -> Text,
        product_type -> Text,
        product_class -> Text,
        nice_class -> Nullable<Integer>,
        area_description -> Text,
        area_geojson -> Nullable<Text>,
        countries -> Text,
        legal_instrument -> Nullable<Text>,
        status -> Text,
        filed_on -> Nullable<Date>,
        published_on -> Nullable<Date>,
        opposition_deadline -> Nullable<Date>,
        registered_on -> Nullable<Date>,
        decided_on -> Nullable<Date>,
        search_blob -> Text,
        source -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        opposition_deadline_basis -> Nullable<Text>,
        publication_reference -> Nullable<Text>,
        excluded_names -> Nullable<Text>,
        name_conflicts -> Nullable<Text>,
        read_stamp -> BigInt,
    }
}

diesel::table! {
    conflict_forms (id) {
        id -> BigInt,
        gi_id -> BigInt,
        form -> Text,
        phonetic -> Bool,
    }
}

diesel::table! {
    conflict_trigrams (gram, trigrams, form_id) {
        gram -> Text,
        form_id -> BigInt,
        trigrams -> Integer,
    }
}

diesel::table! {
    /// Postings set aside by a bulk load until it ends (no key in the database).
    conflict_postings_pending (gram, form_id) {
        gram -> Text,
        form_id -> BigInt,
        trigrams -> Integer,
    }
}

diesel::table! {
    conflict_gram_postings (gram) {
        gram -> Text,
        postings -> BigInt,
    }
}

diesel::table! {
    conflict_index_version (id) {
        id -> Integer,
        version -> Integer,
    }
}

diesel::table! {
    search_key_version (id) {
        id -> Integer,
        version -> Integer,
    }
}

diesel::table! {
    gi_read_views (gi_id, kind) {
        gi_id -> BigInt,
        kind -> Text,
        stamp -> BigInt,
        as_of -> Nullable<Date>,
        version -> Integer,
        body -> Text,
    }
}

diesel::table! {
    gi_names (id) {
        id -> BigInt,
        gi_id -> BigInt,
        position -> Integer,
        text -> Text,
        lang -> Text,
        script -> Text,
        kind -> Text,
        romanization -> Nullable<Text>,
    }
}

diesel::table! {
    specifications (id) {
        id -> BigInt,
        gi_id -> BigInt,
        version -> Integer,
        status -> Text,
        product_description -> Text,
        raw_materials -> Nullable<Text>,
        production_method -> Nullable<Text>,
        link_with_area -> Nullable<Text>,
        labelling -> Nullable<Text>,
        control_body -> Nullable<Text>,
        reason -> Nullable<Text>,
        proposed_by -> Nullable<Text>,
        proposed_at -> Timestamp,
        decided_on -> Nullable<Date>,
        decision_grounds -> Nullable<Text>,
    }
}

diesel::table! {
    oppositions (id) {
        id -> BigInt,
        gi_id -> BigInt,
        recognition_id -> Nullable<BigInt>,
        opponent_name -> Text,
        grounds -> Text,
        filed_on -> Date,
        status -> Text,
        decided_on -> Nullable<Date>,
        decision_grounds -> Nullable<Text>,
        filed_by_user_id -> Nullable<BigInt>,
        filed_by_association_id -> Nullable<BigInt>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        earlier_rights -> Nullable<Text>,
        settlement_terms -> Nullable<Text>,
        decision_earlier_rights -> Nullable<Text>,
    }
}

diesel::table! {
    events (id) {
        id -> BigInt,
        entity_type -> Text,
        entity_id -> BigInt,
        gi_id -> BigInt,
        event_type -> Text,
        from_status -> Nullable<Text>,
        to_status -> Text,
        effective_on -> Date,
        recorded_at -> Timestamp,
        actor_id -> Nullable<BigInt>,
        actor -> Text,
        office -> Nullable<Text>,
        grounds -> Nullable<Text>,
        details -> Text,
    }
}

diesel::table! {
    number_sequences (name) {
        name -> Text,
        last_value -> BigInt,
    }
}

diesel::table! {
    programmes (id) {
        id -> BigInt,
        code -> Text,
        title -> Text,
        signed_on -> Nullable<Date>,
        in_force_on -> Nullable<Date>,
        legal_instrument -> Nullable<Text>,
        decision_period_days -> Integer,
        tacit_protection -> Bool,
        requires_origin_registration -> Bool,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        decision_period -> Text,
        refusal_after_deadline -> Bool,
        lisbon_style_refusals -> Bool,
        max_phase_out -> Nullable<Text>,
    }
}

diesel::table! {
    programme_parties (programme_id, office_id) {
        programme_id -> BigInt,
        office_id -> BigInt,
    }
}

diesel::table! {
    recognitions (id) {
        id -> BigInt,
        programme_id -> BigInt,
        gi_id -> BigInt,
        origin_office_id -> BigInt,
        partner_office_id -> BigInt,
        status -> Text,
        list_label -> Nullable<Text>,
        submitted_on -> Date,
        decision_deadline -> Date,
        published_on -> Nullable<Date>,
        opposition_deadline -> Nullable<Date>,
        decided_on -> Nullable<Date>,
        protected_from -> Nullable<Date>,
        limitations -> Nullable<Text>,
        phase_out_until -> Nullable<Date>,
        grounds -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        opposition_deadline_basis -> Nullable<Text>,
        decision_deadline_basis -> Nullable<Text>,
        remedies -> Nullable<Text>,
        remedy_deadline -> Nullable<Date>,
        publication_reference -> Nullable<Text>,
        phase_out_beneficiaries -> Nullable<Text>,
        deciding_authority -> Nullable<Text>,
        earlier_rights -> Nullable<Text>,
        excluded_names -> Nullable<Text>,
        coexisting_rights -> Nullable<Text>,
        name_conflicts -> Nullable<Text>,
    }
}

diesel::table! {
    exports (id) {
        id -> BigInt,
        format -> Text,
        query -> Text,
        as_of -> Date,
        status -> Text,
        row_count -> Nullable<BigInt>,
        sha256 -> Nullable<Text>,
        byte_count -> Nullable<BigInt>,
        requested_by -> Text,
        created_at -> Timestamp,
        completed_at -> Nullable<Timestamp>,
        audit_seq -> Nullable<BigInt>,
        audit_hash -> Nullable<Text>,
        signature -> Nullable<Text>,
        signature_key_id -> Nullable<Text>,
    }
}

diesel::table! {
    audit_head (id) {
        id -> Integer,
        seq -> BigInt,
        hash -> Text,
    }
}

diesel::table! {
    audit_checkpoints (seq) {
        seq -> BigInt,
        hash -> Text,
    }
}

diesel::table! {
    document_contents (sha256) {
        sha256 -> Text,
        content_type -> Text,
        byte_count -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    document_chunks (sha256, seq) {
        sha256 -> Text,
        seq -> Integer,
        bytes -> Binary,
    }
}

diesel::table! {
    documents (id) {
        id -> BigInt,
        gi_id -> BigInt,
        recognition_id -> Nullable<BigInt>,
        sha256 -> Text,
        kind -> Text,
        title -> Text,
        lang -> Nullable<Text>,
        file_name -> Nullable<Text>,
        specification_version -> Nullable<Integer>,
        event_id -> Nullable<BigInt>,
        uploaded_by -> Text,
        uploaded_at -> Timestamp,
    }
}

diesel::table! {
    office_holidays (office_id, holiday_on) {
        office_id -> BigInt,
        holiday_on -> Date,
        label -> Nullable<Text>,
        yearly -> Bool,
    }
}

diesel::table! {
    programme_amendments (id) {
        id -> BigInt,
        programme_id -> BigInt,
        effective_on -> Date,
        decision_reference -> Text,
        changes -> Text,
        applies_to_pending -> Bool,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    notice_reads (user_id, event_id) {
        user_id -> BigInt,
        event_id -> BigInt,
        read_at -> Timestamp,
    }
}

diesel::table! {
    subscriptions (id) {
        id -> BigInt,
        office_id -> Nullable<BigInt>,
        association_id -> Nullable<BigInt>,
        url -> Text,
        events -> Text,
        programme_id -> Nullable<BigInt>,
        partner_office_id -> Nullable<BigInt>,
        gi_id -> Nullable<BigInt>,
        description -> Nullable<Text>,
        secret -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        cancelled_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> BigInt,
        subscription_id -> BigInt,
        event_id -> BigInt,
        event_name -> Text,
        payload -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        created_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webhook_attempts (id) {
        id -> BigInt,
        delivery_id -> BigInt,
        attempted_at -> Timestamp,
        response_status -> Nullable<Integer>,
        error -> Nullable<Text>,
        duration_ms -> BigInt,
    }
}

diesel::table! {
    generic_terms (id) {
        id -> BigInt,
        office_id -> BigInt,
        term -> Text,
        lang -> Nullable<Text>,
        note -> Nullable<Text>,
        match_key -> Text,
        phonetic_key -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    trademarks (id) {
        id -> BigInt,
        office_id -> BigInt,
        number -> Text,
        mark -> Text,
        classes -> Text,
        owner -> Text,
        filed_on -> Nullable<Date>,
        status -> Text,
        match_key -> Text,
        phonetic_key -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    signing_keys (kid) {
        kid -> Text,
        alg -> Text,
        public_key_pem -> Text,
        created_at -> Timestamp,
        retired_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(associations -> offices (office_id));
diesel::joinable!(generic_terms -> offices (office_id));
diesel::joinable!(trademarks -> offices (office_id));
diesel::joinable!(programme_amendments -> programmes (programme_id));
diesel::joinable!(office_holidays -> offices (office_id));
diesel::joinable!(users -> offices (office_id));
diesel::joinable!(users -> associations (association_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(gis -> offices (origin_office_id));
diesel::joinable!(gis -> associations (association_id));
diesel::joinable!(gi_names -> gis (gi_id));
diesel::joinable!(conflict_forms -> gis (gi_id));
diesel::joinable!(specifications -> gis (gi_id));
diesel::joinable!(oppositions -> gis (gi_id));
diesel::joinable!(events -> gis (gi_id));
diesel::joinable!(programme_parties -> programmes (programme_id));
diesel::joinable!(programme_parties -> offices (office_id));
diesel::joinable!(recognitions -> programmes (programme_id));
diesel::joinable!(recognitions -> gis (gi_id));
diesel::joinable!(documents -> gis (gi_id));
diesel::joinable!(webhook_deliveries -> subscriptions (subscription_id));
diesel::joinable!(webhook_attempts -> webhook_deliveries (delivery_id));
diesel::joinable!(documents -> document_contents (sha256));

diesel::allow_tables_to_appear_in_same_query!(
    gi_read_views,
    offices,
    office_holidays,
    associations,
    users,
    refresh_tokens,
    revoked_access_tokens,
    audit_log,
    gis,
    gi_names,
    conflict_forms,
    conflict_trigrams,
    conflict_gram_postings,
    conflict_postings_pending,
    specifications,
    oppositions,
    events,
    number_sequences,
    programmes,
    programme_amendments,
    programme_parties,
    recognitions,
    exports,
    signing_keys,
    generic_terms,
    trademarks,
    audit_head,
    audit_checkpoints,
    document_contents,
    document_chunks,
    documents,
    notice_reads,
    subscriptions,
    webhook_deliveries,
    webhook_attempts,
);
