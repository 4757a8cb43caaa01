//! What every response of the server passes through: the Host check against
//! DNS rebinding, the security headers, and no server path in an error.
//!
//! DNS rebinding: a web page on `evil.example` re-points its name at
//! 127.0.0.1, and the browser, which sees one origin, lets the page read the
//! API of a server on this machine. The browser still sends `Host:
//! evil.example:7700`, so the server answers only to the names it is known
//! by: on a loopback address `localhost`, `127.0.0.1` and `[::1]`, elsewhere
//! its own address, and the names given with `--allow-host`.

use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::ApiError;

/// The page's content security policy: its own script and style sheet, no
/// inline script or style attribute (app.js styles through the CSSOM), no
/// plug-ins, no framing, forms only to the server itself.
pub const PAGE_CSP: &str = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The API's: a JSON or CSV answer opened in a tab runs nothing, loads
/// nothing and is never framed. (No `sandbox`: an export is a download,
/// which a sandbox may block.)
const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

/// Errors longer than this are passed on as they are (no error is).
const MAX_ERROR_BYTES: usize = 64 << 10;

/// The names the server answers to, and the server paths an error must not
/// show.
#[derive(Debug)]
pub struct Guard {
    /// The port listened on; a Host without a port means 80.
    port: u16,
    /// Host names (lower case, IPv6 in brackets) accepted with that port.
    names: Vec<String>,
    /// Bound to every address (0.0.0.0, [::]): any IP literal is the
    /// server's own (a literal cannot be rebound; only a name can).
    any_ip: bool,
    /// Names given with `--allow-host`: accepted with any port (a reverse
    /// proxy may send its own).
    allowed: Vec<String>,
    /// Server paths (as given and canonical) and what errors say instead.
    redactions: Vec<(String, String)>,
}

impl Guard {
    /// For a server bound to `bound`, also known as `allowed`, whose index
    /// and corpus folders are `folders`.
    pub fn new(bound: SocketAddr, allowed: &[String], folders: &[&Path]) -> Guard {
        let ip = bound.ip();
        let loopback = ["localhost", "127.0.0.1", "[::1]"].map(String::from);
        let mut names = Vec::new();
        if ip.is_loopback() || ip.is_unspecified() {
            names.extend(loopback);
        }
        if !ip.is_unspecified() {
            names.push(host_of_ip(ip));
        }
        let mut redactions = Vec::new();
        for folder in folders {
            let name = folder.file_name().map_or_else(
                || "the folder".to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            let mut forms = vec![folder.to_path_buf()];
            if let Ok(canonical) = folder.canonicalize() {
                forms.push(canonical);
            }
            for form in forms {
                // Only absolute paths are the server's own; a relative one
                // names nothing outside the working folder.
                if form.is_absolute() && form.parent().is_some() {
                    // As they stand inside a JSON string.
                    redactions.push((json_inner(&form.to_string_lossy()), json_inner(&name)));
                }
            }
        }
        // The longest first, so a folder inside another is replaced whole.
        redactions.sort_by_key(|(path, _)| std::cmp::Reverse(path.len()));
        Guard {
            port: bound.port(),
            names,
            any_ip: ip.is_unspecified(),
            // A port given with a name (`search.lab:8080`) is dropped.
            allowed: allowed
                .iter()
                .filter_map(|n| split_host(n).map(|(name, _)| name))
                .collect(),
            redactions,
        }
    }

    /// Refuses a request whose Host (or absolute URI) is not the server's.
    fn check_host(&self, uri: &Uri, headers: &HeaderMap) -> Result<(), ApiError> {
        let from_header = headers.get(header::HOST);
        if from_header.is_none() && uri.authority().is_none() {
            return Err(ApiError::bad_request(
                "the request has no Host header: send the address of the server (Host: 127.0.0.1:7700)",
            ));
        }
        if let Some(value) = from_header {
            let host = value.to_str().unwrap_or("");
            self.check_one(host)?;
        }
        if let Some(authority) = uri.authority() {
            self.check_one(authority.as_str())?;
        }
        Ok(())
    }

    fn check_one(&self, host: &str) -> Result<(), ApiError> {
        if let Some((name, port)) = split_host(host) {
            let port = port.unwrap_or(80);
            let own = self.names.contains(&name) || (self.any_ip && is_ip_literal(&name));
            if (own && port == self.port) || self.allowed.contains(&name) {
                return Ok(());
            }
        }
        let shown = crate::text::ellipsize(host, 80);
        let name =
            split_host(host).map_or(shown.clone(), |(name, _)| crate::text::ellipsize(&name, 80));
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            format!(
                "this server does not answer to the host {shown:?}: open it at {} (a web page under another name may not read it); to serve it under this name, start it with `plansearch serve --allow-host {name}`",
                self.example()
            ),
        ))
    }

    /// An address the server answers to, for the message.
    fn example(&self) -> String {
        let name = self.names.first().map_or("127.0.0.1", String::as_str);
        let name = if name == "localhost" {
            "127.0.0.1"
        } else {
            name
        };
        format!("http://{name}:{}/", self.port)
    }

    /// `text` with every server path replaced by its folder's name.
    fn redact(&self, text: &str) -> String {
        let mut text = text.to_string();
        for (path, name) in &self.redactions {
            text = text.replace(path.as_str(), name);
        }
        text
    }
}

