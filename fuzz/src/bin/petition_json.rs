//! afl target `petition_json`: see `targets::petition_json` in fuzz/targets.rs.

#[path = "../../targets.rs"]
mod targets;

fn main() {
    targets::init("petition_json");
    afl::fuzz!(|data: &[u8]| {
        let _ = targets::petition_json(data);
    });
}
