//! Where webhooks may be sent. A subscription URL must not turn the registry into a
//! way to reach what only it can reach (server-side request forgery): loopback,
//! private, link-local, shared and other non-public addresses are refused unless the
//! operator allows them (`TERROIR_WEBHOOK_ALLOW_PRIVATE`, for a receiver on the same
//! network). The check is made on the address a name resolves to, when subscribing
//! and again at every delivery.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Why a subscription URL is refused as written (before any name is resolved).
pub fn check_url(raw: &str) -> Result<Url, String> {
    let (scheme, rest) = raw
        .split_once("://")
        .ok_or_else(|| "must be an absolute http:// or https:// URL".to_string())?;
    let scheme = match scheme.to_ascii_lowercase().as_str() {
        "http" => Scheme::Http,
        "https" => Scheme::Https,
        _ => {
            return Err(format!(
                "scheme `{scheme}` is not allowed: use https:// or http://"
            ))
        }
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err("must not carry credentials (user:password@)".into());
    }
    let (host, port) = split_host_port(authority)?;
    if host.is_empty() {
        return Err("has no host".into());
    }
    Ok(Url {
        scheme,
        host: host.to_ascii_lowercase(),
        port: port.unwrap_or(match scheme {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }),
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    Http,
    Https,
}

/// The parts of a subscription URL the destination check needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url {
    pub scheme: Scheme,
    /// A name, or an address (IPv6 without brackets).
    pub host: String,
    pub port: u16,
}

impl Url {
    /// The host when it is an address literal.
    pub fn address(&self) -> Option<IpAddr> {
        self.host.parse().ok()
    }
}

fn split_host_port(authority: &str) -> Result<(&str, Option<u16>), String> {
    let port = |p: &str| {
        p.parse::<u16>()
            .ok()
            .filter(|p| *p != 0)
            .ok_or_else(|| format!("port `{p}` is not a port"))
    };
    if let Some(rest) = authority.strip_prefix('[') {
        let (host, after) = rest
            .split_once(']')
            .ok_or_else(|| "has an unclosed [ in its host".to_string())?;
        return match after.strip_prefix(':') {
            Some(p) => Ok((host, Some(port(p)?))),
            None if after.is_empty() => Ok((host, None)),
            None => Err("has text after its host".into()),
        };
    }
    match authority.rsplit_once(':') {
        Some((host, p)) => Ok((host, Some(port(p)?))),
        None => Ok((authority, None)),
    }
}

/// Whether `ip` is an address on the public internet.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        // Shared address space (carrier-grade NAT), 100.64.0.0/10.
        || (a == 100 && (64..128).contains(&b))
        // IETF protocol assignments, 192.0.0.0/24; benchmarking, 198.18.0.0/15.
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (b == 18 || b == 19))
        // Reserved, 240.0.0.0/4.
        || a >= 240)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        // Unique local fc00::/7, link-local fe80::/10, site-local fec0::/10.
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        || (first & 0xffc0) == 0xfec0
        // Documentation 2001:db8::/32; NAT64 64:ff9b::/96 reaches IPv4 (checked as such
        // would need the embedded address: refuse it).
        || (first == 0x2001 && ip.segments()[1] == 0x0db8)
        || (first == 0x0064 && ip.segments()[1] == 0xff9b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_addresses_pass_and_inner_ones_do_not() {
        for public in [
            "8.8.8.8",
            "203.0.114.7",
            "2a00:1450:4001:80b::200e",
            "::ffff:1.1.1.1",
            // 2001::/16 outside the documentation range 2001:db8::/32.
            "2001:4860:4860::8888",
            // A second group of db8 or ff9b outside 2001:db8::/32 and 64:ff9b::/96.
            "2a00:db8::1",
            "2a00:ff9b::1",
            // Next to 192.0.0.0/24.
            "192.1.0.1",
            "192.0.1.1",
            // Next to 198.18.0.0/15, and its second octets elsewhere.
            "198.17.255.255",
            "198.20.0.1",
            "8.18.0.1",
            "8.19.0.1",
        ] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
        for inner in [
            "127.0.0.1",
            "127.8.9.10",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "0.1.2.3",
            "255.255.255.255",
            "224.0.0.1",
            "192.0.2.1",
            "192.0.0.9",
            "198.18.0.1",
            "198.19.255.255",
            "240.0.0.1",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            // Site-local fec0::/10, deprecated but still routed inside some networks.
            "fec0::1",
            "feff:ffff::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "2001:db8::1",
            "64:ff9b::a00:1",
        ] {
            assert!(!is_public(inner.parse().unwrap()), "{inner}");
        }
        // The edges of the ranges.
        assert!(is_public("172.32.0.1".parse().unwrap()));
        assert!(is_public("100.128.0.1".parse().unwrap()));
        assert!(is_public("11.0.0.1".parse().unwrap()));
    }

    #[test]
    fn urls_name_a_scheme_a_host_and_a_port() {
        let url = check_url("https://hooks.dip.go.th/terroir?x=1").unwrap();
        assert_eq!(
            url,
            Url {
                scheme: Scheme::Https,
                host: "hooks.dip.go.th".into(),
                port: 443
            }
        );
        let url = check_url("HTTP://[::1]:8081/x").unwrap();
        assert_eq!(
            (url.scheme, url.host.as_str(), url.port),
            (Scheme::Http, "::1", 8081)
        );
        assert_eq!(url.address(), Some("::1".parse().unwrap()));
        // A bracketed address without a port takes the scheme's.
        let url = check_url("https://[2001:4860::8888]/hook").unwrap();
        assert_eq!((url.host.as_str(), url.port), ("2001:4860::8888", 443));
        assert_eq!(check_url("http://127.0.0.1:9/").unwrap().port, 9);
        for bad in [
            "ftp://example.org/",
            "file:///etc/passwd",
            "example.org/hook",
            "https://user:pw@example.org/",
            "https:///path",
            "https://example.org:0/",
            "https://example.org:99999/",
            "https://[::1/",
            "https://[::1]x/",
            "gopher://example.org",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
    }
}
