// planatlas: trimmed copy. Upstream minifies `<style>` contents with lightningcss when
// `cfg.minify_css` is set; planatlas never sets it, so the contents are copied verbatim and
// lightningcss is not built. See VENDORED.md.
use crate::err::ProcessingResult;
use crate::proc::MatchAction::*;
use crate::proc::MatchMode::*;
use crate::proc::Processor;
use crate::Cfg;
use aho_corasick::AhoCorasick;
use aho_corasick::AhoCorasickBuilder;
use once_cell::sync::Lazy;

static STYLE_END: Lazy<AhoCorasick> = Lazy::new(|| {
  AhoCorasickBuilder::new()
    .ascii_case_insensitive(true)
    .build(["</style"])
    .unwrap()
});

#[inline(always)]
pub fn process_style(proc: &mut Processor, _cfg: &Cfg) -> ProcessingResult<()> {
  proc.require_not_at_end()?;
  let src = proc.m(WhileNotSeq(&STYLE_END), Discard);
  // `process_tag` will require closing tag.
  proc.write_range(src);
  Ok(())
}
