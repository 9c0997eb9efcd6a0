use clap::{Args, Parser, Subcommand, ValueEnum};
use sigmap::crs::PointCrs;
use sigmap::export::{Centre, Classes, Inset, Palette};
use sigmap::stats::{Engine, Permutations};
use sigmap::{IslandPolicy, Metric, ReportOptions, Vintage, WeightsKind};
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
    /// Petitions API base URL, for a PETITION given by number and the live commands
    /// [default: $SIGMAP_API, else https://petition.parliament.uk]
    #[arg(long, global = true, value_name = "URL")]
    pub api: Option<String>,
    /// Longest a fetch may take, for a PETITION given by number and the live commands: all
    /// of it (connecting, the answer's body, retries and the waits between them) for one
    /// petition or one page of a list; a server that stalls ends with an error
    #[arg(long, global = true, value_name = "DURATION", default_value = "30s", value_parser = parse_timeout)]
    pub timeout: std::time::Duration,
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
    /// Analyse many petitions: DIR/long.parquet and DIR/long.csv (one row per petition and
    /// seat, every metric) and DIR/petitions.csv (one row per petition)
    Batch(BatchArgs),
    /// Compare two petitions seat by seat: correlation, bivariate Moran's I, biggest gaps
    Compare(CompareArgs),
    /// One seat's profile across petitions, for an MP's office: prints it and writes
    /// Markdown and HTML
    Mp(MpArgs),
    /// Write a static site of petitions: an index, a page per petition (interactive map,
    /// top seats, hot and cold spots, downloads) and a page per constituency
    Site(SiteArgs),
    /// Save a petition's API JSON, fetched by number (from the archive of past Parliaments
    /// if the current one does not have it)
    Fetch(FetchArgs),
    /// List petitions by state and search text: id, state, signatures, action
    List(ListArgs),
    /// Poll a petition and append its counts per constituency to a snapshot store
    Watch(WatchArgs),
    /// Signatures per hour per seat from a snapshot store: recent window against each
    /// seat's own baseline, bursts flagged
    Velocity(VelocityArgs),
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
    /// Boundary layer: GeoJSON, Shapefile (.shp, or a .zip of one) or GeoPackage (.gpkg)
    /// [default: the shipped layer of the petition's vintage]
    #[arg(long, value_name = "F")]
    pub areas: Option<PathBuf>,
    /// Property of the layer that holds area codes (detected if not given)
    #[arg(long, value_name = "PROP", requires = "areas")]
    pub area_id: Option<String>,
    /// Coordinate system of the --areas layer (EPSG code: 4326, 27700, others with the proj
    /// feature) [default: as the file declares it, else from the coordinates' range]
    #[arg(long, value_name = "EPSG", requires = "areas")]
    pub areas_crs: Option<PointCrs>,
    /// Table of a GeoPackage --areas to read (needed when it has several polygon tables)
    #[arg(long, value_name = "NAME", requires = "areas")]
    pub areas_layer: Option<String>,
    /// Electorate and valid votes per area (CSV) [default: the shipped GE results]
    #[arg(long, value_name = "F")]
    pub denominators: Option<PathBuf>,
    #[command(flatten)]
    pub crosswalk: CrosswalkArgs,
    /// Output format of what is printed
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

impl Inputs {
    /// The files read (a petition given by number or `-` is no file).
    pub fn paths(&self) -> Vec<&std::path::Path> {
        let mut paths = vec![std::path::Path::new(&self.petition)];
        paths.extend(self.areas.as_deref());
        paths.extend(self.denominators.as_deref());
        if self.crosswalk.to.is_some() {
            paths.push(std::path::Path::new(&self.crosswalk.crosswalk));
        }
        paths
    }
}

/// How clustering is tested.
#[derive(Debug, Args)]
pub struct ClusteringArgs {
    /// Spatial weights: queen, rook, knn:K (the K nearest centroids), distance:KM
    /// (centroids within KM km on the British National Grid), or queen:snap=TOL /
    /// rook:snap=TOL (vertices within TOL, in the layer's units, count as shared)
    #[arg(long, value_name = "W", default_value = "queen")]
    pub weights: WeightsKind,
    /// Islands (areas with no neighbour): keep them isolated, or attach:K each to its K
    /// nearest areas by centroid (both ways)
    #[arg(long, value_name = "P", default_value = "keep")]
    pub islands: IslandPolicy,
    /// Permutations for the pseudo p-values (0: none)
    #[arg(long, value_name = "N", default_value_t = 999)]
    pub permutations: usize,
    /// Seed of the permutations and of the rank intervals' draws (fast and reference)
    #[arg(long, value_name = "N", default_value_t = Permutations::DEFAULT_SEED)]
    pub seed: u64,
    /// Draws of the seats' rates for the rank intervals of --rank-method fast and reference
    /// (0: no intervals, whatever the method)
    #[arg(long, value_name = "N", default_value_t = sigmap::DEFAULT_DRAWS)]
    pub rank_draws: usize,
    /// How rank intervals are made: pairwise (no draws: each seat's rank distribution from
    /// the chances that each other seat's rate exceeds its own; no Monte Carlo error), fast
    /// (draws: the earlier default, for earlier outputs) or reference (sigmap 0.1's draws)
    #[arg(long, value_name = "M", default_value = "pairwise")]
    pub rank_method: sigmap::RankMethod,
    /// Permutation engine: shared (one matrix of draws for all areas, as esda),
    /// independent (a stream per area) or esda (esda's own draws and arithmetic: the same
    /// pseudo p-values as esda 2.9 for the same seed, which must then be below 2^32)
    #[arg(long, value_name = "E", default_value = "shared")]
    pub engine: Engine,
}

