-- opcorp watch store, schema version 2: the mandate an account is watched under.
--
-- A service provider watching its client companies' accounts (account source "mandates")
-- lists and polls each account acting for the mandate that company gave; every worker that
-- claims the account must act for the same one, so it is stored with the row. NULL: the
-- client's own account (account sources "listed" and "all").
ALTER TABLE opcorp_watch_account ADD COLUMN mandate_id text;
