//! `plansearch serve`: the search page and the JSON API.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Args;

use super::Location;
use crate::serve::{ServeConfig, serve};

/// `plansearch serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    location: Location,
    /// Address to listen on. Only 127.0.0.1 (this machine) unless another is
    /// given; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:7700")]
    addr: SocketAddr,
    /// Longest a request may take, waiting its turn included (milliseconds);
    /// over it the answer is 503.
    #[arg(long, default_value_t = 10_000, value_name = "MS")]
    time_cap_ms: u64,
    /// Searches run at once; others wait their turn [default: one per core].
    #[arg(long, value_name = "N")]
    max_concurrent: Option<usize>,
}

pub(super) fn run(args: ServeArgs) -> Result<ExitCode> {
    let open = super::open_or_build(&args.location)?;
    if let Some(warning) = exposure_warning(args.addr) {
        eprintln!("{warning}");
    }
    let mut config = ServeConfig::new(&args.location.index);
    config.addr = args.addr;
    config.corpus = Some(args.location.corpus.clone());
    config.time_cap = Duration::from_millis(args.time_cap_ms);
    if let Some(n) = args.max_concurrent {
        config.max_concurrent = n.max(1);
    }
    let index_dir = args.location.index.display().to_string();
    serve(config, open, |addr| {
        eprintln!(
            "plansearch serve: listening on http://{addr}/ (index {index_dir}); Ctrl-C stops"
        );
    })
    .with_context(|| format!("serving on {}", args.addr))?;
    Ok(ExitCode::SUCCESS)
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