/// `text` as it stands between the quotes of a JSON string.
fn json_inner(text: &str) -> String {
    let quoted = serde_json::to_string(text).unwrap_or_default();
    quoted
        .strip_prefix('"')
        .and_then(|q| q.strip_suffix('"'))
        .unwrap_or("")
        .to_string()
}

/// `[::1]` for an IPv6 address, the dotted form for IPv4.
fn host_of_ip(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => format!("[{v6}]"),
        },
    }
}

fn is_ip_literal(name: &str) -> bool {
    match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        Some(v6) => v6.parse::<std::net::Ipv6Addr>().is_ok(),
        None => name.parse::<std::net::Ipv4Addr>().is_ok(),
    }
}

/// A Host value as its name (lower case; IPv6 in brackets, normalised) and
/// port; `None` when it is malformed.
fn split_host(host: &str) -> Option<(String, Option<u16>)> {
    let host = host.trim();
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let (v6, after) = rest.split_once(']')?;
        let v6: std::net::Ipv6Addr = v6.parse().ok()?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':')?),
        };
        (format!("[{v6}]"), port)
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) => (name.to_string(), Some(port)),
            None => (host.to_string(), None),
        }
    };
    let port = match port {
        None => None,
        Some(p) => Some(p.parse::<u16>().ok()?),
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    if name.is_empty() {
        return None;
    }
    Some((name, port))
}

/// `router` behind the guard, for a server bound to `bound`: the folders
/// errors must not show are the index's and the corpus's (as configured and
/// as the index recorded it).
pub fn wrap(
    router: axum::Router,
    bound: SocketAddr,
    config: &super::ServeConfig,
    recorded_corpus: Option<&Path>,
) -> axum::Router {
    let folders: Vec<&Path> = [config.index.as_path()]
        .into_iter()
        .chain(config.corpus.as_deref())
        .chain(recorded_corpus)
        .collect();
    let guard = Arc::new(Guard::new(bound, &config.allowed_hosts, &folders));
    router.layer(axum::middleware::from_fn_with_state(guard, self::guard))
}

/// The middleware: the Host check first, then the request, then the headers
/// on whatever it answered.
pub async fn guard(State(guard): State<Arc<Guard>>, request: Request, next: Next) -> Response {
    let mut response = match guard.check_host(request.uri(), request.headers()) {
        Ok(()) => next.run(request).await,
        Err(e) => e.into_response(),
    };
    if response.status().is_client_error() || response.status().is_server_error() {
        response = redact_error(&guard, response).await;
    }
    secure(response.headers_mut());
    response
}

