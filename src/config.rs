//! Site configuration (`content/site.toml`) and the options of one build.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostics::toml::parse_toml;
use crate::diagnostics::Diagnostic;
use crate::util::text::line_of_key;

/// `content/site.toml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_language")]
    pub language: String,
    /// Where the site is hosted, e.g. `https://<your-domain>/atlas/`; always ends with `/`.
    /// Empty when not set (or set to a placeholder host, see [`is_placeholder`]): pages then
    /// carry no canonical link, and the build writes no sitemap and no feed.
    #[serde(default)]
    pub base_url: String,
    /// Folder under `themes/` that holds the templates and assets.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Measures per theme page; a theme with more continues on `themes/<slug>/page/2/` etc.
    #[serde(default = "default_theme_page_size")]
    pub theme_page_size: usize,
    /// The date the texts were extracted (or last checked) against their official sources, as
    /// the home page states it (`extracts_as_of = 2026-12-01`); left out when not given.
    #[serde(default)]
    pub extracts_as_of: Option<toml::value::Datetime>,
}

fn default_theme_page_size() -> usize {
    100
}

fn default_language() -> String {
    "zh-CN".into()
}

fn default_theme() -> String {
    "default".into()
}

impl SiteConfig {
    /// Reads `site.toml`; `display` is the path used in messages.
    pub fn load(path: &Path, display: &Path) -> Result<SiteConfig, Diagnostic> {
        // Read like every content file: a regular file, of bounded size.
        let text = crate::util::fs::read_file(path, crate::util::fs::MAX_FILE_BYTES)
            .map_err(|e| e.to_string())
            .and_then(|b| String::from_utf8(b).map_err(|_| "it is not valid UTF-8".to_string()))
            .map_err(|e| {
                Diagnostic::new(display, 0, format!("cannot read the site configuration: {e}"))
                    .hint("create content/site.toml with at least `title` and `base_url` (see `planatlas init`)")
            })?;
        let text = text
            .strip_prefix('\u{feff}')
            .unwrap_or(&text)
            .replace("\r\n", "\n");
        let mut config: SiteConfig = parse_toml(display, &text, 1)?;
        if config.theme_page_size == 0 {
            let line = line_of_key(&text, "theme_page_size");
            return Err(
                Diagnostic::new(display, line, "theme_page_size must be at least 1").hint(
                    "give the number of measures per theme page, e.g. `theme_page_size = 100`",
                ),
            );
        }
        // The theme is a folder of `themes/`: a name that leads elsewhere (`../x`, `/srv/x`)
        // would take templates and assets from, and publish, files outside the site.
        let theme_ok = !config.theme.is_empty()
            && !config.theme.starts_with('.')
            && !config.theme.contains(['/', '\\', '\0', ':']);
        if !theme_ok {
            let line = line_of_key(&text, "theme");
            return Err(Diagnostic::new(
                display,
                line,
                format!(
                    "theme `{}` is not the name of a folder of themes/",
                    config.theme
                ),
            )
            .hint("write the name of a folder in themes/, such as `theme = \"default\"`"));
        }
        if !config.base_url.trim().is_empty() {
            config.base_url = normalize_base_url(&config.base_url).map_err(|m| {
                let line = line_of_key(&text, "base_url");
                Diagnostic::new(display, line, m).hint(
                    "write the absolute URL the site is hosted at, such as `https://<your-domain>/` or `https://<your-domain>/atlas/`, or leave base_url out",
                )
            })?;
        }
        Ok(config)
    }

    /// The path part of the base URL, `/` or `/atlas/`; `/` when no base URL is set.
    pub fn base_path(&self) -> String {
        base_path(&self.base_url)
    }

    /// The absolute URL of the site-relative `url`, if the site has a base URL.
    pub fn permalink(&self, url: &str) -> Option<String> {
        (!self.base_url.is_empty()).then(|| format!("{}{url}", self.base_url))
    }
}

/// Whether `base_url` names a host reserved for examples and documentation (RFC 2606:
/// example.org, example.com, example.net and their subdomains; the `.example` and `.invalid`
/// top-level domains). Such a URL is a placeholder, never where a site is hosted: links made
/// with it would lead readers and search engines to someone else's site.
pub fn is_placeholder(base_url: &str) -> bool {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    let authority = rest.split('/').next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or("");
    // Without the port; an IPv6 literal (`[::1]:8080`) is never a placeholder.
    let host = if host.starts_with('[') {
        return false;
    } else {
        host.split(':').next().unwrap_or("")
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    ["example.org", "example.com", "example.net"]
        .iter()
        .any(|d| host == *d || host.ends_with(&format!(".{d}")))
        || host.ends_with(".example")
        || host.ends_with(".invalid")
        || host == "example"
        || host == "invalid"
}

/// Checks a base URL and makes it end with `/`.
pub fn normalize_base_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("base_url `{url}` must start with http:// or https://"))?;
    if rest.is_empty() || rest.starts_with('/') {
        return Err(format!("base_url `{url}` has no host"));
    }
    if url.contains(['?', '#', ' ', '"', '<', '>']) {
        return Err(format!(
            "base_url `{url}` may not contain a query, a fragment, spaces or quotes"
        ));
    }
    Ok(if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    })
}

fn base_path(base_url: &str) -> String {
    let rest = base_url
        .split_once("://")
        .map(|(_, r)| r)
        .unwrap_or(base_url);
    match rest.find('/') {
        Some(i) => rest[i..].to_string(),
        None => "/".into(),
    }
}

/// Options of one build, from the command line.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site root: holds `content/` and `themes/`.
    pub root: PathBuf,
    /// Where the site is written; `public/` under the root by default.
    pub output: PathBuf,
    /// Overrides `base_url` of `site.toml`.
    pub base_url: Option<String>,
    /// Minify HTML output.
    pub minify: bool,
    /// Show each phase as it ends on standard error (only worth it on a terminal).
    pub progress: bool,
    /// Replace a non-empty output folder that no build wrote (`--force`).
    pub force: bool,
    /// Wait while another build writes the same output (off: `--no-wait`, fail at once).
    pub wait: bool,
    /// Run the phases after the analysis one at a time (`check --timings --apart`), not side
    /// by side, so that each one's time is its own: the same output, later. For measuring.
    pub phases_apart: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        BuildOptions {
            output: root.join("public"),
            root,
            base_url: None,
            minify: true,
            progress: false,
            force: false,
            wait: true,
            phases_apart: false,
        }
    }

    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        assert_eq!(
            normalize_base_url("https://example.org/atlas").unwrap(),
            "https://example.org/atlas/"
        );
        assert!(normalize_base_url("example.org").is_err());
        assert!(normalize_base_url("https:///x").is_err());
        assert_eq!(base_path("https://example.org/atlas/"), "/atlas/");
        assert_eq!(base_path("http://127.0.0.1:1111/"), "/");
        assert_eq!(base_path(""), "/");
    }

    #[test]
    fn placeholder_hosts() {
        for url in [
            "https://example.org/",
            "https://example.com/atlas/",
            "http://www.example.net:8080/",
            "https://EXAMPLE.ORG./",
            "https://atlas.example/",
            "https://user@site.invalid/",
        ] {
            assert!(is_placeholder(url), "{url}");
        }
        for url in [
            "https://plans.gov.cn/",
            "https://example.org.cn/",
            "https://myexample.org/",
            "http://127.0.0.1:1111/",
            "http://localhost:1111/",
            "http://[::1]:1111/",
            "https://atlas.test/atlas/",
        ] {
            assert!(!is_placeholder(url), "{url}");
        }
    }
}
