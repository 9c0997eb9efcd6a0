//! afl target `shapefile`: see `targets::shapefile` in fuzz/targets.rs.

#[path = "../../targets.rs"]
mod targets;

fn main() {
    targets::init("shapefile");
    afl::fuzz!(|data: &[u8]| {
        let _ = targets::shapefile(data);
    });
}
