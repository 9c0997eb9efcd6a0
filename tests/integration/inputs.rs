//! Reading petitions, layers and denominators: every real petition parses; each kind of bad
//! input gives a typed error that names the file and the record.

use crate::util;
use serde_json::{Value, json};
use sigmap::{Areas, Denominators, Error, LayerOptions, Petition, Schema, Table, Vintage};

fn petition_value(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(util::data(name)).unwrap()).unwrap()
}

fn parse(v: &Value) -> sigmap::Result<Petition> {
    Petition::from_reader(v.to_string().as_bytes(), "p.json")
}

#[test]
fn shipped_petitions_parse_with_their_schema() {
    for path in util::shipped_petitions() {
        let p = Petition::from_path(&path).unwrap();
        let early =
            path.ends_with("petition_105868.json") || path.ends_with("petition_105991.json");
        assert_eq!(
            p.schema,
            if early { Schema::Api2015 } else { Schema::Api },
            "{}",
            path.display()
        );
        assert!(p.opened_at.is_some(), "{}", path.display());
        assert!(p.uk_total > 0 && !p.counts.is_empty());
    }
    let p = Petition::from_path(util::data("petitions/petition_241584.json")).unwrap();
    assert_eq!(
        (p.total, p.uk_total, p.constituency_sum()),
        (5_156_603, 4_948_111, 4_858_993)
    );
    assert_eq!(p.counts.len(), 650);
    let p = Petition::from_path(util::data("petitions/petition_105868.json")).unwrap();
    assert_eq!(
        (p.total, p.uk_total, p.constituency_sum()),
        (6_991, 7_074, 6_839)
    );
}

#[test]
#[ignore = "needs ../shared"]
fn all_269_corpus_petitions_parse_and_join() {
    let areas = Areas::shipped(Vintage::Pcon2010).unwrap();
    let denominators = Denominators::shipped(Vintage::Pcon2010).unwrap();
    let mut n = 0;
    for entry in std::fs::read_dir(util::shared("petitions")).unwrap() {
        let path = entry.unwrap().path();
        let p = Petition::from_path(&path).unwrap_or_else(|e| panic!("{e}"));
        let t = Table::join(&p, &areas, &denominators).unwrap_or_else(|e| panic!("{e}"));
        crate::correctness::check_table(&p, &t);
        assert_eq!(
            t.completeness.vintage,
            Some(Vintage::Pcon2010),
            "{}",
            path.display()
        );
        assert!(
            t.unmatched.is_empty(),
            "{}: {:?}",
            path.display(),
            t.unmatched
        );
        n += 1;
    }
    assert_eq!(n, 269);
}

#[test]
fn archived_petition_is_recognised() {
    let p = Petition::from_path(util::fixture("archived_petition_601415.json")).unwrap();
    assert!(p.archived);
    assert_eq!(p.parliament.as_deref(), Some("2019-2024"));
    assert_eq!(
        p.url().unwrap(),
        "https://petition.parliament.uk/archived/petitions/601415"
    );
    assert_eq!(p.constituency_sum(), 946);
}

#[test]
fn rejected_petition_says_there_is_no_breakdown() {
    let err = Petition::from_path(util::fixture("rejected_petition.json")).unwrap_err();
    assert!(
        matches!(err, Error::NoBreakdown { id: 999001, .. }),
        "{err:?}"
    );
    assert!(err.is_input());
    assert!(
        err.to_string()
            .contains("rejected_petition.json: petition 999001 is rejected"),
        "{err}"
    );
}

#[test]
fn csv_on_2024_codes_is_detected_as_2024() {
    let p = Petition::from_path(util::fixture("counts_2024_made_up.csv")).unwrap();
    assert_eq!(p.schema, Schema::Csv);
    let d = Vintage::detect(p.counts.iter().map(|c| c.code.as_str()), None);
    assert_eq!(d.vintage, Some(Vintage::Pcon2024));
    assert!(d.unknown.is_empty());
    assert_eq!(p.vintage().unwrap(), Vintage::Pcon2024);
    let t = Table::join(
        &p,
        &Areas::shipped(Vintage::Pcon2024).unwrap(),
        &Denominators::shipped(Vintage::Pcon2024).unwrap(),
    )
    .unwrap();
    assert_eq!(t.rows.len(), 650);
    assert_eq!(t.completeness.zero_filled, 650 - 44);
    assert_eq!(t.election, Some("GE2024"));
    crate::correctness::check_table(&p, &t);
}

