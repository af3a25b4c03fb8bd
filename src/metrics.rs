//! Prometheus metrics: requests by route and status, a latency histogram, pool state.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

#[derive(Default)]
struct Inner {
    requests: BTreeMap<(String, String, u16), u64>,
    latency: BTreeMap<(String, String), Histogram>,
}

#[derive(Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

impl Metrics {
    /// `route` is the matched pattern (`/api/v1/users/{id}`), never the raw path, so
    /// the number of series stays bounded.
    pub fn record(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        *inner
            .requests
            .entry((method.to_string(), route.to_string(), status))
            .or_default() += 1;
        let histogram = inner
            .latency
            .entry((method.to_string(), route.to_string()))
            .or_default();
        let seconds = elapsed.as_secs_f64();
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                histogram.counts[i] += 1;
            }
        }
        histogram.sum += seconds;
        histogram.count += 1;
    }

    /// The Prometheus text exposition, with the pool gauges given by the caller.
    pub fn render(&self, pools: &[(&str, u32, u32)]) -> String {
        let inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP terroir_http_requests_total HTTP requests by route and status."
        );
        let _ = writeln!(out, "# TYPE terroir_http_requests_total counter");
        for ((method, route, status), count) in &inner.requests {
            let _ = writeln!(
                out,
                "terroir_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {count}",
                escape(route)
            );
        }
        let _ = writeln!(
            out,
            "# HELP terroir_http_request_duration_seconds HTTP request latency."
        );
        let _ = writeln!(
            out,
            "# TYPE terroir_http_request_duration_seconds histogram"
        );
        for ((method, route), h) in &inner.latency {
            let labels = format!("method=\"{method}\",route=\"{}\"", escape(route));
            for (i, bound) in BUCKETS.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "terroir_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {}",
                    h.counts[i]
                );
            }
            let _ = writeln!(
                out,
                "terroir_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                out,
                "terroir_http_request_duration_seconds_sum{{{labels}}} {}",
                h.sum
            );
            let _ = writeln!(
                out,
                "terroir_http_request_duration_seconds_count{{{labels}}} {}",
                h.count
            );
        }
        let _ = writeln!(
            out,
            "# HELP terroir_db_pool_connections Open database connections by pool."
        );
        let _ = writeln!(out, "# TYPE terroir_db_pool_connections gauge");
        for (pool, connections, _) in pools {
            let _ = writeln!(
                out,
                "terroir_db_pool_connections{{pool=\"{pool}\"}} {connections}"
            );
        }
        let _ = writeln!(
            out,
            "# HELP terroir_db_pool_idle_connections Idle database connections by pool."
        );
        let _ = writeln!(out, "# TYPE terroir_db_pool_idle_connections gauge");
        for (pool, _, idle) in pools {
            let _ = writeln!(
                out,
                "terroir_db_pool_idle_connections{{pool=\"{pool}\"}} {idle}"
            );
        }
        out
    }
}

fn escape(label: &str) -> String {
    label.replace('\\', "\\\\").replace('"', "\\\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_buckets() {
        let metrics = Metrics::default();
        metrics.record("GET", "/healthz", 200, Duration::from_millis(3));
        metrics.record("GET", "/healthz", 200, Duration::from_millis(300));
        metrics.record("GET", "/healthz", 404, Duration::from_millis(1));
        let text = metrics.render(&[("read", 2, 1)]);
        assert!(text.contains(
            r#"terroir_http_requests_total{method="GET",route="/healthz",status="200"} 2"#
        ));
        assert!(text.contains(
            r#"terroir_http_requests_total{method="GET",route="/healthz",status="404"} 1"#
        ));
        assert!(text.contains(r#"terroir_http_request_duration_seconds_bucket{method="GET",route="/healthz",le="0.005"} 2"#));
        assert!(text.contains(r#"terroir_http_request_duration_seconds_bucket{method="GET",route="/healthz",le="0.5"} 3"#));
        assert!(text.contains(r#"terroir_db_pool_connections{pool="read"} 2"#));
    }
}
