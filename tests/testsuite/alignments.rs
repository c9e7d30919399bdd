//! Alignments between upper and lower plans on the real site: the pairs, counts that add up,
//! agreement with the implementation mapping, pages linked from both covers with links that
//! resolve, the measure blocks, open data, and the calibration of the text-match threshold.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::build_real::{built, resolve, text};
use crate::common::*;

fn json(files: &BTreeMap<String, Vec<u8>>, path: &str) -> Value {
    serde_json::from_slice(&files[path]).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Measure ids per plan slug, in reading order, from the open data.
fn measures_by_plan(files: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<String>> {
    let mut by_plan: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for m in json(files, "data/measures.json").as_array().unwrap() {
        by_plan
            .entry(m["plan"].as_str().unwrap().into())
            .or_default()
            .push(m["id"].as_str().unwrap().into());
    }
    by_plan
}

/// How many links from upper to lower measures an alignment record holds.
fn link_count(alignment: &Value) -> usize {
    alignment["measures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["taken_up_by"].as_array().unwrap().len())
        .sum()
}

fn str_list(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect()
}

#[test]
fn pairs_follow_level_region_and_implements() {
    let alignments = json(built(), "data/alignments.json");
    let pairs: Vec<(&str, &str, &str)> = alignments
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["upper"].as_str().unwrap(),
                a["lower"].as_str().unwrap(),
                a["basis"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        pairs,
        [
            ("chengyu-wfc-plan", "chengyu-wfc-rules", "implements"),
            ("chengyu-wfc-plan", "sichuan-finance", "region"),
            ("chengyu-wfc-plan", "chongqing-finance", "region"),
            ("chengyu-wfc-plan", "yongchuan-finance", "region"),
            ("chongqing-finance", "yongchuan-finance", "region"),
        ],
        "the joint plan above its rules and the three regional plans; Chongqing above Yongchuan; \
         the rules, which implement the joint plan, are no upper plan of their own"
    );
}

#[test]
fn counts_add_up() {
    let files = built();
    let by_plan = measures_by_plan(files);
    let themes_of: BTreeMap<String, Vec<String>> = json(files, "data/measures.json")
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let themes = str_list(&m["themes"])
                .iter()
                .map(|s| s.to_string())
                .collect();
            (m["id"].as_str().unwrap().to_string(), themes)
        })
        .collect();
    for a in json(files, "data/alignments.json").as_array().unwrap() {
        let name = format!("{} → {}", a["upper"], a["lower"]);
        let upper = &by_plan[a["upper"].as_str().unwrap()];
        let lower = &by_plan[a["lower"].as_str().unwrap()];
        let n = |k: &str| a[k].as_u64().unwrap() as usize;
        // Upper side: every measure listed once, in reading order; taken up + left out = all.
        let rows = a["measures"].as_array().unwrap();
        let listed: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(&listed, upper, "{name}: every upper measure, in order");
        assert_eq!(n("upper_measures"), upper.len(), "{name}");
        let taken = rows
            .iter()
            .filter(|r| !r["taken_up_by"].as_array().unwrap().is_empty())
            .count();
        assert_eq!(n("taken_up"), taken, "{name}");
        assert_eq!(n("taken_up") + n("left_out"), upper.len(), "{name}");
        // Lower side: taking up + added locally = all, and the two sets are disjoint.
        let taking: BTreeSet<&str> = rows
            .iter()
            .flat_map(|r| r["taken_up_by"].as_array().unwrap())
            .map(|t| t["id"].as_str().unwrap())
            .collect();
        let added: BTreeSet<&str> = str_list(&a["added_locally_measures"]).into_iter().collect();
        assert!(taking.is_disjoint(&added), "{name}");
        let all: BTreeSet<&str> = lower.iter().map(String::as_str).collect();
        assert_eq!(
            taking.union(&added).copied().collect::<BTreeSet<_>>(),
            all,
            "{name}"
        );
        assert_eq!(n("taking_up"), taking.len(), "{name}");
        assert_eq!(n("added_locally"), added.len(), "{name}");
        assert_eq!(n("taking_up") + n("added_locally"), lower.len(), "{name}");
        // Chapters and themes add up to the same totals.
        let sum = |list: &str, k: &str| -> usize {
            a[list]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c[k].as_u64().unwrap() as usize)
                .sum()
        };
        assert_eq!(sum("chapters", "measures"), upper.len(), "{name}");
        assert_eq!(sum("chapters", "taken_up"), taken, "{name}");
        for t in a["themes"].as_array().unwrap() {
            let theme = t["theme"].as_str().unwrap();
            let with = |ids: &mut dyn Iterator<Item = &str>| {
                ids.filter(|id| themes_of[*id].iter().any(|x| x == theme))
                    .count()
            };
            assert_eq!(
                t["measures"].as_u64().unwrap() as usize,
                with(&mut upper.iter().map(String::as_str)),
                "{name} {theme}"
            );
            assert_eq!(
                t["added_locally"].as_u64().unwrap() as usize,
                with(&mut added.iter().copied()),
                "{name} {theme}"
            );
        }
        // Links stay within the pair and pass the threshold unless set by implements or a pin.
        for t in rows
            .iter()
            .flat_map(|r| r["taken_up_by"].as_array().unwrap())
        {
            assert!(all.contains(t["id"].as_str().unwrap()), "{name}: {t}");
            let least = match t["basis"].as_str().unwrap() {
                "text" => a["min_score"].as_f64().unwrap(),
                "title" => a["min_title_score"].as_f64().unwrap(),
                _ => 0.0,
            };
            assert!(t["score"].as_f64().unwrap() >= least, "{name}: {t}");
        }
        // The shares are real: something is taken up, something is not, in every pair but the
        // implementation rules (which take up all but one task).
        assert!(taken > 0, "{name}: nothing taken up");
    }
}

#[test]
fn joint_plan_and_rules_agree_with_the_implementation_mapping() {
    let files = built();
    let alignments = json(files, "data/alignments.json");
    let pair = alignments
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["upper"] == "chengyu-wfc-plan" && a["lower"] == "chengyu-wfc-rules")
        .expect("the joint plan and its rules are aligned");
    let implements_links: BTreeSet<(String, String)> = pair["measures"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| {
            r["taken_up_by"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|t| t["basis"] == "implements")
                .map(|t| {
                    (
                        r["id"].as_str().unwrap().to_string(),
                        t["id"].as_str().unwrap().to_string(),
                    )
                })
        })
        .collect();
    let mapping: BTreeSet<(String, String)> = json(files, "data/measures.json")
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["plan"] == "chengyu-wfc-rules")
        .flat_map(|m| {
            str_list(&m["implements"])
                .into_iter()
                .map(|task| (task.to_string(), m["id"].as_str().unwrap().to_string()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(mapping.len(), 56, "56 of the 58 items implement a task");
    assert_eq!(
        implements_links, mapping,
        "every implementation link, and no other, is an `implements` link of the alignment"
    );
    // The task no item implements (强化监督管理) is left out, unless a text takes it up.
    assert!(pair["left_out"].as_u64().unwrap() <= 1);
}

#[test]
fn pages_exist_are_linked_from_both_covers_and_their_links_resolve() {
    let files = built();
    let alignments = json(files, "data/alignments.json");
    let index = text(files, "alignments/index.html");
    let mut anchors: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for a in alignments.as_array().unwrap() {
        let url = a["url"].as_str().unwrap();
        let page_path = format!("{url}index.html");
        let page = text(files, &page_path);
        assert!(
            attr_values(&index, "href")
                .iter()
                .any(|h| h.ends_with(url.trim_start_matches("alignments/"))),
            "the list links {url}"
        );
        for plan in [&a["upper"], &a["lower"]] {
            let cover_path = format!("plans/{}/index.html", plan.as_str().unwrap());
            let cover = text(files, &cover_path);
            assert!(
                attr_values(&cover, "href")
                    .iter()
                    .any(|h| resolve(&cover_path, h).0 == page_path),
                "{cover_path} links {url}"
            );
        }
        // Every link of the page resolves to a file, and every anchor to an element's id.
        let mut measure_links = 0;
        for href in attr_values(&page, "href") {
            if ["http:", "https:", "data:", "mailto:"]
                .iter()
                .any(|scheme| href.starts_with(scheme))
            {
                continue;
            }
            let (file, anchor) = resolve(&page_path, &href);
            assert!(files.contains_key(&file), "{page_path}: {href} → {file}");
            if let Some(anchor) = anchor {
                let ids = anchors.entry(file.clone()).or_insert_with(|| {
                    attr_values(&text(files, &file), "id").into_iter().collect()
                });
                assert!(
                    ids.contains(&anchor),
                    "{page_path}: {href} has no #{anchor}"
                );
                measure_links += 1;
            }
        }
        let upper = a["upper_measures"].as_u64().unwrap() as usize;
        let links = link_count(a);
        let added = a["added_locally"].as_u64().unwrap() as usize;
        assert!(
            measure_links >= upper + links + added,
            "{page_path}: {measure_links} anchored links for {upper} measures, {links} links and {added} added"
        );
        // The page shows the totals.
        assert!(
            page.contains(&format!("{} 项被承接", a["taken_up"].as_u64().unwrap()))
                && page.contains(&format!("{} 项为本级新增", added)),
            "{page_path} shows its totals"
        );
    }
}

#[test]
fn measure_blocks_show_what_they_take_up_and_who_takes_them_up() {
    let files = built();
    let alignments = json(files, "data/alignments.json");
    let measures = json(files, "data/measures.json");
    let by_id: BTreeMap<&str, &Value> = measures
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["id"].as_str().unwrap(), m))
        .collect();
    let page_of = |id: &str| {
        let url = by_id[id]["url"].as_str().unwrap();
        let path = format!("{}index.html", url.split('#').next().unwrap());
        (path.clone(), text(files, &path))
    };
    // The block of a measure: from its anchor to the end of its article.
    let block = |html: &str, id: &str| -> String {
        let start = [
            format!("id={id} "),
            format!("id={id}>"),
            format!("id=\"{id}\""),
        ]
        .iter()
        .find_map(|a| html.find(a.as_str()))
        .unwrap_or_else(|| panic!("no anchor {id}"));
        let rest = &html[start..];
        rest[..rest.find("</article>").unwrap_or(rest.len())].to_string()
    };
    // The line of a block that starts with `label`, up to the next paragraph or list.
    let line = |block: &str, label: &str| -> String {
        let Some(start) = block.find(&format!(">{label}<")) else {
            return String::new();
        };
        let rest = &block[start + 1..];
        let end = ["<p", "<details", "</p>"]
            .iter()
            .filter_map(|e| rest.find(e))
            .min()
            .unwrap_or(rest.len());
        rest[..end].to_string()
    };
    let mut checked = 0;
    for a in alignments.as_array().unwrap() {
        for r in a["measures"].as_array().unwrap() {
            let upper = r["id"].as_str().unwrap();
            for t in r["taken_up_by"].as_array().unwrap() {
                let lower = t["id"].as_str().unwrap();
                let (upper_path, upper_html) = page_of(upper);
                let (lower_path, lower_html) = page_of(lower);
                let up = line(&block(&upper_html, upper), "被承接于");
                let low = line(&block(&lower_html, lower), "承接");
                let links_to = |path: &str, html: &str, id: &str| {
                    attr_values(html, "href")
                        .iter()
                        .any(|h| h.ends_with(&format!("#{id}")) && resolve(path, h).1.is_some())
                };
                if t["basis"] == "implements" {
                    // Shown once, as 落实 and 落实条目, not again as 承接 and 被承接于.
                    assert!(
                        !links_to(&lower_path, &low, upper),
                        "{lower} repeats {upper}"
                    );
                    assert!(
                        !links_to(&upper_path, &up, lower),
                        "{upper} repeats {lower}"
                    );
                } else {
                    assert!(
                        links_to(&upper_path, &up, lower),
                        "{upper} shows that {lower} takes it up: {up}"
                    );
                    assert!(
                        links_to(&lower_path, &low, upper),
                        "{lower} shows that it takes up {upper}: {low}"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 50, "only {checked} text links checked");
}

#[test]
fn open_data_tables_agree() {
    let files = built();
    let alignments = json(files, "data/alignments.json");
    let csv = String::from_utf8(files["data/alignments.csv"].clone()).unwrap();
    let mut reader = ::csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let mut rows: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    for record in reader.records() {
        let r = record.unwrap();
        *rows
            .entry((r[0].to_string(), r[1].to_string(), r[2].to_string()))
            .or_default() += 1;
    }
    for a in alignments.as_array().unwrap() {
        let key = |status: &str| {
            (
                a["upper"].as_str().unwrap().to_string(),
                a["lower"].as_str().unwrap().to_string(),
                status.to_string(),
            )
        };
        let links = link_count(a);
        assert_eq!(rows.get(&key("taken_up")).copied().unwrap_or(0), links);
        assert_eq!(
            rows.get(&key("left_out")).copied().unwrap_or(0) as u64,
            a["left_out"].as_u64().unwrap()
        );
        assert_eq!(
            rows.get(&key("added_locally")).copied().unwrap_or(0) as u64,
            a["added_locally"].as_u64().unwrap()
        );
        // The real site sets no base_url: no absolute permalink to give.
        assert!(a["permalink"].is_null(), "{}", a["permalink"]);
    }
}

/// Each measure's record in `data/measures.json` (and `measures.csv`) lists what it takes up and
/// what takes it up: the same links as `alignments.json`, from both ends.
#[test]
fn measure_records_carry_their_alignment_links() {
    let files = built();
    let alignments = json(files, "data/alignments.json");
    let mut down: BTreeSet<(String, String)> = BTreeSet::new();
    for a in alignments.as_array().unwrap() {
        for row in a["measures"].as_array().unwrap() {
            for link in row["taken_up_by"].as_array().unwrap() {
                down.insert((
                    row["id"].as_str().unwrap().into(),
                    link["id"].as_str().unwrap().into(),
                ));
            }
        }
    }
    assert!(down.len() > 100, "{} links", down.len());
    let measures = json(files, "data/measures.json");
    let (mut taken_up_by, mut takes_up) = (BTreeSet::new(), BTreeSet::new());
    for m in measures.as_array().unwrap() {
        let id = m["id"].as_str().unwrap().to_string();
        for lower in str_list(&m["taken_up_by"]) {
            taken_up_by.insert((id.clone(), lower.to_string()));
        }
        for upper in str_list(&m["takes_up"]) {
            takes_up.insert((upper.to_string(), id.clone()));
        }
    }
    assert_eq!(taken_up_by, down, "taken_up_by agrees with alignments.json");
    assert_eq!(takes_up, down, "takes_up agrees with alignments.json");
    let csv = String::from_utf8(files["data/measures.csv"].clone()).unwrap();
    let mut reader = ::csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (id, by) = (column("id"), column("taken_up_by"));
    let mut from_csv = BTreeSet::new();
    for record in reader.records() {
        let r = record.unwrap();
        for lower in r[by].split("; ").filter(|s| !s.is_empty()) {
            from_csv.insert((r[id].to_string(), lower.to_string()));
        }
    }
    assert_eq!(from_csv, down, "measures.csv agrees");
}

/// The threshold of a text match, `MIN_SCORE`, measured as its doc comment says: on the shown
/// related links judged by reading (`tests/related_judged.tsv`: T = same instrument or
/// target, L = same broad theme only, W = wrong) and on the implementation mapping's links.
#[test]
fn the_text_match_threshold_is_calibrated() {
    use planatlas::analyse::alignment::MIN_SCORE;
    use planatlas::analyse::candidates::PlanScorer;
    use planatlas::analyse::related::weigh;

    let (site, d) = planatlas::content::load_site(&repo());
    assert!(d.is_empty(), "{d:?}");
    let site = site.unwrap();
    let analysis = planatlas::analyse::analyse(&site, None);
    let (measures, _, docs) = crate::common::measure_words(&site, &analysis);
    let scorer = PlanScorer::new(&measures, weigh(&docs));
    let judged_path = repo().join("tests/related_judged.tsv");
    let judged = std::fs::read_to_string(&judged_path)
        .unwrap_or_else(|e| panic!("{}: {e}", judged_path.display()));
    let (mut passing, mut true_passing, mut wrong_passing, mut true_all) = (0, 0, 0, 0);
    for line in judged.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let (Some(a), Some(b)) = (analysis.by_id.get(f[0]), analysis.by_id.get(f[1])) else {
            panic!("{line}: unknown measure");
        };
        let passes = scorer.score(*a, *b).score >= MIN_SCORE;
        true_all += usize::from(f[3] == "T");
        if passes {
            passing += 1;
            true_passing += usize::from(f[3] == "T");
            wrong_passing += usize::from(f[3] == "W");
        }
    }
    let precision = true_passing as f64 / passing as f64;
    let recall = true_passing as f64 / true_all as f64;
    eprintln!(
        "text matches at {MIN_SCORE}: {passing} of the judged links, precision {precision:.3}, \
         recall of the same-instrument links {recall:.3}"
    );
    assert_eq!(wrong_passing, 0, "no wrong link takes anything up");
    assert!(precision >= 0.85, "precision {precision:.3}");
    assert!(recall >= 0.65, "recall {recall:.3}");
    let mapping: Vec<(usize, usize)> = analysis
        .implements
        .iter()
        .map(|(item, task)| (*task, *item))
        .collect();
    let by_text = mapping
        .iter()
        .filter(|(t, i)| scorer.score(*t, *i).score >= MIN_SCORE)
        .count();
    let share = by_text as f64 / mapping.len() as f64;
    eprintln!("implementation links reaching {MIN_SCORE} by text: {share:.3}");
    assert!(share >= 0.8, "{share:.3} of the implementation links");
}