/// The security headers of every response; the page's CSP for HTML.
fn secure(headers: &mut HeaderMap) {
    let html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(if html { PAGE_CSP } else { API_CSP }),
    );
}

/// An error's message without server paths (a missing index, an I/O error
/// name the folders; a web client has no business knowing where they are).
async fn redact_error(guard: &Guard, response: Response) -> Response {
    if guard.redactions.is_empty() {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BYTES).await else {
        // Too long to be one of ours, or cut off: say so rather than pass on
        // half a body.
        return ApiError::new(parts.status, "the request failed").into_response();
    };
    let text = String::from_utf8_lossy(&bytes);
    let redacted = guard.redact(&text);
    let mut parts = parts;
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(redacted))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(host: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_str(host).unwrap());
        h
    }

    fn accepts(guard: &Guard, host: &str) -> bool {
        guard
            .check_host(&Uri::from_static("/"), &headers(host))
            .is_ok()
    }

    #[test]
    fn on_loopback_only_the_loopback_names_with_the_port_are_served() {
        let guard = Guard::new("127.0.0.1:7700".parse().unwrap(), &[], &[]);
        for host in [
            "127.0.0.1:7700",
            "localhost:7700",
            "LOCALHOST:7700",
            "[::1]:7700",
        ] {
            assert!(accepts(&guard, host), "{host}");
        }
        for host in [
            "evil.example:7700",
            "evil.example",
            "127.0.0.1:8080",
            "localhost",
            "127.0.0.1.evil.example:7700",
            "",
            "[::1",
            "127.0.0.1:notaport",
            "192.168.1.20:7700",
        ] {
            assert!(!accepts(&guard, host), "{host}");
        }
        let err = guard
            .check_host(&Uri::from_static("/"), &headers("evil.example:7700"))
            .unwrap_err();
        assert_eq!(err.status, StatusCode::FORBIDDEN);
        assert!(
            err.message.contains("--allow-host evil.example"),
            "{}",
            err.message
        );
        // No Host at all, and an absolute URI naming another host.
        assert!(
            guard
                .check_host(&Uri::from_static("/"), &HeaderMap::new())
                .is_err()
        );
        assert!(
            guard
                .check_host(
                    &Uri::from_static("http://evil.example:7700/api/stats"),
                    &headers("127.0.0.1:7700")
                )
                .is_err()
        );
    }

    #[test]
    fn elsewhere_its_own_address_and_the_allowed_names() {
        let allowed = [
            "Search.Lab.example".to_string(),
            "proxy.example:8443".to_string(),
        ];
        let guard = Guard::new("192.168.1.20:80".parse().unwrap(), &allowed, &[]);
        for host in [
            "192.168.1.20",
            "192.168.1.20:80",
            "search.lab.example",
            "search.lab.example:8443",
        ] {
            assert!(accepts(&guard, host), "{host}");
        }
        assert!(accepts(&guard, "proxy.example:443"));
        for host in ["localhost:80", "192.168.1.21", "evil.example"] {
            assert!(!accepts(&guard, host), "{host}");
        }
        // On every address: any address of the machine, and the loopback
        // names, but no other name.
        let guard = Guard::new("0.0.0.0:7700".parse().unwrap(), &[], &[]);
        for host in ["10.0.0.5:7700", "localhost:7700", "[fe80::1]:7700"] {
            assert!(accepts(&guard, host), "{host}");
        }
        assert!(!accepts(&guard, "evil.example:7700"));
        assert!(!accepts(&guard, "10.0.0.5:7701"));
    }

    #[test]
    fn errors_name_folders_not_server_paths() {
        let guard = Guard::new(
            "127.0.0.1:7700".parse().unwrap(),
            &[],
            &[Path::new("/srv/plansearch/index"), Path::new("corpus")],
        );
        assert_eq!(
            guard.redact("no index at /srv/plansearch/index; run …"),
            "no index at index; run …"
        );
        assert_eq!(guard.redact("corpus folder corpus"), "corpus folder corpus");
    }
}
