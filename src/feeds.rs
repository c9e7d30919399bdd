//! Files for crawlers and feed readers: `sitemap.xml`, `robots.txt` and `atom.xml`.

use crate::model::Site;

/// Escapes `text` for XML content and attribute values, leaving out the characters XML 1.0
/// does not allow (controls other than tab, line feed and carriage return; U+FFFE, U+FFFF):
/// one of them in a title would make the whole feed unreadable to a feed reader.
fn escape(text: &str) -> String {
    let allowed = |c: &char| matches!(*c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..);
    crate::util::text::escape(&text.chars().filter(allowed).collect::<String>())
}

/// `sitemap.xml` listing every HTML page (by its site-relative URL) except the 404 page.
pub fn sitemap(base_url: &str, page_urls: &[String]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for url in page_urls {
        xml.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            escape(&format!("{base_url}{url}"))
        ));
    }
    xml.push_str("</urlset>\n");
    xml
}

/// `robots.txt`; it names the sitemap only when there is one (a site with a base URL).
pub fn robots(base_url: &str) -> String {
    if base_url.is_empty() {
        "User-agent: *\nAllow: /\n".into()
    } else {
        format!("User-agent: *\nAllow: /\nSitemap: {base_url}sitemap.xml\n")
    }
}

/// An Atom feed of the plans by publication date (the date written where none is published),
/// newest first. Plans with neither date cannot be placed in time and are left out.
pub fn atom(site: &Site) -> String {
    let base = &site.config.base_url;
    let mut dated: Vec<_> = site
        .plans
        .iter()
        .filter_map(|p| {
            p.meta
                .date_published
                .or(p.meta.date_written)
                .map(|d| (d, p))
        })
        .collect();
    dated.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.slug.cmp(&b.1.slug)));
    // Without any dated plan the feed's own date is a fixed epoch, so builds stay reproducible.
    let updated = dated
        .first()
        .map(|(d, _)| format!("{d}T00:00:00Z"))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n  <subtitle>{}</subtitle>\n  <link href=\"{base}\"/>\n  <link rel=\"self\" href=\"{base}atom.xml\"/>\n  <id>{base}</id>\n  <updated>{updated}</updated>\n  <author><name>{}</name></author>\n",
        escape(&site.config.language),
        escape(&site.config.title),
        escape(&site.config.description),
        escape(&site.config.title),
    );
    for (date, plan) in dated {
        let url = format!("{base}{}", plan.url);
        let issuers = plan.meta.issuers.join("、");
        let summary = match &plan.meta.doc_number {
            Some(n) => format!("{issuers} {n}"),
            None => issuers,
        };
        xml.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <link href=\"{url}\"/>\n    <id>{url}</id>\n    <updated>{date}T00:00:00Z</updated>\n    <summary>{}</summary>\n  </entry>\n",
            escape(&plan.meta.title),
            escape(summary.trim()),
        ));
    }
    xml.push_str("</feed>\n");
    xml
}

#[cfg(test)]
mod tests {
    #[test]
    fn characters_xml_forbids_are_left_out() {
        assert_eq!(
            super::escape("a\u{0}b\u{1}c\u{B}d\u{1F}e\u{7F}\u{FFFE}\u{FFFF}\t\n<&"),
            "abcde\u{7F}\t\n&lt;&amp;"
        );
    }
}
