// The migrations are embedded at compile time (`embed_migrations!` in src/db/migrations.rs):
// a new or changed migration must rebuild the crate, which cargo does not know by itself.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
