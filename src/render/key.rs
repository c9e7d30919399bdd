//! The key of a page: a hash of everything it is made from (templates, minify option, context),
//! so that an incremental build renders again only pages whose key changed.

use super::*;

/// Feeds serialized JSON into a hasher without building the string.
pub(in crate::render) struct HashWriter<'a, H: Hasher>(&'a mut H);

impl<H: Hasher> std::io::Write for HashWriter<'_, H> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A key of everything a page is made from: the templates, the minify setting, the template
/// and the page's whole context (which holds every value the template can read).
pub(in crate::render) fn page_key(
    templates: u64,
    minify: bool,
    template: &str,
    context: &impl serde::Serialize,
) -> u64 {
    let mut hasher = key_hasher();
    (templates, minify, template).hash(&mut hasher);
    // Serializing a context to a writer cannot fail: its keys are strings.
    let _ = serde_json::to_writer(HashWriter(&mut hasher), context);
    hasher.finish()
}
