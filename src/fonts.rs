//! The fonts prikaz draws with, compiled into the binary so that output never
//! depends on the fonts of the machine: Liberation Serif (the metric twin of
//! Times New Roman) in four styles, and DejaVu Sans for symbols Liberation
//! Serif lacks (✓). Their licences are in `fonts/`. The Typst writer sets text
//! with them; the coat of arms (an SVG may hold text) is drawn with them too.

pub const BUNDLED: &[&[u8]] = &[
    include_bytes!("../fonts/LiberationSerif-Regular.ttf"),
    include_bytes!("../fonts/LiberationSerif-Bold.ttf"),
    include_bytes!("../fonts/LiberationSerif-Italic.ttf"),
    include_bytes!("../fonts/LiberationSerif-BoldItalic.ttf"),
    include_bytes!("../fonts/DejaVuSans.ttf"),
];
