/work/main/vendor/jieba-rs/target/debug/deps/zstd_safe-460ead2c2cb0121e.d: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/zstd-safe-8.3.0/src/lib.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/zstd-safe-8.3.0/src/constants.rs

/work/main/vendor/jieba-rs/target/debug/deps/libzstd_safe-460ead2c2cb0121e.rlib: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/zstd-safe-8.3.0/src/lib.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/zstd-safe-8.3.0/src/constants.rs

/work/main/vendor/jieba-rs/target/debug/deps/libzstd_safe-460ead2c2cb0121e.rmeta: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/zstd-safe-8.3.0/src/lib.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/zstd-safe-8.3.0/src/constants.rs

/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/zstd-safe-8.3.0/src/lib.rs:
/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/zstd-safe-8.3.0/src/constants.rs:
