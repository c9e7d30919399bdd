/work/main/vendor/jieba-rs/target/debug/deps/include_flate_compress-61af53cc670b1c41.d: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/include-flate-compress-0.3.5/src/lib.rs

/work/main/vendor/jieba-rs/target/debug/deps/libinclude_flate_compress-61af53cc670b1c41.rlib: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/include-flate-compress-0.3.5/src/lib.rs

/work/main/vendor/jieba-rs/target/debug/deps/libinclude_flate_compress-61af53cc670b1c41.rmeta: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/include-flate-compress-0.3.5/src/lib.rs

/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/include-flate-compress-0.3.5/src/lib.rs:
