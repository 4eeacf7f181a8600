//! Starting and stopping an emulator instance.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::AtomicI64;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::admin::Admin;
use crate::admin::http::{AdminState, router};
use crate::bank::{Bank, BankConfig};
use crate::clients::Clients;
use crate::config::EmulatorConfig;
use crate::error::EmulatorError;
use crate::faults::Faults;
use crate::identity::ca::CertAuthority;
use crate::identity::{ClientIdentity, ClientMaterial, store};
use crate::shared::{Shared, lock};
use crate::{banner, op, tls};

/// How long shutdown waits for open admin connections before dropping them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// A running emulator. Dropping it stops the servers too; [`Emulator::shutdown`] also waits
/// for them to finish.
pub struct Emulator {
    base_url: String,
    admin_url: String,
    identity: ClientIdentity,
    admin: Admin,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
    state_dir: PathBuf,
    temp_dir: Option<tempfile::TempDir>,
}

/// Starts an emulator: loads or creates its identities, seeds the bank, and serves the OP
/// surface (HTTPS, mTLS) and the admin API (HTTP) on 127.0.0.1.
pub async fn start(config: EmulatorConfig) -> Result<Emulator, EmulatorError> {
    let (state_dir, temp_dir) = match &config.state_dir {
        Some(dir) => (dir.clone(), None),
        None => {
            let temp = tempfile::Builder::new()
                .prefix("opcorp-emulator-")
                .tempdir()?;
            (temp.path().to_path_buf(), Some(temp))
        }
    };
    let dir = state_dir.clone();
    let state = tokio::task::spawn_blocking(move || store::load_or_create(&dir))
        .await
        .map_err(|e| EmulatorError::Certificate(e.to_string()))??;
    let tls_config = tls::server_config(&state.ca, &state.server)?;
    let demo = state.demo;
    let shared = new_shared(&config, state.ca, &demo);
    shared
        .register(&demo)
        .map_err(|reason| EmulatorError::InvalidState {
            path: state_dir.join("demo-client"),
            reason,
        })?;

    let op_listener = bind(config.port).await?;
    let admin_listener = bind(config.admin_port).await?;
    let base_url = format!("https://127.0.0.1:{}", op_listener.local_addr()?.port());
    let admin_url = format!("http://127.0.0.1:{}", admin_listener.local_addr()?.port());
    let admin = Admin::new(shared.clone());
    let (shutdown, watcher) = watch::channel(false);

    let acceptor = tokio_rustls::TlsAcceptor::from(tls_config);
    let op_task = tokio::spawn(op::serve(
        op_listener,
        acceptor,
        shared.clone(),
        watcher.clone(),
    ));
    let app = router(AdminState {
        admin: admin.clone(),
        base_url: base_url.clone(),
    });
    let mut admin_watcher = watcher;
    let admin_task = tokio::spawn(async move {
        let stop = async move {
            let _ = admin_watcher.changed().await;
        };
        if let Err(err) = axum::serve(admin_listener, app)
            .with_graceful_shutdown(stop)
            .await
        {
            tracing::warn!(error = %err, "admin server stopped");
        }
    });

    let identity = shared.demo.clone();
    if !config.quiet {
        println!(
            "{}",
            banner::banner(
                &base_url,
                &admin_url,
                &state_dir,
                temp_dir.is_some(),
                &identity
            )
        );
    }
    Ok(Emulator {
        base_url,
        admin_url,
        identity,
        admin,
        shutdown,
        tasks: vec![op_task, admin_task],
        state_dir,
        temp_dir,
    })
}

/// The bank (seeded from the configuration) and everything the servers share.
fn new_shared(config: &EmulatorConfig, ca: CertAuthority, demo: &ClientMaterial) -> Arc<Shared> {
    let mut bank = Bank::new(BankConfig {
        seed: config.seed,
        accounts_per_client: config.accounts_per_client,
        transactions_per_account: config.transactions_per_account,
        iat_window_secs: i64::try_from(config.iat_window.as_secs()).unwrap_or(i64::MAX),
        lenient_iban: false,
    });
    bank.set_quirks(config.quirks);
    Arc::new(Shared {
        bank: Mutex::new(bank),
        clients: Mutex::new(Clients::default()),
        counters: Mutex::default(),
        faults: Mutex::new(Faults::default()),
        scheduled: Mutex::default(),
        skew_secs: AtomicI64::new(0),
        token_lifetime: Mutex::new(config.token_lifetime),
        ca,
        demo: demo.identity.clone(),
        max_body_bytes: config.max_body_bytes,
        runtime: tokio::runtime::Handle::current(),
        outage: Default::default(),
    })
}

async fn bind(port: u16) -> Result<TcpListener, EmulatorError> {
    TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
        .await
        .map_err(|source| EmulatorError::Bind { port, source })
}

impl Emulator {
    /// The OP surface, e.g. `https://127.0.0.1:8443` (`https://localhost:PORT` works too).
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// The admin API root, e.g. `http://127.0.0.1:8444`; endpoints live under `/admin`.
    pub fn admin_url(&self) -> String {
        self.admin_url.clone()
    }

    /// The demo client.
    pub fn identity(&self) -> &ClientIdentity {
        &self.identity
    }

    /// In-process control of this emulator.
    pub fn admin(&self) -> Admin {
        self.admin.clone()
    }

    /// The state directory (a temporary one unless configured).
    pub fn state_dir(&self) -> &std::path::Path {
        &self.state_dir
    }

    /// Stops both servers, cancels scheduled events, waits for the servers to finish and
    /// deletes a temporary state directory.
    pub async fn shutdown(mut self) {
        self.stop();
        for task in std::mem::take(&mut self.tasks) {
            let abort = task.abort_handle();
            if tokio::time::timeout(SHUTDOWN_GRACE, task).await.is_err() {
                abort.abort();
            }
        }
        if let Some(temp) = self.temp_dir.take() {
            let _ = temp.close();
        }
    }

    fn stop(&self) {
        let _ = self.shutdown.send(true);
        for handle in lock(&self.admin.shared().scheduled).drain(..) {
            handle.abort();
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.stop();
    }
}