// --- bad input: one test per case, each a typed error naming file and record -------------

#[test]
fn malformed_json() {
    let err =
        Petition::from_reader("{\"data\": {\"attributes\": ".as_bytes(), "bad.json").unwrap_err();
    assert!(matches!(err, Error::Json { .. }), "{err:?}");
    assert_eq!(err.to_string(), "bad.json: invalid JSON");
    assert!(err.is_input());
}

#[test]
fn missing_signatures_by_constituency() {
    let mut v = petition_value("petitions/petition_601415.json");
    v["data"]["attributes"]
        .as_object_mut()
        .unwrap()
        .remove("signatures_by_constituency");
    let err = parse(&v).unwrap_err();
    assert_eq!(
        err.to_string(),
        "p.json: missing field `data.attributes.signatures_by_constituency`"
    );
}

#[test]
fn negative_count() {
    let mut v = petition_value("petitions/petition_601415.json");
    v["data"]["attributes"]["signatures_by_constituency"][4]["signature_count"] = json!(-2);
    let err = parse(&v).unwrap_err();
    assert_eq!(
        err.to_string(),
        "p.json: record 5, field signatures_by_constituency.signature_count: expected a non-negative integer (at most 10^10), found -2"
    );
}

#[test]
fn non_integer_count() {
    let mut v = petition_value("petitions/petition_601415.json");
    v["data"]["attributes"]["signatures_by_constituency"][9]["signature_count"] = json!(3.5);
    let err = parse(&v).unwrap_err();
    assert!(matches!(err, Error::BadField { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("p.json: record 10, field signatures_by_constituency.signature_count"),
        "{err}"
    );
    let err = Petition::from_reader("E14000530,1.5\n".as_bytes(), "c.csv").unwrap_err();
    assert_eq!(
        err.to_string(),
        "c.csv: record 1, field count: expected a non-negative integer (at most 10^10), found `1.5`"
    );
}

#[test]
fn duplicate_code() {
    let mut v = petition_value("petitions/petition_601415.json");
    let list = &mut v["data"]["attributes"]["signatures_by_constituency"];
    let first = list[0].clone();
    list.as_array_mut().unwrap().push(first.clone());
    let err = parse(&v).unwrap_err();
    assert!(
        matches!(err, Error::DuplicateCode { first: 1, .. }),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        format!(
            "p.json: record 436, field signatures_by_constituency.ons_code: duplicate code `{}` (first seen in record 1)",
            first["ons_code"].as_str().unwrap()
        )
    );
}

#[test]
fn unknown_codes_are_reported_not_dropped() {
    let areas = Areas::shipped(Vintage::Pcon2010).unwrap();
    let dens = Denominators::shipped(Vintage::Pcon2010).unwrap();
    // some unknown: joined, and the unknown ones listed with their counts
    let p =
        Petition::from_reader("E14000530,10\nE99999999,4\nZZZ,1\n".as_bytes(), "u.csv").unwrap();
    let t = Table::join(&p, &areas, &dens).unwrap();
    let unmatched: Vec<(&str, u64)> = t
        .unmatched
        .iter()
        .map(|c| (c.code.as_str(), c.count))
        .collect();
    assert_eq!(unmatched, [("E99999999", 4), ("ZZZ", 1)]);
    assert_eq!(t.completeness.unmatched_signatures, 5);
    assert_eq!(t.completeness.assigned, 10);
    assert_eq!(t.completeness.unassigned, 5);
    assert!(t.completeness.notes[0].contains("2 code(s) with 5 signature(s) match no area"));
    // all unknown: an error that lists them
    let p = Petition::from_reader("E99999999,4\nZZZ,1\n".as_bytes(), "u.csv").unwrap();
    let err = Table::join(&p, &areas, &dens).unwrap_err();
    assert_eq!(
        err.to_string(),
        "u.csv: 2 code(s) match neither the 2010 nor the 2024 constituency set: E99999999, ZZZ"
    );
}

#[test]
fn vintage_mismatch_is_an_error() {
    let p = Petition::from_path(util::fixture("counts_2024_made_up.csv")).unwrap();
    let err = Table::join(
        &p,
        &Areas::shipped(Vintage::Pcon2010).unwrap(),
        &Denominators::shipped(Vintage::Pcon2010).unwrap(),
    )
    .unwrap_err();
    assert!(matches!(err, Error::VintageMismatch { .. }), "{err:?}");
    assert!(
        err.to_string().contains(
            "uses 2024 constituencies but the boundary layer pcon2010_bgc_20pct.geojson uses 2010"
        ),
        "{err}"
    );
}

#[test]
fn geojson_with_no_code_property() {
    let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"colour":"red","size":3},
        "geometry":{"type":"Polygon","coordinates":[[[0,51],[1,51],[1,52],[0,51]]]}}]}"#;
    let err = LayerOptions::new()
        .from_reader(text.as_bytes(), "nocode.geojson")
        .unwrap_err();
    assert!(matches!(err, Error::NoCodeProperty { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "nocode.geojson: cannot tell which property holds the area code (properties: colour, size); name it with --area-id"
    );
    // a feature lacking the code the others have names its record
    let text = r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"PCON24CD":"E14001063"},"geometry":{"type":"Polygon","coordinates":[[[0,51],[1,51],[1,52],[0,51]]]}},
        {"type":"Feature","properties":{"other":1},"geometry":{"type":"Polygon","coordinates":[[[0,51],[1,51],[1,52],[0,51]]]}}]}"#;
    let err = LayerOptions::new()
        .from_reader(text.as_bytes(), "l.geojson")
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "l.geojson: record 2: missing field `PCON24CD`"
    );
}

