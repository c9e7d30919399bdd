/work/main/vendor/jieba-rs/target/debug/deps/dary_heap-6748290ce6d74c77.d: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/dary_heap-0.3.9/src/lib.rs

/work/main/vendor/jieba-rs/target/debug/deps/libdary_heap-6748290ce6d74c77.rlib: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/dary_heap-0.3.9/src/lib.rs

/work/main/vendor/jieba-rs/target/debug/deps/libdary_heap-6748290ce6d74c77.rmeta: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/dary_heap-0.3.9/src/lib.rs

/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/dary_heap-0.3.9/src/lib.rs:
