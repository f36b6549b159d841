//! The sizes of a full run (`make bench`) and of a quick one (`make bench-quick`, CI).

/// How big each scenario is.
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    /// Services in the synced catalog (scenario 1).
    pub catalog: usize,
    /// Runs of each sync (the median is reported).
    pub sync_runs: usize,
    /// Services in the searched catalog (scenario 5).
    pub search_catalog: usize,
    /// Open orders refreshed (scenario 2).
    pub open_orders: u64,
    /// Lines of the mass order (scenario 3).
    pub mass_lines: u64,
    /// Database sizes the order queries run at (scenarios 4 and 8; 6 at the largest).
    pub order_sizes: &'static [u64],
    /// Requests of each kind to the local API (scenario 6).
    pub api_requests: usize,
}

impl Sizes {
    /// The sizes issue #17 names.
    pub const FULL: Sizes = Sizes {
        catalog: 20_000,
        sync_runs: 3,
        search_catalog: 50_000,
        open_orders: 100_000,
        mass_lines: 1_000,
        order_sizes: &[10_000, 100_000, 1_000_000],
        api_requests: 200,
    };

    /// Small enough for CI (well under a minute of running).
    pub const QUICK: Sizes = Sizes {
        catalog: 5_000,
        sync_runs: 2,
        search_catalog: 10_000,
        open_orders: 10_000,
        mass_lines: 100,
        order_sizes: &[10_000, 100_000],
        api_requests: 50,
    };
}
