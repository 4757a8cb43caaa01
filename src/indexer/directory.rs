//! The tantivy directory of a generation, made shareable.
//!
//! tantivy's `MmapDirectory` writes `meta.json` and `.managed.json` through a
//! temporary file, which is created owner-only (mode 0600) whatever the
//! umask: another user of the machine, or of a copied or mounted index, could
//! then not open the index at all. And every reader takes tantivy's meta lock
//! by opening a lock file for writing, which fails on a read-only mount or in
//! a folder the reader may not write.
//!
//! [`IndexDirectory`] wraps `MmapDirectory` to write those two files as
//! every other file is written (the umask decides), and lets a reader that
//! cannot take the lock go on without it. The lock only keeps a writer's
//! clean-up from deleting files of a commit that a reader is opening; a
//! reader without it retries when that happens (see `snapshot_of`).

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};
use tantivy::{Directory, Index};

use crate::error::Result;

/// An `MmapDirectory` whose files any reader of the folder can read.
#[derive(Debug, Clone)]
pub(crate) struct IndexDirectory {
    inner: MmapDirectory,
    root: PathBuf,
}

impl IndexDirectory {
    fn open(root: &Path) -> Result<IndexDirectory> {
        let inner = MmapDirectory::open(root).map_err(tantivy::TantivyError::from)?;
        Ok(IndexDirectory {
            inner,
            root: root.to_path_buf(),
        })
    }
}

/// Opens the tantivy index of a generation folder.
pub(crate) fn open(dir: &Path) -> Result<Index> {
    Ok(Index::open(IndexDirectory::open(dir)?)?)
}

/// Creates a tantivy index in an (empty) generation folder.
pub(crate) fn create(
    dir: &Path,
    schema: tantivy::schema::Schema,
    settings: tantivy::IndexSettings,
) -> Result<Index> {
    Ok(Index::create(IndexDirectory::open(dir)?, schema, settings)?)
}

impl Directory for IndexDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    /// As tantivy does (a temporary file renamed over the target), but the
    /// temporary file is created as any file is, so the umask decides who
    /// may read it.
    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        super::layout::replace_file(&self.root.join(path), data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    /// tantivy's lock, or, where its lock file cannot be opened for writing
    /// (a read-only mount, another user's index), none: only a reader gets
    /// there, since a writer needs the folder writable anyway.
    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.inner.acquire_lock(lock) {
            Err(LockError::IoError(e)) => {
                log::debug!(
                    "reading {} without tantivy's lock {:?} ({e})",
                    self.root.display(),
                    lock.filepath
                );
                Ok(DirectoryLock::from(Box::new(())))
            }
            other => other,
        }
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn meta_files_are_written_with_the_mode_of_any_new_file() {
        let dir = tempfile::TempDir::new().unwrap();
        let directory = IndexDirectory::open(dir.path()).unwrap();
        directory
            .atomic_write(Path::new("meta.json"), b"{}")
            .unwrap();
        std::fs::write(dir.path().join("plain"), b"{}").unwrap();
        let mode = |name: &str| {
            std::fs::metadata(dir.path().join(name))
                .unwrap()
                .permissions()
                .mode()
                & 0o777
        };
        assert_eq!(mode("meta.json"), mode("plain"));
        assert_eq!(std::fs::read(dir.path().join("meta.json")).unwrap(), b"{}");
        // Nothing but the two files is left.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }
}
