//! Stage 5: the module graph and the architecture analyses over it (fan-in/out, cycles,
//! cohesion, layer rules). Built from the per-file facts ([`crate::facts`]) after every file
//! is measured; drawn by `report::graph`.

pub mod architecture;
pub mod cohesion;
pub mod cycles;
pub mod fan;
pub mod model;
pub mod resolve;
pub mod rules;
pub mod scc;
pub mod settings;
pub mod view;
