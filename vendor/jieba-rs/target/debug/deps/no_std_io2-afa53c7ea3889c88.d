/work/main/vendor/jieba-rs/target/debug/deps/no_std_io2-afa53c7ea3889c88.d: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/no_std_io2-0.9.4/src/lib.rs

/work/main/vendor/jieba-rs/target/debug/deps/libno_std_io2-afa53c7ea3889c88.rlib: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/no_std_io2-0.9.4/src/lib.rs

/work/main/vendor/jieba-rs/target/debug/deps/libno_std_io2-afa53c7ea3889c88.rmeta: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/no_std_io2-0.9.4/src/lib.rs

/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/no_std_io2-0.9.4/src/lib.rs:
