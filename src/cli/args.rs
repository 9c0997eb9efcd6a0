use clap::{Args, Parser, Subcommand, ValueEnum};
use sigmap::points::PointCrs;
use sigmap::stats::{Engine, Permutations};
use sigmap::{
    Centre, Classes, Inset, IslandPolicy, Metric, Palette, ReportOptions, Vintage, WeightsKind,
};
use std::path::PathBuf;

/// The geography of UK Parliament petition signatures.
///
/// Joins a petition's signatures per constituency to boundaries and election results,
/// ranks the seats by turnout-normalised support and draws maps. Offline by default: the
/// 2010 and 2024 constituency boundaries and the GE2019 and GE2024 results ship with sigmap.
#[derive(Debug, Parser)]
#[command(name = "sigmap", version, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyse one petition: totals, completeness, top seats; writes areas.geojson,
    /// areas.csv, summary.json and map.svg
    Report(ReportArgs),
    /// Draw a map of one petition: choropleth, hex cartogram, LISA or Gi* map, as SVG or
    /// PNG; or write its table for other tools (GeoJSON, HexJSON, CSV, Parquet)
    Map(MapArgs),
    /// Spatial statistics of any values on any polygon layer (Moran, Geary, General G, LISA,
    /// Gi*)
    Stats(StatsArgs),
    /// Which area (constituency) holds a point
    Locate(LocateArgs),
    /// Count points from a CSV per area: code,name,count for every area (feeds `report`)
    JoinPoints(JoinPointsArgs),
}

/// Output format of what a command prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people
    Table,
    /// CSV on stdout, for scripts
    Csv,
    /// JSON on stdout, for scripts
    Json,
}

#[derive(Debug, Args)]
pub struct Inputs {
    /// Petition: API JSON file, CSV of code,count, or '-' for stdin
    #[arg(value_name = "PETITION")]
    pub petition: String,
    /// Boundary layer (GeoJSON, WGS84) [default: the shipped layer of the petition's vintage]
    #[arg(long, value_name = "F")]
    pub areas: Option<PathBuf>,
    /// Property of the layer that holds area codes (detected if not given)
    #[arg(long, value_name = "PROP", requires = "areas")]
    pub area_id: Option<String>,
    /// Electorate and valid votes per area (CSV) [default: the shipped GE results]
    #[arg(long, value_name = "F")]
    pub denominators: Option<PathBuf>,
    /// Output format of what is printed
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// How clustering is tested.
#[derive(Debug, Args)]
pub struct ClusteringArgs {
    /// Spatial weights: queen, rook, knn:K (the K nearest centroids) or distance:KM
    /// (centroids within KM km on the British National Grid)
    #[arg(long, value_name = "W", default_value = "queen")]
    pub weights: WeightsKind,
    /// Islands (areas with no neighbour): keep them isolated, or attach:K each to its K
    /// nearest areas by centroid (both ways)
    #[arg(long, value_name = "P", default_value = "keep")]
    pub islands: IslandPolicy,
    /// Permutations for the pseudo p-values (0: none)
    #[arg(long, value_name = "N", default_value_t = 999)]
    pub permutations: usize,
    /// Seed of the permutations
    #[arg(long, value_name = "N", default_value_t = Permutations::DEFAULT_SEED)]
    pub seed: u64,
    /// Permutation engine: shared (one matrix of draws for all areas, as esda),
    /// independent (a stream per area) or esda (esda's own draws and arithmetic: the same
    /// pseudo p-values as esda 2.9 for the same seed, which must then be below 2^32)
    #[arg(long, value_name = "E", default_value = "shared")]
    pub engine: Engine,
}

impl ClusteringArgs {
    pub fn options(&self) -> ReportOptions {
        ReportOptions {
            weights: self.weights,
            islands: self.islands,
            permutations: Permutations::new(self.permutations)
                .seed(self.seed)
                .engine(self.engine),
            ..ReportOptions::default()
        }
    }
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    #[command(flatten)]
    pub clustering: ClusteringArgs,
    /// Directory for areas.geojson, areas.csv, summary.json and map.svg
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct MapArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    /// Metric to map (a column name such as per_1k_voters), `lisa` for the local Moran
    /// cluster map or `gi_star` for the Getis-Ord Gi* hot-spot map
    #[arg(long, value_name = "M", default_value = "per_1k_voters")]
    pub metric: MapMetric,
    #[command(flatten)]
    pub clustering: ClusteringArgs,
    /// Classification: quantile:K, jenks:K (Fisher-Jenks natural breaks) or equal:K, K from
    /// 2 to 9; or breaks:B1,B2,... (upper bounds set by hand, e.g. breaks:1,5,10)
    #[arg(long, value_name = "C", default_value = "quantile:5")]
    pub classes: Classes,
    /// Colour scheme: YlGnBu, YlOrRd, Blues, PuBu, Greens, Purples, OrRd, Reds, viridis,
    /// cividis (sequential) or RdBu, PuOr, BrBG, RdYlBu (diverging); add _r to reverse
    #[arg(long, value_name = "NAME", default_value = "YlGnBu")]
    pub palette: Palette,
    /// Where a diverging palette changes hue: national (the rate of the whole country)
    /// or a value
    #[arg(long, value_name = "V", default_value = "national")]
    pub centre: Centre,
    /// Insets: london (enlarged beside the map) and shetland (moved into a box); repeat
    /// for both. Geographic maps only
    #[arg(long, value_name = "I")]
    pub inset: Vec<Inset>,
    /// Name the top N seats on the map
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub labels: usize,
    /// A hex cartogram (one hexagon per seat) on the shipped HexJSON layout of the
    /// petition's constituency set
    #[arg(long)]
    pub hex: bool,
    /// A HexJSON layout to use instead of the shipped one (implies --hex)
    #[arg(long, value_name = "F")]
    pub hexjson: Option<PathBuf>,
    /// Title [default: the petition's]
    #[arg(long, value_name = "T")]
    pub title: Option<String>,
    /// GeoJSON and TopoJSON output: decimals of the coordinates (5 is about a metre)
    #[arg(long, value_name = "N")]
    pub precision: Option<usize>,
    /// GeoJSON and TopoJSON output: simplify boundaries to this tolerance in km, each
    /// shared boundary once, so neighbours keep identical edges
    #[arg(long, value_name = "KM")]
    pub simplify: Option<f64>,
    /// PNG output: pixels per SVG unit (the SVG is 860 units wide)
    #[arg(long, value_name = "S", default_value_t = 1.5)]
    pub scale: f32,
    /// The file to write; its extension picks the format: .svg, .png, .geojson,
    /// .topojson, .hexjson, .csv (or .parquet with the polars feature)
    #[arg(short = 'o', long = "output", value_name = "F.svg")]
    pub output: PathBuf,
}

/// What `sigmap map` draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapMetric {
    Metric(Metric),
    Lisa,
    GiStar,
}

