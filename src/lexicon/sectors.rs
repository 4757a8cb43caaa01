//! The sector taxonomy as data (data/sectors/taxonomy.toml): two levels of
//! sectors with their keywords and heading phrases. The analysis layer adds
//! the keywords to jieba; `extract::sector` classifies passages with them.

use std::sync::LazyLock;

use serde::Deserialize;

/// The taxonomy as embedded.
pub const TAXONOMY_TOML: &str = include_str!("../../data/sectors/taxonomy.toml");

/// A top-level sector.
#[derive(Debug, Clone, Deserialize)]
pub struct Sector {
    /// Stable id, e.g. `agriculture`.
    pub id: String,
    /// Display name, e.g. 农业农村.
    pub name: String,
    /// Phrases that, in a heading, put the whole section in this sector.
    #[serde(default)]
    pub headings: Vec<String>,
    /// Keywords counted in passages.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Subsectors.
    #[serde(default)]
    pub sub: Vec<SubSector>,
}

/// A second-level sector.
#[derive(Debug, Clone, Deserialize)]
pub struct SubSector {
    /// Stable id, e.g. `agriculture.specialty_farming`.
    pub id: String,
    /// Display name, e.g. 特色种养业.
    pub name: String,
    /// Keywords that choose this subsector within its sector.
    #[serde(default)]
    pub keywords: Vec<String>,
}

/// A taxonomy file: its sectors, in order.
#[derive(Debug, Clone, Deserialize)]
pub struct SectorTable {
    /// The top-level sectors.
    #[serde(rename = "sector")]
    pub sectors: Vec<Sector>,
}

impl SectorTable {
    /// Parses a taxonomy file.
    pub fn parse(toml_text: &str) -> Result<SectorTable, String> {
        toml::from_str(toml_text).map_err(|e| e.to_string())
    }

    /// Every keyword and heading phrase (for the jieba dictionary).
    pub fn all_keywords(&self) -> impl Iterator<Item = &str> {
        self.sectors.iter().flat_map(|s| {
            s.keywords
                .iter()
                .chain(&s.headings)
                .chain(s.sub.iter().flat_map(|u| &u.keywords))
                .map(String::as_str)
        })
    }
}

/// The embedded taxonomy.
pub fn sector_table() -> &'static SectorTable {
    static TABLE: LazyLock<SectorTable> = LazyLock::new(|| {
        SectorTable::parse(TAXONOMY_TOML).expect("data/sectors/taxonomy.toml is valid")
    });
    &TABLE
}
