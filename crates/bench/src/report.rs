//! The figures of a run: the printed table and `results.json`.

use std::path::Path;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::machine::Machine;

/// What a figure is measured against: a bound measured in the same run, or a goal.
#[derive(Debug, Clone, Serialize)]
pub struct Bound {
    /// The bound, in the figure's unit.
    pub value: f64,
    /// What the bound is.
    pub what: String,
}

/// The goal a ratio must meet.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Goal {
    /// The ratio is at most this.
    AtMost(f64),
    /// The ratio is below this.
    Below(f64),
    /// The ratio is exactly this (to two decimals).
    Exactly(f64),
}

impl Goal {
    fn met(self, ratio: f64) -> bool {
        match self {
            Goal::AtMost(g) => ratio <= g,
            Goal::Below(g) => ratio < g,
            Goal::Exactly(g) => (ratio - g).abs() < 0.005,
        }
    }

    fn text(self) -> String {
        match self {
            Goal::AtMost(g) => format!("<= {g}x"),
            Goal::Below(g) => format!("< {g}x"),
            Goal::Exactly(g) => format!("= {g:.2}x"),
        }
    }
}

/// One measured figure: the value, its bound, the ratio between them and the raw figures.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    /// The scenario (`1 catalog sync`, …).
    pub scenario: String,
    /// What was measured.
    pub name: String,
    /// The measured value.
    pub value: f64,
    /// Its unit (`ms`, `requests`, `rows/s`, …).
    pub unit: String,
    /// What the value is measured against.
    pub bound: Option<Bound>,
    /// `value / bound`: how many times the bound the value is.
    pub ratio: Option<f64>,
    /// The goal of the ratio.
    pub goal: Option<Goal>,
    /// Whether the goal is met.
    pub met: Option<bool>,
    /// The raw figures behind the value and the bound.
    pub raw: Map<String, Value>,
}

impl Figure {
    /// A figure without a bound.
    pub fn new(scenario: &str, name: impl Into<String>, value: f64, unit: &str) -> Figure {
        Figure {
            scenario: scenario.to_owned(),
            name: name.into(),
            value,
            unit: unit.to_owned(),
            bound: None,
            ratio: None,
            goal: None,
            met: None,
            raw: Map::new(),
        }
    }

    /// Measured against `value` (in the same unit), which is `what`.
    pub fn against(mut self, value: f64, what: impl Into<String>) -> Figure {
        self.ratio = (value > 0.0).then(|| self.value / value);
        self.bound = Some(Bound {
            value,
            what: what.into(),
        });
        self.met = self.goal.zip(self.ratio).map(|(g, r)| g.met(r));
        self
    }

    /// The goal of the ratio.
    pub fn goal(mut self, goal: Goal) -> Figure {
        self.goal = Some(goal);
        self.met = self.ratio.map(|r| goal.met(r));
        self
    }

    /// A raw figure beside the value.
    pub fn raw(mut self, key: &str, value: impl Into<Value>) -> Figure {
        self.raw.insert(key.to_owned(), value.into());
        self
    }
}

/// Everything a run wrote.
#[derive(Debug, Serialize)]
pub struct Results {
    /// `full` or `quick`.
    pub mode: &'static str,
    /// When the run started (RFC 3339).
    pub started_at: String,
    /// The machine.
    pub machine: Machine,
    /// Scenarios left out, with why.
    pub not_done: Vec<(String, String)>,
    /// The figures, in the order they were measured.
    pub figures: Vec<Figure>,
}

/// A number with about four significant digits.
fn short(v: f64) -> String {
    if v == 0.0 {
        "0".to_owned()
    } else if v.abs() >= 1000.0 {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else if v.abs() >= 0.1 {
        format!("{v:.2}")
    } else {
        format!("{v:.4}")
    }
}

impl Results {
    /// The table, as Markdown (readable in a terminal and pasted as is into the README).
    pub fn table(&self) -> String {
        let mut out = String::from(
            "| # | measure | value | bound | ratio | goal | met |\n|---|---|---:|---|---:|---|---|\n",
        );
        for f in &self.figures {
            let bound = f.bound.as_ref().map_or(String::new(), |b| {
                format!("{} {} ({})", short(b.value), f.unit, b.what)
            });
            let ratio = f.ratio.map_or(String::new(), |r| format!("{r:.2}x"));
            let goal = f.goal.map_or(String::new(), Goal::text);
            let met = match f.met {
                Some(true) => "yes",
                Some(false) => "**no**",
                None => "",
            };
            out.push_str(&format!(
                "| {} | {} | {} {} | {} | {} | {} | {} |\n",
                f.scenario,
                f.name,
                short(f.value),
                f.unit,
                bound,
                ratio,
                goal,
                met
            ));
        }
        for (scenario, why) in &self.not_done {
            out.push_str(&format!("| {scenario} | not done: {why} | | | | | |\n"));
        }
        out
    }

    /// Writes the results as JSON to `path` (its folder is created).
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        std::fs::write(path, text + "\n")
    }
}
