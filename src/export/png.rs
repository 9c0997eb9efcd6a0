//! PNG output: the SVG maps rendered with resvg (pure Rust), text set in the embedded
//! sigmap Sans (a subset of Liberation Sans, SIL OFL 1.1; `assets/fonts/`).

use crate::error::{Error, Result};
use resvg::{tiny_skia, usvg};
use std::sync::Arc;

const REGULAR: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/SigmapSans-Regular.ttf"
));
const BOLD: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/SigmapSans-Bold.ttf"
));

/// The most pixels a PNG may have: 100 megapixels (400 MB of pixels in memory), far above
/// a printed page at 300 dpi (about 9 megapixels for A4) and below what aborts a process.
pub const MAX_PNG_PIXELS: u64 = 100_000_000;

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
/// [`Error::BadOption`] if the scale is not a finite number above zero or the image would
/// have more than [`MAX_PNG_PIXELS`] pixels (or none); [`Error::Render`] if resvg cannot
/// parse the SVG.
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
    let scale = options.scale;
    if !(scale.is_finite() && scale > 0.0) {
        return Err(Error::BadOption {
            option: "scale",
            expected: "a number of pixels per unit above 0".into(),
            found: scale.to_string(),
        });
    }
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| render(e.to_string()))?;
    // the size checked in floating point before any integer conversion or allocation
    let size = tree.size().to_int_size();
    let (w, h) = (
        (f64::from(size.width()) * f64::from(scale)).round(),
        (f64::from(size.height()) * f64::from(scale)).round(),
    );
    if w * h > MAX_PNG_PIXELS as f64 || w < 1.0 || h < 1.0 {
        return Err(Error::BadOption {
            option: "scale",
            expected: format!(
                "an image of 1 to {} pixels ({} megapixels)",
                crate::text::thousands(MAX_PNG_PIXELS),
                MAX_PNG_PIXELS / 1_000_000
            ),
            found: format!("{w} x {h} pixels at scale {scale}"),
        });
    }
    let size = size
        .scale_by(scale)
        .ok_or_else(|| render(format!("scale {scale} gives an empty image")))?;
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

    #[test]
    fn scales_that_would_abort_or_draw_nothing_are_refused() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="860" height="1100"/>"##;
        for scale in [100.0, f32::NAN, -1.0, 0.0, f32::INFINITY, 1e-6] {
            let e = svg_to_png(
                svg,
                PngOptions {
                    scale,
                    ..Default::default()
                },
            )
            .unwrap_err();
            assert!(
                matches!(e, Error::BadOption { .. }) && e.is_input(),
                "{scale}: {e}"
            );
        }
        // a large scale on a small image renders
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>"##;
        assert!(
            svg_to_png(
                svg,
                PngOptions {
                    scale: 100.0,
                    ..Default::default()
                }
            )
            .is_ok()
        );
    }
}
