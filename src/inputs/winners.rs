//! The party that won each seat at the general elections whose results ship with sigmap
//! (the `First party` column of the House of Commons Library files), for the interactive
//! map's tooltip. The party of the winner on election day, not necessarily the party of
//! the MP today (by-elections, defections).

use std::collections::HashMap;

const GE2019: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/elections/ge2019_results.csv"
));
const GE2024: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/elections/ge2024_results.csv"
));

/// The winning party's name per seat code at a shipped election (`GE2019`, `GE2024`);
/// empty for any other election or a file without the columns.
pub(crate) fn winning_parties(election: &str) -> HashMap<String, String> {
    let text = match election {
        "GE2019" => GE2019,
        "GE2024" => GE2024,
        _ => return HashMap::new(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut columns: Option<(usize, usize)> = None;
    let mut out = HashMap::new();
    for row in reader.records().flatten() {
        match columns {
            None => {
                let find = |name: &str| row.iter().position(|f| f == name);
                if let (Some(code), Some(party)) = (find("ONS ID"), find("First party")) {
                    columns = Some((code, party));
                }
            }
            Some((code, party)) => {
                if let (Some(c), Some(p)) = (row.get(code), row.get(party))
                    && !c.is_empty()
                    && !p.is_empty()
                {
                    out.insert(c.to_string(), party_name(p).to_string());
                }
            }
        }
    }
    out
}

/// The name of a party from the Library's abbreviation (the abbreviation itself if unknown).
fn party_name(abbreviation: &str) -> &str {
    match abbreviation {
        "Con" => "Conservative",
        "Lab" => "Labour",
        "LD" => "Liberal Democrat",
        "SNP" => "Scottish National Party",
        "PC" => "Plaid Cymru",
        "Green" => "Green",
        "RUK" => "Reform UK",
        "BRX" => "Brexit Party",
        "DUP" => "Democratic Unionist Party",
        "SF" => "Sinn Féin",
        "SDLP" => "Social Democratic and Labour Party",
        "UUP" => "Ulster Unionist Party",
        "APNI" => "Alliance",
        "TUV" => "Traditional Unionist Voice",
        "Ind" => "Independent",
        "Spk" => "the Speaker",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_winners() {
        let w = winning_parties("GE2024");
        assert_eq!(w.len(), 650);
        assert_eq!(w["W07000112"], "Plaid Cymru"); // Ynys Môn
        assert_eq!(winning_parties("GE2019").len(), 650);
        assert!(winning_parties("GE1997").is_empty());
    }
}
