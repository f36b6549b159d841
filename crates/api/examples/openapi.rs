//! Prints the local API's OpenAPI 3.1 document (`make check` validates it).

fn main() {
    println!("{}", smm_api::doc::document());
}
