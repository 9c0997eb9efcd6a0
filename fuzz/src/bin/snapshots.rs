//! afl target `snapshots`: see `targets::snapshots` in fuzz/targets.rs.

#[path = "../../targets.rs"]
mod targets;

fn main() {
    targets::init("snapshots");
    afl::fuzz!(|data: &[u8]| {
        let _ = targets::snapshots(data);
    });
}
