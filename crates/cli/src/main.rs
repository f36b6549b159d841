//! smmdesk: the SMM Desk command line.

fn main() {
    println!("smmdesk {}", smm_engine::VERSION);
}
