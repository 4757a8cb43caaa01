//! `plansearch serve`: the search page and the JSON API.

use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Args;

use super::Location;
use crate::output::terminal::{safe, say};
use crate::serve::{ServeConfig, serve};

/// `plansearch serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    location: Location,
    /// Address to listen on: HOST:PORT, HOST a name (localhost) or an IP
    /// address; port 0 picks a free port, no port means 7700. Only 127.0.0.1
    /// (this machine) unless another is given.
    #[arg(long, default_value = "127.0.0.1:7700", value_parser = parse_addr)]
    addr: ListenAddr,
    /// A host name the server answers to besides its address (its name in
    /// DNS, a reverse proxy's); repeat for several. Requests naming any other
    /// host are refused, so a web page cannot reach the server through a
    /// name it re-points at it (DNS rebinding).
    #[arg(long = "allow-host", value_name = "NAME")]
    allow_host: Vec<String>,
    /// Longest a request may take, waiting its turn included (milliseconds);
    /// over it the answer is 503.
    #[arg(long, default_value_t = 10_000, value_name = "MS")]
    time_cap_ms: u64,
    /// Searches run at once; others wait their turn [default: one per core].
    #[arg(long, value_name = "N")]
    max_concurrent: Option<usize>,
    /// Longest an export may stream (milliseconds). Hidden: for tests.
    #[arg(long, default_value_t = 120_000, value_name = "MS", hide = true)]
    export_time_cap_ms: u64,
    /// Longest a write waits for a client that does not read (milliseconds).
    /// Hidden: for tests.
    #[arg(long, default_value_t = 30_000, value_name = "MS", hide = true)]
    send_timeout_ms: u64,
    /// Longest wait for a whole request head, idle time between requests
    /// included (milliseconds). Hidden: for tests.
    #[arg(long, default_value_t = 15_000, value_name = "MS", hide = true)]
    head_timeout_ms: u64,
    /// Connections served at once [default: the open-file limit less 128].
    /// Hidden: for tests.
    #[arg(long, value_name = "N", hide = true)]
    max_connections: Option<usize>,
}

pub(super) fn run(args: ServeArgs) -> Result<ExitCode> {
    let open = super::open_or_build(&args.location)?;
    if let Some(warning) = exposure_warning(args.addr.addr) {
        say!("{warning}");
    }
    let mut config = ServeConfig::new(&args.location.index);
    config.addr = args.addr.addr;
    config.allowed_hosts = args.allow_host.clone();
    // The name it was started under is one of its own.
    config.allowed_hosts.extend(args.addr.name.clone());
    config.corpus = Some(args.location.corpus.clone());
    config.time_cap = Duration::from_millis(args.time_cap_ms);
    config.export_time_cap = Duration::from_millis(args.export_time_cap_ms);
    config.send_timeout = Duration::from_millis(args.send_timeout_ms.max(1));
    config.head_timeout = Duration::from_millis(args.head_timeout_ms.max(1));
    if let Some(n) = args.max_connections {
        config.max_connections = n.max(1);
    }
    if let Some(n) = args.max_concurrent {
        config.max_concurrent = n.max(1);
    }
    let index_dir = safe(&args.location.index.display().to_string()).into_owned();
    serve(config, open, |addr| {
        say!("plansearch serve: listening on http://{addr}/ (index {index_dir}); Ctrl-C stops");
    })
    .with_context(|| format!("serving on {}", args.addr.addr))?;
    Ok(ExitCode::SUCCESS)
}

/// Where to listen, and the host name it was given by, if any.
#[derive(Debug, Clone)]
struct ListenAddr {
    addr: SocketAddr,
    name: Option<String>,
}

/// `127.0.0.1:7700`, `[::1]:7700`, `localhost:7700`, `localhost` (port
/// 7700); a name is resolved, its first IPv4 address preferred.
fn parse_addr(text: &str) -> Result<ListenAddr, String> {
    const PORT: u16 = 7700;
    let text = text.trim();
    if let Ok(addr) = text.parse::<SocketAddr>() {
        return Ok(ListenAddr { addr, name: None });
    }
    let bare = text.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return Ok(ListenAddr {
            addr: SocketAddr::new(ip, PORT),
            name: None,
        });
    }
    let (host, port) = match text.rsplit_once(':') {
        Some((host, port)) => (
            host,
            port.parse::<u16>().map_err(|_| {
                format!("{port:?} is not a port: give HOST:PORT, such as localhost:7700")
            })?,
        ),
        None => (text, PORT),
    };
    if host.is_empty() {
        return Err("no host: give HOST:PORT, such as 127.0.0.1:7700 or localhost:7700".into());
    }
    let found: Vec<SocketAddr> = (host, port)
        .to_socket_addrs()
        .map_err(|e| {
            format!("cannot resolve {host:?} ({e}): give an IP address, such as 127.0.0.1:{port}")
        })?
        .collect();
    let addr = found
        .iter()
        .find(|a| a.is_ipv4())
        .or(found.first())
        .copied()
        .ok_or_else(|| {
            format!("{host:?} has no address: give an IP address, such as 127.0.0.1:{port}")
        })?;
    Ok(ListenAddr {
        addr,
        name: Some(host.to_ascii_lowercase()),
    })
}

/// Said when the server is reachable from other machines: safe by default
/// means 127.0.0.1, and anything else must be a choice the user sees.
fn exposure_warning(addr: SocketAddr) -> Option<String> {
    (!addr.ip().is_loopback()).then(|| {
        format!(
            "warning: listening on {addr}, not only on this machine: anyone who can reach it can search this index"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_host_name_is_resolved_and_a_port_may_be_left_out() {
        let local = parse_addr("localhost:0").unwrap();
        assert!(local.addr.ip().is_loopback(), "{local:?}");
        assert_eq!(local.addr.port(), 0);
        assert_eq!(local.name.as_deref(), Some("localhost"));
        let local = parse_addr("localhost").unwrap();
        assert_eq!(local.addr.port(), 7700);
        let ip = parse_addr("127.0.0.1:7701").unwrap();
        assert_eq!(ip.addr, "127.0.0.1:7701".parse::<SocketAddr>().unwrap());
        assert!(ip.name.is_none());
        assert_eq!(parse_addr("[::1]").unwrap().addr.port(), 7700);
        for bad in ["localhost:port", ":7700", "localhost:70000"] {
            let e = parse_addr(bad).unwrap_err();
            assert!(e.contains("give"), "{bad}: {e}");
        }
    }

    #[test]
    fn only_a_non_loopback_address_is_warned_about() {
        let cases = [
            ("127.0.0.1:7700", false),
            ("127.0.0.2:0", false),
            ("[::1]:7700", false),
            ("0.0.0.0:7700", true),
            ("[::]:7700", true),
            ("192.168.1.20:80", true),
        ];
        for (addr, warned) in cases {
            let addr: SocketAddr = addr.parse().unwrap();
            let warning = exposure_warning(addr);
            assert_eq!(warning.is_some(), warned, "{addr}");
            if let Some(w) = warning {
                assert!(w.contains(&addr.to_string()), "{w}");
            }
        }
    }
}
