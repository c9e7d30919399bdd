/work/main/vendor/jieba-rs/target/debug/deps/include_flate_codegen-7fccddf0165556e0.d: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/include-flate-codegen-0.3.5/src/lib.rs

/work/main/vendor/jieba-rs/target/debug/deps/libinclude_flate_codegen-7fccddf0165556e0.so: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/include-flate-codegen-0.3.5/src/lib.rs

/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/include-flate-codegen-0.3.5/src/lib.rs:
