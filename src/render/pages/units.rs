//! The responsible-unit pages: the list and one page per unit.

use super::super::*;

impl Renderer<'_> {
    pub(in crate::render) fn agencies_page(&self) -> Value {
        let mut sides: Vec<(Option<String>, Vec<Value>)> = Vec::new();
        for a in &self.analysis.agencies {
            let view = json!({ "name": a.name, "key": a.key, "count": a.measures.len() });
            match sides.last_mut() {
                Some((side, list)) if *side == a.side => list.push(view),
                _ => sides.push((a.side.clone(), vec![view])),
            }
        }
        json!({
            "title": "责任单位",
            "sides": sides.into_iter().map(|(side, units)| json!({ "side": side, "units": units })).collect::<Vec<_>>(),
            "crumbs": [{ "title": "责任单位", "url": "units/" }],
        })
    }

    pub(in crate::render) fn agency_page(&self, k: usize) -> Value {
        let a = &self.analysis.agencies[k];
        let measures: Vec<Value> = a
            .measures
            .iter()
            .map(|i| {
                let mut link = self.measure_link(*i);
                link["excerpt"] = json!(excerpt(
                    &self
                        .analysis
                        .measure(self.site, &self.analysis.measures[*i])
                        .text,
                    100
                ));
                link
            })
            .collect();
        let other_names: Vec<&String> = a.names.iter().filter(|n| **n != a.name).collect();
        json!({
            "title": a.name,
            "unit": { "name": a.name, "side": a.side, "other_names": other_names },
            "measures": measures,
            "crumbs": [{ "title": "责任单位", "url": "units/" }, { "title": a.name, "url": crate::model::urls::unit_url(&a.key) }],
        })
    }
}
