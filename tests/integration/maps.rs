//! Maps and the files for other tools: Jenks breaks against mapclassify, valid SVG, the
//! hex layouts, GeoJSON / TopoJSON / HexJSON / CSV round trips, topology kept by
//! simplification.

use crate::util;
use approx::assert_relative_eq;
use serde_json::Value;
use sigmap::export::Classes;
use sigmap::export::{
    GeoJsonWriter, HexJson, HexLayout, Inset, Palette, Scheme, TopoJsonWriter, write_csv,
    write_hexjson,
};
use sigmap::{Areas, LayerOptions, Petition, Report, Vintage, Weights};
use std::sync::OnceLock;

/// The Revoke Article 50 petition on the 2010 seats, with its clustering statistics.
fn revoke() -> &'static Report {
    static REPORT: OnceLock<Report> = OnceLock::new();
    REPORT.get_or_init(|| {
        let p = Petition::from_path(util::data("petitions/petition_241584.json")).unwrap();
        Report::with_shipped_data(p).unwrap()
    })
}

#[test]
fn jenks_breaks_match_mapclassify() {
    let path = util::root().join("tests/golden/classes/jenks.json");
    let golden: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = golden["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 5);
    for case in cases {
        let k = case["k"].as_u64().unwrap() as usize;
        let floats = |key: &str| -> Vec<f64> {
            case[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
                .collect()
        };
        let (values, bins) = (floats("values"), floats("bins"));
        let ours = Classes::Jenks(k).breaks(&values);
        let what = format!("{} {} k={k}", case["source"], case["metric"]);
        assert_eq!(ours.len(), k - 1, "{what}");
        for (a, b) in ours.iter().zip(&bins) {
            assert_relative_eq!(*a, *b, max_relative = 1e-12);
        }
        let counts: Vec<u64> = case["counts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_u64().unwrap())
            .collect();
        let mut ours_counts = vec![0u64; k];
        for v in &values {
            ours_counts[ours.partition_point(|b| v > b)] += 1;
        }
        assert_eq!(ours_counts, counts, "{what}");
    }
    // the golden values are the seats' rates as sigmap computes them
    let rates: Vec<f64> = revoke()
        .table
        .rows
        .iter()
        .map(|r| r.per_1k_voters)
        .collect();
    let first = cases[0]["values"].as_array().unwrap();
    for (a, b) in rates.iter().zip(first) {
        assert_relative_eq!(*a, b.as_f64().unwrap(), max_relative = 1e-9);
    }
}

/// Parses the SVG and returns it with its `path` count.
fn parse_svg(svg: &str) -> usize {
    let doc = roxmltree::Document::parse(svg).expect("well-formed SVG");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    doc.descendants()
        .filter(|n| n.tag_name().name() == "path")
        .count()
}

#[test]
fn every_kind_of_map_is_valid_svg() {
    let r = revoke();
    let hexes = HexJson::shipped(Vintage::Pcon2010).unwrap();
    let maps = [
        r.map().render(),
        r.map()
            .classes(Classes::Jenks(7))
            .palette(Palette::new(Scheme::Viridis))
            .labels(10)
            .render(),
        r.map()
            .classes(Classes::Manual(vec![100.0, 200.0, 1000.0]))
            .palette(Palette::new(Scheme::RdBu).reversed())
            .render(),
        r.map().lisa(r.analysed()).render(),
        r.map().gi_star(r.analysed()).hex(&hexes).labels(5).render(),
        r.map().hex(&hexes).render(),
    ];
    for (i, svg) in maps.iter().enumerate() {
        let paths = parse_svg(svg);
        assert!(paths >= 650, "map {i}: {paths} paths");
        assert!(svg.contains("Open Government Licence v3.0"), "map {i}");
    }
    // the report's map has both insets and the OS line of the 2019 boundaries
    assert!(maps[0].contains(">London</text>") && maps[0].contains(">Shetland</text>"));
    assert!(maps[0].contains("Contains OS data © Crown copyright and database right 2022"));
    // hex maps credit the layout instead
    assert!(maps[5].contains("Open Innovations") && !maps[5].contains("OS data"));
    assert_eq!(parse_svg(&maps[5]), 650);
    // manual breaks: an empty class above the maximum still has its legend line
    assert!(maps[2].contains("&gt; 200 – 1000") && maps[2].contains("&gt; 1000 "));
    assert!(maps[2].contains("Colours diverge at"));
    // LISA colours
    for c in ["#d7191c", "#2c7bb6", "#abd9e9", "#fdae61", "url(#hatch)"] {
        assert!(maps[3].contains(c), "{c}");
    }
    // ten labels
    assert_eq!(maps[1].matches("<circle ").count(), 10);
}

#[test]
fn insets_are_options() {
    let r = revoke();
    let plain = r.map().insets(&[]).render();
    assert!(!plain.contains(">London</text>") && !plain.contains(">Shetland</text>"));
    let london = r.map().insets(&[Inset::London]).render();
    assert!(london.contains("clip-path=\"url(#london)\""));
    // London's seats drawn twice: the map and the inset
    assert!(parse_svg(&london) > 650 + 70);
    // Northern Ireland's 18 seats drawn again below London's inset
    let both = r
        .map()
        .insets(&[Inset::London, Inset::NorthernIreland])
        .render();
    assert!(
        both.contains("clip-path=\"url(#northern-ireland)\"")
            && both.contains(">Northern Ireland</text>")
    );
    assert!(parse_svg(&both) >= parse_svg(&london) + 18);
    let ni_y = |svg: &str| -> f64 {
        let at = svg.find(">Northern Ireland</text>").unwrap();
        let tag = &svg[svg[..at].rfind("<text").unwrap()..at];
        let y = &tag[tag.find(" y=\"").unwrap() + 4..];
        y[..y.find('"').unwrap()].parse().unwrap()
    };
    let alone = r.map().insets(&[Inset::NorthernIreland]).render();
    assert!(
        ni_y(&both) > ni_y(&alone) + 100.0,
        "stacked below London's inset"
    );
}

#[test]
fn hex_layouts_are_odd_r_and_cover_the_seats() {
    for vintage in [Vintage::Pcon2010, Vintage::Pcon2024] {
        let hexes = HexJson::shipped(vintage).unwrap();
        let areas = Areas::shipped(vintage).unwrap();
        assert_eq!(hexes.layout, HexLayout::OddR);
        assert_eq!(hexes.hexes.len(), 650);
        assert!(areas.iter().all(|a| hexes.get(&a.code).is_some()));
        // hexagons that touch should mostly be seats that touch: counted with odd rows
        // shifted (odd-r, as the file says) and with even rows shifted instead
        let queen = Weights::queen(&areas);
        let touching = |layout: HexLayout| {
            let mut n = 0;
            for (i, a) in areas.iter().enumerate() {
                let ha = hexes.get(&a.code).unwrap();
                for &j in queen.neighbours(i) {
                    let hb = hexes
                        .get(&areas.iter().nth(j as usize).unwrap().code)
                        .unwrap();
                    let (ax, ay) = layout.centre(ha.q, ha.r);
                    let (bx, by) = layout.centre(hb.q, hb.r);
                    if ((ax - bx).powi(2) + (ay - by).powi(2) - 3.0).abs() < 1e-6 {
                        n += 1;
                    }
                }
            }
            n
        };
        let (odd, even) = (touching(HexLayout::OddR), touching(HexLayout::EvenR));
        assert!(
            odd > even + even / 5,
            "{vintage:?}: odd-r {odd}, even-r {even}"
        );
    }
}

#[test]
fn hexjson_round_trips_with_values() {
    let r = revoke();
    let hexes = HexJson::shipped(Vintage::Pcon2010).unwrap();
    hexes.check_covers(&r.table).unwrap();
    let mut out = Vec::new();
    write_hexjson(r.analysed(), &hexes, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let back = HexJson::from_reader(text.as_bytes(), "out.hexjson").unwrap();
    assert_eq!(back.layout, HexLayout::OddR);
    assert_eq!(back.hexes.len(), 650);
    let doc: Value = serde_json::from_str(&text).unwrap();
    for row in &r.table.rows {
        let h = &doc["hexes"][&row.code];
        assert_eq!(h["signatures"].as_u64(), Some(row.signatures));
        assert_relative_eq!(
            h["per_1k_voters"].as_f64().unwrap(),
            row.per_1k_voters,
            max_relative = 1e-15
        );
        let (a, b) = (back.get(&row.code).unwrap(), hexes.get(&row.code).unwrap());
        assert_eq!((a.q, a.r, &a.name), (b.q, b.r, &b.name));
    }
    // a layout that lacks seats is refused, naming them
    let short =
        HexJson::from_reader(r#"{"layout":"odd-r","hexes":{}}"#.as_bytes(), "s.hexjson").unwrap();
    let e = short.check_covers(&r.table).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("s.hexjson: no row for 650 area(s)"),
        "{e}"
    );
}

/// The properties of every feature of a GeoJSON text, by code.
fn properties(text: &str) -> Vec<Value> {
    let doc: Value = serde_json::from_str(text).unwrap();
    doc["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"].clone())
        .collect()
}

#[test]
fn geojson_with_precision_and_simplification_round_trips() {
    let r = revoke();
    let mut full = Vec::new();
    sigmap::export::write_geojson(r.analysed(), &r.areas, &mut full).unwrap();
    let mut small = Vec::new();
    GeoJsonWriter::new(r.analysed(), &r.areas)
        .precision(5)
        .simplify(0.2)
        .write_to(&mut small)
        .unwrap();
    let vertices = |b: &[u8]| String::from_utf8_lossy(b).matches("],[").count();
    let (v_small, v_full) = (vertices(&small), vertices(&full));
    assert!(v_small * 3 < v_full * 2, "{v_small} vs {v_full} vertices");
    let text = String::from_utf8(small).unwrap();
    // at most 5 decimals
    for feature in text.split("\"geometry\":").skip(1) {
        let coords = &feature[..feature.find('}').unwrap()];
        for number in coords.split(|c: char| !(c.is_ascii_digit() || c == '.')) {
            let decimals = number.split_once('.').map_or(0, |(_, d)| d.len());
            assert!(decimals <= 5, "{number}");
        }
    }
    let back = LayerOptions::new()
        .from_reader(text.as_bytes(), "small.geojson")
        .unwrap();
    assert_eq!(back.len(), 650);
    // same values, written the same way
    assert_eq!(properties(&text).len(), 650);
    for record in sigmap::export::Rows::from(r.analysed()).iter() {
        let props = format!(
            "\"properties\":{},",
            serde_json::to_string(&record).unwrap()
        );
        assert!(text.contains(&props), "{}", record.row.code);
    }
    // same neighbours: shared edges were simplified once, the same way on both sides
    let (q0, q1) = (Weights::queen(&r.areas), Weights::queen(&back));
    let (r0, r1) = (Weights::rook(&r.areas), Weights::rook(&back));
    for i in 0..650 {
        assert_eq!(q0.neighbours(i), q1.neighbours(i), "queen, area {i}");
        assert_eq!(r0.neighbours(i), r1.neighbours(i), "rook, area {i}");
    }
    // a 200 m tolerance moves areas little: within 2% and 1 km²
    for (a, b) in r.areas.iter().zip(back.iter()) {
        let d = (a.area_km2 - b.area_km2).abs();
        assert!(
            d < 0.02 * a.area_km2 + 1.0,
            "{}: {} vs {}",
            a.code,
            a.area_km2,
            b.area_km2
        );
    }
}

#[test]
fn topojson_decodes_to_the_same_rings_as_geojson() {
    let r = revoke();
    let mut topo = Vec::new();
    TopoJsonWriter::new(r.analysed(), &r.areas)
        .simplify(0.5)
        .write_to(&mut topo)
        .unwrap();
    let topo: Value = serde_json::from_slice(&topo).unwrap();
    let arcs: Vec<Vec<(f64, f64)>> = topo["arcs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            a.as_array()
                .unwrap()
                .iter()
                .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
                .collect()
        })
        .collect();
    let geometries = topo["objects"]["areas"]["geometries"].as_array().unwrap();
    let simplified = GeoJsonWriter::new(r.analysed(), &r.areas)
        .simplify(0.5)
        .geometries();
    let mut shared = std::collections::HashMap::new();
    for (g, (row, mp)) in geometries.iter().zip(r.table.rows.iter().zip(&simplified)) {
        assert_eq!(g["id"].as_str(), Some(row.code.as_str()));
        assert_eq!(g["properties"]["signatures"].as_u64(), Some(row.signatures));
        let parts = g["arcs"].as_array().unwrap();
        assert_eq!(parts.len(), mp.0.len());
        for (part, polygon) in parts.iter().zip(mp.iter()) {
            let rings = part.as_array().unwrap();
            let first = &rings[0];
            // decode as topojson-client does: ~i walks arc i backwards, shared ends once
            let mut ring: Vec<(f64, f64)> = Vec::new();
            for a in first.as_array().unwrap() {
                let a = a.as_i64().unwrap();
                *shared.entry(if a < 0 { !a } else { a }).or_insert(0) += 1;
                let mut pts = arcs[if a < 0 { !a } else { a } as usize].clone();
                if a < 0 {
                    pts.reverse();
                }
                let skip = usize::from(!ring.is_empty());
                ring.extend(&pts[skip..]);
            }
            let ext: Vec<(f64, f64)> = polygon.exterior().coords().map(|c| (c.x, c.y)).collect();
            assert_eq!(ring, ext);
        }
    }
    // most boundaries are between two seats and stored once
    assert!(shared.values().filter(|&&n| n == 2).count() > 1500);
}

#[test]
fn csv_round_trips() {
    let r = revoke();
    let mut out = Vec::new();
    write_csv(r.analysed(), &mut out).unwrap();
    let mut reader = csv::Reader::from_reader(out.as_slice());
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (code, sig, rate) = (col("code"), col("signatures"), col("per_1k_voters"));
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 650);
    for (rec, row) in rows.iter().zip(&r.table.rows) {
        assert_eq!(&rec[code], row.code);
        assert_eq!(rec[sig].parse::<u64>().unwrap(), row.signatures);
        assert_eq!(rec[rate].parse::<f64>().unwrap(), row.per_1k_voters);
    }
}

#[cfg(feature = "png")]
#[test]
fn png_maps_render_without_system_fonts() {
    let r = revoke();
    let png = r
        .map()
        .metric(sigmap::Metric::Per1kVoters)
        .render_png(sigmap::export::PngOptions {
            scale: 0.5,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    // width 430 (860 x 0.5), in the IHDR chunk
    assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), 430);
}

#[cfg(feature = "polars")]
#[test]
fn parquet_round_trips() {
    use polars::prelude::{ParquetReader, SerReader};
    let r = revoke();
    let mut bytes = Vec::new();
    sigmap::export::write_parquet(r.analysed(), &mut bytes).unwrap();
    let back = ParquetReader::new(std::io::Cursor::new(bytes))
        .finish()
        .unwrap();
    let ours = sigmap::export::to_dataframe(r.analysed()).unwrap();
    assert_eq!(back.shape(), (650, ours.width()));
    assert!(back.equals_missing(&ours), "{back:?}\n{ours:?}");
}
