//! Scheduled orders against the in-process simulator, with tokio's paused clock: the rule
//! across daylight-saving changes, at most once per occurrence through crashes, restarts and
//! two engines on one folder, missed occurrences, failed checks and bad input.

mod edit;
mod input;
mod placing;
mod safety;
mod support;
