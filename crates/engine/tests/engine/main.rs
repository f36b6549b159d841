//! Engine tests: one binary (fast to link), one module per area.

mod catalog;
mod demo;
mod migrations;
mod pricing;
mod providers;
mod support;
