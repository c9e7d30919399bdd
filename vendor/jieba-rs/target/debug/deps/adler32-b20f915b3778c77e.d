/work/main/vendor/jieba-rs/target/debug/deps/adler32-b20f915b3778c77e.d: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/adler32-1.2.0/src/lib.rs

/work/main/vendor/jieba-rs/target/debug/deps/libadler32-b20f915b3778c77e.rlib: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/adler32-1.2.0/src/lib.rs

/work/main/vendor/jieba-rs/target/debug/deps/libadler32-b20f915b3778c77e.rmeta: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/adler32-1.2.0/src/lib.rs

/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/adler32-1.2.0/src/lib.rs:
