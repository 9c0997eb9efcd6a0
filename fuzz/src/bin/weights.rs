//! afl target `weights`: see `targets::weights` in fuzz/targets.rs.

#[path = "../../targets.rs"]
mod targets;

fn main() {
    targets::init("weights");
    afl::fuzz!(|data: &[u8]| {
        let _ = targets::weights(data);
    });
}
