//! Writing files so that a failure or an interrupt never leaves a truncated file, a stray
//! temporary, or a replaced device behind.
//!
//! A file is written to a temporary in the same directory and renamed over its target, so a
//! reader sees the old file or the new one, never half of one. The target is looked at first:
//! a symlink is followed to the file it names (the link stays a link); what is not a regular
//! file is written in place if it is a character device (`/dev/null`, a terminal) and refused
//! otherwise (a directory, a FIFO, a socket, a block device), because renaming over it would
//! replace it; and the new file keeps the old one's permissions. Temporary names are short
//! (`.bg-PID-N.tmp`) whatever the target is called, so every name the file system takes can
//! be written. Each temporary is registered while it exists, so that a signal handler can
//! delete them all with [`remove_temporaries`] before the process ends.

use std::fs::{File, Metadata, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Why a file or directory could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The target is something bonegraph will not replace or write into: `-o /tmp` (a
    /// directory), `-o pipe` where `pipe` was made with `mkfifo`.
    #[error("cannot write `{}`: {what}", path.display())]
    Refused {
        /// The target as the user gave it.
        path: PathBuf,
        /// What it is, as a phrase: `it is a named pipe (FIFO)`.
        what: &'static str,
        /// What to do instead.
        help: &'static str,
    },
    /// A directory to be made exists and is not an empty directory: `export csv -o graph.ron`.
    #[error("`{}` {reason}; give a new or an empty directory", path.display())]
    DirectoryInUse {
        /// The target as the user gave it.
        path: PathBuf,
        /// What is there: `is a directory that is not empty`.
        reason: &'static str,
    },
    /// Creating, writing, or renaming failed: `-o missing/dir/out.dot`, a full disk.
    #[error("cannot write `{}`: {}", path.display(), describe_io_error(source))]
    Io {
        /// The target as the user gave it.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: io::Error,
    },
}

impl WriteError {
    /// What to do instead, for the refusals that have an answer.
    pub fn help(&self) -> Option<&'static str> {
        match self {
            WriteError::Refused { help, .. } => Some(help),
            WriteError::DirectoryInUse { .. } | WriteError::Io { .. } => None,
        }
    }

    fn io(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
        move |source| WriteError::Io {
            path: path.to_owned(),
            source,
        }
    }
}

/// An I/O error as a lowercase phrase without its error number: `no space left on device`.
pub fn describe_io_error(e: &io::Error) -> String {
    let text = e.to_string();
    let text = match text.rfind(" (os error ") {
        Some(i) if text.ends_with(')') => &text[..i],
        _ => &text,
    };
    let mut chars = text.chars();
    match chars.next() {
        // Keep acronyms (`EOF`) as they are; lower only a capitalised first word.
        Some(c) if c.is_uppercase() && !chars.next().is_some_and(char::is_uppercase) => c
            .to_lowercase()
            .chain(text[c.len_utf8()..].chars())
            .collect(),
        _ => text.to_owned(),
    }
}

/// Writes `bytes` to `path` atomically (see the module documentation).
///
/// ```
/// let dir = std::env::temp_dir().join(format!("bonegraph-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// bonegraph::fsutil::write_atomic(&dir.join("out.txt"), b"hello")?;
/// assert_eq!(std::fs::read(dir.join("out.txt"))?, b"hello");
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    write_atomic_with(path, |file, _| file.write_all(bytes).map(|()| true))
}

/// Writes `path` atomically with `write`, which gets the open file and its path (for a
/// writer that opens the path itself; it must then write the whole file anew) and returns
/// whether to put what it wrote in place (`false`: leave the target as it was).
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut File, &Path) -> io::Result<bool>,
) -> Result<(), WriteError> {
    let target = resolve(path).map_err(WriteError::io(path))?;
    let meta = match std::fs::metadata(&target) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(WriteError::io(path)(e)),
    };
    if let Some(m) = &meta {
        if !m.is_file() {
            return write_in_place(path, &target, m, write);
        }
        // A file its owner made read-only is not replaced behind their back (as `>` would not
        // write it either).
        OpenOptions::new()
            .write(true)
            .open(&target)
            .map_err(WriteError::io(path))?;
    }
    let (tmp, mut file) =
        Temporary::file(parent(&target), meta.is_some()).map_err(WriteError::io(path))?;
    let written = (|| {
        if !write(&mut file, &tmp.path)? {
            return Ok(false);
        }
        file.flush()?;
        if let Some(m) = &meta {
            keep_owner_and_mode(&file, m);
        }
        file.sync_all()?;
        Ok(true)
    })();
    match written {
        Ok(true) => tmp.rename_to(&target).map_err(WriteError::io(path)),
        // Dropped, the temporary is deleted.
        Ok(false) => Ok(()),
        Err(e) => Err(WriteError::io(path)(e)),
    }
}

/// Makes the directory `path` atomically: `fill` creates a directory at the path it is given
/// (inside a temporary directory next to `path`) and fills it; then it is renamed to `path`.
/// `path` must not exist or be an empty directory.
pub fn create_dir_atomic<T, E>(
    path: &Path,
    fill: impl FnOnce(&Path) -> Result<T, E>,
) -> Result<T, DirError<E>> {
    let target = resolve(path)
        .map_err(WriteError::io(path))
        .map_err(DirError::Write)?;
    let in_use = |reason| {
        DirError::Write(WriteError::DirectoryInUse {
            path: path.to_owned(),
            reason,
        })
    };
    let existing = match std::fs::metadata(&target) {
        Ok(m) if !m.is_dir() => return Err(in_use("exists and is not a directory")),
        Ok(_) => {
            let mut entries = std::fs::read_dir(&target)
                .map_err(WriteError::io(path))
                .map_err(DirError::Write)?;
            if entries.next().is_some() {
                return Err(in_use("is a directory that is not empty"));
            }
            true
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => false,
        Err(e) => return Err(DirError::Write(WriteError::io(path)(e))),
    };
    let staging = Temporary::dir(parent(&target))
        .map_err(WriteError::io(path))
        .map_err(DirError::Write)?;
    // A short name inside the staging directory: `fill` may make temporaries of its own there.
    let inner = staging.path.join("out");
    let value = fill(&inner).map_err(DirError::Fill)?;
    staging
        .rename_inner(&inner, &target, existing)
        .map_err(WriteError::io(path))
        .map_err(DirError::Write)?;
    Ok(value)
}

/// Why [`create_dir_atomic`] failed: making the directory, or filling it.
#[derive(Debug)]
pub enum DirError<E> {
    /// The directory could not be made or renamed into place.
    Write(WriteError),
    /// `fill` failed.
    Fill(E),
}

/// Follows symlinks from `path` to what they finally name (which may not exist yet: a
/// dangling link is written through, as the shell's `>` does).
fn resolve(path: &Path) -> io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    // The same bound as Linux's own (ELOOP after 40 links).
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = std::fs::read_link(&p)?;
                p = match p.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            Ok(_) => return Ok(p),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(p),
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// A target that is not a regular file: a character device is written in place (renaming
/// over `/dev/null` would replace it); anything else is refused, saying what it is.
fn write_in_place(
    path: &Path,
    target: &Path,
    meta: &Metadata,
    write: impl FnOnce(&mut File, &Path) -> io::Result<bool>,
) -> Result<(), WriteError> {
    let refuse = |what, help| {
        Err(WriteError::Refused {
            path: path.to_owned(),
            what,
            help,
        })
    };
    const PIPE_HELP: &str = "bonegraph writes whole files and will not wait for a reader; \
        write to standard output and redirect it instead (`> FILE`)";
    if meta.is_dir() {
        return refuse(
            "it is a directory",
            "give a file name, such as one inside that directory",
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = meta.file_type();
        if kind.is_fifo() {
            return refuse("it is a named pipe (FIFO)", PIPE_HELP);
        }
        if kind.is_socket() {
            return refuse("it is a socket", PIPE_HELP);
        }
        if kind.is_block_device() {
            return refuse(
                "it is a block device",
                "bonegraph will not write over a disk or partition; give a file name",
            );
        }
        if kind.is_char_device() {
            let mut file = OpenOptions::new()
                .write(true)
                .open(target)
                .map_err(WriteError::io(path))?;
            return write(&mut file, target)
                .and_then(|_| file.flush())
                .map_err(WriteError::io(path));
        }
    }
    let _ = (target, write);
    refuse("it is not a regular file", "give a file name")
}

/// Gives the new file the owner (where allowed) and the permissions of the one it replaces.
fn keep_owner_and_mode(file: &File, old: &Metadata) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // Only root may give a file away; for anyone else this fails when it would change
        // something, and the file stays theirs.
        let _ = std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid()));
    }
    // After chown, which may clear the set-id bits.
    let _ = file.set_permissions(old.permissions());
}

// ------------------------------------------------------------------ temporaries

/// Every temporary in progress, so that [`remove_temporaries`] can find them.
static TEMPORARIES: Mutex<Vec<(PathBuf, bool)>> = Mutex::new(Vec::new());
/// Makes temporary names unique within the process.
static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// For tests of interrupted writes only: when set, a finished temporary waits (up to a
/// minute) before it is renamed into place, after saying so on standard error.
#[doc(hidden)]
pub static PAUSE_BEFORE_RENAME: AtomicBool = AtomicBool::new(false);

fn registry() -> MutexGuard<'static, Vec<(PathBuf, bool)>> {
    TEMPORARIES.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Deletes every temporary file and directory still in progress and stops any more from
/// being made or renamed into place; returns how many it deleted. For a signal handler that
/// is about to end the process: a writer that carries on blocks at its next step.
pub fn remove_temporaries() -> usize {
    let mut registry = registry();
    let count = registry.len();
    for (path, is_dir) in registry.drain(..) {
        remove(&path, is_dir);
    }
    // Held until the process ends.
    std::mem::forget(registry);
    count
}

fn remove(path: &Path, is_dir: bool) {
    if !is_dir {
        let _ = std::fs::remove_file(path);
        return;
    }
    // A writer may still be adding files by path: move the directory out of its way first,
    // so that nothing new lands in it while it is being emptied.
    let gone = path.with_extension("del");
    let doomed = if std::fs::rename(path, &gone).is_ok() {
        gone
    } else {
        path.to_owned()
    };
    for _ in 0..3 {
        if std::fs::remove_dir_all(&doomed).is_ok() {
            break;
        }
    }
}

/// A registered temporary file or directory; dropped before it is renamed, it is deleted.
struct Temporary {
    path: PathBuf,
    is_dir: bool,
    done: bool,
}

impl Temporary {
    fn name(dir: &Path) -> PathBuf {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        dir.join(format!(".bg-{}-{n}.tmp", std::process::id()))
    }

