/work/main/vendor/jieba-rs/target/debug/deps/libflate_lz77-70e0d9251f26ac73.d: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/libflate_lz77-2.3.0/src/lib.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/libflate_lz77-2.3.0/src/default.rs

/work/main/vendor/jieba-rs/target/debug/deps/liblibflate_lz77-70e0d9251f26ac73.rlib: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/libflate_lz77-2.3.0/src/lib.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/libflate_lz77-2.3.0/src/default.rs

/work/main/vendor/jieba-rs/target/debug/deps/liblibflate_lz77-70e0d9251f26ac73.rmeta: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/libflate_lz77-2.3.0/src/lib.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/libflate_lz77-2.3.0/src/default.rs

/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/libflate_lz77-2.3.0/src/lib.rs:
/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/libflate_lz77-2.3.0/src/default.rs:
