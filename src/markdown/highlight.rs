//! Highlighting fenced code with syntect, marked with CSS classes, and the stylesheet for them.

use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use super::escape;

/// The CSS class prefix of highlighted code.
pub const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// The syntaxes, loaded when the first code block with a language is highlighted: loading
/// them takes tens of milliseconds and megabytes, which a site without code never needs.
fn syntax_set() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    // two-face adds the syntaxes syntect lacks (TOML among them), which the help page needs.
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// Highlights `code` as `lang` with CSS classes; unknown languages come out as plain text.
pub fn highlight(code: &str, lang: &str) -> String {
    let lang_class = if lang.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{}\"", escape(lang))
    };
    let set = (!lang.is_empty()).then(syntax_set);
    let Some((set, syntax)) = set.and_then(|set| Some((set, set.find_syntax_by_token(lang)?)))
    else {
        return format!(
            "<pre tabindex=\"0\"><code{lang_class}>{}</code></pre>",
            escape(code)
        );
    };
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return format!(
                "<pre tabindex=\"0\"><code{lang_class}>{}</code></pre>",
                escape(code)
            );
        }
    }
    format!(
        "<pre class=\"highlight\" tabindex=\"0\"><code{lang_class}>{}</code></pre>",
        generator.finalize()
    )
}

/// The stylesheet for highlighted code. syntect marks the scopes with classes; the colours are
/// planatlas's own, chosen to meet WCAG AA contrast on the code background in both schemes.
pub fn highlight_css() -> String {
    const CSS: &str = "\
pre.highlight .hl-comment { color: #57606a; font-style: italic; }
pre.highlight .hl-string { color: #0a3069; }
pre.highlight .hl-constant { color: #0550ae; }
pre.highlight .hl-keyword, pre.highlight .hl-storage { color: #cf222e; }
pre.highlight .hl-entity, pre.highlight .hl-support { color: #6639ba; }
pre.highlight .hl-punctuation { color: inherit; }
@media (prefers-color-scheme: dark) {
  pre.highlight .hl-comment { color: #8b949e; }
  pre.highlight .hl-string { color: #a5d6ff; }
  pre.highlight .hl-constant { color: #79c0ff; }
  pre.highlight .hl-keyword, pre.highlight .hl-storage { color: #ff7b72; }
  pre.highlight .hl-entity, pre.highlight .hl-support { color: #d2a8ff; }
}
";
    CSS.to_string()
}