#[test]
fn empty_feature_collection() {
    let err = LayerOptions::new()
        .from_reader(
            r#"{"type":"FeatureCollection","features":[]}"#.as_bytes(),
            "empty.geojson",
        )
        .unwrap_err();
    assert!(matches!(err, Error::Empty { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "empty.geojson: the FeatureCollection is empty"
    );
}

#[test]
fn non_polygon_geometry() {
    let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"PCON24CD":"E14001063"},
        "geometry":{"type":"Point","coordinates":[0,51]}}]}"#;
    let err = LayerOptions::new()
        .from_reader(text.as_bytes(), "pt.geojson")
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "pt.geojson: record 1, field geometry: expected a Polygon or MultiPolygon, found Point"
    );
}

#[test]
fn empty_geometry_is_reported_by_code() {
    let text = r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"PCON24CD":"E14001063"},"geometry":{"type":"Polygon","coordinates":[[[0,51],[1,51],[1,52],[0,51]]]}},
        {"type":"Feature","properties":{"PCON24CD":"E14001064"},"geometry":null}]}"#;
    let areas = LayerOptions::new()
        .from_reader(text.as_bytes(), "l.geojson")
        .unwrap();
    assert_eq!(areas.issues.len(), 1);
    assert_eq!(
        (areas.issues[0].code.as_str(), areas.issues[0].record),
        ("E14001064", 2)
    );
    assert_eq!(areas.issues[0].problem, "empty geometry");
    let bowtie = r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"PCON24CD":"E14001063"},"geometry":{"type":"Polygon","coordinates":[[[0,51],[1,52],[1,51],[0,52],[0,51]]]}}]}"#;
    let areas = LayerOptions::new()
        .from_reader(bowtie.as_bytes(), "b.geojson")
        .unwrap();
    assert!(
        areas.issues[0].problem.contains("self-intersection"),
        "{:?}",
        areas.issues
    );
}

