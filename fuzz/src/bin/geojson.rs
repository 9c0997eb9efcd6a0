//! afl target `geojson`: see `targets::geojson` in fuzz/targets.rs.

#[path = "../../targets.rs"]
mod targets;

fn main() {
    targets::init("geojson");
    afl::fuzz!(|data: &[u8]| {
        let _ = targets::geojson(data);
    });
}
