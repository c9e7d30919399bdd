//! The site model: what the content says, independent of how it is shown.
//!
//! The loader builds it from `content/`, the validator checks it, the analyser adds what is
//! computed across plans, and the renderer reads it; nothing after loading reads content files.
//!
//! Layer 2: data and pure rules, no I/O. May use `config`, `util` and `diagnostics`.

pub mod aliases;
pub mod cite;
pub mod glossary;
pub mod indicator;
pub mod quantity;
pub mod shared;
pub mod text;
pub mod urls;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use crate::config::SiteConfig;
use crate::model::indicator::IndicatorValue;
use crate::model::shared::SharedText;

/// A piece of Markdown and where it stands in its file, so that later errors can point at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Markdown {
    /// Its own text, or (a measure's body that is one plain paragraph) the tail of the
    /// measure's plain text, held once.
    pub source: SharedText,
    /// The content file it comes from, relative to the site root (shared by the texts of one
    /// file: a path for each of a million measures took 64 bytes each).
    pub file: Arc<Path>,
    /// 1-based line of `file` on which `source` starts.
    pub line: usize,
}

impl Default for Markdown {
    fn default() -> Self {
        Markdown {
            source: SharedText::default(),
            file: Arc::from(Path::new("")),
            line: 0,
        }
    }
}

impl Markdown {
    pub fn is_blank(&self) -> bool {
        self.source.trim().is_empty()
    }
}

/// The whole site.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: SiteConfig,
    pub themes: Vec<Theme>,
    pub concepts: Vec<Concept>,
    /// Other names of responsible units (`content/units.toml`).
    pub unit_aliases: crate::model::aliases::UnitAliases,
    /// Instruments and their other names, words kept whole (`content/glossary.toml`).
    pub glossary: crate::model::glossary::Glossary,
    pub plans: Vec<Plan>,
    /// Stand-alone pages from `content/pages/` (help, about …).
    pub pages: Vec<Page>,
    /// Every `@/…` link in the content, for validation and rendering.
    pub links: Vec<InternalLink>,
    /// `themes.toml` could not be read (already reported): theme names are not checked, so
    /// that one broken file does not bring an error on every measure.
    pub themes_unreadable: bool,
}

impl Site {
    /// One text of every plan (`text` picks it), by plan index, copied next to each other. For
    /// what related links name of their measures' plans, which can be any plan: read from the
    /// plans, each text lies among its own plan's data, all over the model (at a million
    /// measures 10,000 places, more than the processor keeps addresses for; the open data took
    /// 2.9–3.7 s with references to the slugs, 2.7 s with copies, render 15.7–16.8 s against
    /// 14.2–14.3 s).
    pub fn plan_texts(&self, text: impl Fn(&Plan) -> &str) -> Vec<Box<str>> {
        self.plans.iter().map(|p| Box::from(text(p))).collect()
    }

    /// The plans with an indicator of concept `slug`, in plan order.
    pub fn plans_with_concept<'s>(&'s self, slug: &'s str) -> impl Iterator<Item = &'s Plan> {
        self.plans.iter().filter(move |p| {
            p.all_indicators()
                .any(|(_, i)| i.concept.as_deref() == Some(slug))
        })
    }
}

/// A link written `@/plans/<slug>/<file>.md#anchor` in the content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InternalLink {
    /// What follows `@/`, up to `#`.
    pub path: String,
    pub anchor: Option<String>,
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
}

/// A policy theme (绿色金融 …) from `content/themes.toml`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Theme {
    pub slug: String,
    pub name: String,
    pub definition: String,
}

/// An indicator concept shared across plans (`content/concepts.toml`), e.g. 本外币存款余额.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Concept {
    pub slug: String,
    pub name: String,
    /// The unit values are compared in.
    pub unit: String,
    /// Policy themes the concept's indicators belong to.
    pub themes: Vec<String>,
    #[serde(skip)]
    pub line: usize,
}

/// Administrative level of a plan's issuer.
#[derive(Debug, Clone, Copy, Serialize, serde::Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    National,
    Joint,
    Province,
    Municipality,
    District,
}

impl Level {
    pub fn label(self) -> &'static str {
        match self {
            Level::National => "国家级",
            Level::Joint => "联合(跨省市)",
            Level::Province => "省级",
            Level::Municipality => "直辖市级",
            Level::District => "区县级",
        }
    }
}

