/work/main/vendor/jieba-rs/target/debug/deps/jieba_macros-e41bf46ba8d8b793.d: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/jieba-macros-0.11.0/src/lib.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/jieba-macros-0.11.0/src/hmm.model

/work/main/vendor/jieba-rs/target/debug/deps/libjieba_macros-e41bf46ba8d8b793.so: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/jieba-macros-0.11.0/src/lib.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/jieba-macros-0.11.0/src/hmm.model

/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/jieba-macros-0.11.0/src/lib.rs:
/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/jieba-macros-0.11.0/src/hmm.model:
