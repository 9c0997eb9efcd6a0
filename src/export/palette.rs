//! Colour ramps for maps: ColorBrewer sequential and diverging schemes and viridis /
//! cividis, all readable with the common colour-vision deficiencies.

/// A named colour scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Scheme {
    /// ColorBrewer yellow-orange-red (sequential).
    YlOrRd,
    /// ColorBrewer yellow-green-blue (sequential; sigmap's default).
    YlGnBu,
    /// ColorBrewer blues (sequential).
    Blues,
    /// ColorBrewer purple-blue (sequential).
    PuBu,
    /// ColorBrewer greens (sequential).
    Greens,
    /// ColorBrewer purples (sequential).
    Purples,
    /// ColorBrewer orange-red (sequential).
    OrRd,
    /// ColorBrewer reds (sequential).
    Reds,
    /// ColorBrewer red-blue (diverging).
    RdBu,
    /// ColorBrewer purple-orange (diverging).
    PuOr,
    /// ColorBrewer brown-blue-green (diverging).
    BrBG,
    /// ColorBrewer red-yellow-blue (diverging).
    RdYlBu,
    /// viridis (matplotlib; perceptually uniform, sequential).
    Viridis,
    /// cividis (perceptually uniform and optimised for colour-vision deficiency).
    Cividis,
}

impl Scheme {
    /// Every scheme.
    pub const ALL: [Scheme; 14] = [
        Scheme::YlOrRd,
        Scheme::YlGnBu,
        Scheme::Blues,
        Scheme::PuBu,
        Scheme::Greens,
        Scheme::Purples,
        Scheme::OrRd,
        Scheme::Reds,
        Scheme::RdBu,
        Scheme::PuOr,
        Scheme::BrBG,
        Scheme::RdYlBu,
        Scheme::Viridis,
        Scheme::Cividis,
    ];

    /// The name as ColorBrewer and matplotlib spell it (`YlOrRd`, `viridis`).
    pub fn name(self) -> &'static str {
        match self {
            Scheme::YlOrRd => "YlOrRd",
            Scheme::YlGnBu => "YlGnBu",
            Scheme::Blues => "Blues",
            Scheme::PuBu => "PuBu",
            Scheme::Greens => "Greens",
            Scheme::Purples => "Purples",
            Scheme::OrRd => "OrRd",
            Scheme::Reds => "Reds",
            Scheme::RdBu => "RdBu",
            Scheme::PuOr => "PuOr",
            Scheme::BrBG => "BrBG",
            Scheme::RdYlBu => "RdYlBu",
            Scheme::Viridis => "viridis",
            Scheme::Cividis => "cividis",
        }
    }

    /// True for the two-sided schemes (a neutral middle between two hues).
    pub fn is_diverging(self) -> bool {
        matches!(
            self,
            Scheme::RdBu | Scheme::PuOr | Scheme::BrBG | Scheme::RdYlBu
        )
    }

    /// Tables for k = `first`, `first + 1`, ...
    fn tables(self) -> (usize, &'static [&'static [&'static str]]) {
        use data::*;
        match self {
            Scheme::YlOrRd => (3, &YLORRD),
            Scheme::YlGnBu => (3, &YLGNBU),
            Scheme::Blues => (3, &BLUES),
            Scheme::PuBu => (3, &PUBU),
            Scheme::Greens => (3, &GREENS),
            Scheme::Purples => (3, &PURPLES),
            Scheme::OrRd => (3, &ORRD),
            Scheme::Reds => (3, &REDS),
            Scheme::RdBu => (3, &RDBU),
            Scheme::PuOr => (3, &PUOR),
            Scheme::BrBG => (3, &BRBG),
            Scheme::RdYlBu => (3, &RDYLBU),
            Scheme::Viridis => (2, &VIRIDIS),
            Scheme::Cividis => (2, &CIVIDIS),
        }
    }

    /// The most classes the scheme has colours for (9 sequential, 11 diverging).
    pub fn max_classes(self) -> usize {
        let (first, t) = self.tables();
        first + t.len() - 1
    }
}

