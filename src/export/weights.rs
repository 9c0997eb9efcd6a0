//! GAL and GWT files written in place safely (the text is [`Weights::to_text`]).

use crate::error::Result;
use crate::inputs::areas::Areas;
use crate::weights::{Weights, WeightsFormat};
use std::path::Path;

impl Weights {
    /// Writes these weights to a GAL or GWT file (see [`Weights::to_text`]).
    ///
    /// # Errors
    /// As [`Weights::to_text`]; [`Error::Io`](crate::Error::Io) if the file cannot be written.
    pub fn write_to_path(
        &self,
        path: impl AsRef<Path>,
        format: WeightsFormat,
        areas: &Areas,
    ) -> Result<()> {
        let path = path.as_ref();
        let text = self.to_text(format, areas)?;
        super::write_atomically(path, |w| w.write_all(text.as_bytes()))
    }
}
