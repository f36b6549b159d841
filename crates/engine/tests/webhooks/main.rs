//! Webhooks end to end: real SQLite files, real HTTP receivers on 127.0.0.1 (and one in
//! Python using the Standard Webhooks reference library), the panel simulator for orders.

mod delivery;
mod input;
mod python;
mod restart;
mod support;
