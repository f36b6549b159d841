//! Client tests: against the simulator and against scripted raw servers.

mod actions;
mod common;
mod faults;
mod redaction;
mod wire;
