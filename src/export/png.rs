//! PNG output: the SVG maps rendered with resvg (pure Rust), text set in the embedded
//! sigmap Sans (a subset of Liberation Sans, SIL OFL 1.1; `assets/fonts/`).

use crate::error::{Error, Result};
use resvg::{tiny_skia, usvg};
use std::sync::Arc;

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/SigmapSans-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/SigmapSans-Bold.ttf");

/// How an SVG is rendered to PNG.
#[derive(Debug, Clone, Copy, PartialEq)]
#[must_use]
pub struct PngOptions {
    /// Pixels per SVG unit (default 1.5: an 860-unit-wide map becomes 1,290 pixels).
    pub scale: f32,
    /// Also load the system's fonts (default false: only the embedded sigmap Sans, so the
    /// same SVG gives the same pixels on every machine).
    pub system_fonts: bool,
}

impl Default for PngOptions {
    fn default() -> Self {
        PngOptions {
            scale: 1.5,
            system_fonts: false,
        }
    }
}

/// Renders an SVG document to PNG bytes. Every font family falls back to the embedded
/// sigmap Sans (metric-compatible with Helvetica and Arial), unless `system_fonts` finds
/// the family asked for.
///
/// # Examples
/// ```
/// let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><rect width="20" height="10" fill="#d7191c"/><text y="9" font-family="Helvetica">A</text></svg>"##;
/// let png = sigmap::export::svg_to_png(svg, sigmap::export::PngOptions::default())?;
/// assert_eq!(&png[1..4], b"PNG");
/// # Ok::<(), sigmap::Error>(())
/// ```
///
/// # Errors
/// [`Error::Render`] if resvg cannot parse the SVG or the image would be empty or too
/// large.
pub fn svg_to_png(svg: &str, options: PngOptions) -> Result<Vec<u8>> {
    let render = |reason: String| Error::Render { reason };
    let mut opt = usvg::Options::default();
    {
        let db = Arc::make_mut(&mut opt.fontdb);
        if options.system_fonts {
            db.load_system_fonts();
        }
        db.load_font_data(REGULAR.to_vec());
        db.load_font_data(BOLD.to_vec());
        db.set_sans_serif_family("sigmap Sans");
        if !options.system_fonts {
            db.set_serif_family("sigmap Sans");
            db.set_monospace_family("sigmap Sans");
            db.set_cursive_family("sigmap Sans");
            db.set_fantasy_family("sigmap Sans");
        }
    }
    opt.font_family = "sigmap Sans".to_string();
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| render(e.to_string()))?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(options.scale)
        .ok_or_else(|| render(format!("scale {} gives an empty image", options.scale)))?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).ok_or_else(|| {
        render(format!(
            "cannot allocate {} x {} pixels",
            size.width(),
            size.height()
        ))
    })?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(options.scale, options.scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| render(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_renders_with_the_embedded_font_only() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="60" height="20"><rect width="60" height="20" fill="#ffffff"/><text x="2" y="15" font-size="14" font-family="Helvetica, Arial, sans-serif">Môn ŵ</text></svg>"##;
        let png = svg_to_png(svg, PngOptions::default()).unwrap();
        let blank = svg.replace("Môn ŵ", "");
        let empty = svg_to_png(&blank, PngOptions::default()).unwrap();
        assert_ne!(png, empty, "the text drew nothing");
        assert!(svg_to_png("<svg", PngOptions::default()).is_err());
    }
}
