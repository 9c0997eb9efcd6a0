//! afl target `petition_csv`: see `targets::petition_csv` in fuzz/targets.rs.

#[path = "../../targets.rs"]
mod targets;

fn main() {
    targets::init("petition_csv");
    afl::fuzz!(|data: &[u8]| {
        let _ = targets::petition_csv(data);
    });
}
