//! Zip containers (DOCX, ODT, OFD, XLSX) read safely: an entry is read into
//! memory only, never written to disk (so a name like `../../etc/passwd`
//! inside is just a name), and never past [`Limits::max_inflated`] (a zip bomb
//! stops at the cap with a clear reason).

use std::io::{Cursor, Read};

use zip::ZipArchive;

use super::{Limits, SkipReason};

/// An opened zip container.
pub struct Archive<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    names: Vec<String>,
    limits: Limits,
}

impl<'a> Archive<'a> {
    /// Opens the zip in `bytes`; a damaged directory is [`SkipReason::Corrupt`].
    pub fn open(bytes: &'a [u8], limits: &Limits) -> Result<Archive<'a>, SkipReason> {
        let zip = ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| SkipReason::Corrupt(format!("zip: {e}")))?;
        let names = zip
            .file_names()
            .filter_map(Result::ok)
            .map(|n| n.into_owned())
            .collect();
        Ok(Archive {
            zip,
            names,
            limits: *limits,
        })
    }

    /// What the entries say they inflate to, all together: a reader that
    /// inflates the whole container itself (calamine) is refused up front
    /// when this passes the cap.
    pub fn declared_size(&mut self) -> u64 {
        (0..self.zip.len())
            .filter_map(|i| self.zip.by_index_raw(i).ok().map(|e| e.size()))
            .fold(0u64, u64::saturating_add)
    }

    /// The entry names, as stored.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The stored name equal to `name` ignoring ASCII case and a leading `/`.
    pub fn find(&self, name: &str) -> Option<&str> {
        let name = name.trim_start_matches('/');
        self.names
            .iter()
            .find(|n| n.trim_start_matches('/').eq_ignore_ascii_case(name))
            .map(String::as_str)
    }

    /// True when the archive holds `name` (see [`Archive::find`]).
    pub fn has(&self, name: &str) -> bool {
        self.find(name).is_some()
    }

    /// The bytes of entry `name`, up to the inflation cap; `None` when absent.
    pub fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, SkipReason> {
        self.limits.check()?;
        let Some(stored) = self.find(name).map(str::to_string) else {
            return Ok(None);
        };
        let mut entry = match self.zip.by_name(&stored) {
            Ok(entry) => entry,
            Err(zip::result::ZipError::UnsupportedArchive(why))
                if why.contains("ncrypt") || why.contains("assword") =>
            {
                return Err(SkipReason::Encrypted("a zip entry has a password".into()));
            }
            Err(e) => return Err(SkipReason::Corrupt(format!("zip entry {stored}: {e}"))),
        };
        if entry.encrypted() {
            return Err(SkipReason::Encrypted("a zip entry has a password".into()));
        }
        let cap = self.limits.max_inflated;
        let mut out = Vec::with_capacity(entry.size().min(cap) as usize);
        (&mut entry)
            .take(cap + 1)
            .read_to_end(&mut out)
            .map_err(|e| SkipReason::Corrupt(format!("zip entry {stored}: {e}")))?;
        if out.len() as u64 > cap {
            return Err(SkipReason::Corrupt(format!(
                "zip entry {stored} inflates past {} MB",
                cap / (1024 * 1024)
            )));
        }
        Ok(Some(out))
    }

    /// The entry `name` as UTF-8 text (XML parts), `None` when absent.
    pub fn read_text(&mut self, name: &str) -> Result<Option<String>, SkipReason> {
        Ok(self
            .read(name)?
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut out);
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            for (name, bytes) in entries {
                w.start_file(*name, options).unwrap();
                w.write_all(bytes).unwrap();
            }
            w.finish().unwrap();
        }
        out.into_inner()
    }

    #[test]
    fn a_traversal_name_is_only_a_name() {
        let bytes = zip_of(&[
            ("../../evil.txt", b"x"),
            ("word/document.xml", b"<w:document/>"),
        ]);
        let mut archive = Archive::open(&bytes, &Limits::new()).unwrap();
        assert!(archive.has("word/document.xml"));
        assert_eq!(archive.read("../../evil.txt").unwrap().unwrap(), b"x");
    }

    #[test]
    fn an_entry_that_inflates_past_the_cap_is_refused() {
        let zeros = vec![0u8; 4 * 1024 * 1024];
        let bytes = zip_of(&[("content.xml", &zeros)]);
        assert!(bytes.len() < 100 * 1024);
        let mut limits = Limits::new();
        limits.max_inflated = 1024 * 1024;
        let mut archive = Archive::open(&bytes, &limits).unwrap();
        let err = archive.read("content.xml").unwrap_err();
        assert!(
            matches!(err, SkipReason::Corrupt(ref why) if why.contains("inflates")),
            "{err}"
        );
    }

    #[test]
    fn a_truncated_zip_is_corrupt() {
        let bytes = zip_of(&[("OFD.xml", b"<ofd:OFD/>")]);
        let err = Archive::open(&bytes[..bytes.len() / 2], &Limits::new())
            .err()
            .unwrap();
        assert!(matches!(err, SkipReason::Corrupt(_)), "{err}");
    }
}
