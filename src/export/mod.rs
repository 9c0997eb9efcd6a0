//! Writers: GeoJSON, CSV, HexJSON, SVG maps (choropleths, hex cartograms, LISA and Gi*
//! maps), the interactive HTML map and, with the `png` feature, PNG; with the `polars` feature, Parquet and
//! DataFrames. Output is deterministic: rows in layer order, no timestamps.

mod classes;
mod csv;
mod geojson;
mod hexjson;
mod html;
mod palette;
#[cfg(feature = "polars")]
mod parquet;
#[cfg(feature = "png")]
mod png;
mod svg;
mod topology;
mod weights;

pub use self::classes::Classes;
pub use self::csv::write_csv;
pub use self::geojson::{GeoJsonWriter, TopoJsonWriter, write_geojson};
pub use self::hexjson::{Hex, HexJson, HexLayout, write_hexjson};
pub use self::html::{HtmlMap, MAP_CSS};
pub(crate) use self::html::{MiniMaps, PAGE_CSS};
pub use self::palette::{Palette, Scheme};
#[cfg(feature = "polars")]
pub(crate) use self::parquet::{ArrowColumn, write_row_group};
#[cfg(feature = "polars")]
pub use self::parquet::{to_dataframe, write_parquet};
#[cfg(feature = "png")]
pub use self::png::{MAX_PNG_PIXELS, PngOptions, svg_to_png};
pub use self::svg::{Centre, HEX_ATTRIBUTION, Inset, OGL_ATTRIBUTION, SvgMap, os_attribution};
pub use crate::table::analysis::{Record, Rows};
pub use crate::table::columns::{COLUMNS, Column, ColumnType, Value};

use crate::error::{Error, IoAction, Result};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Text for SVG and HTML, in text and attributes: `&`, `<`, `>`, `"` escaped, and control
/// characters (from a petition's title or a layer's names) replaced, as XML 1.0 allows no
/// C0 control even escaped: tab, newline and carriage return by a space, others by U+FFFD.
pub(crate) fn xml_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() => out.push(char::REPLACEMENT_CHARACTER),
            c => out.push(c),
        }
    }
    out
}

/// Writes `path` without ever leaving it truncated: `write` fills a temporary file beside
/// it (same directory, so the rename is atomic), which replaces `path` only once complete.
/// A failure (disk full, a file size limit, an error from `write`) leaves the previous
/// file, or nothing, and removes the temporary file. A symbolic link at `path` is
/// replaced, not written through.
///
/// # Errors
/// [`Error::Io`] naming `path`: a directory in the way, the file cannot be created,
/// written or renamed into place.
pub fn write_atomically(
    path: impl AsRef<Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let path = path.as_ref();
    let mut staged = Staged::new(path)?;
    write(&mut staged).map_err(|e| Error::io(path, IoAction::Write, e))?;
    staged.commit()
}

/// A file being written under a temporary name beside its destination (see
/// [`write_atomically`]), for writers that are not one closure (several files renamed only
/// once all are complete, a Parquet writer). Dropped without [`Staged::commit`], it
/// removes the temporary file and leaves the destination as it was.
#[derive(Debug)]
pub struct Staged {
    dest: PathBuf,
    tmp: PathBuf,
    file: Option<BufWriter<std::fs::File>>,
}

impl Staged {
    /// Creates the temporary file for `path`.
    ///
    /// # Errors
    /// [`Error::Io`] naming `path` if it is a directory, has no file name, or the
    /// temporary file cannot be created in its directory.
    pub fn new(path: impl AsRef<Path>) -> Result<Staged> {
        use std::sync::atomic::{AtomicU64, Ordering};
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let dest = path.as_ref().to_path_buf();
        let refuse = |why: &str| {
            Error::io(
                &dest,
                IoAction::Write,
                std::io::Error::new(std::io::ErrorKind::InvalidInput, why.to_string()),
            )
        };
        if dest.is_dir() {
            return Err(refuse("a directory is in the way"));
        }
        let name = dest
            .file_name()
            .ok_or_else(|| refuse("not a file name"))?
            .to_string_lossy()
            .into_owned();
        let dir = match dest.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let tmp = dir.join(format!(
            ".{name}.{}-{}.sigmap-tmp",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let file = std::fs::File::options()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(|e| Error::io(&dest, IoAction::Write, e))?;
        Ok(Staged {
            dest,
            tmp,
            file: Some(BufWriter::new(file)),
        })
    }

    /// The destination.
    pub fn path(&self) -> &Path {
        &self.dest
    }

    /// Flushes the temporary file to disk and renames it to the destination.
    ///
    /// # Errors
    /// [`Error::Io`] naming the destination; the temporary file is then removed.
    pub fn commit(mut self) -> Result<()> {
        let file = self.file.take().map(BufWriter::into_inner);
        match file {
            Some(Ok(f)) => f
                .sync_all()
                .map_err(|e| Error::io(&self.dest, IoAction::Write, e))?,
            Some(Err(e)) => return Err(Error::io(&self.dest, IoAction::Write, e.into_error())),
            None => {}
        }
        std::fs::rename(&self.tmp, &self.dest)
            .map_err(|e| Error::io(&self.dest, IoAction::Write, e))?;
        // renamed: nothing left for drop to remove
        self.tmp = PathBuf::new();
        Ok(())
    }
}

impl Write for Staged {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.file {
            Some(f) => f.write(buf),
            None => Err(std::io::Error::other("already committed")),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.file {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        drop(self.file.take());
        if !self.tmp.as_os_str().is_empty() {
            // best effort: the destination is untouched either way
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}
