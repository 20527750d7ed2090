//! Write: put generated files on disk, or compare them with what is there.