#[test]
fn denominators_missing_a_seat() {
    let full = std::fs::read_to_string(util::data("elections/ge2019_results.csv")).unwrap();
    let without_aldershot: String = full
        .lines()
        .filter(|l| !l.starts_with("E14000530,"))
        .map(|l| format!("{l}\n"))
        .collect();
    let dens = Denominators::from_reader(without_aldershot.as_bytes(), "ge.csv").unwrap();
    let p = Petition::from_path(util::data("petitions/petition_601415.json")).unwrap();
    let err = Table::join(&p, &Areas::shipped(Vintage::Pcon2010).unwrap(), &dens).unwrap_err();
    assert!(matches!(err, Error::MissingAreas { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "ge.csv: no row for 1 area(s) of the layer: E14000530"
    );
    assert!(err.is_input());
}

#[test]
fn bad_denominator_numbers_name_the_record() {
    let err = Denominators::from_reader(
        "code,electorate,valid_votes\nE1,100,60\nE2,-5,1\n".as_bytes(),
        "d.csv",
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "d.csv: record 2, field electorate: expected a non-negative integer (at most 10^10), found `-5`"
    );
    let err =
        Denominators::from_reader("code,electorate,valid_votes\nE1,0,0\n".as_bytes(), "d.csv")
            .unwrap_err();
    assert_eq!(
        err.to_string(),
        "d.csv: record 1, field electorate: expected a positive electorate, found 0"
    );
    // the message names the column as the file spells it
    let err = Denominators::from_reader(
        "ONS ID,Electorate,Valid votes\nE1,10,0\n".as_bytes(),
        "d.csv",
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "d.csv: record 1, field Valid votes: expected a positive number of valid votes, found 0"
    );
}

#[test]
fn empty_inputs() {
    for text in ["", "   \n", "code,count\n"] {
        let err = Petition::from_reader(text.as_bytes(), "e.csv").unwrap_err();
        assert!(matches!(err, Error::Empty { .. }), "{text:?}: {err:?}");
    }
}

#[test]
fn the_code_property_override_wins_over_detection() {
    // two properties hold GSS codes: detection takes the first, the override the other
    let text = r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"a":"E06000001","b":"E14001063"},"geometry":{"type":"Polygon","coordinates":[[[0,51],[1,51],[1,52],[0,51]]]}}]}"#;
    let detected = LayerOptions::new()
        .from_reader(text.as_bytes(), "l.geojson")
        .unwrap();
    assert_eq!(detected.layer.code_property, "a");
    let chosen = LayerOptions::new()
        .code_property("b")
        .from_reader(text.as_bytes(), "l.geojson")
        .unwrap();
    assert_eq!(chosen.layer.code_property, "b");
    assert!(chosen.get("E14001063").is_some() && chosen.get("E06000001").is_none());
}