/// A calendar date as written in `plan.toml` (`2021-12-13`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The metadata a policy library shows for a plan. Fields the source does not state are `None`.
#[derive(Debug, Clone, Serialize)]
pub struct PlanMeta {
    pub title: String,
    pub short_title: String,
    /// 发文机关.
    pub issuers: Vec<String>,
    /// 发文字号.
    pub doc_number: Option<String>,
    /// 成文日期.
    pub date_written: Option<Date>,
    /// 发布日期.
    pub date_published: Option<Date>,
    pub period_start: Option<u16>,
    pub period_end: Option<u16>,
    pub outlook_year: Option<u16>,
    pub level: Level,
    pub region: String,
    /// Plans (slugs) this plan implements.
    pub implements: Vec<String>,
    /// The plan (slug) this one is subordinate to.
    pub parent: Option<String>,
    /// Where the official text is published.
    pub source_url: Option<String>,
    /// Editors' notes on the source (ambiguities, how the text was obtained).
    pub notes: Option<String>,
    /// 索引号: the document's number in the government's information-disclosure catalogue.
    pub index_number: Option<String>,
    /// 主题分类: the subject the disclosure catalogue files it under.
    pub subject: Option<String>,
}

impl PlanMeta {
    /// A plan of `level` titled `title`, stating nothing else: the fields the source gives are
    /// filled in from there.
    pub fn new(title: &str, level: Level) -> Self {
        PlanMeta {
            title: title.to_string(),
            short_title: title.to_string(),
            issuers: Vec::new(),
            doc_number: None,
            date_written: None,
            date_published: None,
            period_start: None,
            period_end: None,
            outlook_year: None,
            level,
            region: String::new(),
            implements: Vec::new(),
            parent: None,
            source_url: None,
            notes: None,
            index_number: None,
            subject: None,
        }
    }

    /// The plan period as the site writes it (`2021—2025年`), when the source states both ends.
    pub fn period(&self) -> Option<String> {
        match (self.period_start, self.period_end) {
            (Some(a), Some(b)) => Some(format!("{a}—{b}年")),
            _ => None,
        }
    }
}

/// One plan: its metadata, its text and its indicator table.
#[derive(Debug, Clone)]
pub struct Plan {
    pub slug: String,
    /// Site-relative URL of the cover page: `plans/<slug>/`.
    pub url: String,
    pub meta: PlanMeta,
    /// `plan.toml`, relative to the site root.
    pub file: PathBuf,
    /// Text before the first chapter (the plan's `_index.md`).
    pub preamble: Markdown,
    pub chapters: Vec<Chapter>,
    /// The plan's indicator tables, in the order of `indicators.toml`.
    pub indicators: Vec<IndicatorTable>,
    /// `indicators.toml` could not be read (already reported): placements are not checked.
    pub indicators_unreadable: bool,
}

impl Plan {
    /// All indicators of the plan, table after table.
    pub fn all_indicators(&self) -> impl Iterator<Item = (&IndicatorTable, &Indicator)> {
        self.indicators
            .iter()
            .flat_map(|t| t.indicators.iter().map(move |i| (t, i)))
    }

    /// All measures of the plan in reading order.
    pub fn measures(&self) -> impl Iterator<Item = &Measure> {
        self.divisions().flat_map(|d| d.measures.iter())
    }

    /// Every chapter and section of the plan in reading order (each chapter before its sections).
    pub fn divisions(&self) -> impl Iterator<Item = &Division> {
        self.chapters.iter().flat_map(Chapter::divisions)
    }
}

/// What chapters and sections have in common: a heading, intro text and measures.
#[derive(Debug, Clone)]
pub struct Division {
    /// URL segment (from the file or folder name without its number prefix).
    pub slug: String,
    /// Site-relative URL of its page, without a leading `/`: `plans/x/background/`.
    pub url: String,
    /// Numbering as written: 第一章, 第二节, (一).
    pub number: Option<String>,
    pub title: String,
    /// The file this division comes from, relative to the site root.
    pub file: PathBuf,
    /// Text before the first measure.
    pub intro: Markdown,
    pub measures: Vec<Measure>,
    /// Sub-headings (level 4) with their prose, standing between measures.
    pub interludes: Vec<Interlude>,
    /// 专栏 boxes whose items are measures, in reading order; their measures are in `measures`.
    pub boxes: Vec<MeasureBox>,
}

/// A level-4 sub-heading and the prose under it, standing before measure `before`
/// (`measures.len()`: after the last).
#[derive(Debug, Clone)]
pub struct Interlude {
    pub before: usize,
    pub body: Markdown,
}

/// A 专栏 box whose items are measures (```` ```box ```` with `###` measure headings), shown
/// as a titled aside standing before measure `first`. Its measures are `measures[first..][..count]`
/// of its division, so that every traversal of measures sees them.
#[derive(Debug, Clone)]
pub struct MeasureBox {
    /// The title as written after `box` (may be empty).
    pub title: String,
    /// Text in the box before its first measure (prose).
    pub intro: Markdown,
    pub first: usize,
    pub count: usize,
    pub file: PathBuf,
    /// Line of the opening fence.
    pub line: usize,
}

