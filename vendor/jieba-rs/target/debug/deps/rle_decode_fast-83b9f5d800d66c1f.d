/work/main/vendor/jieba-rs/target/debug/deps/rle_decode_fast-83b9f5d800d66c1f.d: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/rle-decode-fast-1.0.3/src/lib.rs

/work/main/vendor/jieba-rs/target/debug/deps/librle_decode_fast-83b9f5d800d66c1f.rlib: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/rle-decode-fast-1.0.3/src/lib.rs

/work/main/vendor/jieba-rs/target/debug/deps/librle_decode_fast-83b9f5d800d66c1f.rmeta: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/rle-decode-fast-1.0.3/src/lib.rs

/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/rle-decode-fast-1.0.3/src/lib.rs:
