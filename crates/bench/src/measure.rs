//! Timing: wall clock, percentiles, and the CPU time of this process's threads.

use std::time::Instant;

/// Runs `f` and returns its value and the milliseconds it took.
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let start = Instant::now();
    let value = f();
    (value, start.elapsed().as_secs_f64() * 1000.0)
}

/// The `p`th percentile (0–100) of `samples`, nearest rank; 0 when there are none.
pub fn percentile(samples: &[f64], p: f64) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Runs `f` `runs` times and returns the milliseconds of each run.
pub fn samples(runs: usize, mut f: impl FnMut()) -> Vec<f64> {
    (0..runs).map(|_| timed(&mut f).1).collect()
}

/// CPU seconds used so far by this process's threads, except those whose name starts with
/// `skip` (the simulator's runtime): what SMM Desk's own code cost. Threads that have exited
/// are not counted. Linux only (`/proc/self/task/*/stat`); 0 elsewhere.
pub fn cpu_seconds_except(skip: &str) -> f64 {
    let ticks_per_second = 100.0; // USER_HZ: 100 on every Linux architecture SMM Desk ships for
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0.0;
    };
    let mut ticks = 0u64;
    for task in tasks.flatten() {
        let path = task.path();
        let name = std::fs::read_to_string(path.join("comm")).unwrap_or_default();
        if name.trim_end().starts_with(skip) {
            continue;
        }
        let stat = std::fs::read_to_string(path.join("stat")).unwrap_or_default();
        // Fields after the `(comm)`: state is the 3rd field, utime the 14th, stime the 15th.
        let Some((_, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let field = |i: usize| fields.get(i - 3).and_then(|v| v.parse::<u64>().ok());
        ticks += field(14).unwrap_or(0) + field(15).unwrap_or(0);
    }
    ticks as f64 / ticks_per_second
}
