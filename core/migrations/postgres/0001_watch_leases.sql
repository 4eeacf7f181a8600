-- opcorp watch store, schema version 1: shared accounts with leases, fencing tokens and
-- checkpoints, a registry of live workers, and shared request-rate buckets.

-- One row per watched account of a watch group (independent deployments share a database
-- by using different groups).
CREATE TABLE opcorp_watch_account (
    watch_group      text        NOT NULL,
    account_id       text        NOT NULL,
    -- false once the account left the watched set (kept: its checkpoint is reused if it returns)
    active           boolean     NOT NULL DEFAULT true,
    -- the AccountCheckpoint as JSON; NULL until a worker first claims the account
    checkpoint       jsonb,
    -- the worker holding the lease, and until when; a lease past its expiry is free
    lease_owner      text,
    lease_expires_at timestamptz,
    -- fencing token: incremented whenever the lease passes to another owner; every write
    -- by a worker is conditioned on the token it claimed with
    fence            bigint      NOT NULL DEFAULT 0,
    -- when the account is due for its next poll
    next_poll_at     timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (watch_group, account_id)
);

CREATE INDEX opcorp_watch_account_due
    ON opcorp_watch_account (watch_group, next_poll_at) WHERE active;

-- Workers that are alive, so that each can compute its fair share of the accounts.
CREATE TABLE opcorp_watch_worker (
    watch_group text        NOT NULL,
    owner       text        NOT NULL,
    seen_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (watch_group, owner)
);

-- Token buckets shared by every process that calls the bank with one client id.
CREATE TABLE opcorp_rate_bucket (
    bucket       text             PRIMARY KEY,
    tokens       double precision NOT NULL,
    refilled_at  timestamptz      NOT NULL DEFAULT now(),
    paused_until timestamptz      NOT NULL DEFAULT '-infinity'
);
