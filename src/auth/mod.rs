//! Authentication: passwords, tokens, sessions, login throttling, the first admin.

pub mod bootstrap;
pub mod hashing;
pub mod password;
pub mod rate_limit;
pub mod secret;
pub mod session;
pub mod tokens;