impl ClusteringArgs {
    pub fn options(&self) -> ReportOptions {
        ReportOptions::default()
            .weights(self.weights)
            .islands(self.islands)
            .permutations(
                Permutations::new(self.permutations)
                    .seed(self.seed)
                    .engine(self.engine),
            )
            .ranks(
                sigmap::RankSimulation::new(self.rank_draws)
                    .seed(self.seed)
                    .method(self.rank_method),
            )
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
    /// Also write the weights the statistics used, as GeoDa's GAL (.gal) or GWT (.gwt)
    #[arg(long, value_name = "F")]
    pub weights_out: Option<PathBuf>,
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
    /// Insets: london and northern-ireland (enlarged beside the map) and shetland (moved
    /// into a box); repeat for more than one. Geographic maps only
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
    #[arg(long, value_name = "KM", allow_negative_numbers = true, value_parser = parse_km)]
    pub simplify: Option<f64>,
    /// PNG output: pixels per SVG unit (the SVG is 860 units wide), above 0; an image of
    /// more than 100 megapixels (about scale 10) is refused
    #[arg(long, value_name = "S", default_value_t = 1.5, allow_negative_numbers = true, value_parser = parse_scale)]
    pub scale: f32,
    /// The file to write; its extension picks the format: .svg, .png, .html (the
    /// interactive map, one self-contained file), .geojson, .topojson, .hexjson, .csv (or
    /// .parquet with the polars feature)
    #[arg(short = 'o', long = "output", value_name = "F.svg")]
    pub output: PathBuf,
}

/// Where petitions counted on the 2010 seats go.
#[derive(Debug, Args)]
pub struct CrosswalkArgs {
    /// Re-express petitions counted on the 2010 seats on the 2024 ones (`--to 2024`)
    #[arg(long, value_name = "SET")]
    pub to: Option<Vintage>,
    /// The crosswalk for --to: population (shipped mySociety overlaps, weighted by
    /// population), area (the same, by land area), or a CSV file (from,to,weight)
    #[arg(long, value_name = "W", default_value = "population", requires = "to")]
    pub crosswalk: String,
}

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// Petition files (API JSON or code,count CSV) and directories of them
    #[arg(value_name = "PETITION", required = true)]
    pub inputs: Vec<PathBuf>,
    /// Directory for long.parquet, long.csv and petitions.csv
    #[arg(long, value_name = "DIR", default_value = "batch")]
    pub out: PathBuf,
    /// Do not write long.csv (the Parquet file holds the same table, far smaller)
    #[arg(long)]
    pub no_csv: bool,
    /// Write the long table as a Hive-partitioned Parquet dataset instead of long.parquet:
    /// DIR/long/petition_id=N/part-0.parquet (DuckDB, Spark, pyarrow and pandas read the
    /// folder as one table; needs the polars feature)
    #[arg(long, value_enum, value_name = "COLUMN")]
    pub partition_by: Option<PartitionBy>,
    #[command(flatten)]
    pub crosswalk: CrosswalkArgs,
    #[command(flatten)]
    pub clustering: ClusteringArgs,
    /// Hide the progress bar
    #[arg(short, long)]
    pub quiet: bool,
    /// Output format of what is printed
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// The column a batch's Parquet dataset is partitioned by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PartitionBy {
    /// One folder per petition
    #[value(name = "petition_id")]
    PetitionId,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The first petition (file or number)
    #[arg(value_name = "PETITION_A")]
    pub a: String,
    /// The second petition
    #[arg(value_name = "PETITION_B")]
    pub b: String,
    #[command(flatten)]
    pub crosswalk: CrosswalkArgs,
    #[command(flatten)]
    pub clustering: ClusteringArgs,
    /// Also write the comparison as JSON to this file
    #[arg(short = 'o', long = "output", value_name = "F.json")]
    pub output: Option<PathBuf>,
    /// Output format of what is printed
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct MpArgs {
    /// The constituency: a code or a name (case and accents do not matter)
    #[arg(value_name = "CONSTITUENCY")]
    pub constituency: String,
    /// Petitions (files or numbers); 2010-seat petitions are moved onto 2024 seats when the
    /// constituency is a 2024 one
    #[arg(value_name = "PETITION", required = true)]
    pub petitions: Vec<String>,
    /// Directory for the profile as Markdown and HTML (mp_CODE.md, mp_CODE.html)
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    /// The crosswalk for 2010-seat petitions: population, area, or a CSV file
    #[arg(long, value_name = "W", default_value = "population")]
    pub crosswalk: String,
    #[command(flatten)]
    pub clustering: ClusteringArgs,
    /// Output format of what is printed
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct SiteArgs {
    /// Petitions: files (API JSON or code,count CSV), directories of them, or numbers
    /// (fetched)
    #[arg(value_name = "PETITION", required = true)]
    pub petitions: Vec<String>,
    /// Directory of the site (index.html, petitions/, seats/)
    #[arg(long, value_name = "DIR", default_value = "site")]
    pub out: PathBuf,
    /// Title of the index page
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    #[command(flatten)]
    pub crosswalk: CrosswalkArgs,
    #[command(flatten)]
    pub clustering: ClusteringArgs,
    /// Output format of what is printed
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
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
    /// Polygon layer: GeoJSON, Shapefile (.shp, or a .zip of one) or GeoPackage (.gpkg)
    #[arg(long, value_name = "F")]
    pub areas: PathBuf,
    /// Property of the layer that holds area ids (detected if not given)
    #[arg(long, value_name = "PROP")]
    pub area_id: Option<String>,
    /// Coordinate system of the --areas layer (EPSG code: 4326, 27700, others with the proj
    /// feature) [default: as the file declares it, else from the coordinates' range]
    #[arg(long, value_name = "EPSG")]
    pub areas_crs: Option<PointCrs>,
    /// Table of a GeoPackage --areas to read (needed when it has several polygon tables)
    #[arg(long, value_name = "NAME")]
    pub areas_layer: Option<String>,
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
    /// Read the weights from a GAL (.gal) or GWT (.gwt) file instead of building them
    /// (ids matched to the layer's; --islands still applies). Only which areas are linked
    /// is used: a GWT file's weight values are checked (finite) but not used; the
    /// statistics row-standardise the links (each of k neighbours 1/k) and General G and
    /// Gi* take them as binary, as for built weights
    #[arg(long, value_name = "F", conflicts_with = "weights")]
    pub weights_file: Option<PathBuf>,
    /// Also write the weights used, as GAL (.gal) or GWT (.gwt)
    #[arg(long, value_name = "F")]
    pub weights_out: Option<PathBuf>,
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
    /// Boundary layer: GeoJSON, Shapefile (.shp, or a .zip of one) or GeoPackage (.gpkg)
    /// [default: the shipped constituencies of --vintage]
    #[arg(long, value_name = "F")]
    pub areas: Option<PathBuf>,
    /// Property of the layer that holds area codes (detected if not given)
    #[arg(long, value_name = "PROP", requires = "areas")]
    pub area_id: Option<String>,
    /// Coordinate system of the --areas layer (EPSG code: 4326, 27700, others with the proj
    /// feature) [default: as the file declares it, else from the coordinates' range]
    #[arg(long, value_name = "EPSG", requires = "areas")]
    pub areas_crs: Option<PointCrs>,
    /// Table of a GeoPackage --areas to read (needed when it has several polygon tables)
    #[arg(long, value_name = "NAME", requires = "areas")]
    pub areas_layer: Option<String>,
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
    #[arg(value_name = "LON", allow_negative_numbers = true, value_parser = parse_coordinate)]
    pub x: f64,
    /// Latitude (or northing, with --crs)
    #[arg(value_name = "LAT", allow_negative_numbers = true, value_parser = parse_coordinate)]
    pub y: f64,
    #[command(flatten)]
    pub layer: LayerArgs,
    /// Coordinate system of the point: 4326 (longitude/latitude), 27700 (British National
    /// Grid), or any EPSG code with the `proj` feature
    #[arg(long, value_name = "EPSG", default_value = "4326")]
    pub crs: PointCrs,
    /// If no area holds the point, take the nearest one within KM kilometres
    #[arg(long, value_name = "KM", allow_negative_numbers = true, value_parser = parse_km)]
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
    #[arg(long, value_name = "KM", allow_negative_numbers = true, value_parser = parse_km)]
    pub snap: Option<f64>,
    /// Count the points as read even if the two coordinate columns look swapped (by
    /// default a file is refused when many points are in no area and far more would be
    /// with the columns exchanged)
    #[arg(long)]
    pub no_swap_check: bool,
    /// Do not look for gaps between areas among the points in no area (a union of the
    /// whole layer, about a third of the time on a large layer that does not ship with
    /// sigmap): they are counted as in no area, as geopandas' sjoin counts them
    #[arg(long)]
    pub no_gaps: bool,
    /// Write code,name,count for every area to this CSV (a petition CSV for `report`)
    #[arg(short = 'o', long = "output", value_name = "F.csv")]
    pub output: Option<PathBuf>,
    /// Output format of what is printed
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// No progress bar
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Print the time of each phase (load, index, read, locate, and the search for gaps on
    /// its own thread) to stderr as JSON
    #[arg(long)]
    pub timings: bool,
}

/// A coordinate: a finite number (`NaN` and `inf` parse as floats but locate nothing).
pub fn parse_coordinate(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(v) => Err(format!("expected a finite number, found {v}")),
        Err(e) => Err(e.to_string()),
    }
}

/// A distance in kilometres: a finite number, 0 or more.
pub fn parse_km(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        Ok(v) => Err(format!("expected a distance in km (0 or more), found {v}")),
        Err(e) => Err(e.to_string()),
    }
}

/// A PNG scale: a finite number above 0 (NaN refused).
pub fn parse_scale(s: &str) -> Result<f32, String> {
    match s.trim().parse::<f32>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
        Ok(v) => Err(format!("expected a finite number above 0, found {v}")),
        Err(e) => Err(e.to_string()),
    }
}

