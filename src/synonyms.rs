//! Synonyms for policy shorthand (放管服 ~ 简政放权 放管结合 优化服务), from
//! [data/synonyms.txt](../data/synonyms.txt), applied at query time only.
//!
//! Documents write a policy either way: a county report says 放管服改革 where a
//! provincial one spells out 简政放权、放管结合、优化服务. A researcher typing the
//! shorthand wants both.

use std::sync::LazyLock;

use crate::text::fold_str;

const TABLE: &str = include_str!("../data/synonyms.txt");

/// One way of saying a thing: words that must all occur.
pub type Member = Vec<String>;

/// The synonym table: groups of members that mean the same.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    groups: Vec<Vec<Member>>,
}

impl Synonyms {
    /// Parses the table format: one group a line, members separated by " = ",
    /// words of a member by spaces; `#` starts a comment line.
    pub fn parse(text: &str) -> Synonyms {
        let groups = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|line| {
                line.split('=')
                    .map(|m| m.split_whitespace().map(fold_str).collect::<Member>())
                    .filter(|m| !m.is_empty())
                    .collect::<Vec<Member>>()
            })
            .filter(|g| g.len() > 1)
            .collect();
        Synonyms { groups }
    }

    /// The other members of every group that has `word` (folded) as a one-word
    /// member; empty when the word is no shorthand.
    pub fn expansions(&self, word: &str) -> Vec<&Member> {
        let word = fold_str(word);
        self.groups
            .iter()
            .filter(|g| g.iter().any(|m| m.len() == 1 && m[0] == word))
            .flat_map(|g| g.iter().filter(|m| !(m.len() == 1 && m[0] == word)))
            .collect()
    }
}

/// The built-in table.
pub fn synonyms() -> &'static Synonyms {
    static TABLE_PARSED: LazyLock<Synonyms> = LazyLock::new(|| Synonyms::parse(TABLE));
    &TABLE_PARSED
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(members: Vec<&Member>) -> Vec<String> {
        members.into_iter().map(|m| m.join(" ")).collect()
    }

    #[test]
    fn shorthand_expands_to_what_it_stands_for() {
        let table = synonyms();
        let cases: &[(&str, &[&str])] = &[
            ("放管服", &["简政放权 放管结合 优化服务"]),
            ("双创", &["大众创业 万众创新"]),
            ("十四五", &["第十四个五年规划"]),
            // One-word members work both ways.
            ("第十四个五年规划", &["十四五"]),
            ("文旅", &["文化旅游"]),
            // Traditional input is folded first.
            ("雙創", &["大众创业 万众创新"]),
        ];
        for (word, want) in cases {
            assert_eq!(joined(table.expansions(word)), *want, "{word}");
        }
    }

    #[test]
    fn words_of_a_longer_member_do_not_expand() {
        let table = synonyms();
        for word in ["简政放权", "大众创业", "营商环境", "放管服改革"] {
            assert!(table.expansions(word).is_empty(), "{word}");
        }
    }

    #[test]
    fn parses_groups_and_skips_comments() {
        let t = Synonyms::parse("# comment\n\nA = b c = D\nlonely\n");
        assert_eq!(t.groups.len(), 1);
        assert_eq!(joined(t.expansions("a")), ["b c", "d"]);
        assert_eq!(joined(t.expansions("D")), ["a", "b c"]);
    }
}
