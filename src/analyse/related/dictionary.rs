//! The segmenter and its dictionary: jieba's default dictionary, made into an image by
//! `build.rs` when planatlas is built and read from the program at run time.
//!
//! The image holds the dictionary's words as a double array (`vendor/jieba-rs/src/frozen.rs`)
//! and each word's class of frequency and tag (`vendor/jieba-rs/src/weights.rs`), which the
//! segmenter reads where they lie in the program: their pages are the program file's, clean and
//! shared, not a private copy. Loading it takes a fraction of the time building the
//! dictionary from its text takes, and the segmenter cuts and tags every text as one built from
//! the text does (tested below).

use std::sync::OnceLock;

use jieba_rs::Jieba;

/// The segmenter, loaded on first use.
pub(super) fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(|| {
        Jieba::from_static_image(&DICTIONARY_IMAGE.0)
            .expect("build.rs made this image from jieba's own dictionary; rebuild planatlas")
    })
}

/// jieba's default dictionary as build.rs loaded it. Aligned so that the segmenter reads the
/// double array, its table of character codes and the words' classes of frequency and tags (9.7
/// of the image's 9.75 MB) where they lie (`Jieba::from_static_image`).
static DICTIONARY_IMAGE: &Aligned<[u8]> =
    &Aligned(*include_bytes!(concat!(env!("OUT_DIR"), "/jieba.image")));

/// Bytes aligned to 16, as the dictionary image's tables must be to be read in place.
#[repr(C, align(16))]
struct Aligned<T: ?Sized>(T);

