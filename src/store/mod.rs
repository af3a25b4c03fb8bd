//! Diesel queries, one file per aggregate. No permission checks here.

pub mod associations;
pub mod audit;
pub mod offices;
pub mod sessions;
pub mod users;
