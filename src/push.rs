//! `--push URL`: sends the Prometheus text of a run to a Prometheus Pushgateway, the
//! convention for batch jobs (such as a CI step) that end before Prometheus could scrape them.
//!
//! The metrics are PUT to `URL/metrics/job/<job>/instance/<instance>`, replacing everything
//! earlier pushes left under that grouping key, so a metric that a run no longer writes does
//! not linger. Plain HTTP only (ureq without TLS): a Pushgateway is reached inside the CI
//! network or through a local proxy.

use std::time::Duration;

/// Time allowed for the whole push, connection included.
const TIMEOUT: Duration = Duration::from_secs(30);

/// The Content-Type of the Prometheus text format 0.0.4.
const PROMETHEUS_TEXT: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Where to push: the Pushgateway and the grouping key.
#[derive(Clone, Debug)]
pub struct Target {
    /// The Pushgateway's base URL, such as `http://pushgateway:9091`.
    pub url: String,
    /// The `job` grouping label.
    pub job: String,
    /// The `instance` grouping label.
    pub instance: String,
}

/// Why a push failed.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    /// A grouping label value that cannot stand in a URL path as it is.
    #[error(
        "the push {label} `{value}` must be non-empty and use only letters, digits, `.`, `_`, \
         `-` and `~`; choose another with --push-{label}"
    )]
    Label {
        /// `job` or `instance`.
        label: &'static str,
        /// The value given.
        value: String,
    },
    /// The Pushgateway could not be reached or the exchange broke off.
    #[error("cannot push the metrics to {url} (check --push and that the Pushgateway runs)")]
    Request {
        /// The URL pushed to.
        url: String,
        /// Why.
        source: Box<ureq::Error>,
    },
    /// The Pushgateway refused the metrics.
    #[error("the Pushgateway at {url} refused the metrics with HTTP {status}: {message}")]
    Refused {
        /// The URL pushed to.
        url: String,
        /// Its HTTP status.
        status: u16,
        /// What it said.
        message: String,
    },
}

impl Target {
    /// The URL of this target's grouping key.
    ///
    /// # Errors
    /// [`PushError::Label`] when `job` or `instance` cannot be written in a URL path as it is.
    pub fn grouping_url(&self) -> Result<String, PushError> {
        let job = checked("job", &self.job)?;
        let instance = checked("instance", &self.instance)?;
        let base = self.url.trim_end_matches('/');
        Ok(format!("{base}/metrics/job/{job}/instance/{instance}"))
    }

    /// PUTs `metrics` (Prometheus text format) under this target's grouping key.
    ///
    /// # Errors
    /// [`PushError`] when a label is unusable, the Pushgateway cannot be reached or it refuses
    /// the metrics.
    pub fn push(&self, metrics: &[u8]) -> Result<(), PushError> {
        let url = self.grouping_url()?;
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(TIMEOUT))
            .http_status_as_error(false)
            .build()
            .into();
        let request_error = |source| PushError::Request {
            url: url.clone(),
            source: Box::new(source),
        };
        let mut response = agent
            .put(&url)
            .header("Content-Type", PROMETHEUS_TEXT)
            .send(metrics)
            .map_err(request_error)?;
        let status = response.status().as_u16();
        if (200..300).contains(&status) {
            return Ok(());
        }
        let message = response
            .body_mut()
            .with_config()
            .limit(4096)
            .read_to_string()
            .unwrap_or_default();
        Err(PushError::Refused {
            url,
            status,
            message: message.trim().to_owned(),
        })
    }
}

/// `value` when it can stand in a URL path segment as it is.
fn checked<'a>(label: &'static str, value: &'a str) -> Result<&'a str, PushError> {
    let usable = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '~');
    if value.is_empty() || !value.chars().all(usable) {
        return Err(PushError::Label {
            label,
            value: value.to_owned(),
        });
    }
    Ok(value)
}

/// This machine's host name, the default `instance` (`unknown` when it is not valid UTF-8).
#[must_use]
pub fn hostname() -> String {
    gethostname::gethostname()
        .into_string()
        .unwrap_or_else(|_| String::from("unknown"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(url: &str, job: &str, instance: &str) -> Target {
        Target {
            url: url.to_owned(),
            job: job.to_owned(),
            instance: instance.to_owned(),
        }
    }

    #[test]
    fn the_grouping_key_is_in_the_path() {
        let t = target("http://127.0.0.1:9091/", "gatecheck", "ci-7.example");
        assert_eq!(
            t.grouping_url().unwrap(),
            "http://127.0.0.1:9091/metrics/job/gatecheck/instance/ci-7.example"
        );
        for (job, instance) in [("a/b", "x"), ("a", ""), ("a", "x y")] {
            let err = target("http://p", job, instance)
                .grouping_url()
                .unwrap_err();
            assert!(matches!(err, PushError::Label { .. }), "{err}");
        }
    }

    #[test]
    fn an_unreachable_gateway_is_an_error_naming_the_url() {
        // Port 1 on loopback: nothing listens there, the connection is refused at once.
        let err = target("http://127.0.0.1:1", "j", "i")
            .push(b"")
            .unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, PushError::Request { .. }), "{text}");
        assert!(
            text.contains("http://127.0.0.1:1/metrics/job/j/instance/i"),
            "{text}"
        );
    }
}
