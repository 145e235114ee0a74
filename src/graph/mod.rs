//! Stage 5: the module graph and the architecture analyses over it (fan-in/out, cycles,
//! cohesion, layer rules). Built from per-file facts after every file is measured.

pub mod facts;
pub mod model;
pub mod resolve;
