//! Resolves a webhook URL's host and checks where it leads (`domain::destinations`):
//! when subscribing, and again when delivering, through the HTTP client's own resolver,
//! so that the address connected to is the address checked.

use std::net::SocketAddr;
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use crate::domain::destinations::{check_url, is_public, Url};

/// The addresses `url` leads to, or why it may not be used.
pub async fn resolve_checked(raw: &str, allow_private: bool) -> Result<Vec<SocketAddr>, String> {
    let url: Url = check_url(raw)?;
    let addresses: Vec<SocketAddr> = match url.address() {
        Some(ip) => vec![SocketAddr::new(ip, url.port)],
        None => tokio::net::lookup_host((url.host.as_str(), url.port))
            .await
            .map_err(|e| format!("host `{}` does not resolve: {e}", url.host))?
            .collect(),
    };
    check_addresses(&url.host, &addresses, allow_private)?;
    Ok(addresses)
}

fn check_addresses(
    host: &str,
    addresses: &[SocketAddr],
    allow_private: bool,
) -> Result<(), String> {
    if addresses.is_empty() {
        return Err(format!("host `{host}` resolves to no address"));
    }
    if allow_private {
        return Ok(());
    }
    match addresses.iter().find(|a| !is_public(a.ip())) {
        Some(inner) => Err(format!(
            "`{host}` leads to {}, a loopback, private, link-local or reserved address \
(allowed only with TERROIR_WEBHOOK_ALLOW_PRIVATE=true)",
            inner.ip()
        )),
        None => Ok(()),
    }
}

/// The delivery client's resolver: a name that resolves to an address not allowed fails
/// the connection before it is made.
#[derive(Clone, Debug)]
pub struct CheckedResolver {
    pub allow_private: bool,
}

impl Resolve for CheckedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            let host = name.as_str().to_string();
            let addresses: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            check_addresses(&host, &addresses, allow_private)?;
            let addrs: Addrs = Box::new(addresses.into_iter());
            Ok(addrs)
        })
    }
}

impl CheckedResolver {
    pub fn shared(allow_private: bool) -> Arc<Self> {
        Arc::new(Self { allow_private })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn loopback_is_refused_unless_allowed() {
        let refused = resolve_checked("http://127.0.0.1:9/hook", false)
            .await
            .unwrap_err();
        assert!(refused.contains("127.0.0.1"), "{refused}");
        assert!(resolve_checked("http://localhost:9/hook", false)
            .await
            .is_err());
        assert!(resolve_checked("http://[::1]:9/", false).await.is_err());
        assert!(
            resolve_checked("http://169.254.169.254/latest/meta-data", false)
                .await
                .is_err()
        );
        let allowed = resolve_checked("http://127.0.0.1:9/hook", true)
            .await
            .unwrap();
        assert_eq!(
            allowed,
            vec!["127.0.0.1:9".parse::<std::net::SocketAddr>().unwrap()]
        );
    }

    #[tokio::test]
    async fn a_public_address_literal_passes_without_a_lookup() {
        let addresses = resolve_checked("https://203.0.114.7/hook", false)
            .await
            .unwrap();
        assert_eq!(
            addresses,
            vec!["203.0.114.7:443".parse::<std::net::SocketAddr>().unwrap()]
        );
    }
}
