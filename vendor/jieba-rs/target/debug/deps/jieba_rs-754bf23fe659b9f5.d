/work/main/vendor/jieba-rs/target/debug/deps/jieba_rs-754bf23fe659b9f5.d: src/lib.rs src/errors.rs src/hmm.rs src/image.rs src/posseg.rs src/sparse_dag.rs src/trie.rs /work/main/vendor/jieba-rs/src/data/posseg.txt /work/main/vendor/jieba-rs/src/data/dict.txt

/work/main/vendor/jieba-rs/target/debug/deps/jieba_rs-754bf23fe659b9f5: src/lib.rs src/errors.rs src/hmm.rs src/image.rs src/posseg.rs src/sparse_dag.rs src/trie.rs /work/main/vendor/jieba-rs/src/data/posseg.txt /work/main/vendor/jieba-rs/src/data/dict.txt

src/lib.rs:
src/errors.rs:
src/hmm.rs:
src/image.rs:
src/posseg.rs:
src/sparse_dag.rs:
src/trie.rs:
/work/main/vendor/jieba-rs/src/data/posseg.txt:
/work/main/vendor/jieba-rs/src/data/dict.txt:

# env-dep:CARGO_MANIFEST_DIR=/work/main/vendor/jieba-rs
