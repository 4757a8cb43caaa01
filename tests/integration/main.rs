//! Integration tests: one binary, so the shipped corpus is indexed once.

mod cli;
mod common;
mod overrides;
mod pitfalls;
mod search;
