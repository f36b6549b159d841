//! Scheduler, job health, provider limits, alerts and change events — with tokio's paused
//! clock for timing, and the simulator where provider calls matter.

mod alerts;
mod cleanup;
mod freshness;
mod limits;
mod support;
mod timing;
