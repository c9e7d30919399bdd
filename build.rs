//! Builds jieba's default dictionary once, here, and saves the result as an image that the
//! program loads at run time (`analyse::related::dictionary`): building it from the text dictionary
//! took about 90 ms of every build, `serve` start and test run, loading the image a fraction
//! of that. The image holds the dictionary's words frozen into a double array, which the program
//! reads where it lies, and segments as what building makes does (vendor/jieba-rs/VENDORED.md).

fn main() {
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let image = jieba_rs::Jieba::new()
        .to_image()
        .expect("jieba's default dictionary has few distinct frequencies");
    std::fs::write(out.join("jieba.image"), image).expect("writing the dictionary image");
    println!("cargo:rerun-if-changed=build.rs");
}
