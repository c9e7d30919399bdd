//! The front matter splitter and its TOML parse, on any text: errors, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let text = text.replace("\r\n", "\n");
    let file = std::path::Path::new("fuzz.md");
    if let Ok(split) = planatlas::parse::split(file, &text) {
        let _ = planatlas::parse::parse_toml::<toml::Table>(
            file,
            split.front_matter,
            split.front_matter_line,
        );
    }
});
