//! `sigmap map`: every output format chosen by extension, and the map options.

use crate::cli::{data_arg, sigmap, stderr, stdout};

#[test]
fn map_outputs_by_extension() {
    let dir = tempfile::tempdir().unwrap();
    let p = data_arg("petitions/petition_241584.json");
    let run = |extra: &[&str]| {
        let mut args = vec!["map", p.as_str()];
        args.extend_from_slice(extra);
        let o = sigmap(&args, dir.path());
        assert_eq!(o.status.code(), Some(0), "{extra:?}: {}", stderr(&o));
        o
    };
    let o = run(&[
        "--hex",
        "--classes",
        "jenks:6",
        "--palette",
        "PuBu",
        "-o",
        "hex.svg",
    ]);
    assert_eq!(stdout(&o), "Wrote hex.svg\n");
    let svg = std::fs::read_to_string(dir.path().join("hex.svg")).unwrap();
    assert_eq!(svg.matches("<path ").count(), 650);
    assert!(svg.contains("Natural breaks (Jenks)") && svg.contains("#045a8d"));

    run(&[
        "--metric", "gi_star", "--labels", "5", "--inset", "london", "--inset", "shetland", "-o",
        "gi.svg",
    ]);
    let svg = std::fs::read_to_string(dir.path().join("gi.svg")).unwrap();
    assert!(svg.contains("Getis-Ord Gi* hot spots") && svg.contains(">London</text>"));
    assert_eq!(svg.matches("<circle ").count(), 5);

    run(&[
        "--palette",
        "RdBu_r",
        "--centre",
        "150",
        "--classes",
        "breaks:100,200",
        "-o",
        "div.svg",
    ]);
    let svg = std::fs::read_to_string(dir.path().join("div.svg")).unwrap();
    assert!(svg.contains("Colours diverge at 150"), "centre");

    run(&["-o", "m.hexjson"]);
    let h = sigmap::export::HexJson::from_path(dir.path().join("m.hexjson")).unwrap();
    assert_eq!(h.hexes.len(), 650);

    run(&["--precision", "4", "--simplify", "0.3", "-o", "m.geojson"]);
    let g = sigmap::LayerOptions::new()
        .from_path(dir.path().join("m.geojson"))
        .unwrap();
    assert_eq!(g.len(), 650);

    run(&["--precision", "5", "-o", "m.topojson"]);
    let t: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("m.topojson")).unwrap()).unwrap();
    assert_eq!(t["type"], "Topology");

    run(&["-o", "m.csv"]);
    let csv = std::fs::read_to_string(dir.path().join("m.csv")).unwrap();
    assert_eq!(csv.lines().count(), 651);

    #[cfg(feature = "png")]
    {
        run(&["--metric", "lisa", "-o", "m.png"]);
        let png = std::fs::read(dir.path().join("m.png")).unwrap();
        assert_eq!(&png[1..4], b"PNG");
    }
}

#[test]
fn map_bad_options_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let p = data_arg("petitions/petition_241584.json");
    for (args, message) in [
        (vec!["--palette", "Rainbow"], "unknown palette `Rainbow`"),
        (vec!["--classes", "breaks:5,1"], "ascending numbers"),
        (vec!["--inset", "wales"], "unknown inset `wales`"),
        (vec!["--metric", "gi"], "lisa or gi_star"),
    ] {
        let mut all = vec!["map", p.as_str(), "-o", "x.svg"];
        all.extend(args);
        let o = sigmap(&all, dir.path());
        assert_eq!(o.status.code(), Some(2), "{message}");
        assert!(stderr(&o).contains(message), "{}", stderr(&o));
    }
}

// See: #17
#[test]
fn r17_map_writes_the_interactive_html_map() {
    let dir = tempfile::tempdir().unwrap();
    let p = data_arg("petitions/petition_241584.json");
    let o = sigmap(
        &[
            "map",
            &p,
            "--to",
            "2024",
            "--metric",
            "lisa",
            "--title",
            "A <b> & \"c\"",
            "-o",
            "map.html",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "Wrote map.html\n");
    let html = std::fs::read_to_string(dir.path().join("map.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en-GB\">"));
    assert!(
        html.contains(
            "<title>A &lt;b&gt; &amp; &quot;c&quot; · signatures by constituency</title>"
        )
    );
    assert!(html.contains("<option value=\"lisa\" selected>"));
    // the map and the hex map, each seat once, on the 2024 seats
    assert_eq!(html.matches("<path data-code=\"").count(), 2 * 650);
    assert!(html.contains("data-code=\"E14001172\""));
    assert!(html.len() < 1_500_000);
    // no temporary file left beside it
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1);
}
