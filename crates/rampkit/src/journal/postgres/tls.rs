//! TLS to PostgreSQL: rustls, with the certificate checked against the system's roots or the
//! `sslrootcert` file the URL names.
//!
//! `sslmode=require` in the URL: TLS or no connection, and — stricter than libpq's `require`, as its
//! `verify-full` — the server's certificate is verified for the URL's host: a journal and a rate budget
//! are not sent to a server that cannot prove its name. A managed database with its own CA (Amazon RDS,
//! Cloud SQL, Azure) is reached with `?sslmode=require&sslrootcert=/path/to/ca.pem`. Without
//! `sslmode=require` (`disable`, or tokio-postgres's default `prefer`) the connection is plain, as
//! before TLS was supported: a server with a self-signed certificate (a distribution's default
//! install) keeps working unchanged.

use std::sync::Arc;

use rustls::crypto::CryptoProvider;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use tokio_postgres::config::SslMode;
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::journal::JournalError;

/// `url` without its `sslrootcert` parameter (tokio-postgres does not know it), and that parameter.
pub(super) fn split_root_cert(url: &str) -> (String, Option<String>) {
    let Some((base, query)) = url.split_once('?') else {
        return (url.to_owned(), None);
    };
    let mut root = None;
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| match pair.split_once('=') {
            Some(("sslrootcert", value)) => {
                root = Some(value.to_owned());
                false
            }
            _ => true,
        })
        .collect();
    let url = if kept.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    (url, root)
}

/// The crypto of rustls: the process's default when the application installed one, else the one this
/// build of rampkit carries (feature `rustls`: aws-lc-rs; `rustls-ring`: ring).
fn provider() -> Option<Arc<CryptoProvider>> {
    CryptoProvider::get_default().cloned().or_else(built_in)
}

#[cfg(feature = "rustls")]
fn built_in() -> Option<Arc<CryptoProvider>> {
    Some(Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
}

#[cfg(all(feature = "rustls-ring", not(feature = "rustls")))]
fn built_in() -> Option<Arc<CryptoProvider>> {
    Some(Arc::new(rustls::crypto::ring::default_provider()))
}

#[cfg(not(any(feature = "rustls", feature = "rustls-ring")))]
fn built_in() -> Option<Arc<CryptoProvider>> {
    None
}

/// The connector for `mode`: verified TLS for `require`, `None` (plain) otherwise.
pub(super) fn connector(
    mode: SslMode,
    root_cert: Option<&str>,
    label: &str,
) -> Result<Option<MakeRustlsConnect>, JournalError> {
    if mode != SslMode::Require {
        return Ok(None);
    }
    let fail = |why: String| JournalError::Storage(format!("{label}: TLS: {why}"));
    let Some(provider) = provider() else {
        return Err(fail(
            "sslmode=require, but this build has no rustls crypto provider: enable rampkit's feature \
             `rustls` or `rustls-ring`, or install a process-wide rustls provider"
                .to_owned(),
        ));
    };
    let mut roots = rustls::RootCertStore::empty();
    match root_cert {
        Some(path) => {
            let certificates = CertificateDer::pem_file_iter(path)
                .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
                .map_err(|e| fail(format!("sslrootcert {path}: {e}")))?;
            let (added, _) = roots.add_parsable_certificates(certificates);
            if added == 0 {
                return Err(fail(format!(
                    "sslrootcert {path}: no certificate in the file"
                )));
            }
        }
        None => {
            let native = rustls_native_certs::load_native_certs();
            roots.add_parsable_certificates(native.certs);
            if roots.is_empty() {
                return Err(fail(
                    "sslmode=require, but the system has no root certificates: name the server's CA \
                     with sslrootcert=/path/to/ca.pem in the URL"
                        .to_owned(),
                ));
            }
        }
    }
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| fail(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Some(MakeRustlsConnect::new(config)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sslrootcert_is_taken_out_of_the_url_and_the_rest_kept() {
        assert_eq!(
            split_root_cert("postgres://u:p@h:5432/db?sslmode=require&sslrootcert=/etc/ca.pem"),
            (
                "postgres://u:p@h:5432/db?sslmode=require".to_owned(),
                Some("/etc/ca.pem".to_owned())
            )
        );
        assert_eq!(
            split_root_cert("postgres://h/db?sslrootcert=ca.pem"),
            ("postgres://h/db".to_owned(), Some("ca.pem".to_owned()))
        );
        assert_eq!(
            split_root_cert("postgres://h/db?application_name=x"),
            ("postgres://h/db?application_name=x".to_owned(), None)
        );
        assert_eq!(
            split_root_cert("postgres://h/db"),
            ("postgres://h/db".to_owned(), None)
        );
    }

    #[test]
    fn only_require_is_tls_and_a_missing_root_file_is_named() {
        assert!(connector(SslMode::Disable, None, "pg").unwrap().is_none());
        assert!(connector(SslMode::Prefer, None, "pg").unwrap().is_none());
        let error = connector(SslMode::Require, Some("/nonexistent/ca.pem"), "pg")
            .err()
            .expect("a missing file fails")
            .to_string();
        assert!(
            error.starts_with("journal storage: pg: TLS: sslrootcert /nonexistent/ca.pem:"),
            "{error}"
        );
    }
}
