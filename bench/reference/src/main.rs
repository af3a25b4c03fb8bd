//! `GET /gis/{id}`: one `SELECT ... WHERE id = ?` through an r2d2 pool on actix's
//! blocking pool, answered as JSON. Nothing else: no auth, no logging, no middleware.
//!
//! Usage: terroir-bench-reference <database-url> <port> [pool-size]
//! where the URL is a SQLite file path or a postgres:// URL.

use actix_web::{get, web, App, HttpResponse, HttpServer};
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool};
use serde::Serialize;

diesel::table! {
    gis (id) {
        id -> BigInt,
        file_number -> Nullable<Text>,
        origin_office_id -> BigInt,
        gi_type -> Text,
        product_type -> Text,
        product_class -> Text,
        area_description -> Text,
        countries -> Text,
        status -> Text,
        registered_on -> Nullable<Date>,
        version -> Integer,
        updated_at -> Timestamp,
    }
}

#[derive(Queryable, Selectable, Serialize)]
#[diesel(table_name = gis)]
struct Gi {
    id: i64,
    file_number: Option<String>,
    origin_office_id: i64,
    gi_type: String,
    product_type: String,
    product_class: String,
    area_description: String,
    countries: String,
    status: String,
    registered_on: Option<chrono::NaiveDate>,
    version: i32,
    updated_at: chrono::NaiveDateTime,
}

#[derive(diesel::MultiConnection)]
enum AnyConnection {
    Postgres(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

type DbPool = Pool<ConnectionManager<AnyConnection>>;

#[get("/gis/{id}")]
async fn read(pool: web::Data<DbPool>, id: web::Path<i64>) -> HttpResponse {
    let id = id.into_inner();
    let found = web::block(move || -> Result<Option<Gi>, String> {
        let mut conn = pool.get().map_err(|e| e.to_string())?;
        gis::table
            .find(id)
            .select(Gi::as_select())
            .first(&mut conn)
            .optional()
            .map_err(|e| e.to_string())
    })
    .await;
    match found {
        Ok(Ok(Some(gi))) => HttpResponse::Ok().json(gi),
        Ok(Ok(None)) => HttpResponse::NotFound().finish(),
        _ => HttpResponse::InternalServerError().finish(),
    }
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(url), Some(port)) = (args.get(1), args.get(2).and_then(|p| p.parse::<u16>().ok()))
    else {
        eprintln!("usage: terroir-bench-reference <database-url> <port> [pool-size]");
        std::process::exit(2);
    };
    let size = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(10);
    let pool = Pool::builder()
        .max_size(size)
        .build(ConnectionManager::<AnyConnection>::new(url))
        .map_err(std::io::Error::other)?;
    let pool = web::Data::new(pool);
    actix_web::rt::System::new().block_on(async move {
        HttpServer::new(move || App::new().app_data(pool.clone()).service(read))
            .bind(("127.0.0.1", port))?
            .run()
            .await
    })
}
