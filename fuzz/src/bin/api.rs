//! afl target `api`: see `targets::api` in fuzz/targets.rs.

#[path = "../../targets.rs"]
mod targets;

fn main() {
    targets::init("api");
    afl::fuzz!(|data: &[u8]| {
        let _ = targets::api(data);
    });
}