#[test]
fn a_petition_on_another_kind_of_layer_says_no_code_matches() {
    let text = r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"LAD23CD":"E06000001"},"geometry":{"type":"Polygon","coordinates":[[[0,51],[1,51],[1,52],[0,51]]]}}]}"#;
    let areas = LayerOptions::new()
        .from_reader(text.as_bytes(), "lad.geojson")
        .unwrap();
    let dens = Denominators::from_reader(
        "code,electorate,valid_votes\nE06000001,100,50\n".as_bytes(),
        "d.csv",
    )
    .unwrap();
    let p = Petition::from_reader("E14000530,3\nE14000531,4\n".as_bytes(), "p.csv").unwrap();
    let err = Table::join(&p, &areas, &dens).unwrap_err();
    assert!(matches!(err, Error::NoMatchingCodes { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "p.csv: none of the 2 code(s) is an area of lad.geojson: E14000530, E14000531"
    );
    // and a petition on that layer's codes works, without a vintage
    let p = Petition::from_reader("E06000001,7\n".as_bytes(), "p.csv").unwrap();
    let t = Table::join(&p, &areas, &dens).unwrap();
    assert_eq!((t.rows[0].signatures, t.completeness.vintage), (7, None));
}

// See: #5 (weights that link no areas gave NaN statistics)
#[test]
fn a_report_on_a_layer_of_islands_says_there_are_no_clustering_statistics() {
    // six separate squares with GSS-like codes, so a petition CSV can name them
    let text = util::unit_squares(
        "LAD23CD",
        (0..6).map(|i| (format!("E0600000{i}"), 3.0 * i as f64, 51.0)),
    );
    let areas = LayerOptions::new()
        .from_reader(text.as_bytes(), "islands.geojson")
        .unwrap();
    let mut dens = String::from("code,electorate,valid_votes\n");
    let mut petition = String::new();
    for i in 0..6 {
        dens.push_str(&format!("E0600000{i},1000,600\n"));
        petition.push_str(&format!("E0600000{i},{}\n", 10 + 7 * i));
    }
    let dens = Denominators::from_reader(dens.as_bytes(), "d.csv").unwrap();
    let p = Petition::from_reader(petition.as_bytes(), "p.csv").unwrap();
    let report = sigmap::Report::new(p, areas, &dens).unwrap();
    assert_eq!(report.summary.clustering, None);
    assert_eq!(
        report.summary.clustering_note.as_deref(),
        Some(
            "no clustering statistics: they need weights that link some areas (every statistic compares areas with their neighbours)"
        )
    );
    assert!(report.seats.iter().all(|s| s.spatial.is_none()));
}

#[test]
fn a_petition_with_no_constituency_yet() {
    let mut v = petition_value("petitions/petition_601415.json");
    v["data"]["attributes"]["signatures_by_constituency"] = json!([]);
    let p = parse(&v).unwrap();
    let err = p.vintage().unwrap_err();
    assert!(matches!(err, Error::Empty { .. }), "{err:?}");
    // on a given layer it is all zeros, said so
    let t = Table::join(
        &p,
        &Areas::shipped(Vintage::Pcon2010).unwrap(),
        &Denominators::shipped(Vintage::Pcon2010).unwrap(),
    )
    .unwrap();
    assert_eq!(t.completeness.zero_filled, 650);
    assert!(
        t.rows
            .iter()
            .all(|r| r.per_1k_voters == 0.0 && r.rank_per_1k_voters == 1)
    );
    assert!(
        t.completeness
            .notes
            .iter()
            .any(|n| n.contains("no signature is in an area"))
    );
}

#[test]
fn csv_first_rows_are_data_unless_they_name_columns() {
    // a first row with a thousands separator is data, not a header
    let p =
        Petition::from_reader("E14000530,\"1,204\"\nE14000531,3\n".as_bytes(), "p.csv").unwrap();
    assert_eq!(p.counts.len(), 2);
    assert!(!p.uk_total_published);
    // a first row that is neither data nor a header is an error, not skipped
    let err =
        Petition::from_reader("constituency,value\nE14000530,3\n".as_bytes(), "p.csv").unwrap_err();
    assert_eq!(
        err.to_string(),
        "p.csv: record 1, field count: expected a non-negative integer (at most 10^10), found `value`"
    );
}

#[test]
fn absurd_counts_are_refused_before_they_overflow() {
    let err =
        Petition::from_reader("E14000530,99999999999999999999\n".as_bytes(), "p.csv").unwrap_err();
    assert!(matches!(err, Error::BadField { .. }), "{err:?}");
    let mut v = petition_value("petitions/petition_601415.json");
    v["data"]["attributes"]["signatures_by_constituency"][0]["signature_count"] = json!(u64::MAX);
    assert!(matches!(parse(&v).unwrap_err(), Error::BadField { .. }));
}

#[test]
fn a_missing_uk_total_is_flagged() {
    let mut v = petition_value("petitions/petition_601415.json");
    v["data"]["attributes"]["signatures_by_country"] = json!([]);
    let p = parse(&v).unwrap();
    assert!(!p.uk_total_published);
    assert_eq!(p.uk_total, p.constituency_sum());
    let t = Table::join(
        &p,
        &Areas::shipped(Vintage::Pcon2010).unwrap(),
        &Denominators::shipped(Vintage::Pcon2010).unwrap(),
    )
    .unwrap();
    assert!(
        t.completeness
            .notes
            .iter()
            .any(|n| n.contains("gives no UK total")),
        "{:?}",
        t.completeness.notes
    );
}

#[test]
fn a_layer_is_found_without_being_told_and_can_be_overridden() {
    let areas = Areas::from_path(util::data("boundaries/pcon2010_bgc_20pct.geojson")).unwrap();
    assert_eq!(areas.layer.code_property, "PCON19CD");
    assert_eq!(areas.layer.name_property.as_deref(), Some("PCON19NM"));
    assert_eq!(areas.vintage(), Some(Vintage::Pcon2010));
    let named = LayerOptions::new()
        .code_property("PCON19CD")
        .name_property("PCON19CD")
        .from_path(util::data("boundaries/pcon2010_bgc_20pct.geojson"))
        .unwrap();
    assert_eq!(named.get("E14000530").unwrap().name, "E14000530");
}

#[test]
#[ignore = "needs ../shared"]
fn full_resolution_layers_load() {
    for (file, vintage, prop) in [
        ("pcon2024_bgc.geojson", Vintage::Pcon2024, "PCON24CD"),
        ("pcon2024_buc.geojson", Vintage::Pcon2024, "PCON24CD"),
        ("pcon2010_bgc.geojson", Vintage::Pcon2010, "PCON19CD"),
    ] {
        let areas = Areas::from_path(util::shared(file)).unwrap();
        assert_eq!(areas.len(), 650);
        assert_eq!(areas.vintage(), Some(vintage));
        assert_eq!(areas.layer.code_property, prop);
    }
}
