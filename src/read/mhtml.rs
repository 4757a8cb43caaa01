//! MHTML pages.
use super::{Extracted, Limits, SkipReason};
/// Reads a saved MIME page.
pub fn read_mhtml(_bytes: &[u8], _limits: &Limits) -> Result<Extracted, SkipReason> {
    Err(SkipReason::Unsupported("MHTML"))
}
