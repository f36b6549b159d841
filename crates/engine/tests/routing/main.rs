//! Routing with failover against three simulated panels: offer groups, the member chosen,
//! failover only when the attempt was certainly not placed, and bad input that writes nothing.

mod groups;
mod placing;
mod support;
