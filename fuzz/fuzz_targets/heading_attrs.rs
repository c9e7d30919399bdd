//! The heading attribute parser (`{#id themes="…" …}`), on any text: errors, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = planatlas::parse::split_heading(text, 4);
    let _ = planatlas::parse::parse_block(text, 0);
    let _ = planatlas::parse::split_list(text);
});
