//! The password hashing workers: a few dedicated threads, one per core less one, that run every
//! argon2 computation of the server. A storm of logins queues here instead of taking
//! the blocking pool that serves reads, and memory stays bounded: at most one argon2
//! working area (19 MiB at the crate's defaults) per worker. The threads run at a
//! lower priority than the rest of the server (nice [`HASHING_NICENESS`], on Linux), so
//! that while every core hashes, a read still gets a core when it needs one: a login
//! waits a little longer instead of every read waiting behind the logins.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

use super::password;
use crate::error::AppError;

type Job = Box<dyn FnOnce() + Send>;

/// The nice value of a hashing thread (the server's own threads stay at 0).
pub const HASHING_NICENESS: i32 = 10;

#[derive(Clone)]
pub struct PasswordHashers {
    jobs: mpsc::Sender<Job>,
    workers: usize,
}

impl PasswordHashers {
    /// One worker per core the process may use, less one left for everything else
    /// (at least one): argon2 is memory-hard, and even at a low priority it evicts the
    /// caches of the reads beside it.
    pub fn per_core() -> Result<Self, AppError> {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Self::new(cores.saturating_sub(1))
    }

    /// `workers` threads (at least one). They end when the last handle is dropped.
    pub fn new(workers: usize) -> Result<Self, AppError> {
        let workers = workers.max(1);
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for index in 0..workers {
            let queue = Arc::clone(&queue);
            std::thread::Builder::new()
                .name(format!("argon2-{index}"))
                .spawn(move || {
                    lower_own_priority();
                    loop {
                        // The lock is held only to take the next job, not to run it.
                        let job = match queue.lock() {
                            Ok(receiver) => receiver.recv(),
                            Err(poisoned) => poisoned.into_inner().recv(),
                        };
                        match job {
                            Ok(job) => job(),
                            Err(mpsc::RecvError) => return,
                        }
                    }
                })
                .map_err(|e| AppError::internal(format!("cannot start a hashing thread: {e}")))?;
        }
        Ok(Self { jobs, workers })
    }

    pub fn workers(&self) -> usize {
        self.workers
    }

    /// Runs `work` on a hashing thread. Work whose caller has gone away (a client that
    /// disconnected while queued) is skipped.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move || {
            if !reply.is_closed() {
                let _ = reply.send(work());
            }
        });
        self.jobs
            .send(job)
            .map_err(|_| AppError::internal("the password hashing threads have stopped"))?;
        answer
            .await
            .map_err(|_| AppError::internal("a password hashing thread stopped"))
    }

    /// True when `password` matches the stored PHC string.
    pub async fn verify(&self, password: String, stored: String) -> Result<bool, AppError> {
        self.run(move || password::verify_password(&password, &stored))
            .await
    }

    /// Costs one verification, for an unknown username: refusing it takes as long.
    pub async fn burn(&self, password: String) -> Result<(), AppError> {
        self.run(move || password::burn_verification(&password))
            .await
    }

    /// Checks the policy, then hashes.
    pub async fn hash_checked(
        &self,
        username: String,
        password: String,
    ) -> Result<String, AppError> {
        password::check_policy(&username, &password)?;
        self.run(move || password::hash_password(&password)).await?
    }
}

/// Linux keeps a nice value per thread: this one's becomes at least `HASHING_NICENESS`. Failing
/// (a sandbox that forbids it) leaves the thread as it was.
#[cfg(target_os = "linux")]
fn lower_own_priority() {
    let thread = Some(rustix::thread::gettid());
    // Never raised: a server started under `nice` keeps its lower priority here.
    let current = rustix::process::getpriority_process(thread).unwrap_or(0);
    if rustix::process::setpriority_process(thread, current.max(HASHING_NICENESS)).is_err() {
        tracing::warn!("cannot lower the priority of a password hashing thread");
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_own_priority() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_and_verifies_on_its_own_threads() {
        let hashers = PasswordHashers::new(2).unwrap();
        let on = hashers
            .run(|| std::thread::current().name().map(str::to_string))
            .await
            .unwrap();
        assert!(on.is_some_and(|name| name.starts_with("argon2-")));
        let hash = hashers
            .hash_checked("alice".into(), "correct horse battery".into())
            .await
            .unwrap();
        assert!(hashers
            .verify("correct horse battery".into(), hash.clone())
            .await
            .unwrap());
        assert!(!hashers.verify("wrong".into(), hash).await.unwrap());
        assert!(hashers
            .hash_checked("alice".into(), "short".into())
            .await
            .is_err());
    }

    #[test]
    fn at_least_one_worker() {
        assert_eq!(PasswordHashers::new(3).unwrap().workers(), 3);
        assert_eq!(PasswordHashers::new(0).unwrap().workers(), 1);
    }

    #[tokio::test]
    async fn a_burn_waits_its_turn_like_a_verification() {
        let hashers = PasswordHashers::new(1).unwrap();
        let (started, has_started) = oneshot::channel();
        let (release, hold) = mpsc::channel::<()>();
        let worker = hashers.clone();
        let held = tokio::spawn(async move {
            worker
                .run(move || {
                    let _ = started.send(());
                    hold.recv()
                })
                .await
        });
        has_started.await.unwrap();
        let burn = hashers.burn("wrong password".into());
        let burned = tokio::time::timeout(std::time::Duration::from_millis(300), burn).await;
        release.send(()).unwrap();
        assert!(held.await.unwrap().is_ok());
        assert!(
            burned.is_err(),
            "an unknown username was refused without queueing for a verification"
        );
    }

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn hashing_threads_yield_to_the_rest_of_the_server() {
        let hashers = PasswordHashers::new(1).unwrap();
        let own = || rustix::process::getpriority_process(Some(rustix::thread::gettid())).unwrap();
        let theirs = hashers.run(own).await.unwrap();
        assert_eq!(theirs, HASHING_NICENESS.max(own()));
    }

    #[tokio::test]
    async fn never_more_at_once_than_workers() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let hashers = PasswordHashers::new(2).unwrap();
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let jobs = (0..8).map(|_| {
            let (running, most) = (Arc::clone(&running), Arc::clone(&most));
            hashers.run(move || {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(std::time::Duration::from_millis(20));
                running.fetch_sub(1, Ordering::SeqCst);
            })
        });
        for done in futures_util::future::join_all(jobs).await {
            done.unwrap();
        }
        let most = most.load(Ordering::SeqCst);
        assert!((1..=2).contains(&most), "{most} at once");
    }
}