/// A timeout: a duration longer than zero.
pub fn parse_timeout(s: &str) -> Result<std::time::Duration, String> {
    match parse_duration(s)? {
        d if d.is_zero() => Err("expected a duration longer than zero".into()),
        d => Ok(d),
    }
}

/// A significance level: a number above 0 and at most 1 (NaN refused).
pub fn parse_alpha(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 1.0 => Ok(v),
        Ok(v) => Err(format!("expected a level above 0 and at most 1, found {v}")),
        Err(e) => Err(e.to_string()),
    }
}

/// A ratio: a finite number, 0 or more (NaN refused).
pub fn parse_ratio(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        Ok(v) => Err(format!("expected a finite number, 0 or more, found {v}")),
        Err(e) => Err(e.to_string()),
    }
}

/// A duration such as `60s`, `5m`, `1h 30m`, `250ms`.
pub fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    humantime::parse_duration(s).map_err(|e| format!("{e} (write e.g. 60s, 5m, 1h)"))
}

/// How the live commands talk to the API.
#[derive(Debug, Args)]
pub struct HttpArgs {
    /// Least time between two requests
    #[arg(long, value_name = "DURATION", default_value = "1s", value_parser = parse_duration)]
    pub delay: std::time::Duration,
    /// Retries after a 429, a 5xx, a timeout or a dropped connection (with exponential
    /// backoff, honouring Retry-After)
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub retries: u32,
    /// Longest wait before a retry; a longer Retry-After gives up at once
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration)]
    pub max_wait: std::time::Duration,
}

