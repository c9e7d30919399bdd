//! The theme: its Tera templates, with a key of their sources, and its static files.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use super::*;
use crate::output::OutputFile;
use crate::render::compiled;

/// The theme's templates, with a key of their sources (a page's output depends on them).
pub struct Templates {
    pub tera: Tera,
    pub key: u64,
    /// Whether chapter and section pages are written by [`compiled::division`] (the theme
    /// has the bundled templates for them, unchanged) rather than by Tera.
    pub divisions_compiled: bool,
    /// Whether theme pages without indicator tables are written by [`compiled::theme`].
    pub themes_compiled: bool,
    /// Whether responsible units' pages are written by [`compiled::unit`].
    pub units_compiled: bool,
    /// Whether plans' covers are written by [`compiled::plan`].
    pub plans_compiled: bool,
    /// Whether indicator concepts' pages are written by [`compiled::concept`].
    pub concepts_compiled: bool,
    /// Whether theme pages with indicator tables are written by [`compiled::theme`] too.
    pub concept_tables_compiled: bool,
}

/// Loads the theme at `theme_dir` (its `templates/` folder): every template is read and keyed,
/// and Tera parses those it may render (see [`for_tera`]).
pub fn load_templates(theme_dir: &Path) -> Result<Templates, BuildError> {
    load(theme_dir, false)
}

/// The last templates [`load_templates_cached`] parsed, with the folder and the texts they were
/// parsed from; a handle that threads share.
#[derive(Clone, Default)]
pub struct TemplateCache(Arc<Mutex<Option<Parsed>>>);

struct Parsed {
    dir: PathBuf,
    texts: Vec<(String, String)>,
    templates: Arc<Templates>,
}

/// As [`load_templates`], but where `cache` holds templates parsed from the same folder and the
/// same texts (compared whole), those: `serve` reads the theme at every rebuild, and parsing it
/// again cost about 100 M instructions a rebuild for templates that had not changed. Templates
/// that fail to parse are not kept.
pub fn load_templates_cached(
    theme_dir: &Path,
    cache: &TemplateCache,
) -> Result<Arc<Templates>, BuildError> {
    let texts = read_templates(theme_dir)?;
    let mut kept = cache.0.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(parsed) = kept.as_ref() {
        if parsed.dir == theme_dir && parsed.texts == texts {
            return Ok(Arc::clone(&parsed.templates));
        }
    }
    let templates = Arc::new(parse(theme_dir, texts.clone(), false)?);
    *kept = Some(Parsed {
        dir: theme_dir.to_path_buf(),
        texts,
        templates: Arc::clone(&templates),
    });
    Ok(templates)
}

/// As [`load_templates`], with Tera parsing every template, the compiled pages' too: for tests
/// that compare the compiled pages with what Tera makes of the templates.
#[cfg(test)]
pub fn load_every_template(theme_dir: &Path) -> Result<Templates, BuildError> {
    load(theme_dir, true)
}

fn load(theme_dir: &Path, every: bool) -> Result<Templates, BuildError> {
    parse(theme_dir, read_templates(theme_dir)?, every)
}

/// Every template of the theme at `theme_dir`: its name below `templates/` and its text, in
/// order of name.
fn read_templates(theme_dir: &Path) -> Result<Vec<(String, String)>, BuildError> {
    let dir = theme_dir.join("templates");
    if !dir.is_dir() {
        return Err(BuildError::Setup(format!(
            "the theme has no templates folder {}; run `planatlas init` for a site with the default theme",
            dir.display()
        )));
    }
    let mut templates = Vec::new();
    for entry in WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.map_err(|e| BuildError::walk("reading", &dir, e))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry
            .path()
            .strip_prefix(&dir)
            .map_err(|e| BuildError::io("reading", entry.path(), std::io::Error::other(e)))?
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(entry.path())
            .map_err(|e| BuildError::io("reading", entry.path(), e))?;
        templates.push((name, text));
    }
    Ok(templates)
}

/// The templates read from `theme_dir`, keyed, and parsed by Tera: all of them with `every`,
/// else those it may render.
fn parse(
    theme_dir: &Path,
    templates: Vec<(String, String)>,
    every: bool,
) -> Result<Templates, BuildError> {
    let dir = theme_dir.join("templates");
    let key = crate::util::hash::key_of(&templates);
    let divisions_compiled = compiled::renders_divisions(&templates);
    let themes_compiled = compiled::renders_themes(&templates);
    let units_compiled = compiled::renders_units(&templates);
    let plans_compiled = compiled::renders_plans(&templates);
    let concepts_compiled = compiled::renders_concepts(&templates);
    let concept_tables_compiled = compiled::renders_concept_tables(&templates);
    let templates = if every {
        templates
    } else {
        // A theme page with indicator tables is compiled only with them (which
        // `concept_tables_compiled` includes), or Tera renders it.
        let compiled_pages = [
            (divisions_compiled, &compiled::BUNDLED[..]),
            (concept_tables_compiled, &compiled::BUNDLED_THEME[..]),
            (units_compiled, &compiled::BUNDLED_UNIT[..]),
            (plans_compiled, &compiled::BUNDLED_PLAN[..]),
            (concepts_compiled, &compiled::BUNDLED_CONCEPT[..]),
        ];
        let left_out: Vec<&str> = compiled_pages
            .iter()
            .filter(|(on, _)| *on)
            .flat_map(|(_, bundled)| bundled.iter().map(|(name, _)| *name))
            .collect();
        for_tera(templates, &left_out)
    };
    let mut tera = Tera::default();
    // Tera's get_env would let a theme print any environment variable (a CI secret) into
    // every page; a theme gets its values from site.toml instead.
    tera.register_function(
        "get_env",
        |_: &HashMap<String, Value>| -> tera::Result<Value> {
            Err(tera::Error::msg(
                "get_env is not available: themes cannot read environment variables; put the value in content/site.toml",
            ))
        },
    );
    tera.set_escape_fn(escape_html);
    tera.add_raw_templates(templates)
        .map_err(|source| BuildError::Templates { dir, source })?;
    Ok(Templates {
        tera,
        key,
        divisions_compiled,
        themes_compiled,
        units_compiled,
        plans_compiled,
        concepts_compiled,
        concept_tables_compiled,
    })
}

/// The templates Tera may be asked to render, and those they use: all but those of `compiled`
/// (templates of compiled pages, each the bundled one unchanged) that no other template names.
/// Parsing the theme is a fixed cost of every build (about 80 M instructions for the default
/// theme, a twelfth of a build of 1,000 measures); the compiled pages' templates are half of
/// it, and only the tests that compare them with the compiled pages need Tera to parse them.
///
/// Tera names a parent, an included template or a macro file only by a string literal, so a
/// template that no kept template's text contains is never asked for. Containing the name
/// anywhere (in a comment, as another name's end) keeps it: that costs only its parsing.
fn for_tera(templates: Vec<(String, String)>, compiled: &[&str]) -> Vec<(String, String)> {
    let mut kept: Vec<bool> = templates
        .iter()
        .map(|(name, _)| !compiled.contains(&name.as_str()))
        .collect();
    // Until no kept template names one more: the themes have a few dozen templates.
    loop {
        let named: Vec<usize> = (0..templates.len())
            .filter(|&i| {
                !kept[i]
                    && templates
                        .iter()
                        .zip(&kept)
                        .any(|((_, text), on)| *on && text.contains(templates[i].0.as_str()))
            })
            .collect();
        if named.is_empty() {
            break;
        }
        for i in named {
            kept[i] = true;
        }
    }
    templates
        .into_iter()
        .zip(kept)
        .filter_map(|(template, on)| on.then_some(template))
        .collect()
}

/// The theme's static assets, below `static/` in the output.
pub fn static_files(dir: &Path) -> Result<Vec<OutputFile>, BuildError> {
    let mut files = Vec::new();
    if !dir.is_dir() {
        return Ok(files);
    }
    for entry in WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| BuildError::walk("reading", dir, e))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(dir)
            .map_err(|e| BuildError::io("reading", entry.path(), std::io::Error::other(e)))?
            .to_string_lossy()
            .replace('\\', "/");
        let bytes =
            std::fs::read(entry.path()).map_err(|e| BuildError::io("reading", entry.path(), e))?;
        files.push((format!("static/{rel}"), bytes));
    }
    Ok(files)
}

/// Escapes a value printed into a page: `&`, `<`, `>`, `"` and `'`, which is what keeps text and
/// quoted attribute values from being read as markup. Tera's default also writes every `/` as
/// `&#x2F;`, which the minifier then decoded again in every URL of every page (a tenth of the
/// render phase went to entities); the minified pages are the same either way.
fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    escape_parts(input, |part| out.push_str(part));
    out
}

/// [`escape_html`] piece by piece: hands `push` the runs of `input` and the entities between
/// them, in order.
pub(super) fn escape_parts(input: &str, mut push: impl FnMut(&str)) {
    let bytes = input.as_bytes();
    // Two vectorised searches instead of a test of every byte: the pages' text is mostly CJK
    // (three bytes a character) with few of these five. Each search's next hit is kept until
    // the escaping passes it.
    let next_markup =
        |from: usize| memchr::memchr3(b'&', b'<', b'>', &bytes[from..]).map(|k| from + k);
    let next_quote = |from: usize| memchr::memchr2(b'"', b'\'', &bytes[from..]).map(|k| from + k);
    let (mut markup, mut quote) = (next_markup(0), next_quote(0));
    let mut from = 0;
    // These are ASCII bytes, never part of a multi-byte character: slicing at them is safe.
    loop {
        let i = match (markup, quote) {
            (Some(m), Some(q)) => m.min(q),
            (Some(i), None) | (None, Some(i)) => i,
            (None, None) => break,
        };
        let entity = match bytes[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#x27;",
            _ => unreachable!("the searches find only these five bytes"),
        };
        push(&input[from..i]);
        push(entity);
        from = i + 1;
        if markup == Some(i) {
            markup = next_markup(from);
        } else {
            quote = next_quote(from);
        }
    }
    push(&input[from..]);
}

#[cfg(test)]
mod tests {
    use super::{escape_html, for_tera, load_templates, load_templates_cached, TemplateCache};
    use std::sync::Arc;

    /// Kept templates are taken while the theme's texts stay the same, and parsed again when one
    /// changes or the theme is another folder; templates that fail to parse are not kept.
    #[test]
    fn templates_are_parsed_again_only_when_a_text_changes() {
        let bundled = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let dir = tempfile::tempdir().unwrap();
        let copy = |to: &std::path::Path| {
            for entry in walkdir::WalkDir::new(bundled.join("templates")) {
                let entry = entry.unwrap();
                let rel = entry.path().strip_prefix(&bundled).unwrap();
                if entry.file_type().is_dir() {
                    std::fs::create_dir_all(to.join(rel)).unwrap();
                } else {
                    std::fs::copy(entry.path(), to.join(rel)).unwrap();
                }
            }
        };
        let (one, other) = (dir.path().join("one"), dir.path().join("other"));
        copy(&one);
        copy(&other);
        let cache = TemplateCache::default();
        let first = load_templates_cached(&one, &cache).unwrap();
        let again = load_templates_cached(&one, &cache).unwrap();
        assert!(Arc::ptr_eq(&first, &again), "the same texts: kept");
        assert_eq!(first.key, load_templates(&one).unwrap().key);
        let elsewhere = load_templates_cached(&other, &cache).unwrap();
        assert!(!Arc::ptr_eq(&first, &elsewhere), "another folder: parsed");
        assert_eq!(first.key, elsewhere.key);

        let base = other.join("templates/base.html");
        let text = std::fs::read_to_string(&base).unwrap();
        std::fs::write(&base, format!("{text}{{# edited #}}")).unwrap();
        let edited = load_templates_cached(&other, &cache).unwrap();
        assert!(!Arc::ptr_eq(&elsewhere, &edited), "an edited text: parsed");
        assert_ne!(edited.key, elsewhere.key);

        std::fs::write(&base, format!("{text}{{% if %}}")).unwrap();
        assert!(load_templates_cached(&other, &cache).is_err());
        std::fs::write(&base, format!("{text}{{# edited #}}")).unwrap();
        let back = load_templates_cached(&other, &cache).unwrap();
        assert!(
            Arc::ptr_eq(&edited, &back),
            "the failed parse was not kept: the last good one is"
        );
    }

    /// With the default theme, Tera parses only the templates of the pages it renders and what
    /// they use; the compiled pages' templates are left out.
    #[test]
    fn tera_parses_only_what_it_renders() {
        let theme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let templates = load_templates(&theme).unwrap();
        let parsed: Vec<&str> = templates.tera.get_template_names().collect();
        for name in [
            "index.html",
            "base.html",
            "partials/plan_card.html",
            "indicators.html",
        ] {
            assert!(parsed.contains(&name), "{name} parsed");
        }
        for name in [
            "division.html",
            "plan.html",
            "theme.html",
            "partials/measure.html",
        ] {
            assert!(!parsed.contains(&name), "{name} left out");
        }
    }

    /// A theme whose indicator tables are its own (`partials/concept_table.html` changed): theme
    /// pages without tables are still compiled, those with tables are Tera's, so `theme.html`
    /// is parsed with the changed partial, and both render.
    #[test]
    fn theme_pages_with_a_theme_s_own_tables_are_tera_s() {
        let bundled = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let theme = tempfile::tempdir().unwrap();
        for entry in walkdir::WalkDir::new(bundled.join("templates")) {
            let entry = entry.unwrap();
            let rel = entry.path().strip_prefix(&bundled).unwrap();
            let to = theme.path().join(rel);
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        let table = theme.path().join("templates/partials/concept_table.html");
        let mut text = std::fs::read_to_string(&table).unwrap();
        text.push_str("<!-- the theme's own -->");
        std::fs::write(&table, text).unwrap();
        let templates = load_templates(theme.path()).unwrap();
        assert!(templates.themes_compiled && !templates.concept_tables_compiled);
        let parsed: Vec<&str> = templates.tera.get_template_names().collect();
        for name in ["theme.html", "partials/concept_table.html", "base.html"] {
            assert!(parsed.contains(&name), "{name} parsed");
        }
        assert!(!parsed.contains(&"division.html"));
    }

    /// A compiled page's template is kept when a kept template names it, or names one that
    /// names it, and only then.
    #[test]
    fn a_template_named_by_a_kept_one_is_kept() {
        let t = |name: &str, text: &str| (name.to_string(), text.to_string());
        let templates = vec![
            t(
                "base.html",
                "<html>{% block main %}{% endblock main %}</html>",
            ),
            t(
                "index.html",
                r#"{% extends "base.html" %}{% include "partials/a.html" %}"#,
            ),
            t("partials/a.html", r#"{%- include "partials/b.html" -%}"#),
            t("partials/b.html", "b"),
            t("partials/c.html", "c"),
            t("division.html", r#"{% include "partials/c.html" %}"#),
        ];
        let compiled = [
            "base.html",
            "partials/a.html",
            "partials/b.html",
            "partials/c.html",
            "division.html",
        ];
        let names = |kept: Vec<(String, String)>| -> Vec<String> {
            kept.into_iter().map(|(name, _)| name).collect()
        };
        assert_eq!(
            names(for_tera(templates.clone(), &compiled)),
            [
                "base.html",
                "index.html",
                "partials/a.html",
                "partials/b.html"
            ]
        );
        // Nothing compiled: everything kept.
        assert_eq!(
            names(for_tera(templates.clone(), &[])).len(),
            templates.len()
        );
    }

    #[test]
    fn markup_characters_are_escaped_and_nothing_else() {
        assert_eq!(
            escape_html("<script>alert('x&y')</script> \"金融\" ../a/b/"),
            "&lt;script&gt;alert(&#x27;x&amp;y&#x27;)&lt;/script&gt; &quot;金融&quot; ../a/b/"
        );
        assert_eq!(escape_html(""), "");
        assert_eq!(escape_html("数字人民币"), "数字人民币");
    }

    /// The searching escaper gives what testing every byte gives, on text of every mix.
    #[test]
    fn escaping_searches_as_a_byte_by_byte_test_would() {
        let by_byte = |input: &str| {
            let mut out = String::new();
            for c in input.chars() {
                match c {
                    '&' => out.push_str("&amp;"),
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    '"' => out.push_str("&quot;"),
                    '\'' => out.push_str("&#x27;"),
                    c => out.push(c),
                }
            }
            out
        };
        // Characters of every UTF-8 width around the five.
        let alphabet = ['&', '<', '>', '"', '\'', 'a', 'é', '金', '😀', '/', '\n'];
        let mut random = crate::util::random::XorShift32::new(0x2545_F491);
        for len in 0..200 {
            for _ in 0..20 {
                let text: String = (0..len)
                    .map(|_| {
                        // Mostly plain text, now and then a run of markup characters.
                        let pick = random.next_u32() as usize % (alphabet.len() + 20);
                        if pick < 20 {
                            '金'
                        } else {
                            alphabet[pick - 20]
                        }
                    })
                    .collect();
                assert_eq!(escape_html(&text), by_byte(&text), "{text:?}");
            }
        }
    }
}