/// A colour scheme, possibly reversed (the `_r` suffix, as in matplotlib).
///
/// # Examples
/// ```
/// use sigmap::export::{Palette, Scheme};
/// let p: Palette = "RdBu_r".parse()?;
/// assert_eq!(p, Palette::new(Scheme::RdBu).reversed());
/// assert_eq!(Palette::new(Scheme::YlOrRd).colours(3), ["#ffeda0", "#feb24c", "#f03b20"]);
/// # Ok::<(), String>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Palette {
    /// The scheme.
    pub scheme: Scheme,
    /// Dark to light instead of light to dark (sequential), or the hues swapped (diverging).
    pub is_reversed: bool,
}

impl Default for Palette {
    fn default() -> Self {
        Palette::new(Scheme::YlGnBu)
    }
}

impl Palette {
    /// The scheme, in its usual direction.
    pub fn new(scheme: Scheme) -> Self {
        Palette {
            scheme,
            is_reversed: false,
        }
    }

    /// The scheme the other way round.
    #[must_use]
    pub fn reversed(mut self) -> Self {
        self.is_reversed = !self.is_reversed;
        self
    }

    /// `k` colours from light to dark (sequential) or from one hue through the neutral
    /// middle to the other (diverging); `k` is clamped to 1..=[`Scheme::max_classes`].
    pub fn colours(self, k: usize) -> Vec<&'static str> {
        let (first, tables) = self.scheme.tables();
        let k = k.clamp(1, self.scheme.max_classes());
        let mut c: Vec<&'static str> = if k >= first {
            tables[k - first].to_vec()
        } else {
            let t = tables[0];
            match k {
                1 => vec![t[t.len() / 2]],
                _ => vec![t[0], t[t.len() - 1]],
            }
        };
        if self.is_reversed {
            c.reverse();
        }
        c
    }

    /// Colours for classes on either side of a centre: `below` classes under it and
    /// `above` over it, the palest nearest the centre (a diverging scheme's two arms; a
    /// sequential scheme is used as it is).
    pub fn diverging_colours(self, below: usize, above: usize) -> Vec<&'static str> {
        if !self.scheme.is_diverging() {
            return self.colours(below + above);
        }
        let arm = below.max(above).clamp(1, self.scheme.max_classes() / 2);
        let all = self.colours(2 * arm);
        let all = if all.len() < 2 * arm {
            // two classes: the 3-colour table without its middle
            self.colours(3).into_iter().step_by(2).collect()
        } else {
            all
        };
        let below = below.min(arm);
        let above = above.min(arm);
        all[arm - below..arm + above].to_vec()
    }
}

impl std::fmt::Display for Palette {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.scheme.name())?;
        if self.is_reversed {
            f.write_str("_r")?;
        }
        Ok(())
    }
}

impl std::str::FromStr for Palette {
    type Err = String;
    /// Parses a scheme name, case-insensitively, with an optional `_r` suffix.
    fn from_str(s: &str) -> Result<Self, String> {
        let (name, reversed) = match s.strip_suffix("_r") {
            Some(n) => (n, true),
            None => (s, false),
        };
        let scheme = Scheme::ALL
            .into_iter()
            .find(|x| x.name().eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                let names: Vec<_> = Scheme::ALL.iter().map(|x| x.name()).collect();
                format!(
                    "unknown palette `{s}` (expected one of {}, with _r to reverse)",
                    names.join(", ")
                )
            })?;
        let p = Palette::new(scheme);
        Ok(if reversed { p.reversed() } else { p })
    }
}

#[rustfmt::skip]
mod data {

    pub(super) const YLORRD: [&[&str]; 7] = [
        &["#ffeda0", "#feb24c", "#f03b20"],
        &["#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"],
        &["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"],
        &["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"],
        &["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"],
        &["#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"],
        &["#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#bd0026", "#800026"],
    ];

    pub(super) const YLGNBU: [&[&str]; 7] = [
        &["#edf8b1", "#7fcdbb", "#2c7fb8"],
        &["#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"],
        &["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"],
        &["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"],
        &["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"],
        &["#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"],
        &["#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#253494", "#081d58"],
    ];

    pub(super) const BLUES: [&[&str]; 7] = [
        &["#deebf7", "#9ecae1", "#3182bd"],
        &["#eff3ff", "#bdd7e7", "#6baed6", "#2171b5"],
        &["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"],
        &["#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"],
        &["#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"],
        &["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"],
        &["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"],
    ];

    pub(super) const PUBU: [&[&str]; 7] = [
        &["#ece7f2", "#a6bddb", "#2b8cbe"],
        &["#f1eef6", "#bdc9e1", "#74a9cf", "#0570b0"],
        &["#f1eef6", "#bdc9e1", "#74a9cf", "#2b8cbe", "#045a8d"],
        &["#f1eef6", "#d0d1e6", "#a6bddb", "#74a9cf", "#2b8cbe", "#045a8d"],
        &["#f1eef6", "#d0d1e6", "#a6bddb", "#74a9cf", "#3690c0", "#0570b0", "#034e7b"],
        &["#fff7fb", "#ece7f2", "#d0d1e6", "#a6bddb", "#74a9cf", "#3690c0", "#0570b0", "#034e7b"],
        &["#fff7fb", "#ece7f2", "#d0d1e6", "#a6bddb", "#74a9cf", "#3690c0", "#0570b0", "#045a8d", "#023858"],
    ];

    pub(super) const GREENS: [&[&str]; 7] = [
        &["#e5f5e0", "#a1d99b", "#31a354"],
        &["#edf8e9", "#bae4b3", "#74c476", "#238b45"],
        &["#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"],
        &["#edf8e9", "#c7e9c0", "#a1d99b", "#74c476", "#31a354", "#006d2c"],
        &["#edf8e9", "#c7e9c0", "#a1d99b", "#74c476", "#41ab5d", "#238b45", "#005a32"],
        &["#f7fcf5", "#e5f5e0", "#c7e9c0", "#a1d99b", "#74c476", "#41ab5d", "#238b45", "#005a32"],
        &["#f7fcf5", "#e5f5e0", "#c7e9c0", "#a1d99b", "#74c476", "#41ab5d", "#238b45", "#006d2c", "#00441b"],
    ];

    pub(super) const PURPLES: [&[&str]; 7] = [
        &["#efedf5", "#bcbddc", "#756bb1"],
        &["#f2f0f7", "#cbc9e2", "#9e9ac8", "#6a51a3"],
        &["#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"],
        &["#f2f0f7", "#dadaeb", "#bcbddc", "#9e9ac8", "#756bb1", "#54278f"],
        &["#f2f0f7", "#dadaeb", "#bcbddc", "#9e9ac8", "#807dba", "#6a51a3", "#4a1486"],
        &["#fcfbfd", "#efedf5", "#dadaeb", "#bcbddc", "#9e9ac8", "#807dba", "#6a51a3", "#4a1486"],
        &["#fcfbfd", "#efedf5", "#dadaeb", "#bcbddc", "#9e9ac8", "#807dba", "#6a51a3", "#54278f", "#3f007d"],
    ];

    pub(super) const ORRD: [&[&str]; 7] = [
        &["#fee8c8", "#fdbb84", "#e34a33"],
        &["#fef0d9", "#fdcc8a", "#fc8d59", "#d7301f"],
        &["#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000"],
        &["#fef0d9", "#fdd49e", "#fdbb84", "#fc8d59", "#e34a33", "#b30000"],
        &["#fef0d9", "#fdd49e", "#fdbb84", "#fc8d59", "#ef6548", "#d7301f", "#990000"],
        &["#fff7ec", "#fee8c8", "#fdd49e", "#fdbb84", "#fc8d59", "#ef6548", "#d7301f", "#990000"],
        &["#fff7ec", "#fee8c8", "#fdd49e", "#fdbb84", "#fc8d59", "#ef6548", "#d7301f", "#b30000", "#7f0000"],
    ];

    pub(super) const REDS: [&[&str]; 7] = [
        &["#fee0d2", "#fc9272", "#de2d26"],
        &["#fee5d9", "#fcae91", "#fb6a4a", "#cb181d"],
        &["#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"],
        &["#fee5d9", "#fcbba1", "#fc9272", "#fb6a4a", "#de2d26", "#a50f15"],
        &["#fee5d9", "#fcbba1", "#fc9272", "#fb6a4a", "#ef3b2c", "#cb181d", "#99000d"],
        &["#fff5f0", "#fee0d2", "#fcbba1", "#fc9272", "#fb6a4a", "#ef3b2c", "#cb181d", "#99000d"],
        &["#fff5f0", "#fee0d2", "#fcbba1", "#fc9272", "#fb6a4a", "#ef3b2c", "#cb181d", "#a50f15", "#67000d"],
    ];

    pub(super) const RDBU: [&[&str]; 9] = [
        &["#ef8a62", "#f7f7f7", "#67a9cf"],
        &["#ca0020", "#f4a582", "#92c5de", "#0571b0"],
        &["#ca0020", "#f4a582", "#f7f7f7", "#92c5de", "#0571b0"],
        &["#b2182b", "#ef8a62", "#fddbc7", "#d1e5f0", "#67a9cf", "#2166ac"],
        &["#b2182b", "#ef8a62", "#fddbc7", "#f7f7f7", "#d1e5f0", "#67a9cf", "#2166ac"],
        &["#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#d1e5f0", "#92c5de", "#4393c3", "#2166ac"],
        &["#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#f7f7f7", "#d1e5f0", "#92c5de", "#4393c3", "#2166ac"],
        &["#67001f", "#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#d1e5f0", "#92c5de", "#4393c3", "#2166ac", "#053061"],
        &["#67001f", "#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#f7f7f7", "#d1e5f0", "#92c5de", "#4393c3", "#2166ac", "#053061"],
    ];

    pub(super) const PUOR: [&[&str]; 9] = [
        &["#998ec3", "#f7f7f7", "#f1a340"],
        &["#5e3c99", "#b2abd2", "#fdb863", "#e66101"],
        &["#5e3c99", "#b2abd2", "#f7f7f7", "#fdb863", "#e66101"],
        &["#542788", "#998ec3", "#d8daeb", "#fee0b6", "#f1a340", "#b35806"],
        &["#542788", "#998ec3", "#d8daeb", "#f7f7f7", "#fee0b6", "#f1a340", "#b35806"],
        &["#542788", "#8073ac", "#b2abd2", "#d8daeb", "#fee0b6", "#fdb863", "#e08214", "#b35806"],
        &["#542788", "#8073ac", "#b2abd2", "#d8daeb", "#f7f7f7", "#fee0b6", "#fdb863", "#e08214", "#b35806"],
        &["#2d004b", "#542788", "#8073ac", "#b2abd2", "#d8daeb", "#fee0b6", "#fdb863", "#e08214", "#b35806", "#7f3b08"],
        &["#2d004b", "#542788", "#8073ac", "#b2abd2", "#d8daeb", "#f7f7f7", "#fee0b6", "#fdb863", "#e08214", "#b35806", "#7f3b08"],
    ];

    pub(super) const BRBG: [&[&str]; 9] = [
        &["#d8b365", "#f5f5f5", "#5ab4ac"],
        &["#a6611a", "#dfc27d", "#80cdc1", "#018571"],
        &["#a6611a", "#dfc27d", "#f5f5f5", "#80cdc1", "#018571"],
        &["#8c510a", "#d8b365", "#f6e8c3", "#c7eae5", "#5ab4ac", "#01665e"],
        &["#8c510a", "#d8b365", "#f6e8c3", "#f5f5f5", "#c7eae5", "#5ab4ac", "#01665e"],
        &["#8c510a", "#bf812d", "#dfc27d", "#f6e8c3", "#c7eae5", "#80cdc1", "#35978f", "#01665e"],
        &["#8c510a", "#bf812d", "#dfc27d", "#f6e8c3", "#f5f5f5", "#c7eae5", "#80cdc1", "#35978f", "#01665e"],
        &["#543005", "#8c510a", "#bf812d", "#dfc27d", "#f6e8c3", "#c7eae5", "#80cdc1", "#35978f", "#01665e", "#003c30"],
        &["#543005", "#8c510a", "#bf812d", "#dfc27d", "#f6e8c3", "#f5f5f5", "#c7eae5", "#80cdc1", "#35978f", "#01665e", "#003c30"],
    ];

    pub(super) const RDYLBU: [&[&str]; 9] = [
        &["#fc8d59", "#ffffbf", "#91bfdb"],
        &["#d7191c", "#fdae61", "#abd9e9", "#2c7bb6"],
        &["#d7191c", "#fdae61", "#ffffbf", "#abd9e9", "#2c7bb6"],
        &["#d73027", "#fc8d59", "#fee090", "#e0f3f8", "#91bfdb", "#4575b4"],
        &["#d73027", "#fc8d59", "#fee090", "#ffffbf", "#e0f3f8", "#91bfdb", "#4575b4"],
        &["#d73027", "#f46d43", "#fdae61", "#fee090", "#e0f3f8", "#abd9e9", "#74add1", "#4575b4"],
        &["#d73027", "#f46d43", "#fdae61", "#fee090", "#ffffbf", "#e0f3f8", "#abd9e9", "#74add1", "#4575b4"],
        &["#a50026", "#d73027", "#f46d43", "#fdae61", "#fee090", "#e0f3f8", "#abd9e9", "#74add1", "#4575b4", "#313695"],
        &["#a50026", "#d73027", "#f46d43", "#fdae61", "#fee090", "#ffffbf", "#e0f3f8", "#abd9e9", "#74add1", "#4575b4", "#313695"],
    ];

