//! HTML pages.
use super::{Extracted, Limits, SkipReason};
/// Reads a saved web page.
pub fn read_html(_bytes: &[u8], _limits: &Limits) -> Result<Extracted, SkipReason> {
    Err(SkipReason::Unsupported("HTML"))
}
