//! Integration tests: one binary, so the shipped corpus is indexed once.

mod cli;
mod common;
mod pitfalls;
mod ranking;
mod recall;
mod search;
