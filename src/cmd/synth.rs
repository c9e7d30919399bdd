//! `planatlas synth`: a synthetic corpus for benchmarks, made from the real content's sentences.
//!
//! A corpus of N plans with about M measures each: chapters and sections, measures with 1–3
//! themes, an indicator table per plan, 责任单位 on every third plan, and an `implements`
//! relation on every tenth. Text is recombined from sentences of the source site's measures, so
//! that segmentation and word statistics behave as on real plans. The same seed gives the same
//! corpus, byte for byte.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use crate::content::load_site;
use crate::diagnostics::BuildError;

/// A small deterministic generator (SplitMix64): the corpus needs repeatability, not quality.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// What `synth` reuses from the source site.
struct Material {
    sentences: Vec<String>,
    leads: Vec<String>,
    themes: Vec<String>,
    concepts: Vec<(String, String)>,
    units: Vec<String>,
}

fn material(source: &Path) -> Result<Material, BuildError> {
    let (site, diagnostics) = load_site(source);
    let site = match site {
        Some(s) if diagnostics.is_empty() => s,
        _ => {
            return Err(BuildError::Setup(format!(
                "the source site {} does not load cleanly; run `planatlas check` there",
                source.display()
            )))
        }
    };
    let mut sentences = Vec::new();
    let mut leads = Vec::new();
    let mut units = Vec::new();
    for plan in &site.plans {
        for m in plan.measures() {
            let body = m.text.strip_prefix(m.heading.as_str()).unwrap_or(&m.text);
            for s in body.split_inclusive('。') {
                let s = s.trim();
                if s.chars().count() >= 8 && !s.contains("责任单位") {
                    sentences.push(s.to_string());
                }
            }
            if !m.heading.is_empty() && !m.heading.starts_with(|c: char| c.is_ascii_digit()) {
                leads.push(m.heading.clone());
            }
            units.extend(m.units.iter().map(|u| u.name.clone()));
        }
    }
    units.sort();
    units.dedup();
    if sentences.is_empty() || leads.is_empty() || site.themes.is_empty() {
        return Err(BuildError::Setup(
            "the source site has too little text to recombine".into(),
        ));
    }
    Ok(Material {
        sentences,
        leads,
        themes: site.themes.iter().map(|t| t.slug.clone()).collect(),
        concepts: site
            .concepts
            .iter()
            .map(|c| (c.slug.clone(), c.unit.clone()))
            .collect(),
        units,
    })
}

/// Writes a corpus of `plans` plans with about `measures` measures each into `out` (a site root
/// with `content/` and the source's `themes/`).
pub fn synth(
    source: &Path,
    out: &Path,
    plans: usize,
    measures: usize,
    seed: u64,
) -> Result<(), BuildError> {
    if out.exists()
        && fs::read_dir(out)
            .map_err(|e| BuildError::io("reading", out, e))?
            .next()
            .is_some()
    {
        return Err(BuildError::Setup(format!(
            "{} exists and is not empty; choose a new folder",
            out.display()
        )));
    }
    let m = material(source)?;
    let mut rng = Rng(seed);
    let content = out.join("content");
    let write = |path: &Path, text: &str| -> Result<(), BuildError> {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| BuildError::io("creating", parent, e))?;
        }
        fs::write(path, text).map_err(|e| BuildError::io("writing", path, e))
    };
    for name in [
        "themes.toml",
        "concepts.toml",
        "units.toml",
        "glossary.toml",
    ] {
        let from = source.join("content").join(name);
        if from.exists() {
            fs::create_dir_all(&content).map_err(|e| BuildError::io("creating", &content, e))?;
            fs::copy(&from, content.join(name)).map_err(|e| BuildError::io("copying", &from, e))?;
        }
    }
    write(
        &content.join("site.toml"),
        &format!("title = \"合成规划库\"\ndescription = \"{plans} 部合成规划，用于性能测试\"\nlanguage = \"zh-CN\"\ntheme = \"default\"\n"),
    )?;
    copy_tree(&source.join("themes"), &out.join("themes"))?;

    const LEVELS: &[&str] = &["province", "municipality", "district"];
    const SIDES: &[&str] = &["重庆", "四川"];
    let chapters = 5;
    let sections = 4;
    for p in 0..plans {
        let slug = format!("plan-{p:05}");
        let dir = content.join("plans").join(&slug);
        let mut toml = format!(
            "title = \"合成金融发展规划第{p}号\"\nshort_title = \"合成规划{p}\"\nissuers = [\"合成市人民政府\"]\ndoc_number = \"合府发〔2021〕{p}号\"\ndate_written = 2021-{:02}-{:02}\nperiod = [2021, 2025]\nlevel = \"{}\"\nregion = \"合成地区{p}\"\n",
            1 + p % 12,
            1 + p % 28,
            rng.pick(LEVELS)
        );
        if p % 10 == 9 {
            let _ = writeln!(toml, "implements = [\"plan-{:05}\"]", p - 1);
        }
        write(&dir.join("plan.toml"), &toml)?;
        let prefix = format!("s{p}");
        if !m.concepts.is_empty() {
            let mut ind = String::from("title = \"主要指标\"\n");
            for k in 0..5 {
                let (concept, unit) = rng.pick(&m.concepts).clone();
                let base = 10 + rng.below(9000);
                let target = base + rng.below(5000);
                let _ = write!(
                    ind,
                    "\n[[indicator]]\nid = \"{prefix}-ind-{k}\"\nname = \"指标{k}\"\nunit = \"{unit}\"\nconcept = \"{concept}\"\nbaseline = {{ year = 2020, value = \"{base}\" }}\ntarget = {{ year = 2025, value = \"{target}\" }}\n"
                );
            }
            write(&dir.join("indicators.toml"), &ind)?;
        }
        write(
            &dir.join("_index.md"),
            &format!("+++\n+++\n\n{}\n", rng.pick::<String>(&m.sentences)),
        )?;
        let per_section = (measures / (chapters * sections)).max(1);
        for c in 1..=chapters {
            let chapter_dir = dir.join(format!("{c:02}-chapter-{c}"));
            write(
                &chapter_dir.join("_index.md"),
                &format!(
                    "+++\nnumber = \"第{c}章\"\ntitle = \"{}\"\n+++\n\n{}\n",
                    title_of(rng.pick::<String>(&m.leads)),
                    rng.pick::<String>(&m.sentences)
                ),
            )?;
            for s in 1..=sections {
                let mut body = format!(
                    "+++\nnumber = \"第{s}节\"\ntitle = \"{}\"\n+++\n\n",
                    title_of(rng.pick::<String>(&m.leads))
                );
                for n in 1..=per_section {
                    let mut themes: Vec<&str> = Vec::new();
                    for _ in 0..1 + rng.below(3) {
                        let t = rng.pick::<String>(&m.themes).as_str();
                        if !themes.contains(&t) {
                            themes.push(t);
                        }
                    }
                    let mut attrs =
                        format!("#{prefix}-{c}-{s}-{n} themes=\"{}\"", themes.join(" "));
                    let mut tail = String::new();
                    if p % 3 == 0 && !m.units.is_empty() {
                        let a = rng.pick::<String>(&m.units).clone();
                        let b = rng.pick::<String>(&m.units).clone();
                        let _ = write!(attrs, " units=\"{}:{a};{}:{b}\"", SIDES[0], SIDES[1]);
                        tail = format!("（责任单位：{a}；{b}）");
                    }
                    let sentences: Vec<&String> = (0..2 + rng.below(5))
                        .map(|_| rng.pick::<String>(&m.sentences))
                        .collect();
                    let text: String = sentences.iter().map(|s| s.as_str()).collect();
                    let _ = write!(
                        body,
                        "### {} {{{attrs}}}\n\n{text}{tail}\n\n",
                        rng.pick::<String>(&m.leads)
                    );
                }
                write(&chapter_dir.join(format!("{s:02}-section-{s}.md")), &body)?;
            }
        }
    }
    Ok(())
}

/// A heading used as a section title: without closing punctuation and TOML-safe.
fn title_of(lead: &str) -> String {
    lead.trim_end_matches(['。', '；', '，', ','])
        .replace(['"', '\\'], "")
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), BuildError> {
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.map_err(|e| BuildError::walk("reading", from, e))?;
        let rel = entry
            .path()
            .strip_prefix(from)
            .map_err(|e| BuildError::io("reading", entry.path(), std::io::Error::other(e)))?;
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).map_err(|e| BuildError::io("creating", &target, e))?;
        } else {
            fs::copy(entry.path(), &target).map_err(|e| BuildError::io("writing", &target, e))?;
        }
    }
    Ok(())
}
