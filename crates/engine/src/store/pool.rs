//! A tiny blocking connection pool: at most `max` open connections, idle ones reused.

use std::ops::{Deref, DerefMut};
use std::path::PathBuf;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags};

/// Why a connection could not be had.
#[derive(Debug)]
pub enum PoolError {
    /// Opening or configuring the connection failed.
    Sqlite(rusqlite::Error),
    /// Every connection stayed busy for the whole checkout timeout.
    Timeout,
}

type Configure = fn(&Connection) -> rusqlite::Result<()>;

struct State {
    idle: Vec<Connection>,
    open: usize,
}

/// The pool.
pub struct Pool {
    path: PathBuf,
    max: usize,
    timeout: Duration,
    configure: Configure,
    state: Mutex<State>,
    returned: Condvar,
}

impl Pool {
    /// A pool over the database at `path`; nothing is opened yet.
    pub fn new(path: PathBuf, max: usize, timeout: Duration, configure: Configure) -> Self {
        Self {
            path,
            max: max.max(1),
            timeout,
            configure,
            state: Mutex::new(State {
                idle: Vec::new(),
                open: 0,
            }),
            returned: Condvar::new(),
        }
    }

    /// The database file.
    pub fn path(&self) -> &PathBuf {
        &self.path
    }

    /// An idle connection, a new one if fewer than `max` are open, else waits for one (at
    /// most the checkout timeout).
    pub fn get(&self) -> Result<PooledConnection<'_>, PoolError> {
        let deadline = Instant::now() + self.timeout;
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some(conn) = state.idle.pop() {
                return Ok(PooledConnection {
                    pool: self,
                    conn: Some(conn),
                });
            }
            if state.open < self.max {
                state.open += 1;
                drop(state);
                return match self.open() {
                    Ok(conn) => Ok(PooledConnection {
                        pool: self,
                        conn: Some(conn),
                    }),
                    Err(e) => {
                        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
                        state.open -= 1;
                        self.returned.notify_one();
                        Err(PoolError::Sqlite(e))
                    }
                };
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(PoolError::Timeout);
            }
            state = self
                .returned
                .wait_timeout(state, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }

    fn open(&self) -> rusqlite::Result<Connection> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(&self.path, flags)?;
        (self.configure)(&conn)?;
        Ok(conn)
    }

    fn put_back(&self, conn: Connection) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if conn.is_autocommit() {
            state.idle.push(conn);
        } else {
            // A transaction was left open (a panic mid-write): drop the connection, which
            // rolls it back, rather than hand out a connection in a transaction.
            state.open -= 1;
            drop(conn);
        }
        self.returned.notify_one();
    }
}

/// A connection borrowed from the pool; goes back when dropped.
pub struct PooledConnection<'a> {
    pool: &'a Pool,
    conn: Option<Connection>,
}

impl Deref for PooledConnection<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn.as_ref().expect("connection present until drop")
    }
}

impl DerefMut for PooledConnection<'_> {
    fn deref_mut(&mut self) -> &mut Connection {
        self.conn.as_mut().expect("connection present until drop")
    }
}

impl Drop for PooledConnection<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            self.pool.put_back(conn);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(dir: &std::path::Path, timeout: Duration) -> Pool {
        Pool::new(dir.join("p.sqlite3"), 2, timeout, |_| Ok(()))
    }

    #[test]
    fn connections_are_reused_and_capped() {
        let tmp = tempfile::tempdir().unwrap();
        let p = pool(tmp.path(), Duration::from_millis(50));
        let a = p.get().unwrap();
        let b = p.get().unwrap();
        assert!(matches!(p.get(), Err(PoolError::Timeout)), "only 2 at once");
        drop(a);
        let c = p.get().unwrap();
        drop((b, c));
        assert_eq!(p.state.lock().unwrap().open, 2, "reused, not reopened");
    }

    #[test]
    fn a_connection_left_in_a_transaction_is_not_reused() {
        let tmp = tempfile::tempdir().unwrap();
        let p = pool(tmp.path(), Duration::from_millis(50));
        let conn = p.get().unwrap();
        conn.execute_batch("BEGIN").unwrap();
        drop(conn);
        let state = p.state.lock().unwrap();
        assert_eq!((state.open, state.idle.len()), (0, 0));
    }
}
