//! Integration tests: one binary, so the shipped corpus is indexed once.

mod bad_input;
mod batches;
mod cli;
mod common;
mod crash;
mod damage;
mod export;
mod formats;
mod indexing;
mod overrides;
mod pitfalls;
mod ranking;
mod recall;
mod search;
mod serve;
mod sharing;
mod sheets;
mod similar;
mod targets;
mod timeline;
mod versions;
mod views;
mod watch;
