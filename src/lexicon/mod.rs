//! The tables embedded from `data/`, as one list, so that the index can record
//! which rules built it: an index whose [`rules_digest`] differs from this
//! program's is rebuilt by the next `plansearch index` without anyone having to
//! remember to bump the schema version when a word list or weight changes.
//!
//! Every file under `data/` that the program embeds is listed in
//! `RULE_TABLES`; a test walks `data/` and fails on a table that is missing
//! here (only `SOURCE.md` attribution files are not rules).

use std::sync::OnceLock;

pub mod sectors;

macro_rules! table {
    ($path:literal) => {
        (
            $path,
            include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/", $path)),
        )
    };
}

/// Path under `data/` and contents of every embedded table.
const RULE_TABLES: &[(&str, &[u8])] = &[
    table!("boilerplate/web.toml"),
    table!("content/cues.toml"),
    table!("dict/policy_terms.txt"),
    table!("instruments/typology.toml"),
    table!("metadata/doctype.toml"),
    table!("metadata/issuance.toml"),
    table!("metadata/versions.toml"),
    table!("metadata/year.toml"),
    table!("pdf/adobe-gb1-ucs2.bin"),
    table!("pdf/common-han.txt"),
    table!("pdf/radicals.txt"),
    table!("regions/aliases.csv"),
    table!("regions/ambiguous.csv"),
    table!("regions/common_words.csv"),
    table!("regions/context.toml"),
    table!("regions/regions.csv"),
    table!("regions/signals.csv"),
    table!("search/other_senses.txt"),
    table!("sectors/taxonomy.toml"),
    table!("sheets/columns.toml"),
    table!("similar/generic_words.txt"),
    table!("synonyms.txt"),
    table!("targets/words.toml"),
];

/// Digest of every embedded table (names and bytes), in hex.
pub fn rules_digest() -> &'static str {
    static DIGEST: OnceLock<String> = OnceLock::new();
    DIGEST.get_or_init(|| {
        let mut hasher = blake3::Hasher::new();
        for (path, bytes) in RULE_TABLES {
            hasher.update(path.as_bytes());
            hasher.update(&(bytes.len() as u64).to_le_bytes());
            hasher.update(bytes);
        }
        hasher.finalize().to_hex()[..16].to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_under_data_is_in_the_digest() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        let listed: Vec<&str> = RULE_TABLES.iter().map(|(p, _)| *p).collect();
        let mut missing = Vec::new();
        for entry in walkdir::WalkDir::new(&root) {
            let entry = entry.unwrap();
            if !entry.file_type().is_file() || entry.file_name() == "SOURCE.md" {
                continue;
            }
            let rel = entry.path().strip_prefix(&root).unwrap();
            let rel = rel.to_string_lossy().replace('\\', "/");
            if !listed.contains(&rel.as_str()) {
                missing.push(rel);
            }
        }
        assert!(
            missing.is_empty(),
            "add these data/ tables to RULE_TABLES: {missing:?}"
        );
    }

    #[test]
    fn the_digest_is_stable_and_short() {
        assert_eq!(rules_digest(), rules_digest());
        assert_eq!(rules_digest().len(), 16);
    }
}
