//! Tokenizer throughput (criterion): the jieba field (`WordTokenizer`) and the
//! bigram field (`BigramTokenizer`) over the passages of the shipped corpus.
//!
//! ```sh
//! cargo bench --bench tokenizer
//! ```
//!
//! The text is the cleaned passage text of the first 40 documents of
//! corpus/documents (about 1 MB), tokenized passage by passage as the indexer
//! does; throughput is in bytes of passage text.

use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use plansearch::corpus::walk;
use plansearch::document;
use plansearch::extract::Overrides;
use plansearch::tokenizer::{BigramTokenizer, Dictionary, WordTokenizer};
use tantivy::tokenizer::{TokenStream, Tokenizer};

const DOCUMENTS: usize = 40;

fn passages() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let overrides = Overrides::load(&root);
    walk(&root)
        .filter_map(Result::ok)
        .take(DOCUMENTS)
        .filter_map(|f| document::load(&f, &overrides).ok())
        .flat_map(|d| d.passages.into_iter().map(|(p, _)| p.text))
        .collect()
}

fn count_tokens(tokenizer: &mut impl Tokenizer, passages: &[String]) -> usize {
    let mut n = 0;
    for text in passages {
        let mut stream = tokenizer.token_stream(text);
        while stream.advance() {
            n += 1;
        }
    }
    n
}

fn tokenizers(c: &mut Criterion) {
    let passages = passages();
    let bytes: usize = passages.iter().map(String::len).sum();
    let mut words = WordTokenizer::new(Dictionary::builtin().jieba().clone());
    let mut bigrams = BigramTokenizer::default();
    let mut group = c.benchmark_group("tokenizer");
    group
        .throughput(Throughput::Bytes(bytes as u64))
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    group.bench_function("jieba_field", |b| {
        b.iter(|| count_tokens(&mut words, &passages))
    });
    group.bench_function("bigram_field", |b| {
        b.iter(|| count_tokens(&mut bigrams, &passages))
    });
    group.bench_function("raw_jieba_cut_for_search", |b| {
        let jieba = Dictionary::builtin().jieba();
        b.iter(|| {
            passages
                .iter()
                .map(|p| jieba.cut_for_search(p, true).len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, tokenizers);
criterion_main!(benches);
