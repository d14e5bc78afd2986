//! The crate's one error type.

use core::fmt;

/// Why a slice function refused its arguments. When a function returns
/// `Err`, it has written nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Error {
    /// The output slice's length differs from the input's.
    LengthMismatch {
        /// Length of the input slice.
        input: usize,
        /// Length of the output slice.
        output: usize,
    },
    /// A row length of zero, or one that does not divide the slice length.
    InvalidRowLength {
        /// Length of the whole (batch) slice.
        len: usize,
        /// The row length that was asked for.
        row_len: usize,
    },
    /// A [`Level`](crate::Level) this CPU cannot run was asked for.
    UnsupportedLevel {
        /// The level that was asked for.
        level: crate::Level,
    },
    /// A parameter that must be finite (such as ELU's `alpha`) is NaN or
    /// infinite.
    InvalidParameter {
        /// The parameter's name as the function's documentation spells it.
        name: &'static str,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Error::LengthMismatch { input, output } => write!(
                f,
                "output length {output} does not match input length {input}"
            ),
            Error::InvalidRowLength { len, row_len: 0 } => {
                write!(f, "row length is zero (slice length {len})")
            }
            Error::InvalidRowLength { len, row_len } => {
                write!(f, "row length {row_len} does not divide slice length {len}")
            }
            Error::UnsupportedLevel { level } => {
                write!(f, "this CPU cannot run instruction-set level {level}")
            }
            Error::InvalidParameter { name } => write!(f, "parameter {name} must be finite"),
        }
    }
}

impl core::error::Error for Error {}

/// `Ok` when `input` and `output` have the same length.
#[inline]
pub(crate) fn check_lengths(input: usize, output: usize) -> Result<(), Error> {
    if input == output {
        Ok(())
    } else {
        Err(Error::LengthMismatch { input, output })
    }
}

/// `Ok` when `row_len` is non-zero and divides `len`.
#[inline]
pub(crate) fn check_rows(len: usize, row_len: usize) -> Result<(), Error> {
    if row_len != 0 && len.is_multiple_of(row_len) {
        Ok(())
    } else {
        Err(Error::InvalidRowLength { len, row_len })
    }
}

/// `Ok` when `a`, `b` and `c` all have the length `a`; else the first
/// mismatch as [`Error::LengthMismatch`] with `input: a` (the backward
/// functions: the forward tensor, then the incoming gradient, then the
/// gradient written).
#[inline]
pub(crate) fn check_lengths3(a: usize, b: usize, c: usize) -> Result<(), Error> {
    check_lengths(a, b)?;
    check_lengths(a, c)
}
