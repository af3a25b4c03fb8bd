//! Files only the service's own user may read (mode 0600): the JWT secret, the signing key.

use std::fs;
use std::io::Write;
use std::path::Path;

fn options() -> fs::OpenOptions {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}

/// Writes a new file with mode 0600, creating its folder; fails if the file exists.
pub fn create(path: &Path, contents: &[u8]) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    let mut file = options()
        .open(path)
        .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    file.write_all(contents)
        .and_then(|()| file.sync_all())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Replaces a file at once (a new one with mode 0600 renamed over it), so that a reader
/// sees the old contents or the new, never a part.
pub fn replace(path: &Path, contents: &[u8]) -> Result<(), String> {
    let staged = path.with_extension("new");
    let _ = fs::remove_file(&staged);
    create(&staged, contents)?;
    fs::rename(&staged, path).map_err(|e| format!("cannot replace {}: {e}", path.display()))
}