#[derive(Debug, Args)]
pub struct FetchArgs {
    /// Petition number
    #[arg(value_name = "ID")]
    pub id: u64,
    /// Only the archive of past Parliaments (/archived/petitions/ID.json)
    #[arg(long)]
    pub archived: bool,
    /// Write the JSON to this file instead of stdout
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub http: HttpArgs,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// State: all, open, closed, rejected, debated, not_debated, awaiting_response,
    /// with_response, awaiting_debate
    #[arg(long, value_name = "S", default_value = "all")]
    pub state: sigmap::live::ListState,
    /// Search text
    #[arg(long, value_name = "TEXT")]
    pub query: Option<String>,
    /// At most N petitions (the API gives 50 a page)
    #[arg(long, value_name = "N")]
    pub max: Option<usize>,
    /// At most N pages: a list that goes on longer is an error (a server whose next
    /// link never ends)
    #[arg(long, value_name = "N", default_value_t = sigmap::live::DEFAULT_MAX_PAGES)]
    pub max_pages: usize,
    /// List the archive of past Parliaments
    #[arg(long)]
    pub archived: bool,
    /// Output format of what is printed
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[command(flatten)]
    pub http: HttpArgs,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// Petition number
    #[arg(value_name = "ID")]
    pub id: u64,
    /// Time between two snapshots
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration)]
    pub every: std::time::Duration,
    /// Directory of the snapshot store (created if needed; appended to)
    #[arg(long, value_name = "DIR")]
    pub store: PathBuf,
    /// Stop after N polls [default: run until interrupted]
    #[arg(long, value_name = "N")]
    pub count: Option<u64>,
    /// Only the archive of past Parliaments
    #[arg(long)]
    pub archived: bool,
    /// Output format of the line printed per snapshot (json: one object per line)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[command(flatten)]
    pub http: HttpArgs,
}

#[derive(Debug, Args)]
pub struct VelocityArgs {
    /// Directory of a snapshot store written by `sigmap watch`
    #[arg(value_name = "DIR")]
    pub store: PathBuf,
    /// The recent window, ending at the last snapshot
    #[arg(long, value_name = "DURATION", default_value = "1h", value_parser = parse_duration)]
    pub window: std::time::Duration,
    /// Least recent signatures for a burst
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub min_count: u64,
    /// Least ratio of recent to expected signatures for a burst
    #[arg(long, value_name = "R", default_value_t = 2.0, value_parser = parse_ratio)]
    pub min_ratio: f64,
    /// Family-wise significance level, split over the seats (Bonferroni): above 0, at most 1
    #[arg(long, value_name = "A", default_value_t = 0.05, value_parser = parse_alpha)]
    pub alpha: f64,
    /// Seats shown in the table
    #[arg(long, value_name = "N", default_value_t = 15)]
    pub top: usize,
    /// Output format of what is printed
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}
