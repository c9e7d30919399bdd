//! The indicator value parser (numbers, qualifiers, 【】, text, —), on any text: errors, never
//! a panic; a parsed number formats back without a panic either.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(value) = planatlas::parse::parse_value(text) {
        if let Some(n) = value.value {
            let _ = planatlas::parse::format_number(n);
        }
    }
});
