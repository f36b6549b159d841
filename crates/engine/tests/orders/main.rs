//! Order tests against the in-process panel simulator: one binary, one module per area.

mod link_search;
mod list;
mod million;
mod placement;
mod sales;
mod stats;
mod support;
mod tracking;