impl std::str::FromStr for MapMetric {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "lisa" => Ok(MapMetric::Lisa),
            "gi_star" => Ok(MapMetric::GiStar),
            _ => s
                .parse()
                .map(MapMetric::Metric)
                .map_err(|e| format!("{e}, lisa or gi_star")),
        }
    }
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Polygon layer (GeoJSON)
    #[arg(long, value_name = "F")]
    pub areas: PathBuf,
    /// Property of the layer that holds area ids (detected if not given)
    #[arg(long, value_name = "PROP")]
    pub area_id: Option<String>,
    /// Values per area (CSV with a header)
    #[arg(long, value_name = "F.csv")]
    pub values: PathBuf,
    /// Column of the values file that holds area ids
    #[arg(long, value_name = "COL")]
    pub id: String,
    /// Column of counts (or values)
    #[arg(long, value_name = "COL")]
    pub count: String,
    /// Column of populations: the statistics then use count / population
    #[arg(long, value_name = "COL")]
    pub population: Option<String>,
    #[command(flatten)]
    pub clustering: ClusteringArgs,
    /// Also write the JSON result to this file
    #[arg(long, value_name = "OUT")]
    pub json: Option<PathBuf>,
    /// Output format of what is printed
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// The boundary layer points are located in.
#[derive(Debug, Args)]
pub struct LayerArgs {
    /// Boundary layer (GeoJSON, WGS84) [default: the shipped constituencies of --vintage]
    #[arg(long, value_name = "F")]
    pub areas: Option<PathBuf>,
    /// Property of the layer that holds area codes (detected if not given)
    #[arg(long, value_name = "PROP", requires = "areas")]
    pub area_id: Option<String>,
    /// Shipped constituency set when no --areas is given: 2024 or 2010
    #[arg(
        long,
        value_name = "YEAR",
        default_value = "2024",
        conflicts_with = "areas"
    )]
    pub vintage: Vintage,
}

#[derive(Debug, Args)]
pub struct LocateArgs {
    /// Longitude (or easting, with --crs)
    #[arg(value_name = "LON", allow_negative_numbers = true)]
    pub x: f64,
    /// Latitude (or northing, with --crs)
    #[arg(value_name = "LAT", allow_negative_numbers = true)]
    pub y: f64,
    #[command(flatten)]
    pub layer: LayerArgs,
    /// Coordinate system of the point: 4326 (longitude/latitude), 27700 (British National
    /// Grid), or any EPSG code with the `proj` feature
    #[arg(long, value_name = "EPSG", default_value = "4326")]
    pub crs: PointCrs,
    /// If no area holds the point, take the nearest one within KM kilometres
    #[arg(long, value_name = "KM")]
    pub nearest: Option<f64>,
    /// Output format of what is printed
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct JoinPointsArgs {
    /// Points: a CSV with a header, or '-' for stdin
    #[arg(value_name = "POINTS.csv")]
    pub points: PathBuf,
    #[command(flatten)]
    pub layer: LayerArgs,
    /// Column of longitudes (or eastings) [default: found by name: lon, lng, longitude, x,
    /// easting]
    #[arg(long, value_name = "COL")]
    pub lon: Option<String>,
    /// Column of latitudes (or northings) [default: found by name: lat, latitude, y,
    /// northing]
    #[arg(long, value_name = "COL")]
    pub lat: Option<String>,
    /// Coordinate system of the points: 4326, 27700, or any EPSG code with the `proj`
    /// feature [default: 4326, or 27700 for easting/northing columns]
    #[arg(long, value_name = "EPSG")]
    pub crs: Option<PointCrs>,
    /// Count a point in no area in the nearest area within KM kilometres (reported as
    /// snapped)
    #[arg(long, value_name = "KM")]
    pub snap: Option<f64>,
    /// Write code,name,count for every area to this CSV (a petition CSV for `report`)
    #[arg(short = 'o', long = "output", value_name = "F.csv")]
    pub output: Option<PathBuf>,
    /// Output format of what is printed
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// No progress bar
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Print the time of each phase (load, index, read, locate) to stderr as JSON
    #[arg(long)]
    pub timings: bool,
}
