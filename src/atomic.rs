//! Files replaced whole or not at all: a reader (the hook, a platform loading its hook file) sees
//! the old contents or the new, never half a file, and a failed write leaves nothing behind.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Writes `contents` to `path` through a temporary file in the same directory (a rename is atomic
/// only within one file system), synced before it is renamed over `path`. The directory must
/// exist. On failure the temporary file is removed and `path` is as it was.
pub fn write(path: &Path, contents: &[u8]) -> io::Result<()> {
    let (tmp, mut file) = create_temp(path)?;
    let result = file
        .write_all(contents)
        .and_then(|()| file.sync_all())
        .and_then(|()| {
            drop(file);
            std::fs::rename(&tmp, path)
        });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
        return result;
    }
    // The rename is durable once the directory is synced. The new file is in place either way,
    // so a failure here is not the caller's to handle.
    #[cfg(unix)]
    if let Ok(dir) = File::open(dir_of(path)) {
        let _ = dir.sync_all();
    }
    Ok(())
}

fn dir_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// A new file `.NAME.PID.N.tmp` beside `path`. The process id and a counter keep two writers
/// (two processes, or two threads of one) apart; `create_new` never reuses a leftover of a
/// crashed run, it moves on to the next name.
fn create_temp(path: &Path) -> io::Result<(PathBuf, File)> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let dir = dir_of(path);
    let mut tries = 0;
    loop {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && tries < 100 => tries += 1,
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::write;
    use std::path::{Path, PathBuf};

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("so-hook-atomic-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn entries(d: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_file_is_created_then_replaced_and_no_temp_file_stays() {
        let d = dir("replace");
        let f = d.join("hooks.json");
        write(&f, b"{\"a\": 1}\n").unwrap();
        assert_eq!(std::fs::read_to_string(&f).unwrap(), "{\"a\": 1}\n");
        write(&f, b"{}\n").unwrap();
        assert_eq!(std::fs::read_to_string(&f).unwrap(), "{}\n");
        assert_eq!(entries(&d), ["hooks.json"]);
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn a_failed_rename_removes_the_temp_file() {
        let d = dir("fail");
        // A non-empty directory where the file should go: the rename fails.
        let f = d.join("wave-scope.json");
        std::fs::create_dir_all(f.join("inside")).unwrap();
        assert!(write(&f, b"{}").is_err());
        assert_eq!(entries(&d), ["wave-scope.json"]);
        assert!(f.join("inside").is_dir());
        // A directory that does not exist: nothing to clean up, only the error.
        assert!(write(&d.join("missing/x.json"), b"{}").is_err());
        let _ = std::fs::remove_dir_all(&d);
    }
}
