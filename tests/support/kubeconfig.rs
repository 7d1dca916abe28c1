//! Kubeconfig files for tests: a server URL, its CA inline
//! (`certificate-authority-data`), a bearer-token user and one or more
//! contexts. Tests pass the file with `--kubeconfig`, so no test reads the
//! kubeconfig of whoever runs it.

use base64::Engine;
use std::path::{Path, PathBuf};

/// A kubeconfig to write; every context uses the same cluster and user.
#[derive(Debug, Clone)]
pub struct Kubeconfig {
    pub server: String,
    pub ca_pem: String,
    pub token: String,
    /// (name, namespace) per context.
    pub contexts: Vec<(String, Option<String>)>,
    pub current: Option<String>,
}

impl Kubeconfig {
    /// One context, `test`, with namespace `default`, current.
    pub fn new(server: &str, ca_pem: &str, token: &str) -> Kubeconfig {
        Kubeconfig {
            server: server.to_string(),
            ca_pem: ca_pem.to_string(),
            token: token.to_string(),
            contexts: vec![("test".to_string(), Some("default".to_string()))],
            current: Some("test".to_string()),
        }
    }

    /// Replaces the contexts with `(name, namespace)` pairs; the first is current.
    pub fn contexts(mut self, contexts: &[(&str, Option<&str>)]) -> Kubeconfig {
        self.contexts = contexts
            .iter()
            .map(|(n, ns)| (n.to_string(), ns.map(str::to_string)))
            .collect();
        self.current = self.contexts.first().map(|(n, _)| n.clone());
        self
    }

    /// Sets the namespace of every context.
    pub fn namespace(mut self, namespace: &str) -> Kubeconfig {
        for (_, ns) in &mut self.contexts {
            *ns = Some(namespace.to_string());
        }
        self
    }

    pub fn token(mut self, token: &str) -> Kubeconfig {
        self.token = token.to_string();
        self
    }

    /// Trusts another CA than the server's (a TLS failure).
    pub fn ca_pem(mut self, pem: &str) -> Kubeconfig {
        self.ca_pem = pem.to_string();
        self
    }

    /// Points at another URL (a closed port, a silent server).
    pub fn server(mut self, url: &str) -> Kubeconfig {
        self.server = url.to_string();
        self
    }

    /// The kubeconfig as YAML.
    pub fn to_yaml(&self) -> String {
        let ca = base64::engine::general_purpose::STANDARD.encode(&self.ca_pem);
        let mut out = format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: test-cluster\n  cluster:\n    server: {}\n    certificate-authority-data: {ca}\nusers:\n- name: test-user\n  user:\n    token: {}\ncontexts:\n",
            self.server, self.token
        );
        for (name, ns) in &self.contexts {
            out.push_str(&format!(
                "- name: {name}\n  context:\n    cluster: test-cluster\n    user: test-user\n"
            ));
            if let Some(ns) = ns {
                out.push_str(&format!("    namespace: {ns}\n"));
            }
        }
        if let Some(c) = &self.current {
            out.push_str(&format!("current-context: {c}\n"));
        }
        out
    }

    /// Writes `kubeconfig` in `dir` and returns its path.
    pub fn write(&self, dir: &Path) -> PathBuf {
        self.write_to(&dir.join("kubeconfig"))
    }

    /// Writes the kubeconfig at `path` and returns it.
    pub fn write_to(&self, path: &Path) -> PathBuf {
        std::fs::write(path, self.to_yaml()).expect("the kubeconfig is written");
        path.to_path_buf()
    }
}
