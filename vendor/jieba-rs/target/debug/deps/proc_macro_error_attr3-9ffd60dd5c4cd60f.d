/work/main/vendor/jieba-rs/target/debug/deps/proc_macro_error_attr3-9ffd60dd5c4cd60f.d: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/proc-macro-error-attr3-3.1.1/src/lib.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/proc-macro-error-attr3-3.1.1/src/parse.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/proc-macro-error-attr3-3.1.1/src/settings.rs

/work/main/vendor/jieba-rs/target/debug/deps/libproc_macro_error_attr3-9ffd60dd5c4cd60f.so: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/proc-macro-error-attr3-3.1.1/src/lib.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/proc-macro-error-attr3-3.1.1/src/parse.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/proc-macro-error-attr3-3.1.1/src/settings.rs

/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/proc-macro-error-attr3-3.1.1/src/lib.rs:
/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/proc-macro-error-attr3-3.1.1/src/parse.rs:
/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/proc-macro-error-attr3-3.1.1/src/settings.rs:
