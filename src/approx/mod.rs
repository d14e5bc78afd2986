//! Shared approximations the kernels are built from.

pub(crate) mod div;
pub(crate) mod exp;
pub(crate) mod wide64;