    pub(super) const VIRIDIS: [&[&str]; 10] = [
        &["#440154", "#fde725"],
        &["#440154", "#21918c", "#fde725"],
        &["#440154", "#31688e", "#35b779", "#fde725"],
        &["#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"],
        &["#440154", "#414487", "#2a788e", "#22a884", "#7ad151", "#fde725"],
        &["#440154", "#443983", "#31688e", "#21918c", "#35b779", "#90d743", "#fde725"],
        &["#440154", "#46327e", "#365c8d", "#277f8e", "#1fa187", "#4ac16d", "#a0da39", "#fde725"],
        &["#440154", "#472d7b", "#3b528b", "#2c728e", "#21918c", "#28ae80", "#5ec962", "#addc30", "#fde725"],
        &["#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725"],
        &["#440154", "#482475", "#414487", "#355f8d", "#2a788e", "#21918c", "#22a884", "#44bf70", "#7ad151", "#bddf26", "#fde725"],
    ];

    pub(super) const CIVIDIS: [&[&str]; 10] = [
        &["#002051", "#fdea45"],
        &["#002051", "#7f7c75", "#fdea45"],
        &["#002051", "#575c6e", "#a49d78", "#fdea45"],
        &["#002051", "#3c4d6e", "#7f7c75", "#bbaf71", "#fdea45"],
        &["#002051", "#2b446e", "#696970", "#948f78", "#caba6a", "#fdea45"],
        &["#002051", "#1f3e6e", "#575c6e", "#7f7c75", "#a49d78", "#d5c164", "#fdea45"],
        &["#002051", "#173a6d", "#48546d", "#706e71", "#8e8978", "#b1a775", "#ddc75f", "#fdea45"],
        &["#002051", "#11366c", "#3c4d6e", "#62646f", "#7f7c75", "#9a9478", "#bbaf71", "#e2cb5c", "#fdea45"],
        &["#002051", "#0d346b", "#33486e", "#575c6e", "#737172", "#8b8677", "#a49d78", "#c3b56d", "#e6cf59", "#fdea45"],
        &["#002051", "#0a326a", "#2b446e", "#4d566d", "#696970", "#7f7c75", "#948f78", "#ada476", "#caba6a", "#ead156", "#fdea45"],
    ];

}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scheme_has_every_class_count() {
        for s in Scheme::ALL {
            let p = Palette::new(s);
            for k in 1..=s.max_classes() {
                let c = p.colours(k);
                assert_eq!(c.len(), k, "{s:?} {k}");
                assert!(c.iter().all(|c| c.len() == 7 && c.starts_with('#')));
            }
            assert_eq!(s.name().parse::<Palette>(), Ok(p));
        }
        assert_eq!(Scheme::RdBu.max_classes(), 11);
        assert_eq!(Scheme::Blues.max_classes(), 9);
        assert!("Rainbow".parse::<Palette>().is_err());
        assert_eq!("ylorrd".parse::<Palette>().unwrap().scheme, Scheme::YlOrRd);
    }

    #[test]
    fn diverging_arms_meet_in_the_middle() {
        let p = Palette::new(Scheme::RdBu);
        // RdBu with 4 classes: #ca0020 #f4a582 | #92c5de #0571b0
        assert_eq!(
            p.diverging_colours(2, 2),
            ["#ca0020", "#f4a582", "#92c5de", "#0571b0"]
        );
        assert_eq!(
            p.diverging_colours(1, 3),
            ["#fddbc7", "#d1e5f0", "#67a9cf", "#2166ac"]
        );
        assert_eq!(p.diverging_colours(1, 1).len(), 2);
        assert_eq!(Palette::new(Scheme::Blues).diverging_colours(2, 3).len(), 5);
    }
}
