//! smm-desk: the SMM Desk desktop app.

fn main() {
    println!("smm-desk {}", smm_engine::VERSION);
}
