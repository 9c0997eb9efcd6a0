//! afl target `hexjson`: see `targets::hexjson` in fuzz/targets.rs.

#[path = "../../targets.rs"]
mod targets;

fn main() {
    targets::init("hexjson");
    afl::fuzz!(|data: &[u8]| {
        let _ = targets::hexjson(data);
    });
}