/// Loads the segmenter's dictionary now (it takes a moment), e.g. on a background thread.
pub fn warm_up() {
    jieba();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line of the real content's plans, and a few texts of other kinds.
    fn sample_texts() -> Vec<String> {
        let plans = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/plans");
        let mut texts: Vec<String> = walkdir::WalkDir::new(plans)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
            .flat_map(|e| {
                let text = std::fs::read_to_string(e.path()).expect("content is UTF-8");
                text.lines().map(str::to_string).collect::<Vec<_>>()
            })
            .collect();
        texts.extend(
            [
                "",
                "2025年GDP增长5.5%，R&D投入强度达到2.8%以上。",
                "QFLP、QDLP试点 and English words, 数字人民币e-CNY",
                "我们中出了一个叛徒",
            ]
            .map(str::to_string),
        );
        texts
    }

    #[test]
    fn the_dictionary_image_segments_as_the_text_dictionary_does() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("vendor/jieba-rs/src/data/dict.txt");
        let mut text = std::io::BufReader::new(std::fs::File::open(path).expect("the dictionary"));
        let built = Jieba::with_dict(&mut text).expect("jieba's own dictionary loads");
        let loaded = jieba();
        let texts = sample_texts();
        assert!(texts.len() > 1000, "{} texts", texts.len());
        let words = |j: &Jieba, t: &str| -> Vec<String> {
            j.cut(t, false).iter().map(|w| w.word.to_string()).collect()
        };
        let tags = |j: &Jieba, t: &str| -> Vec<(String, String)> {
            j.tag(t, false)
                .iter()
                .map(|w| (w.word.to_string(), w.tag.to_string()))
                .collect()
        };
        for t in &texts {
            assert_eq!(words(loaded, t), words(&built, t), "{t}");
            assert_eq!(tags(loaded, t), tags(&built, t), "{t}");
        }
        // Not only words of one character: the dictionary was there.
        assert!(words(loaded, "数字人民币试点").len() < 4);
    }

    #[test]
    fn a_damaged_dictionary_image_is_an_error_not_a_panic() {
        let image = &DICTIONARY_IMAGE.0;
        for len in [0, 7, 12, 20, 1000, image.len() / 2, image.len() - 1] {
            assert!(Jieba::from_image(&image[..len]).is_err(), "cut at {len}");
        }
        let mut longer = image.to_vec();
        longer.push(0);
        assert!(Jieba::from_image(&longer).is_err());
        let mut wrong = image.to_vec();
        wrong[0] = b'X';
        assert!(Jieba::from_image(&wrong).is_err());
        let mut total = image.to_vec();
        total[12] ^= 1;
        assert!(
            Jieba::from_image(&total).is_err(),
            "a total that is not the sum"
        );
        // An empty dictionary's image: magic, version, total, log total, no tags, no words, no
        // classes of frequency, zeros to 48, no characters beyond U+FFFF, the number of units
        // at byte 52 (the root's one), zeros to byte 64, the code table (65,536 × 4 bytes), the
        // root's unit.
        let empty = Jieba::empty()
            .to_image()
            .expect("an empty dictionary's image");
        assert_eq!(empty.len(), 64 + 4 * 65_536 + 12);
        let loaded = Jieba::from_image(&empty).expect("an empty dictionary");
        let words: Vec<&str> = loaded.cut("𠀀金融", false).iter().map(|w| w.word).collect();
        assert_eq!(words.concat(), "𠀀金融");
        // No units, or more than the rest of the image holds: an error, never an overflow.
        for units in [0u64, 2, 1 << 20, 1 << 59, u64::MAX] {
            let mut table = empty.clone();
            table[52..60].copy_from_slice(&units.to_le_bytes());
            assert!(Jieba::from_image(&table).is_err(), "{units} units");
        }
        // The code table starts at a multiple of 16 bytes (64), after zeros.
        let mut padded = empty.clone();
        padded[60] = 1;
        assert!(Jieba::from_image(&padded).is_err(), "padding");
        // A code past the last character; the root given a parent.
        let mut code = empty.clone();
        code[64 + 4 * 0x91D1..64 + 4 * 0x91D1 + 4].copy_from_slice(&70_000u32.to_le_bytes());
        let mut root = empty.clone();
        let at = empty.len() - 8;
        root[at..at + 4].copy_from_slice(&0u32.to_le_bytes());
        for damaged in [code, root] {
            assert!(Jieba::from_image(&damaged).is_err());
        }
        // Two words, 金融 (frequency 3, tag n) and 改革 (5, v): magic, version, total, log total,
        // two tags (each its length and byte, to 42), two words (42), two classes (46) of
        // frequencies 3 and 5 (50, 58), zeros to 80, the classes' logs (80, 88), the words'
        // classes (96, 98), zeros to 112, the words' tags (112, 114), then the trie.
        let mut two = Jieba::empty();
        two.add_word("金融", Some(3), Some("n"));
        two.add_word("改革", Some(5), Some("v"));
        let two = two.to_image().expect("the image of two words");
        assert_eq!(two[42..50], [2, 0, 0, 0, 2, 0, 0, 0]);
        assert_eq!(two[50..51], [3]);
        assert_eq!(two[58..59], [5]);
        assert_eq!(
            f64::from_le_bytes(two[88..96].try_into().unwrap()),
            5f64.ln()
        );
        assert_eq!(two[96..100], [0, 0, 1, 0]);
        assert_eq!(two[112..116], [0, 0, 1, 0]);
        let loaded = Jieba::from_static_image(leaked_at(&two, 0)).expect("two words");
        assert!(loaded.reads_table_in_place());
        let tags: Vec<&str> = loaded
            .tag("改革金融", false)
            .iter()
            .map(|t| t.tag)
            .collect();
        assert_eq!(tags, ["v", "n"]);
        assert_eq!(loaded.weight_of("改革"), Some((5, 5f64.ln())));
        // A class or a tag past the last, a total that is not the sum, more tags or classes
        // than 16 bits number: errors that say so, whether the columns are read in place or
        // copied.
        let damages: [(usize, &[u8], &str); 5] = [
            (96, &[2], "class is out of range"),
            (112, &[2], "tag is out of range"),
            (96, &[1], "total is not the sum"),
            (28, &[1, 0, 1, 0], "more tags"),
            (46, &[1, 0, 1, 0], "more words or classes"),
        ];
        for (at, bytes, what) in damages {
            let mut damaged = two.clone();
            damaged[at..at + bytes.len()].copy_from_slice(bytes);
            let copied = Jieba::from_image(&damaged).expect_err(what);
            assert!(copied.to_string().contains(what), "{what}: {copied}");
            let in_place = Jieba::from_static_image(leaked_at(&damaged, 0)).expect_err(what);
            assert!(in_place.to_string().contains(what), "{what}: {in_place}");
        }
        // Any log frequency segments: a NaN among them neither panics nor loops.
        let mut nan = two.clone();
        nan[80..88].copy_from_slice(&f64::NAN.to_le_bytes());
        let loaded = Jieba::from_static_image(leaked_at(&nan, 0)).expect("a NaN is a number here");
        assert_eq!(loaded.cut("金融改革", false).len(), 2);
        // Bytes changed anywhere give an error or a segmenter that still ends its work.
        for k in 1..64 {
            let mut changed = image.to_vec();
            let at = k * (image.len() / 64);
            changed[at] ^= 0xA5;
            if let Ok(j) = Jieba::from_image(&changed) {
                let _ = j.cut("数字人民币试点和绿色金融改革创新", false);
            }
        }
    }

    /// A dictionary of words with wide and narrow fan-outs, characters beyond U+FFFF and ASCII
    /// segments alike built, frozen into an image and loaded, and thawed again by a new word.
    #[test]
    fn a_dictionary_segments_alike_built_frozen_and_thawed() {
        let mut words: Vec<String> = [
            "网",
            "网球",
            "网球拍",
            "球拍",
            "拍卖",
            "拍卖会",
            "a",
            "ab",
            "𦡦",
            "𦡦𦡦",
            "中",
            "𦡦中",
            "中𦡦",
        ]
        .map(str::to_string)
        .to_vec();
        words.extend((0x4E00..0x4E00 + 300).map(|c| format!("大{}", char::from_u32(c).unwrap())));
        words.extend((0..3000).map(|i| format!("w{i}x{}", i % 7)));
        let mut built = Jieba::empty();
        for (i, w) in words.iter().enumerate() {
            built.add_word(w, Some(1 + i % 97), Some(["n", "v", "x"][i % 3]));
        }
        // A frequency beyond 32 bits is kept whole (the total counts it).
        let large = (u32::MAX as usize).saturating_add(5);
        built.add_word("巨额", Some(large), None);
        words.push("巨额".to_string());
        let total: usize = (0..words.len() - 1).map(|i| 1 + i % 97).sum::<usize>() + large;
        let image = built.to_image().expect("the image of a built dictionary");
        let frozen = Jieba::from_image(&image).expect("the image of a built dictionary");
        // Read in place, the words' classes and tags are the image's own bytes.
        let in_place = Jieba::from_static_image(leaked_at(&image, 0)).expect("in place");
        assert!(in_place.reads_table_in_place());
        let mut texts: Vec<String> = [
            "网球拍卖会",
            "拍卖会def",
            "球",
            "abc",
            "𦡦𦡦𦡦中𦡦",
            "",
            "zzz",
            "大一大丁大x大",
            "w12x5zzzw2999x3",
        ]
        .map(str::to_string)
        .to_vec();
        texts.extend(words.iter().cloned());
        texts.push(words.concat());
        let cut = |j: &Jieba, t: &str| -> Vec<(String, String)> {
            j.tag(t, false)
                .iter()
                .map(|w| (w.word.to_string(), w.tag.to_string()))
                .collect()
        };
        let all = |j: &Jieba, t: &str| -> Vec<String> {
            j.cut_all(t).iter().map(|w| w.word.to_string()).collect()
        };
        for t in &texts {
            assert_eq!(cut(&frozen, t), cut(&built, t), "{t}");
            assert_eq!(cut(&in_place, t), cut(&built, t), "{t}");
            assert_eq!(all(&frozen, t), all(&built, t), "{t}");
            assert_eq!(frozen.has_word(t), built.has_word(t), "{t}");
        }
        // Every word with its frequency and the very log of it, read as the segmenter reads it.
        let weight = |j: &Jieba, w: &str| j.weight_of(w).map(|(f, log)| (f, log.to_bits()));
        for w in &words {
            assert!(frozen.has_word(w), "{w}");
            assert_eq!(weight(&frozen, w), weight(&built, w), "{w}");
            assert_eq!(weight(&in_place, w), weight(&built, w), "{w}");
        }
        assert!(!frozen.has_word("大") && !frozen.has_word("球"));
        // Debug shows the number of records and the total frequency.
        let shown = format!(
            "Jieba {{ records_len: {}, total_freq: {total} }}",
            words.len()
        );
        assert_eq!(format!("{built:?}"), shown);
        assert_eq!(format!("{frozen:?}"), shown);
        assert_eq!(format!("{in_place:?}"), shown);
        // Frozen again from its classes, the image is the same.
        assert_eq!(in_place.to_image().expect("an image again"), image);
        // A word added to both: the frozen one thaws, and they still agree, the large
        // frequency kept whole.
        let (mut thawed, mut built) = (in_place, built);
        for j in [&mut thawed, &mut built] {
            j.add_word("球拍卖", Some(500), None);
        }
        assert!(!thawed.reads_table_in_place());
        assert_eq!(
            weight(&thawed, "巨额"),
            Some((large, (large as f64).ln().to_bits()))
        );
        assert_eq!(weight(&thawed, "巨额"), weight(&built, "巨额"));
        for j in [&mut thawed, &mut built] {
            j.add_word("巨额", Some(7), None);
        }
        assert_eq!(format!("{thawed:?}"), format!("{built:?}"));
        for t in &texts {
            assert_eq!(cut(&thawed, t), cut(&built, t), "{t}");
        }
        // Every word is still there, at its id (the cuts above agree on it), with its weight.
        for w in words.iter().chain(["球拍卖".to_string()].iter()) {
            assert!(thawed.has_word(w), "{w}");
            assert_eq!(weight(&thawed, w), weight(&built, w), "{w}");
        }
        assert_eq!(weight(&thawed, "巨额"), Some((7, 7f64.ln().to_bits())));
        let total = total - large + 7 + 500;
        let shown = format!(
            "Jieba {{ records_len: {}, total_freq: {total} }}",
            words.len() + 1
        );
        assert_eq!(format!("{thawed:?}"), shown);
    }

    /// An image numbers a word's class of frequency and its tag in 16 bits: a dictionary with
    /// more distinct frequencies has no image, and one with more tags does not load; both say so.
    #[test]
    fn a_dictionary_beyond_an_image_s_bounds_is_an_error() {
        let mut many = Jieba::empty();
        for i in 0..=65_536usize {
            many.add_word(&format!("w{i}"), Some(i + 1), None);
        }
        let err = many.to_image().expect_err("65,537 distinct frequencies");
        assert!(
            err.to_string().contains("65536 distinct frequencies"),
            "{err}"
        );
        // The first word given the second's frequency: 65,536 distinct ones.
        many.add_word("w0", Some(2), None);
        assert!(many.to_image().is_ok(), "65,536 distinct frequencies");
        let tags: String = (0..=65_536).map(|i| format!("w{i} 1 t{i}\n")).collect();
        let err = Jieba::with_dict(&mut tags.as_bytes()).expect_err("65,537 tags");
        assert!(err.to_string().contains("65536 distinct tags"), "{err}");
    }

    /// A copy of `image` that lives as long as the program, starting `at` bytes past a multiple
    /// of 16 in memory.
    fn leaked_at(image: &[u8], at: usize) -> &'static [u8] {
        let room: &'static mut [u8] = Box::leak(vec![0u8; image.len() + 32].into_boxed_slice());
        let start = (16 - room.as_ptr() as usize % 16) % 16 + at;
        room[start..start + image.len()].copy_from_slice(image);
        &room[start..start + image.len()]
    }

    /// The program's image is read in place (no copy of its double array); one that is not
    /// aligned is copied and segments alike; a damaged array is an error either way.
    #[test]
    fn the_dictionary_table_is_read_where_it_lies() {
        let image = &DICTIONARY_IMAGE.0;
        assert!(jieba().reads_table_in_place());
        let text = "数字人民币试点和绿色金融改革创新，支持成渝地区双城经济圈建设。";
        let words = |j: &Jieba| -> Vec<String> {
            j.cut(text, false)
                .iter()
                .map(|w| w.word.to_string())
                .collect()
        };
        let aligned = Jieba::from_static_image(leaked_at(image, 0)).expect("an aligned image");
        assert!(aligned.reads_table_in_place());
        assert_eq!(words(&aligned), words(jieba()));
        let copied = Jieba::from_static_image(leaked_at(image, 1)).expect("an unaligned image");
        assert!(!copied.reads_table_in_place());
        assert_eq!(words(&copied), words(jieba()));
        // A word added to a copy of the program's segmenter thaws the array into a table first.
        let mut added = jieba().clone();
        assert!(!words(&added).contains(&"双城经济圈建设".to_string()));
        added.add_word("双城经济圈建设", Some(1_000_000), None);
        assert!(!added.reads_table_in_place());
        assert!(words(&added).contains(&"双城经济圈建设".to_string()));
        assert!(jieba().reads_table_in_place());
        assert_eq!(words(&copied), words(jieba()));
        // The units are the image's last bytes, 12 a unit: base, check (its parent, or all
        // ones for none), word. A unit whose parent is past the array's end, and one whose word
        // is past the last record, are errors whether the array is read in place or copied.
        let unit = |image: &[u8], used: bool| {
            (1..=image.len() / 12)
                .map(|k| image.len() - 12 * k)
                .find(|&at| (image[at + 4..at + 8] != [0xFF; 4]) == used)
                .expect("a unit")
        };
        let mut parent = image.to_vec();
        let at = unit(&parent, true);
        parent[at + 4..at + 8].copy_from_slice(&0x0FFF_FFFFu32.to_le_bytes());
        let mut word = image.to_vec();
        let at = unit(&word, false);
        word[at + 8..at + 12].copy_from_slice(&0x0FFF_FFFFu32.to_le_bytes());
        for damaged in [parent, word] {
            assert!(Jieba::from_image(&damaged).is_err());
            assert!(Jieba::from_static_image(leaked_at(&damaged, 0)).is_err());
            assert!(Jieba::from_static_image(leaked_at(&damaged, 1)).is_err());
        }
    }
}
