//! The data folder as a whole, on real files: restoring a backup (checked first, applied on
//! the next open, the previous database kept) and moving the data to another folder.

#[allow(dead_code)]
#[path = "../orders/support.rs"]
mod support;

/// The engine tests' helpers (`snapshot`: every row of every table).
#[allow(dead_code)]
#[path = "../engine/support.rs"]
mod desk;

mod moving;
mod restore;
