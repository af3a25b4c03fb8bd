//! The client address login throttling counts by: the peer's, or, when the peer is a
//! trusted reverse proxy (`TERROIR_TRUSTED_PROXIES`), the address the proxies report in
//! `X-Forwarded-For`. Entries a client wrote itself sit left of those its proxies
//! appended, so the list is read from the right and the first untrusted entry wins.

use std::net::IpAddr;

use actix_web::HttpRequest;

pub fn client_address(req: &HttpRequest, trusted: &[IpAddr]) -> String {
    let Some(peer) = req.peer_addr().map(|a| a.ip()) else {
        return "unknown".into();
    };
    let forwarded: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .collect();
    resolve(peer, &forwarded.join(","), trusted)
}

/// `forwarded_for` is the comma-separated X-Forwarded-For list (empty when absent).
fn resolve(peer: IpAddr, forwarded_for: &str, trusted: &[IpAddr]) -> String {
    if !trusted.contains(&peer) {
        return peer.to_string();
    }
    for entry in forwarded_for
        .rsplit(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        match entry.parse::<IpAddr>() {
            Ok(ip) if trusted.contains(&ip) => continue,
            Ok(ip) => return ip.to_string(),
            // Not an address: still one client's key, bounded in length.
            Err(_) => return entry.chars().take(64).collect(),
        }
    }
    peer.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_claims() {
        assert_eq!(
            resolve(ip("198.51.100.7"), "203.0.113.1", &[]),
            "198.51.100.7"
        );
        assert_eq!(
            resolve(ip("198.51.100.7"), "203.0.113.1", &[ip("10.0.0.1")]),
            "198.51.100.7"
        );
    }

    #[test]
    fn behind_trusted_proxies_the_rightmost_untrusted_entry_is_the_client() {
        let proxies = [ip("10.0.0.1"), ip("10.0.0.2")];
        assert_eq!(
            resolve(ip("10.0.0.1"), "203.0.113.9", &proxies),
            "203.0.113.9"
        );
        // A client that forges an entry only adds one on the left.
        assert_eq!(
            resolve(ip("10.0.0.1"), "1.2.3.4, 203.0.113.9", &proxies),
            "203.0.113.9"
        );
        // Two proxies in a row.
        assert_eq!(
            resolve(ip("10.0.0.1"), "203.0.113.9, 10.0.0.2", &proxies),
            "203.0.113.9"
        );
        assert_eq!(
            resolve(ip("10.0.0.1"), "2001:db8::1", &proxies),
            "2001:db8::1"
        );
        // No header, or only proxies: the peer.
        assert_eq!(resolve(ip("10.0.0.1"), "", &proxies), "10.0.0.1");
        assert_eq!(resolve(ip("10.0.0.1"), "10.0.0.2", &proxies), "10.0.0.1");
    }
}