    /// A new temporary file in `dir`. While it replaces an existing file it is private to its
    /// owner until it takes that file's permissions.
    fn file(dir: &Path, replacing: bool) -> io::Result<(Temporary, File)> {
        let mut registry = registry();
        loop {
            let path = Temporary::name(dir);
            let mut options = OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            if replacing {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            #[cfg(not(unix))]
            let _ = replacing;
            match options.open(&path) {
                Ok(file) => {
                    registry.push((path.clone(), false));
                    let tmp = Temporary {
                        path,
                        is_dir: false,
                        done: false,
                    };
                    return Ok((tmp, file));
                }
                // Left by another process with the same id, long gone: take the next name.
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// A new temporary directory in `dir`.
    fn dir(dir: &Path) -> io::Result<Temporary> {
        let mut registry = registry();
        loop {
            let path = Temporary::name(dir);
            match std::fs::create_dir(&path) {
                Ok(()) => {
                    registry.push((path.clone(), true));
                    return Ok(Temporary {
                        path,
                        is_dir: true,
                        done: false,
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
    }

    fn pause(&self) {
        if PAUSE_BEFORE_RENAME.load(Ordering::Relaxed) {
            let _ = writeln!(
                io::stderr(),
                "paused before renaming `{}`",
                self.path.display()
            );
            std::thread::sleep(std::time::Duration::from_secs(60));
        }
    }

    /// Renames the temporary file over `target`.
    fn rename_to(mut self, target: &Path) -> io::Result<()> {
        self.pause();
        let mut registry = registry();
        std::fs::rename(&self.path, target)?;
        registry.retain(|(p, _)| *p != self.path);
        self.done = true;
        Ok(())
    }

    /// Renames `inner` (made inside this temporary directory) to `target`, replacing the
    /// empty directory there if `existing`, and removes the temporary directory.
    fn rename_inner(mut self, inner: &Path, target: &Path, existing: bool) -> io::Result<()> {
        self.pause();
        let mut registry = registry();
        if existing {
            // Not every system renames over an empty directory.
            std::fs::remove_dir(target)?;
        }
        std::fs::rename(inner, target)?;
        registry.retain(|(p, _)| *p != self.path);
        self.done = true;
        drop(registry);
        let _ = std::fs::remove_dir(&self.path);
        Ok(())
    }
}

impl Drop for Temporary {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        let mut registry = registry();
        remove(&self.path, self.is_dir);
        registry.retain(|(p, _)| *p != self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("bonegraph-fsutil-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".bg-"))
            .collect()
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_alone() {
        let dir = scratch("failed");
        let path = dir.join("out.txt");
        write_atomic(&path, b"first").unwrap();
        write_atomic(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        let e = write_atomic_with(&path, |f, _| {
            f.write_all(b"half")?;
            Err(io::Error::other("disk on fire"))
        })
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("cannot write `{}`: disk on fire", path.display())
        );
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        // A path whose parent does not exist cannot be written; nothing is left behind.
        let bad = dir.join("missing").join("out.txt");
        assert!(write_atomic(&bad, b"x").is_err());
        assert!(!bad.exists());
        assert_eq!(leftovers(&dir), Vec::<String>::new());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn io_errors_read_as_lowercase_phrases() {
        let e = io::Error::from_raw_os_error(28);
        assert_eq!(describe_io_error(&e), "no space left on device");
        assert_eq!(describe_io_error(&io::Error::other("EOF hit")), "EOF hit");
    }

    #[test]
    fn a_writer_with_nothing_to_say_changes_nothing() {
        let dir = scratch("nothing");
        let path = dir.join("history");
        std::fs::write(&path, "kept").unwrap();
        write_atomic_with(&path, |f, _| f.write_all(b"draft").map(|()| false)).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "kept");
        assert_eq!(leftovers(&dir), Vec::<String>::new());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_failed_fill_leaves_no_directory_behind() {
        let dir = scratch("dir");
        let target = dir.join("csv");
        let e = create_dir_atomic(&target, |inner| {
            std::fs::create_dir(inner)?;
            std::fs::write(inner.join("a.csv"), "a")?;
            Err::<(), io::Error>(io::Error::other("no"))
        })
        .unwrap_err();
        assert!(matches!(e, DirError::Fill(_)));
        assert!(!target.exists());
        assert_eq!(leftovers(&dir), Vec::<String>::new());
        create_dir_atomic(&target, |inner| {
            std::fs::create_dir(inner)?;
            std::fs::write(inner.join("a.csv"), "a")
        })
        .unwrap();
        assert_eq!(std::fs::read_to_string(target.join("a.csv")).unwrap(), "a");
        assert_eq!(leftovers(&dir), Vec::<String>::new());
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// Why [`write_csv_dir`] or `write_parquet_dir` failed.
#[derive(Debug)]
pub enum ExportDirError<E> {
    /// The directory could not be made or put in place.
    Write(WriteError),
    /// The export itself failed (a name it cannot write, or I/O while writing a file).
    Export(E),
}

/// Why [`write_csv_dir`] failed.
pub type CsvDirError = ExportDirError<bonegraph::interchange::pg::PgError>;

/// Writes an export's files as the directory `dir`, which must not exist or be empty: `write`
/// gets an `open` that creates a file in a short-named staging directory beside `dir` and a
/// `close` that syncs it (and makes it executable if its name is in `executable`); then the
/// staging directory is renamed into place, so that an error or an interrupt leaves either
/// the whole directory or nothing.
fn write_export_dir<T, E: From<io::Error>>(
    dir: &Path,
    executable: &[&str],
    write: impl FnOnce(
        &mut dyn FnMut(&str) -> io::Result<File>,
        &mut dyn FnMut(&str, File) -> io::Result<()>,
    ) -> Result<T, E>,
) -> Result<T, ExportDirError<E>> {
    create_dir_atomic(dir, |inner| {
        std::fs::create_dir(inner)?;
        write(
            &mut |name| File::create(inner.join(name)),
            &mut |name, file| {
                file.sync_all()?;
                #[cfg(unix)]
                if executable.contains(&name) {
                    use std::os::unix::fs::PermissionsExt;
                    std::fs::set_permissions(
                        inner.join(name),
                        std::fs::Permissions::from_mode(0o755),
                    )?;
                }
                #[cfg(not(unix))]
                let _ = (name, executable);
                Ok(())
            },
        )
    })
    .map_err(|e| match e {
        DirError::Write(w) => ExportDirError::Write(w),
        DirError::Fill(e) => ExportDirError::Export(e),
    })
}

/// Writes the graph's CSV export (see [`bonegraph::interchange::pg::write_csv`]) as the
/// directory `dir`, atomically (see `write_export_dir`). The Neo4j script is executable.
pub fn write_csv_dir(
    kg: &bonegraph::KnowledgeGraph,
    dir: &Path,
) -> Result<bonegraph::interchange::pg::CsvExport, CsvDirError> {
    use bonegraph::interchange::pg;
    write_export_dir(dir, &[pg::NEO4J_SCRIPT], |open, close| {
        pg::write_csv(kg, open, close)
    })
}

/// Writes the graph's tables for SQL engines (see
/// [`bonegraph::interchange::parquet::write_parquet`]) as the directory `dir`, atomically
/// (see `write_export_dir`).
#[cfg(feature = "parquet")]
pub fn write_parquet_dir(
    kg: &bonegraph::KnowledgeGraph,
    dir: &Path,
) -> Result<
    bonegraph::interchange::parquet::ParquetExport,
    ExportDirError<bonegraph::interchange::parquet::ParquetError>,
> {
    write_export_dir(dir, &[], |open, close| {
        bonegraph::interchange::parquet::write_parquet(kg, open, close)
    })
}
