//! How long the jieba dictionary takes to build, part by part: jieba-rs's
//! embedded default dictionary alone (`Jieba::new`), the gazetteer and the
//! sector taxonomy, then plansearch's dictionary (the default plus policy
//! terms, sector keywords and place names), and the digest an index is checked
//! against (computed from those inputs, without building jieba).
//!
//! ```sh
//! cargo run --release --example dict_load
//! ```

use std::time::Instant;

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

fn main() {
    let t = Instant::now();
    let jieba = jieba_rs::Jieba::new();
    println!("jieba-rs Jieba::new (default dictionary): {:.1} ms", ms(t));
    drop(jieba);
    let t = Instant::now();
    let _ = plansearch::gazetteer::gazetteer();
    println!("gazetteer: {:.1} ms", ms(t));
    let t = Instant::now();
    let _ = plansearch::extract::sector::taxonomy();
    println!("sector taxonomy: {:.1} ms", ms(t));
    let t = Instant::now();
    let dictionary = plansearch::tokenizer::Dictionary::default();
    let _ = dictionary.digest();
    println!("dictionary digest (no jieba): {:.1} ms", ms(t));
    let t = Instant::now();
    let _ = dictionary.jieba();
    println!(
        "plansearch jieba (default + policy terms, sector keywords, places): {:.1} ms",
        ms(t)
    );
    let t = Instant::now();
    let with_words = plansearch::tokenizer::Dictionary::new(["百千工程", "强省会"]);
    let _ = with_words.jieba();
    println!(
        "the same with two user words (a copy of the built-in jieba): {:.1} ms",
        ms(t)
    );
}
