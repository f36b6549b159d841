//! A tiny blocking connection pool: at most `max` open connections, idle ones reused.

use std::ops::{Deref, DerefMut};
use std::path::PathBuf;
use std::sync::{Condvar, Mutex};

use rusqlite::{Connection, OpenFlags};

/// Why a connection could not be had.
#[derive(Debug)]
pub enum PoolError {
    /// Opening or configuring the connection failed.
    Sqlite(rusqlite::Error),
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
    configure: Configure,
    state: Mutex<State>,
    returned: Condvar,
}

impl Pool {
    /// A pool over the database at `path`; nothing is opened yet.
    pub fn new(path: PathBuf, max: usize, configure: Configure) -> Self {
        Self {
            path,
            max: max.max(1),
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

    /// An idle connection, a new one if fewer than `max` are open, else waits for one.
    pub fn get(&self) -> Result<PooledConnection<'_>, PoolError> {
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
            state = self.returned.wait(state).unwrap_or_else(|p| p.into_inner());
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
