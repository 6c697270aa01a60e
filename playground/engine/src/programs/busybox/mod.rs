//! busybox's applets.

pub(crate) mod printf;
