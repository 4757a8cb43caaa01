//! Bytes of an index per field and per part (term dictionary, postings,
//! positions, fast columns, field norms) and of the document store.
//!
//! ```sh
//! cargo run --release --example index_space -- INDEX
//! ```

fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).unwrap());
    let index = plansearch::indexer::open_index(&dir).unwrap();
    let snap = index.snapshot().unwrap();
    let usage = snap.searcher.space_usage().unwrap();

    let mut per: std::collections::BTreeMap<String, [u64; 6]> = Default::default();
    for seg in usage.segments() {
        let parts = [
            seg.termdict(),
            seg.postings(),
            seg.positions(),
            seg.fast_fields(),
            seg.fieldnorms(),
        ];
        for (k, p) in parts.iter().enumerate() {
            for fu in p.fields() {
                per.entry(fu.field_name().to_string()).or_default()[k] += fu.total().get_bytes();
            }
        }
        let s = seg.store();
        per.entry("_store".into()).or_default()[5] += s.total().get_bytes();
    }
    println!(
        "{:<14} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}",
        "field", "terms", "postings", "positions", "fast", "norms", "store"
    );
    for (f, v) in per {
        println!(
            "{:<14} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}",
            f, v[0], v[1], v[2], v[3], v[4], v[5]
        );
    }
    println!("total {}", usage.total().get_bytes());
}
