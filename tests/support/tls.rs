//! A certificate authority made at test time, and a server certificate it
//! signs for 127.0.0.1 and localhost.

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// A CA and the TLS configuration of a server whose certificate it signed.
#[derive(Clone)]
pub struct Pki {
    /// The CA certificate, PEM: what a kubeconfig's
    /// `certificate-authority-data` holds (base64-encoded).
    pub ca_pem: String,
    pub server_config: Arc<rustls::ServerConfig>,
}

/// The CA named `name` and a server certificate it signed for 127.0.0.1:
/// made once per test process and shared by every server that asks for that
/// name (key generation and signing, in a debug build, cost more than the
/// rest of starting a server). CAs of different names are different keys.
pub fn generate(name: &str) -> Pki {
    static MADE: OnceLock<Mutex<HashMap<String, Pki>>> = OnceLock::new();
    let mut made = MADE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    made.entry(name.to_string())
        .or_insert_with(|| fresh(name))
        .clone()
}

/// Makes a fresh CA named `name` and a server certificate for 127.0.0.1.
fn fresh(name: &str) -> Pki {
    let ca_key = KeyPair::generate().expect("a CA key");
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(DnType::CommonName, name);
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_cert = ca_params.self_signed(&ca_key).expect("a self-signed CA");
    let issuer = Issuer::new(ca_params, ca_key);

    let server_key = KeyPair::generate().expect("a server key");
    let mut params = CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()])
        .expect("server parameters");
    params
        .distinguished_name
        .push(DnType::CommonName, "kube-apiserver");
    params.use_authority_key_identifier_extension = true;
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
    let server_cert = params
        .signed_by(&server_key, &issuer)
        .expect("a server certificate");

    let chain = vec![
        CertificateDer::from(server_cert.der().to_vec()),
        CertificateDer::from(ca_cert.der().to_vec()),
    ];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .expect("the server certificate matches its key");
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Pki {
        ca_pem: ca_cert.pem(),
        server_config: Arc::new(config),
    }
}