impl MeasureBox {
    /// The indices of the box's measures in its division.
    pub fn measures(&self) -> std::ops::Range<usize> {
        self.first..self.first + self.count
    }
}

impl Division {
    /// The division's prose in reading order of kind: its intro, its interludes and the
    /// intros of its boxes of measures (not the measures).
    pub fn prose(&self) -> impl Iterator<Item = &Markdown> {
        std::iter::once(&self.intro)
            .chain(self.interludes.iter().map(|i| &i.body))
            .chain(self.boxes.iter().map(|b| &b.intro))
    }

    /// All the division's Markdown: its prose, then its measures' texts.
    pub fn texts(&self) -> impl Iterator<Item = &Markdown> {
        self.prose().chain(self.measures.iter().map(|m| &m.body))
    }

    /// `第一章 规划背景`, or the title alone.
    pub fn full_title(&self) -> String {
        // Joined by hand rather than by `format!`: a large site asks for hundreds of thousands
        // of these (tables of contents, locations), and the formatting machinery cost ten
        // times the copying.
        let joined = |joiner: &str, n: &str| {
            let mut title = String::with_capacity(n.len() + joiner.len() + self.title.len());
            title.push_str(n);
            title.push_str(joiner);
            title.push_str(&self.title);
            title
        };
        match &self.number {
            // `一、` and `（一）` run into the title as the plans print them; `第一章` takes a space.
            Some(n) if n.ends_with(['、', '）', ')', '．', '.']) => joined("", n),
            Some(n) if !n.is_empty() => joined("　", n),
            _ => self.title.clone(),
        }
    }
}

/// A chapter (章, 部分) with its sections.
#[derive(Debug, Clone)]
pub struct Chapter {
    pub division: Division,
    pub sections: Vec<Section>,
}

impl Chapter {
    /// The chapter's own division, then its sections', in reading order.
    pub fn divisions(&self) -> impl Iterator<Item = &Division> {
        std::iter::once(&self.division).chain(self.sections.iter().map(|s| &s.division))
    }
}

/// A section (节) of a chapter.
#[derive(Debug, Clone)]
pub struct Section {
    pub division: Division,
}

/// A responsible unit (责任单位) of a measure, with the side it belongs to where the source says.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ResponsibleUnit {
    pub name: String,
    pub side: Option<String>,
}

/// One measure (举措): a lead phrase or numbered item with its verbatim text.
#[derive(Debug, Clone)]
pub struct Measure {
    /// Stable id, unique across the site; the URL anchor.
    pub id: String,
    /// The heading as written in the source (may be empty when the measure has no lead phrase).
    pub heading: String,
    /// A short title for lists: the heading without closing punctuation, or the text's opening.
    pub title: String,
    pub themes: Vec<String>,
    pub units: Vec<ResponsibleUnit>,
    /// Editor pins and suppressions for related measures (ids).
    pub related: Vec<String>,
    pub not_related: Vec<String>,
    /// Editor override: the id of the measure of an implemented plan this one carries out.
    pub implements: Option<String>,
    /// The text after the heading.
    pub body: Markdown,
    /// The verbatim plain text: heading followed by body, paragraphs joined by newlines.
    /// Shared with the body when the body is its tail.
    pub text: Arc<str>,
    /// Shared with its body and the other texts of its file.
    pub file: Arc<Path>,
    pub line: usize,
}

/// An indicator table from `indicators.toml`.
#[derive(Debug, Clone)]
pub struct IndicatorTable {
    /// Named by the ```` ```indicators <id> ```` directive; `main` for a file with one table.
    pub id: String,
    pub title: String,
    pub file: PathBuf,
    pub indicators: Vec<Indicator>,
}

/// One row of an indicator table.
#[derive(Debug, Clone)]
pub struct Indicator {
    pub id: String,
    pub name: String,
    pub unit: String,
    pub group: Option<String>,
    /// 预期性 / 约束性.
    pub attribute: Option<String>,
    /// A key shared by the same indicator across plans.
    pub concept: Option<String>,
    /// `None` where the source gives no baseline at all (a table of targets only); a baseline
    /// cell the source prints as `—` is `Some`, its `raw` the source's dash.
    pub baseline: Option<Observation>,
    pub target: Observation,
    pub note: Option<String>,
    pub line: usize,
}

/// A value at a year.
#[derive(Debug, Clone, Serialize)]
pub struct Observation {
    pub year: Option<u16>,
    #[serde(flatten)]
    pub value: IndicatorValue,
}

/// A stand-alone page from `content/pages/`.
#[derive(Debug, Clone)]
pub struct Page {
    pub slug: String,
    pub url: String,
    pub file: PathBuf,
    pub title: String,
    pub description: Option<String>,
    pub body: Markdown,
}
