//! dyad's event model: the shared vocabulary of every pipeline stage.
//!
//! - [`actor_roles`]: what the 3-letter segments of a CAMEO actor code are
//!   (roles, organisation types, religions), loaded from the data file
//!   `crates/dyad-core/data/actor_roles.tsv`; the one source for splitting actor codes and
//!   for an actor's country.
//! - [`cameo`]: the CAMEO codebook (code, root, QuadClass, Goldstein value,
//!   PLOVER class), loaded from the data file `data/cameo/codebook.tsv`.
//! - [`event`]: the event record written by `dyad code` as JSON Lines. Its
//!   base fields are a fixed schema; later stages add optional fields only.
#![warn(missing_docs)]

pub mod actor_roles;
pub mod cameo;
pub mod event;

pub use cameo::{CameoCode, Codebook, CodebookError, Plover};
pub use event::{Actor, Event, EventCode, Evidence};
