//! The words a request names its options by (`--group-by year`,
//! `group_by=year`, `--level 县`), one table per option: the command line, the
//! web API and the query's inline filters all read them here, so an option
//! has one spelling, one set of aliases and one error message everywhere.

use crate::error::{Error, Result};

/// A closed set of values a request names by a word.
pub trait Named: Copy + PartialEq + 'static {
    /// The option's name in messages (`group_by`).
    const OPTION: &'static str;
    /// Every name of every value; a value's first entry is its canonical
    /// name, later ones are aliases.
    const NAMES: &'static [(&'static str, Self)];

    /// The value called `name`.
    fn from_name(name: &str) -> Result<Self> {
        Self::NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "{}={} is none of {}",
                    Self::OPTION,
                    crate::text::ellipsize(name, 40),
                    canonical_names::<Self>().join(", ")
                ))
            })
    }

    /// The value's canonical name.
    fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(_, v)| *v == self)
            .map_or("", |(n, _)| n)
    }
}

/// The canonical names of `T`'s values, in table order.
pub fn canonical_names<T: Named>() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    for (name, value) in T::NAMES {
        if value.name() == *name {
            names.push(name);
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crosstab::{Columns, Rows};
    use crate::search::group::GroupBy;
    use crate::search::{HitUnit, Scope};
    use crate::timeline::Level;

    fn round_trips<T: Named + std::fmt::Debug>() {
        for (name, value) in T::NAMES {
            assert_eq!(T::from_name(name).unwrap(), *value, "{name}");
            assert_eq!(T::from_name(value.name()).unwrap(), *value);
        }
        let err = T::from_name("nonsense").unwrap_err().to_string();
        assert!(err.contains(T::OPTION), "{err}");
        assert!(!err.contains("--"), "names no flag: {err}");
    }

    #[test]
    fn every_option_reads_its_own_names_and_refuses_others() {
        round_trips::<GroupBy>();
        round_trips::<HitUnit>();
        round_trips::<Scope>();
        round_trips::<Level>();
        round_trips::<Rows>();
        round_trips::<Columns>();
    }

    #[test]
    fn aliases_read_as_their_value() {
        assert_eq!(GroupBy::from_name("type").unwrap(), GroupBy::DocType);
        assert_eq!(Level::from_name("县").unwrap(), Level::County);
        assert_eq!(canonical_names::<Level>(), ["province", "city", "county"]);
    }
}
