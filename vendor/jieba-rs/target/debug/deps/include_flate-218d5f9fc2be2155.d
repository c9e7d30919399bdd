/work/main/vendor/jieba-rs/target/debug/deps/include_flate-218d5f9fc2be2155.d: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/include-flate-0.3.5/src/lib.rs

/work/main/vendor/jieba-rs/target/debug/deps/libinclude_flate-218d5f9fc2be2155.rlib: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/include-flate-0.3.5/src/lib.rs

/work/main/vendor/jieba-rs/target/debug/deps/libinclude_flate-218d5f9fc2be2155.rmeta: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/include-flate-0.3.5/src/lib.rs

/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/include-flate-0.3.5/src/lib.rs:
