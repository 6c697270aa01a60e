//! TLS for the native transport (feature `tls`): rustls with the ring
//! provider, built from [`TlsSettings`], and errors that name the file or the
//! check that failed.

use std::io;
use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{AlertDescription, CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use super::native::ConnectFailure;
use crate::config::{Pem, TlsSettings};
use crate::{Error, Result};

/// What the connection was set up with, for error messages.
#[derive(Debug)]
pub(crate) struct TlsSummary {
    /// Where the settings came from.
    origin: String,
    /// The CA file, or "the system's root certificates".
    ca: String,
    /// The client certificate file, if one is presented.
    cert: Option<String>,
    /// The name the daemon's certificate is checked against.
    server_name: String,
}

/// A rustls client set up for one daemon.
pub(crate) struct Tls {
    connector: TlsConnector,
    server_name: ServerName<'static>,
    pub(crate) summary: TlsSummary,
}

impl std::fmt::Debug for Tls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tls").field("summary", &self.summary).finish_non_exhaustive()
    }
}

impl Tls {
    /// Parses the certificates and key and builds the rustls configuration;
    /// `host` is the address connected to (the default name to check).
    pub(crate) fn new(settings: &TlsSettings, host: &str) -> Result<Tls> {
        // rustls 0.23.48 deprecated the ring provider because it has no
        // post-quantum key exchange (its answer is aws-lc-rs, a C library
        // that needs cmake and doubles the TLS build time). The ring suites
        // are the ones every dockerd speaks (TLS 1.2/1.3, ECDHE); the
        // deprecation is a nudge, not a removal, and the `newest
        // dependencies` step of `cargo xtask test` lints against it.
        #[allow(deprecated)]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::invalid("TLS configuration", e.to_string()))?;
        let (builder, ca) = if settings.danger_accept_invalid_certs {
            let verifier = Arc::new(AcceptAnything(provider.signature_verification_algorithms));
            (builder.dangerous().with_custom_certificate_verifier(verifier), "none (verification is off)".to_owned())
        } else {
            let (roots, ca) = match &settings.ca {
                Some(pem) => (ca_roots(pem)?, pem.origin().to_owned()),
                None => (system_roots()?, "the system's root certificates".to_owned()),
            };
            let verifier = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .map_err(|e| Error::invalid("TLS CA certificate", format!("{ca}: {e}")))?;
            (builder.with_webpki_verifier(verifier), ca)
        };
        let config = match (&settings.cert, &settings.key) {
            (Some(cert), Some(key)) => {
                let chain = certificates(cert, "TLS client certificate")?;
                let key = private_key(key)?;
                builder.with_client_auth_cert(chain, key).map_err(|e| {
                    Error::invalid(
                        "TLS client certificate",
                        format!("{} with key {}: {e}", cert.origin(), settings.key.as_ref().map_or("", Pem::origin)),
                    )
                })?
            }
            (None, None) => builder.with_no_client_auth(),
            (Some(cert), None) => {
                return Err(Error::invalid(
                    "TLS configuration",
                    format!("client certificate {} given without its key", cert.origin()),
                ));
            }
            (None, Some(key)) => {
                return Err(Error::invalid(
                    "TLS configuration",
                    format!("client key {} given without its certificate", key.origin()),
                ));
            }
        };
        let name = settings.server_name.clone().unwrap_or_else(|| host.to_owned());
        let server_name = ServerName::try_from(name.clone())
            .map_err(|_| Error::invalid("TLS server name", format!("{name:?} is not a DNS name or IP address")))?;
        Ok(Tls {
            connector: TlsConnector::from(Arc::new(config)),
            server_name,
            summary: TlsSummary {
                origin: settings.origin.clone(),
                ca,
                cert: settings.cert.as_ref().map(|c| c.origin().to_owned()),
                server_name: name,
            },
        })
    }

    /// The TLS handshake over `tcp`; a failure says which check failed.
    pub(crate) async fn connect(&self, tcp: TcpStream) -> io::Result<TlsStream<TcpStream>> {
        self.connector.connect(self.server_name.clone(), tcp).await.map_err(|e| match explain(&e, &self.summary) {
            Some(failure) => io::Error::new(io::ErrorKind::ConnectionAborted, failure),
            None => e,
        })
    }
}

fn ca_roots(pem: &Pem) -> Result<RootCertStore> {
    let mut roots = RootCertStore::empty();
    for cert in certificates(pem, "TLS CA certificate")? {
        roots.add(cert).map_err(|e| {
            Error::invalid("TLS CA certificate", format!("{}: not a usable CA certificate: {e}", pem.origin()))
        })?;
    }
    Ok(roots)
}

fn system_roots() -> Result<RootCertStore> {
    let found = rustls_native_certs::load_native_certs();
    let mut roots = RootCertStore::empty();
    let (added, _ignored) = roots.add_parsable_certificates(found.certs);
    if added == 0 {
        return Err(Error::invalid(
            "TLS CA certificate",
            "no CA certificate was given (DOCKER_CERT_PATH/ca.pem, a context's ca.pem or \
             DockerBuilder::tls_ca_file) and the system has no root certificates",
        ));
    }
    Ok(roots)
}

fn certificates(pem: &Pem, what: &'static str) -> Result<Vec<CertificateDer<'static>>> {
    let certs = CertificateDer::pem_slice_iter(pem.bytes())
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| Error::invalid(what, format!("{}: not valid PEM: {e}", pem.origin())))?;
    if certs.is_empty() {
        return Err(Error::invalid(
            what,
            format!("{}: no PEM certificate found (expected BEGIN CERTIFICATE)", pem.origin()),
        ));
    }
    Ok(certs)
}

/// The client key. Its bytes never reach a message: only the file's name
/// and what kind of problem it has.
fn private_key(pem: &Pem) -> Result<PrivateKeyDer<'static>> {
    use rustls::pki_types::pem::Error as PemError;
    PrivateKeyDer::from_pem_slice(pem.bytes()).map_err(|e| {
        let why = match e {
            PemError::NoItemsFound => "no private key found (expected BEGIN PRIVATE KEY, RSA or EC PRIVATE KEY)",
            PemError::MissingSectionEnd { .. } => "unparsable key: a PEM section has no END line",
            PemError::IllegalSectionStart { .. } => "unparsable key: malformed BEGIN line",
            PemError::Base64Decode(_) => "unparsable key: bad base64",
            _ => "unparsable key",
        };
        Error::invalid("TLS client key", format!("{}: {why}", pem.origin()))
    })
}

/// Explains a TLS failure found in an IO error (the handshake's, or the
/// first read's: with TLS 1.3 the daemon rejects a client certificate after
/// the client thinks the handshake is done).
pub(crate) fn explain(e: &io::Error, s: &TlsSummary) -> Option<ConnectFailure> {
    let tls = e.get_ref()?.downcast_ref::<rustls::Error>()?;
    let (reason, hint) = match tls {
        rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer) => (
            format!("TLS: the daemon's certificate is not signed by a trusted CA (unknown CA; trusted: {})", s.ca),
            format!("{}: ca.pem must be the CA that signed the daemon's certificate (its --tlscert)", s.origin),
        ),
        rustls::Error::InvalidCertificate(
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
        ) => (
            format!("TLS: the daemon's certificate is not valid for {:?} (name mismatch)", s.server_name),
            "connect with a name the certificate lists, or set the expected name with DockerBuilder::tls_server_name"
                .to_owned(),
        ),
        rustls::Error::InvalidCertificate(
            CertificateError::Expired
            | CertificateError::ExpiredContext { .. }
            | CertificateError::NotValidYet
            | CertificateError::NotValidYetContext { .. },
        ) => (
            "TLS: the daemon's certificate is expired or not yet valid".to_owned(),
            "renew the daemon's certificate, or check this machine's clock".to_owned(),
        ),
        rustls::Error::InvalidCertificate(other) => {
            (format!("TLS: the daemon's certificate was rejected: {other:?}"), format!("checked against {}", s.ca))
        }
        rustls::Error::AlertReceived(alert) if s.cert.is_none() && client_cert_alert(*alert) => (
            format!("TLS: the daemon requires a client certificate and none was sent (alert: {alert:?})"),
            format!(
                "{}: give cert.pem and key.pem (beside ca.pem in DOCKER_CERT_PATH, in the context, or with \
                 DockerBuilder::tls_client_cert_files)",
                s.origin
            ),
        ),
        rustls::Error::AlertReceived(alert) if client_cert_alert(*alert) => (
            format!(
                "TLS: the daemon rejected the client certificate {} (alert: {alert:?})",
                s.cert.as_deref().unwrap_or_default()
            ),
            "the client certificate must be signed by the CA the daemon trusts (its --tlscacert)".to_owned(),
        ),
        rustls::Error::InvalidMessage(_) | rustls::Error::InappropriateMessage { .. } => (
            format!("TLS handshake failed: {tls}"),
            "does the daemon speak TLS on this port? (a plain tcp:// daemon needs DOCKER_TLS_VERIFY unset)".to_owned(),
        ),
        other => (format!("TLS handshake failed: {other}"), format!("TLS settings from {}", s.origin)),
    };
    Some(ConnectFailure { reason, hint: Some(hint) })
}

/// Whether the daemon refused the client certificate (or its absence).
pub(crate) fn is_client_cert_rejection(e: &io::Error) -> bool {
    matches!(
        e.get_ref().and_then(|e| e.downcast_ref::<rustls::Error>()),
        Some(rustls::Error::AlertReceived(alert)) if client_cert_alert(*alert)
    )
}

fn client_cert_alert(alert: AlertDescription) -> bool {
    matches!(
        alert,
        AlertDescription::CertificateRequired
            | AlertDescription::BadCertificate
            | AlertDescription::UnknownCA
            | AlertDescription::CertificateUnknown
            | AlertDescription::HandshakeFailure
            | AlertDescription::AccessDenied
    )
}

/// `danger_accept_invalid_certs`: any certificate is accepted; handshake
/// signatures are still checked so the session is at least consistent.
#[derive(Debug)]
struct AcceptAnything(WebPkiSupportedAlgorithms);

impl ServerCertVerifier for AcceptAnything {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> TlsSettings {
        TlsSettings { origin: "test".into(), ..TlsSettings::default() }
    }

    fn err(settings: TlsSettings, host: &str) -> String {
        Tls::new(&settings, host).unwrap_err().to_string()
    }

    #[test]
    fn unusable_files_are_named() {
        let s = TlsSettings { ca: Some(Pem::new("/c/ca.pem", "garbage")), ..settings() };
        assert!(err(s, "h").contains("/c/ca.pem: no PEM certificate found"));

        let s = TlsSettings {
            danger_accept_invalid_certs: true,
            cert: Some(Pem::new("/c/cert.pem", "garbage")),
            key: Some(Pem::new("/c/key.pem", "x")),
            ..settings()
        };
        assert!(err(s, "h").contains("/c/cert.pem: no PEM certificate found"));

        let cert = "-----BEGIN CERTIFICATE-----\nY2VydA==\n-----END CERTIFICATE-----\n";
        let key = "-----BEGIN PRIVATE KEY-----\nSECRETBYTES\n";
        let s = TlsSettings {
            danger_accept_invalid_certs: true,
            cert: Some(Pem::new("/c/cert.pem", cert)),
            key: Some(Pem::new("/c/key.pem", key)),
            ..settings()
        };
        let text = err(s, "h");
        assert!(text.contains("/c/key.pem: unparsable key"), "{text}");
        assert!(!text.contains("SECRETBYTES"), "{text}");

        let s = TlsSettings { danger_accept_invalid_certs: true, key: Some(Pem::new("/c/key.pem", key)), ..settings() };
        assert!(err(s, "h").contains("client key /c/key.pem given without its certificate"));
    }

    #[test]
    fn server_names_are_checked() {
        let s = TlsSettings { danger_accept_invalid_certs: true, ..settings() };
        assert!(Tls::new(&s, "127.0.0.1").is_ok());
        assert!(Tls::new(&s, "::1").is_ok());
        assert!(Tls::new(&s, "docker.example").is_ok());
        let s = TlsSettings { server_name: Some("not a name!".into()), ..s };
        assert!(err(s, "h").contains("\"not a name!\" is not a DNS name or IP address"));
    }

    #[test]
    fn failures_are_explained() {
        let summary = TlsSummary {
            origin: "DOCKER_CERT_PATH /c".into(),
            ca: "/c/ca.pem".into(),
            cert: None,
            server_name: "h".into(),
        };
        let explain_one = |e: rustls::Error| {
            let io = io::Error::new(io::ErrorKind::InvalidData, e);
            let f = explain(&io, &summary).unwrap();
            format!("{}; {}", f.reason, f.hint.unwrap_or_default())
        };
        let text = explain_one(rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer));
        assert!(text.contains("unknown CA") && text.contains("/c/ca.pem"), "{text}");
        let text = explain_one(rustls::Error::InvalidCertificate(CertificateError::NotValidForName));
        assert!(text.contains("name mismatch") && text.contains("\"h\""), "{text}");
        let text = explain_one(rustls::Error::InvalidCertificate(CertificateError::Expired));
        assert!(text.contains("expired"), "{text}");
        let text = explain_one(rustls::Error::AlertReceived(AlertDescription::CertificateRequired));
        assert!(text.contains("requires a client certificate"), "{text}");
        let text = explain_one(rustls::Error::InvalidMessage(rustls::InvalidMessage::InvalidContentType));
        assert!(text.contains("does the daemon speak TLS"), "{text}");
        let rejection = io::Error::new(
            io::ErrorKind::InvalidData,
            rustls::Error::AlertReceived(AlertDescription::CertificateRequired),
        );
        assert!(is_client_cert_rejection(&rejection));
        let corrupt = io::Error::new(io::ErrorKind::InvalidData, rustls::Error::DecryptError);
        assert!(!is_client_cert_rejection(&corrupt));
        // Not a TLS error: nothing to explain.
        assert!(explain(&io::Error::other("x"), &summary).is_none());
    }
}
